/*
 * UPDATE and DELETE by criteria (calx/bulk.h; tests/models/query.h), on
 * SQLite and PostgreSQL: the rows changed, and the session's objects with
 * each synchronisation -- evaluate (in C, before sending), fetch (the keys
 * RETURNING gives), none -- for literal values and expressions; autoflush
 * first; a subquery in the where; deleted objects out of the identity
 * map; a rollback, and one to a savepoint, restoring what the statements
 * synchronised; and the refusals, which send nothing.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"

#define STEP(x) if (rc == CALX_OK) rc = (x)

/* album First (artist Alpha) with tracks a..d of 100..400 ms; album Second without tracks */
static int bulk_setup(void **state)
{
	if (fixture_setup_schema(state, &query_schema) != 0)
		return -1;
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct q_artist *alpha = q_artist_new(s, .name = "Alpha");
	struct q_album *first = q_album_new(s, .title = "First"), *second = q_album_new(s, .title = "Second");
	if (!alpha || !first || !second)
		return -1;
	int rc = CALX_OK;
	STEP(q_artist_albums_append(s, alpha, first));
	STEP(q_artist_albums_append(s, alpha, second));
	for (int i = 0; i < 4 && rc == CALX_OK; i++) {
		struct q_track *t = q_track_new(s, .ms = 100 * (i + 1));
		if (!t)
			return -1;
		snprintf(t->name, sizeof t->name, "%c", 'a' + i);
		STEP(q_album_tracks_append(s, first, t));
	}
	STEP(calx_session_add(s, alpha));
	STEP(calx_session_commit(s));
	return rc == CALX_OK ? 0 : -1;
}

/* The four tracks, loaded (not expired), by length: t[0] is a (100 ms) ... t[3] is d (400 ms). */
static void load_tracks(fixture *fx, struct q_track *t[4])
{
	calx_select *q = calx_select_new(fx->s, &q_track_mapper);
	assert_non_null(q);
	calx_order_by(q, Q_TRACK_MS, CALX_ASC);
	void **rows;
	size_t n;
	assert_ok(fx->s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 4);
	for (size_t i = 0; i < 4; i++)
		t[i] = rows[i];
	calx_select_free(q);
}

/* The lengths in the database as another session sees them after a commit, by name: "a:100,b:200,..." */
static const char *committed(fixture *fx)
{
	static char out[128];
	out[0] = '\0';
	calx_session *other = fixture_session(fx);
	calx_select *q = calx_select_new(other, &q_track_mapper);
	assert_non_null(q);
	calx_order_by(q, Q_TRACK_NAME, CALX_ASC);
	void **rows;
	size_t n;
	assert_ok(other, calx_select_all(q, &rows, &n));
	for (size_t i = 0; i < n; i++) {
		const struct q_track *t = rows[i];
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s:%d", i ? "," : "", t->name, (int)t->ms);
	}
	calx_select_free(q);
	calx_session_free(other);
	return out;
}

static void update_evaluate_changes_the_objects_in_memory(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	/* an unflushed change: autoflushed first, and evaluated with the value the row then has */
	t[0]->ms = 50;
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_or(calx_ge(Q_TRACK_MS, 300), calx_lt(Q_TRACK_MS, 60)));
	calx_update_set(u, Q_TRACK_NAME, calx_lit("long"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(999));
	uint64_t rows = 0;
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_EVALUATE, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 3);
	/* the autoflush's UPDATE and the statement: no SELECT */
	assert_int_equal(fixture_statements(fx->s) - before, 2);
	assert_string_equal(t[0]->name, "long");
	assert_int_equal(t[0]->ms, 999);
	assert_string_equal(t[1]->name, "b");
	assert_int_equal(t[1]->ms, 200);
	assert_string_equal(t[2]->name, "long");
	assert_int_equal(t[3]->ms, 999);
	assert_false(calx_object_is_expired(fx->s, t[3]));
	/* the objects agree with their rows: nothing to flush */
	before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(fixture_statements(fx->s) - before, 0);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(committed(fx), "b:200,long:999,long:999,long:999");
}

