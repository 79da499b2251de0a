/*
 * User types (tests/models/timetypes.h) through the real calx-reflect, on
 * both dialects: calx/time.h's timestamps, dates and times round-trip
 * exactly at their extremes, NULL stays NULL, an equal value set again
 * sends no UPDATE, a UUID is a key (identity map, default factory) and a
 * foreign key, a type of the program's own (a point as one BIGINT)
 * converts both ways, typed columns compare in selects, and bad values
 * are refused with a message naming the field and the type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "timetypes.calx.h"

/* tt_point: (x, y) as x * 2^32 + (uint32_t)y, a BIGINT that keeps both exactly. */
static int point_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)t, (void)buf, (void)cap;
	const tt_point *p = field;
	*out = calx_value_int((int64_t)(((uint64_t)(uint32_t)p->x << 32) | (uint32_t)p->y));
	return CALX_OK;
}

static int point_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	(void)t;
	if (in->kind != CALX_VALUE_INT)
		return CALX_ETYPE;
	tt_point *p = field;
	uint64_t u = (uint64_t)in->u.i;
	p->x = (int32_t)(uint32_t)(u >> 32);
	p->y = (int32_t)(uint32_t)u;
	return CALX_OK;
}

static bool point_equal(const calx_user_type *t, const void *a, const void *b)
{
	(void)t;
	const tt_point *p = a, *q = b;
	return p->x == q->x && p->y == q->y;
}

const calx_user_type tt_point_type = {
	.version = CALX_USER_TYPE_VERSION, .name = "tt_point", .to_value = point_to_value,
	.from_value = point_from_value, .equal = point_equal, .size = sizeof(tt_point),
};

static int setup(void **state)
{
	return fixture_setup_schema(state, &timetypes_schema);
}

static void raw(fixture *fx, const char *sql)
{
	int rc = calx_engine_exec(fx->eng, sql);
	if (rc != CALX_OK)
		print_error("%s: %s\n", sql, calx_engine_errmsg(fx->eng));
	assert_int_equal(rc, CALX_OK);
}

static struct tt_device *new_device(fixture *fx, const char *name)
{
	struct tt_device *d = tt_device_new(fx->s, .name = (char *)name, .at = { -7, 2147483647 });
	assert_non_null(d);
	assert_false(calx_uuid_is_nil(&d->id));     /* the factory gave a key before any flush */
	assert_int_equal(d->id.bytes[6] >> 4, 7);
	assert_int_equal(d->id.bytes[8] >> 6, 2);
	return d;
}

static void time_round_trips_at_extremes(void **state)
{
	fixture *fx = *state;
	struct tt_device *d = new_device(fx, "probe");
	assert_ok(fx->s, calx_session_add(fx->s, d));
	struct tt_event *lo = tt_event_new(fx->s, .id = 1, .device_id = d->id);
	struct tt_event *hi = tt_event_new(fx->s, .id = 2, .device_id = d->id);
	assert_int_equal(calx_timestamp_parse(&lo->at, "0001-01-01T00:00:00"), CALX_OK);
	assert_int_equal(calx_timestamp_parse(&hi->at, "9999-12-31 23:59:59.999999"), CALX_OK);
	assert_int_equal(calx_timestamptz_parse(&lo->at_tz, "0001-01-01 00:00:00.000001Z"), CALX_OK);
	/* an offset is converted to UTC */
	assert_int_equal(calx_timestamptz_parse(&hi->at_tz, "9999-12-31 23:59:59.999999+00:00"), CALX_OK);
	assert_int_equal(calx_date_from_ymd(&lo->day, 1, 1, 1), CALX_OK);
	assert_int_equal(calx_date_from_ymd(&hi->day, 9999, 12, 31), CALX_OK);
	assert_int_equal(calx_time_parse(&lo->clock, "00:00"), CALX_OK);
	assert_int_equal(calx_time_from_parts(&hi->clock, 23, 59, 59, 999999), CALX_OK);
	assert_int_equal(calx_interval_from_parts(&lo->took, -2147483647, -2147483647, -INT64_MAX), CALX_OK);
	assert_int_equal(calx_interval_from_parts(&hi->took, 2147483647, 2147483647, INT64_MAX), CALX_OK);
	assert_ok(fx->s, calx_session_add(fx->s, lo));
	assert_ok(fx->s, calx_session_add(fx->s, hi));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct tt_event *a = NULL, *b = NULL;
	assert_ok(s, tt_event_get(s, 1, &a));
	assert_ok(s, tt_event_get(s, 2, &b));
	assert_string_equal(a->at.text, "0001-01-01 00:00:00.000000");
	assert_string_equal(b->at.text, "9999-12-31 23:59:59.999999");
	assert_string_equal(a->at_tz.text, "0001-01-01 00:00:00.000001+00:00");
	assert_string_equal(b->at_tz.text, "9999-12-31 23:59:59.999999+00:00");
	assert_string_equal(a->day.text, "0001-01-01");
	assert_string_equal(b->day.text, "9999-12-31");
	assert_string_equal(a->clock.text, "00:00:00.000000");
	assert_string_equal(b->clock.text, "23:59:59.999999");
	assert_true(calx_uuid_equal(&a->device_id, &d->id));
	assert_string_equal(a->took.text, "-2147483647 months -2147483647 days -9223372036854.775807 seconds");
	assert_string_equal(b->took.text, "+2147483647 months +2147483647 days +9223372036854.775807 seconds");
	int32_t months, days;
	int64_t us;
	assert_int_equal(calx_interval_parts(&a->took, &months, &days, &us), CALX_OK);
	assert_int_equal(months, -2147483647);
	assert_int_equal(days, -2147483647);
	assert_true(us == -INT64_MAX);
	int64_t usec;
	assert_int_equal(calx_timestamp_unix_usec(&b->at, &usec), CALX_OK);
	assert_true(usec == INT64_C(253402300799999999));
	calx_session_free(s);
}

