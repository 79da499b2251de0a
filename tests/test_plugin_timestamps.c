/*
 * plugins/timestamps.c: created_at once on insert, updated_at on every
 * update that changes something and not on a no-op flush, one clock
 * reading per flush; refused fields. Both dialects.
 */
#include <string.h>
#include <calx/plugins/timestamps.h>
#include "plugin_fixture.h"

static void enable(fixture *fx)
{
	assert_int_equal(calx_timestamps_enable(fx->reg, &pl_user_mapper, PL_USER_TS_CREATED_AT, PL_USER_TS_UPDATED_AT),
	                 CALX_OK);
	assert_int_equal(
		calx_timestamps_enable(fx->reg, &pl_invoice_mapper, PL_INVOICE_TS_CREATED_AT, PL_INVOICE_TS_UPDATED_AT),
		CALX_OK);
}

static int64_t usec(const calx_timestamptz *t)
{
	int64_t v = 0;
	assert_int_equal(calx_timestamptz_unix_usec(t, &v), CALX_OK);
	return v;
}

static void insert_stamps_both_from_one_reading(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *a = plugin_user(s, "a"), *b = plugin_user(s, "b");
	struct pl_invoice *inv = pl_invoice_new(s, .amount_cents = 5);
	/* the audit plugin is off here: created_by is the program's */
	inv->audit.created_by = calx_strdup(s, "program");
	inv->user = a;
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_add(s, b));
	assert_ok(s, calx_session_add(s, inv));
	int64_t before = 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	before = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	assert_ok(s, calx_session_commit(s));
	/* one reading for the whole flush: every stamp the same, and not before it began */
	assert_string_equal(a->ts.created_at.text, a->ts.updated_at.text);
	assert_string_equal(a->ts.created_at.text, b->ts.created_at.text);
	assert_string_equal(a->ts.created_at.text, inv->ts.created_at.text);
	assert_true(usec(&a->ts.created_at) >= before);
	/* what the database holds */
	calx_session *s2 = fixture_session(fx);
	struct pl_user *again;
	assert_ok(s2, pl_user_get(s2, a->id, &again));
	assert_string_equal(again->ts.created_at.text, a->ts.created_at.text);
	assert_string_equal(again->ts.updated_at.text, a->ts.updated_at.text);
	calx_session_free(s2);
	calx_session_free(s);
}

static void updated_at_moves_on_a_change_only(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = plugin_user(s, "u");
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	calx_timestamptz created = u->ts.created_at, updated = u->ts.updated_at;
	/* a flush with nothing changed writes nothing: updated_at stays */
	uint64_t n0 = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_string_equal(u->ts.updated_at.text, updated.text);
	assert_int_equal(fixture_statements(s), n0);
	/* a change moves it (the clock ticks at least a microsecond), created_at stays */
	struct timespec pause = { 0, 2000 };
	nanosleep(&pause, NULL);
	assert_ok(s, calx_field_set_text(s, u, PL_USER_NAME, "renamed"));
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(u->ts.created_at.text, created.text);
	assert_true(usec(&u->ts.updated_at) > usec(&updated));
	calx_session *s2 = fixture_session(fx);
	struct pl_user *again;
	assert_ok(s2, pl_user_get(s2, u->id, &again));
	assert_string_equal(again->ts.updated_at.text, u->ts.updated_at.text);
	assert_string_equal(again->ts.created_at.text, created.text);
	calx_session_free(s2);
	calx_session_free(s);
}

static void a_created_at_given_is_kept(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = plugin_user(s, "old");
	assert_int_equal(calx_timestamptz_parse(&u->ts.created_at, "2001-02-03 04:05:06.789+00:00"), CALX_OK);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(u->ts.created_at.text, "2001-02-03 04:05:06.789000+00:00");
	assert_string_not_equal(u->ts.updated_at.text, u->ts.created_at.text);
	calx_session_free(s);
}

static void fields_that_hold_no_time_are_refused(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_timestamps_enable(fx->reg, &pl_user_mapper, PL_USER_ID, NULL), CALX_EINVAL);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "holds a time"));
	/* a field of another struct */
	assert_int_equal(calx_timestamps_enable(fx->reg, &pl_user_mapper, PL_INVOICE_TS_CREATED_AT, NULL), CALX_EINVAL);
	assert_int_equal(calx_timestamps_enable(fx->reg, &pl_user_mapper, NULL, NULL), CALX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, plugin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(insert_stamps_both_from_one_reading),
		T(updated_at_moves_on_a_change_only),
		T(a_created_at_given_is_kept),
		T(fields_that_hold_no_time_are_refused),
	};
	return RUN_ON_ALL_DIALECTS("plugin_timestamps", tests);
}