static void update_fetch_and_expressions(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	/* the tracks of the album titled First whose length is 100 or 400: a subquery, so only fetch can tell */
	calx_select *first = calx_select_new(fx->s, &q_album_mapper);
	calx_expr *id[] = { calx_col(Q_ALBUM_ID) };
	assert_ok(fx->s, calx_select_exprs(first, id, 1));
	calx_where(first, calx_eq(Q_ALBUM_TITLE, "First"));
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_in_select(Q_TRACK_ALBUM_ID, first));
	calx_update_where(u, calx_in_int64(Q_TRACK_MS, (int64_t[]){ 100, 400 }, 2));
	calx_update_set(u, Q_TRACK_NAME, calx_lit("x"));
	uint64_t rows = 0;
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_FETCH, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 2);
	assert_string_equal(t[0]->name, "x");
	assert_string_equal(t[1]->name, "b");
	assert_string_equal(t[3]->name, "x");
	/* a value computed by the database: the matching objects expire, and reload when handed out again */
	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_eq(Q_TRACK_NAME, "x"));
	calx_update_set(u, Q_TRACK_MS, calx_add(calx_col(Q_TRACK_MS), calx_lit(1)));
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_FETCH, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 2);
	assert_true(calx_object_is_expired(fx->s, t[0]));
	assert_false(calx_object_is_expired(fx->s, t[1]));
	struct q_track *again;
	assert_ok(fx->s, q_track_get(fx->s, t[3]->id, &again));
	assert_ptr_equal(again, t[3]);
	assert_int_equal(t[3]->ms, 401);
	/* evaluate expires them too */
	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_eq(Q_TRACK_NAME, "b"));
	calx_update_set(u, Q_TRACK_MS, calx_mul(calx_col(Q_TRACK_MS), calx_lit(2)));
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_EVALUATE, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 1);
	assert_true(calx_object_is_expired(fx->s, t[1]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(committed(fx), "b:400,c:300,x:101,x:401");
}

static void update_none_leaves_the_session_alone(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_set(u, Q_TRACK_MS, calx_lit(7));           /* no where: every row */
	uint64_t rows = 0;
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_NONE, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 4);
	assert_int_equal(t[2]->ms, 300);
	assert_false(calx_object_is_expired(fx->s, t[2]));
	assert_ok(fx->s, calx_session_commit(fx->s));  /* expires them */
	struct q_track *again;
	assert_ok(fx->s, q_track_get(fx->s, t[2]->id, &again));
	assert_int_equal(again->ms, 7);
}

static void delete_takes_objects_out_of_the_identity_map(void **state)
{
	fixture *fx = *state;
	for (int sync = CALX_SYNC_EVALUATE; sync <= CALX_SYNC_FETCH; sync++) {
		struct q_track *t[4];
		if (sync == CALX_SYNC_EVALUATE) {
			load_tracks(fx, t);
		} else {
			/* the two left: c and d */
			calx_select *q = calx_select_new(fx->s, &q_track_mapper);
			calx_order_by(q, Q_TRACK_MS, CALX_ASC);
			void **r;
			size_t n;
			assert_ok(fx->s, calx_select_all(q, &r, &n));
			assert_int_equal(n, 2);
			t[2] = r[0];
			t[3] = r[1];
			calx_select_free(q);
		}
		int64_t gone_id = sync == CALX_SYNC_EVALUATE ? t[0]->id : t[3]->id;
		calx_delete *d = calx_delete_new(fx->s, &q_track_mapper);
		if (sync == CALX_SYNC_EVALUATE)
			calx_delete_where(d, calx_le(Q_TRACK_MS, 200));
		else
			calx_delete_where(d, calx_cmp(CALX_OP_GT, calx_mul(calx_col(Q_TRACK_MS), calx_lit(2)), calx_lit(700)));
		uint64_t rows = 0;
		assert_ok(fx->s, calx_delete_run(d, (calx_sync)sync, &rows));
		calx_delete_free(d);
		assert_int_equal(rows, sync == CALX_SYNC_EVALUATE ? 2 : 1);
		/* not in the map: a get asks the database, which has no such row */
		struct q_track *got;
		assert_calx(fx->s, q_track_get(fx->s, gone_id, &got), CALX_ENOTFOUND);
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(committed(fx), "c:300");
}

static void rollback_restores_what_was_synchronised(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_eq(Q_TRACK_NAME, "b"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_EVALUATE, NULL));
	calx_update_free(u);
	calx_delete *d = calx_delete_new(fx->s, &q_track_mapper);
	calx_delete_where(d, calx_eq(Q_TRACK_NAME, "c"));
	assert_ok(fx->s, calx_delete_run(d, CALX_SYNC_FETCH, NULL));
	calx_delete_free(d);
	assert_int_equal(t[1]->ms, 1);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(t[1]->ms, 200);
	/* the deleted one is the session's object again, under its key */
	struct q_track *got;
	assert_ok(fx->s, q_track_get(fx->s, t[2]->id, &got));
	assert_ptr_equal(got, t[2]);
	assert_string_equal(got->name, "c");
	assert_string_equal(committed(fx), "a:100,b:200,c:300,d:400");
}