static void helpers_refuse_what_they_cannot_keep(void **state)
{
	(void)state;
	calx_timestamp t;
	memset(&t, 0, sizeof t);
	struct timespec ts = { .tv_sec = 1700000000, .tv_nsec = 123456789 };
	assert_int_equal(calx_timestamp_from_timespec(&t, &ts), CALX_ERANGE);   /* nanoseconds: never rounded */
	ts.tv_nsec = 123456000;
	assert_int_equal(calx_timestamp_from_timespec(&t, &ts), CALX_OK);
	assert_string_equal(t.text, "2023-11-14 22:13:20.123456");
	assert_int_equal(calx_timestamp_parse(&t, "2023-11-14 22:13:20.1234561"), CALX_ERANGE);
	assert_int_equal(calx_timestamp_parse(&t, "2023-11-14 22:13:20.1234560"), CALX_OK);
	assert_int_equal(calx_timestamp_parse(&t, "10000-01-01 00:00:00"), CALX_ERANGE);
	assert_int_equal(calx_timestamp_parse(&t, "0000-12-31 23:59:59"), CALX_ERANGE);
	assert_int_equal(calx_timestamp_parse(&t, "2023-02-29 00:00:00"), CALX_EINVAL);
	assert_int_equal(calx_timestamp_parse(&t, "2023-01-01 00:00:00+01:00"), CALX_EINVAL);  /* no zone here */
	assert_int_equal(calx_timestamp_from_unix_usec(&t, INT64_C(253402300800000000)), CALX_ERANGE);
	calx_timestamptz z;
	assert_int_equal(calx_timestamptz_parse(&z, "2024-03-01 01:30:00+05:30"), CALX_OK);
	assert_string_equal(z.text, "2024-02-29 20:00:00.000000+00:00");
	assert_int_equal(calx_timestamptz_parse(&z, "9999-12-31 23:00:00-01:00"), CALX_ERANGE);
	assert_int_equal(calx_timestamptz_parse(&z, "2024-03-01 01:30:00"), CALX_EINVAL);   /* a zone is needed */
	calx_interval iv;
	int32_t months, days;
	int64_t us;
	assert_int_equal(calx_interval_parse(&iv, "1 year 2 mons -3 days +04:05:06.789"), CALX_OK);   /* PostgreSQL's */
	assert_string_equal(iv.text, "+14 months -3 days +14706.789000 seconds");
	assert_int_equal(calx_interval_parts(&iv, &months, &days, &us), CALX_OK);
	assert_int_equal(months, 14);
	assert_int_equal(days, -3);
	assert_true(us == INT64_C(14706789000));
	assert_int_equal(calx_interval_parse(&iv, "-1 days -00:00:00.5"), CALX_OK);
	assert_string_equal(iv.text, "+0 months -1 days -0.500000 seconds");
	assert_int_equal(calx_interval_parse(&iv, "00:00:00.0000001"), CALX_ERANGE);
	assert_int_equal(calx_interval_parse(&iv, "178956971 years"), CALX_ERANGE);
	assert_int_equal(calx_interval_parse(&iv, "3 fortnights"), CALX_EINVAL);
	assert_int_equal(calx_interval_from_parts(&iv, INT32_MIN, 0, 0), CALX_ERANGE);
	calx_uuid u, v;
	char text[CALX_UUID_TEXT_SIZE];
	assert_int_equal(calx_uuid_parse(&u, "0192F1C4-7D2A-7C3E-9B1A-5F0E2D4C6B8A"), CALX_OK);
	calx_uuid_format(&u, text);
	assert_string_equal(text, "0192f1c4-7d2a-7c3e-9b1a-5f0e2d4c6b8a");
	assert_int_equal(calx_uuid_parse(&v, "0192f1c47d2a7c3e9b1a5f0e2d4c6b8a"), CALX_OK);
	assert_true(calx_uuid_equal(&u, &v));
	assert_int_equal(calx_uuid_parse(&v, "0192f1c4-7d2a-7c3e-9b1a-5f0e2d4c6b8"), CALX_EINVAL);
	assert_int_equal(calx_uuid_v4(&v), CALX_OK);
	assert_int_equal(v.bytes[6] >> 4, 4);
}

static void null_and_no_update_for_an_equal_value(void **state)
{
	fixture *fx = *state;
	struct tt_device *d = new_device(fx, "nulls");
	assert_ok(fx->s, calx_session_add(fx->s, d));
	struct tt_event *e = tt_event_new(fx->s, .id = 10, .device_id = d->id);
	assert_int_equal(calx_timestamp_parse(&e->at, "2024-05-06 07:08:09.5"), CALX_OK);
	assert_ok(fx->s, calx_session_add(fx->s, e));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct tt_event *g = NULL;
	assert_ok(s, tt_event_get(s, 10, &g));
	assert_true(calx_field_is_null(s, g, calx_field(TT_EVENT_AT_TZ)));
	assert_true(calx_date_is_null(&g->day));
	assert_false(calx_field_is_null(s, g, calx_field(TT_EVENT_AT)));
	assert_string_equal(g->at.text, "2024-05-06 07:08:09.500000");
	struct tt_device *dev = NULL;
	assert_ok(s, tt_device_get(s, d->id, &dev));
	assert_false(dev->owner.has_value);
	assert_int_equal(dev->at.x, -7);
	assert_int_equal(dev->at.y, 2147483647);
	/* the server default came back on insert: a UTC timestamp */
	assert_false(calx_timestamptz_is_null(&dev->ts.created_at));
	assert_non_null(strstr(dev->ts.created_at.text, "+00:00"));

	/* the same values set again: nothing to write */
	uint64_t before = fixture_statements(s);
	calx_timestamp same;
	assert_int_equal(calx_timestamp_parse(&same, "2024-05-06T07:08:09.500"), CALX_OK);
	g->at = same;
	dev->at = (tt_point){ -7, 2147483647 };
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	/* a change, and a NULL: written */
	memset(&g->at, 0, sizeof g->at);
	assert_int_equal(calx_date_from_ymd(&g->day, 2024, 2, 29), CALX_OK);
	dev->owner.value = d->id;
	dev->owner.has_value = true;
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);

	s = fixture_session(fx);
	assert_ok(s, tt_event_get(s, 10, &g));
	assert_true(calx_timestamp_is_null(&g->at));
	assert_string_equal(g->day.text, "2024-02-29");
	assert_ok(s, tt_device_get(s, d->id, &dev));
	assert_true(dev->owner.has_value);
	assert_true(calx_uuid_equal(&dev->owner.value, &d->id));
	calx_session_free(s);
}