static void a_savepoint_rolls_back_to_what_it_found(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	assert_ok(fx->s, calx_session_begin_nested(fx->s));
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_eq(Q_TRACK_NAME, "a"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(5));
	assert_ok(fx->s, calx_update_run(u, CALX_SYNC_EVALUATE, NULL));
	calx_update_free(u);
	calx_delete *d = calx_delete_new(fx->s, &q_track_mapper);
	calx_delete_where(d, calx_eq(Q_TRACK_NAME, "d"));
	assert_ok(fx->s, calx_delete_run(d, CALX_SYNC_EVALUATE, NULL));
	calx_delete_free(d);
	assert_int_equal(t[0]->ms, 5);
	assert_true(calx_object_is_expired(fx->s, t[3]));     /* in a savepoint: expired, not yet out of the map */
	assert_ok(fx->s, calx_session_rollback_nested(fx->s));
	assert_int_equal(t[0]->ms, 100);
	struct q_track *got;
	assert_ok(fx->s, q_track_get(fx->s, t[3]->id, &got));
	assert_ptr_equal(got, t[3]);
	assert_int_equal(got->ms, 400);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(committed(fx), "a:100,b:200,c:300,d:400");
}

static void refused(fixture *fx, calx_update *u, calx_sync sync, int want, const char *text)
{
	uint64_t before = fixture_statements(fx->s);
	assert_calx(fx->s, calx_update_run(u, sync, NULL), want);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
	assert_int_equal(fixture_statements(fx->s) - before, 0);
	calx_update_free(u);
}

static void bulk_statements_refuse_before_sending(void **state)
{
	fixture *fx = *state;
	struct q_track *t[4];
	load_tracks(fx, t);
	calx_update *u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_like(Q_TRACK_NAME, "a%"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	refused(fx, u, CALX_SYNC_EVALUATE, CALX_EINVAL, "cannot be evaluated in C (LIKE / ILIKE)");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_gt(Q_TRACK_NAME, "b"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	refused(fx, u, CALX_SYNC_EVALUATE, CALX_EINVAL, "order comparison of text");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_cmp(CALX_OP_GT, calx_add(calx_col(Q_TRACK_MS), calx_lit(1)), calx_lit(5)));
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	refused(fx, u, CALX_SYNC_EVALUATE, CALX_EINVAL, "arithmetic");

	u = calx_update_new(fx->s, &q_track_mapper);
	refused(fx, u, CALX_SYNC_NONE, CALX_EINVAL, "it sets nothing");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_set(u, Q_TRACK_ID, calx_lit(77));
	refused(fx, u, CALX_SYNC_FETCH, CALX_EINVAL, "a new primary key (id)");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_set(u, Q_TRACK_MS, calx_lit("long"));
	refused(fx, u, CALX_SYNC_NONE, CALX_ETYPE, "the value of ms");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_set(u, Q_ALBUM_TITLE, calx_lit("x"));
	refused(fx, u, CALX_SYNC_NONE, CALX_EINVAL, "a column of another table");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_where(u, calx_eq(Q_ALBUM_TITLE, "x"));
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	refused(fx, u, CALX_SYNC_NONE, CALX_EINVAL, "q_album");

	u = calx_update_new(fx->s, &q_track_mapper);
	calx_update_set(u, Q_TRACK_MS, calx_lit(1));
	refused(fx, u, (calx_sync)9, CALX_EINVAL, "none of CALX_SYNC_NONE");

	calx_delete *d = calx_delete_new(fx->s, &q_track_mapper);
	calx_update_set(d, Q_TRACK_MS, calx_lit(1));
	refused(fx, d, CALX_SYNC_NONE, CALX_EINVAL, "calx_update_set on a delete");

	/* run once */
	d = calx_delete_new(fx->s, &q_track_mapper);
	calx_delete_where(d, calx_eq(Q_TRACK_NAME, "nothing"));
	uint64_t rows = 9;
	assert_ok(fx->s, calx_delete_run(d, CALX_SYNC_EVALUATE, &rows));
	assert_int_equal(rows, 0);
	assert_calx(fx->s, calx_delete_run(d, CALX_SYNC_EVALUATE, &rows), CALX_ESTATE);
	calx_delete_free(d);
	/* nothing changed: the objects and the rows */
	assert_int_equal(t[0]->ms, 100);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(committed(fx), "a:100,b:200,c:300,d:400");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(update_evaluate_changes_the_objects_in_memory, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(update_fetch_and_expressions, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(update_none_leaves_the_session_alone, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(delete_takes_objects_out_of_the_identity_map, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rollback_restores_what_was_synchronised, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_savepoint_rolls_back_to_what_it_found, bulk_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(bulk_statements_refuse_before_sending, bulk_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("bulk", tests);
}