static void uuid_key_identity_and_selects(void **state)
{
	fixture *fx = *state;
	struct tt_device *d1 = new_device(fx, "one"), *d2 = new_device(fx, "two");
	assert_false(calx_uuid_equal(&d1->id, &d2->id));
	assert_ok(fx->s, calx_session_add(fx->s, d1));
	assert_ok(fx->s, calx_session_add(fx->s, d2));
	struct tt_event *e = tt_event_new(fx->s, .id = 20, .device_id = d2->id);
	assert_int_equal(calx_timestamp_parse(&e->at, "2020-01-01 00:00:00"), CALX_OK);
	struct tt_event *f = tt_event_new(fx->s, .id = 21, .device_id = d2->id);
	assert_int_equal(calx_timestamp_parse(&f->at, "2021-06-30 12:00:00.000001"), CALX_OK);
	assert_ok(fx->s, calx_session_add(fx->s, e));
	assert_ok(fx->s, calx_session_add(fx->s, f));
	assert_ok(fx->s, calx_session_commit(fx->s));

	/* the identity map keys the 16 bytes */
	struct tt_device *got = NULL;
	assert_ok(fx->s, tt_device_get(fx->s, d2->id, &got));
	assert_ptr_equal(got, d2);
	calx_session *s = fixture_session(fx);
	struct tt_device *a = NULL, *b = NULL;
	assert_ok(s, tt_device_get(s, d1->id, &a));
	assert_ok(s, tt_device_get(s, d1->id, &b));
	assert_ptr_equal(a, b);
	assert_string_equal(a->name, "one");

	/* typed columns in selects: a UUID, a timestamp range */
	calx_select *q = calx_select_new(s, &tt_event_mapper);
	calx_where(q, calx_eq(TT_EVENT_DEVICE_ID, &d2->id));     /* typed handles: the column's own C type */
	calx_timestamp cut;
	assert_int_equal(calx_timestamp_parse(&cut, "2021-06-30 12:00:00"), CALX_OK);
	calx_where(q, calx_gt(TT_EVENT_AT, &cut));
	struct tt_event *hit = NULL;
	assert_ok(s, calx_select_one(q, (void **)&hit));
	assert_int_equal(hit->id, 21);
	calx_select_free(q);
	/*
	 * The database sees dates and times: SQLite's date() and strftime()
	 * read the stored text, PostgreSQL's own functions the native columns.
	 */
	calx_text_query *t = calx_text(s, ON_SQLITE(fx)
		? "SELECT count(*) FROM tt_events WHERE date(at) = '2021-06-30' AND strftime('%H', at) = '12'"
		: "SELECT count(*) FROM tt_events WHERE at::date = DATE '2021-06-30' AND extract(hour FROM at) = 12");
	assert_non_null(t);
	calx_value n;
	assert_int_equal(calx_text_next(t, &n, 1), CALX_ROW);
	assert_int_equal(n.kind, CALX_VALUE_INT);
	assert_int_equal(n.u.i, 1);
	calx_text_free(t);
	/* ordered by the column: time order, on SQLite as text */
	q = calx_select_new(s, &tt_event_mapper);
	calx_where(q, calx_eq(TT_EVENT_DEVICE_ID, calx_uuid_value(&d2->id)));
	calx_order_by(q, TT_EVENT_AT, CALX_DESC);
	assert_ok(s, calx_select_first(q, (void **)&hit));
	assert_int_equal(hit->id, 21);
	calx_select_free(q);
	/* a value the column's type does not take: refused, naming the field and type */
	q = calx_select_new(s, &tt_event_mapper);
	calx_where(q, calx_eq(TT_EVENT_AT, calx_value_text("yesterday")));   /* a calx_value: checked when it runs */
	assert_calx(s, calx_select_one(q, (void **)&hit), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "tt_event.at"));
	assert_non_null(strstr(calx_session_errmsg(s), "calx_timestamp"));
	calx_select_free(q);
	calx_session_free(s);
}

static void bad_values_are_refused(void **state)
{
	fixture *fx = *state;
	struct tt_device *d = new_device(fx, "bad");
	assert_ok(fx->s, calx_session_add(fx->s, d));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* a field whose text is not canonical is never sent */
	struct tt_event *e = tt_event_new(fx->s, .id = 30, .device_id = d->id);
	memcpy(e->at.text, "2024-1-1", 9);
	assert_ok(fx->s, calx_session_add(fx->s, e));
	assert_calx(fx->s, calx_session_flush(fx->s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "tt_event.at"));
	assert_non_null(strstr(calx_session_errmsg(fx->s), "calx_timestamp"));
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* a database value the type does not take: the load fails, naming the field */
	if (ON_SQLITE(fx)) {
		raw(fx, "INSERT INTO tt_events (id, device_id, at) SELECT 31, id, 'soon' FROM tt_devices");
		calx_session *s = fixture_session(fx);
		struct tt_event *g = NULL;
		assert_calx(s, tt_event_get(s, 31, &g), CALX_ETYPE);
		assert_non_null(strstr(calx_session_errmsg(s), "tt_event.at"));
		calx_session_free(s);
	}
}

/* server_default per dialect and onupdate in SQL (read back) and in C (called at flush) */
static void generated_on_insert_and_update(void **state)
{
	fixture *fx = *state;
	struct tt_device *d = new_device(fx, "gen");
	assert_ok(fx->s, calx_session_add(fx->s, d));
	struct tt_event *e = tt_event_new(fx->s, .id = 40, .device_id = d->id);
	assert_ok(fx->s, calx_session_add(fx->s, e));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* the server's values came back on insert */
	assert_false(calx_timestamptz_is_null(&d->ts.created_at));
	assert_false(calx_timestamptz_is_null(&d->ts.updated_at));
	assert_true(calx_timestamp_is_null(&e->touched));
	raw(fx, "UPDATE tt_devices SET updated_at = '2000-01-01 00:00:00+00:00'");

	calx_session *s = fixture_session(fx);
	struct tt_device *g = NULL;
	struct tt_event *ev = NULL;
	assert_ok(s, tt_device_get(s, d->id, &g));
	assert_ok(s, tt_event_get(s, 40, &ev));
	assert_string_equal(g->ts.updated_at.text, "2000-01-01 00:00:00.000000+00:00");
	assert_int_equal(ev->version, 0);
	/* nothing changed: no UPDATE, nothing generated */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	assert_true(calx_timestamp_is_null(&ev->touched));
	/* a change: onupdate sets the rest */
	g->name = "renamed";
	assert_int_equal(calx_date_from_ymd(&ev->day, 2030, 1, 2), CALX_OK);
	assert_ok(s, calx_session_commit(s));
	assert_true(strcmp(g->ts.updated_at.text, "2000-01-01 00:00:00.000000+00:00") > 0);
	assert_true(strcmp(g->ts.updated_at.text, g->ts.created_at.text) >= 0);
	assert_false(calx_timestamp_is_null(&ev->touched));
	assert_int_equal(ev->version, 1);
	calx_timestamptz kept = g->ts.updated_at;
	calx_timestamp touched = ev->touched;
	calx_session_free(s);

	/* what the struct got is what the row holds */
	s = fixture_session(fx);
	assert_ok(s, tt_device_get(s, d->id, &g));
	assert_ok(s, tt_event_get(s, 40, &ev));
	assert_string_equal(g->ts.updated_at.text, kept.text);
	assert_string_equal(ev->touched.text, touched.text);
	assert_int_equal(ev->version, 1);
	assert_string_equal(g->name, "renamed");
	calx_session_free(s);
}

/* a many-to-one through a UUID foreign key: the key copied at flush, the target found by it */
static void uuid_foreign_key_relationship(void **state)
{
	fixture *fx = *state;
	struct tt_device *d = new_device(fx, "parent");
	struct tt_event *e = tt_event_new(fx->s, .id = 50);
	e->device = d;
	assert_ok(fx->s, calx_session_add(fx->s, e));     /* the device cascades */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(calx_uuid_equal(&e->device_id, &d->id));

	calx_session *s = fixture_session(fx);
	struct tt_event *g = NULL;
	struct tt_device *parent = NULL;
	assert_ok(s, tt_event_get(s, 50, &g));
	assert_ok(s, tt_device_get(s, d->id, &parent));
	struct tt_device *via = NULL;
	assert_ok(s, tt_event_device(s, g, &via));
	assert_ptr_equal(via, parent);      /* the identity map's one object for the row */
	char buf[512];
	assert_true(tt_device_repr(parent, buf, sizeof buf) > 0);
	char id[CALX_UUID_TEXT_SIZE], want[128];
	calx_uuid_format(&d->id, id);
	snprintf(want, sizeof want, "tt_device(id=\"%s\", name=\"parent\", owner=NULL, at=", id);
	assert_non_null(strstr(buf, want));     /* the UUID as its text */
	assert_non_null(strstr(buf, "ts.created_at=\"20"));
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(time_round_trips_at_extremes),
		T(helpers_refuse_what_they_cannot_keep),
		T(null_and_no_update_for_an_equal_value),
		T(uuid_key_identity_and_selects),
		T(bad_values_are_refused),
		T(generated_on_insert_and_update),
		T(uuid_foreign_key_relationship),
	};
	return RUN_ON_ALL_DIALECTS("user_types", tests);
}
