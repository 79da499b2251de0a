/*
 * Selects read row by row (orm/loading/select_stream.c), on SQLite and
 * PostgreSQL: on PostgreSQL through a server-side cursor, n rows a FETCH,
 * counted with calx_session_counters; on SQLite one statement stepped.
 * 2,500 users read 1,000 at a time; gets and whole selects between the
 * FETCHes; two streams at once; a stream freed half way (its cursor
 * closed, the slot used again); calx_select_all and a limit within one
 * batch as one statement; on PostgreSQL a short select read row by row
 * in one round trip, its cursor closed with the next one's DECLARE, and
 * such cursors across a savepoint rolled back; chunks of 1,000 rows
 * read in one FETCH each (the default batch is 1,001); calx_select_yield_per
 * refused at 0; objects
 * let go as the loop moves on (calx_select_release_passed), the library's
 * peak heap a fraction of holding them, changed, deleted and kept objects
 * staying.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

enum { USERS = 2500 };

static int stream_setup(void **state)
{
	if (fixture_setup(state) != 0)
		return -1;
	fixture *fx = *state;
	for (int i = 0; i < USERS; i++) {
		struct user *u = user_new(fx->s, .name = "", .age = i);
		if (!u)
			return -1;
		snprintf(u->name, sizeof u->name, "u%04d", i);
		if (calx_session_add(fx->s, u) != CALX_OK)
			return -1;
	}
	if (calx_session_commit(fx->s) != CALX_OK)
		return -1;
	/* a transaction begun by a get that finds nothing: the counts below are the selects' own */
	struct user *none;
	return user_get(fx->s, -1, &none) == CALX_ENOTFOUND ? 0 : -1;
}

static calx_select *users_by_age(fixture *fx, size_t per)
{
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_non_null(q);
	calx_order_by(q, USER_AGE, CALX_ASC);
	if (per)
		calx_select_yield_per(q, per);
	return q;
}

static void rows_come_a_batch_at_a_time(void **state)
{
	fixture *fx = *state;
	calx_select *q = users_by_age(fx, 1000);
	uint64_t before = fixture_statements(fx->s);
	struct user *u;
	int rc, n = 0;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		assert_int_equal(u->age, n);
		n++;
	}
	assert_calx(fx->s, rc, CALX_DONE);
	assert_int_equal(n, USERS);
	/*
	 * PostgreSQL: DECLARE, FETCH 1,000 three times (the third brings 500:
	 * no more), the DECLARE with the first FETCH in one round trip; the
	 * cursor read to its end is closed with the next DECLARE of its slot
	 */
	assert_int_equal(fixture_statements(fx->s) - before, ON_POSTGRESQL(fx) ? 1 + 3 : 1);
	calx_select_free(q);
	/* rows of values stream too */
	q = users_by_age(fx, 700);
	const calx_field_desc *cols[] = { calx_field(USER_NAME) };
	assert_ok(fx->s, calx_select_columns(q, cols, 1));
	calx_value v;
	n = 0;
	before = fixture_statements(fx->s);
	while ((rc = calx_select_next_values(q, &v)) == CALX_ROW) {
		char want[16];
		snprintf(want, sizeof want, "u%04d", n++);
		assert_int_equal(v.u.s.n, 5);
		assert_memory_equal(v.u.s.p, want, 5);
	}
	assert_calx(fx->s, rc, CALX_DONE);
	assert_int_equal(n, USERS);
	/* the first cursor's CLOSE with this one's DECLARE and first FETCH, then three FETCHes */
	assert_int_equal(fixture_statements(fx->s) - before, ON_POSTGRESQL(fx) ? 1 + 1 + 4 : 1);
	calx_select_free(q);
}

/*
 * The default batch is 1,001 rows: a loop's chunk is a round number, and
 * a chunk of 1,000 rows then ends within its first FETCH instead of a
 * second, empty one (a round trip for nothing on every chunk).
 */
static void a_chunk_of_a_thousand_ends_in_its_first_fetch(void **state)
{
	fixture *fx = *state;
	for (int from = 0; from < USERS; from += 1000) {
		calx_select *q = calx_select_new(fx->s, &user_mapper);
		assert_non_null(q);
		calx_where(q, calx_and(calx_ge(USER_AGE, from), calx_lt(USER_AGE, from + 1000)));
		uint64_t st0, rt0, st1, rt1;
		calx_session_counters(fx->s, &st0, &rt0);
		struct user *u;
		int rc, n = 0;
		while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW)
			n++;
		assert_calx(fx->s, rc, CALX_DONE);
		calx_session_counters(fx->s, &st1, &rt1);
		assert_int_equal(n, from + 1000 <= USERS ? 1000 : USERS - from);
		/*
		 * PostgreSQL: the previous chunk's CLOSE, the DECLARE and the only
		 * FETCH, in one round trip (the first chunk prepares the DECLARE
		 * and the FETCH, the second the CLOSE)
		 */
		assert_int_equal(st1 - st0, ON_POSTGRESQL(fx) ? (from ? 3 : 2) : 1);
		if (from >= 2000)
			assert_int_equal(rt1 - rt0, 1);
		calx_select_free(q);
	}
}

static void other_statements_run_between_the_batches(void **state)
{
	fixture *fx = *state;
	calx_select *q = users_by_age(fx, 100);
	struct user *u, *other;
	int rc, n = 0;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		if (n % 250 == 0) {
			assert_ok(fx->s, user_get(fx->s, USERS - n, &other));     /* a get between FETCHes */
			calx_select *few = calx_select_new(fx->s, &address_mapper);
			void **rows;
			size_t k;
			assert_ok(fx->s, calx_select_all(few, &rows, &k));
			calx_select_free(few);
		}
		n++;
	}
	assert_calx(fx->s, rc, CALX_DONE);
	assert_int_equal(n, USERS);
	calx_select_free(q);
}

static void two_streams_at_once(void **state)
{
	fixture *fx = *state;
	calx_select *a = users_by_age(fx, 10), *b = users_by_age(fx, 10);
	calx_where(a, calx_lt(USER_AGE, 100));
	calx_where(b, calx_ge(USER_AGE, 2400));
	struct user *x, *y;
	for (int i = 0; i < 100; i++) {
		assert_calx(fx->s, calx_select_next(a, (void **)&x), CALX_ROW);
		assert_calx(fx->s, calx_select_next(b, (void **)&y), CALX_ROW);
		assert_int_equal(x->age, i);
		assert_int_equal(y->age, 2400 + i);
	}
	assert_calx(fx->s, calx_select_next(a, (void **)&x), CALX_DONE);
	assert_calx(fx->s, calx_select_next(b, (void **)&y), CALX_DONE);
	calx_select_free(a);
	calx_select_free(b);
}

static void a_stream_freed_half_way_closes_its_cursor(void **state)
{
	fixture *fx = *state;
	for (int round = 0; round < 3; round++) {
		calx_select *q = users_by_age(fx, 10);
		struct user *u;
		uint64_t before = fixture_statements(fx->s);
		for (int i = 0; i < 25; i++)
			assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_ROW);
		calx_select_free(q);
		/* DECLARE, three FETCHes of 10, CLOSE: the next round's DECLARE takes the same name */
		assert_int_equal(fixture_statements(fx->s) - before, ON_POSTGRESQL(fx) ? 1 + 3 + 1 : 1);
	}
}

static void whole_reads_take_one_statement(void **state)
{
	fixture *fx = *state;
	calx_select *q = users_by_age(fx, 10);
	void **rows;
	size_t n;
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, USERS);
	assert_int_equal(fixture_statements(fx->s) - before, 1);
	calx_select_free(q);
	/* a limit within one batch */
	q = users_by_age(fx, 0);
	calx_limit(q, 50);
	struct user *u;
	before = fixture_statements(fx->s);
	int k = 0;
	while (calx_select_next(q, (void **)&u) == CALX_ROW)
		k++;
	assert_int_equal(k, 50);
	assert_int_equal(fixture_statements(fx->s) - before, 1);
	calx_select_free(q);
	q = users_by_age(fx, 0);
	calx_select_yield_per(q, 0);
	assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_EINVAL);
	calx_select_free(q);
}

static void a_stream_ends_with_its_transaction(void **state)
{
	fixture *fx = *state;
	calx_select *q = users_by_age(fx, 10);
	struct user *u;
	for (int i = 0; i < 10; i++)
		assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_ROW);
	assert_ok(fx->s, calx_session_commit(fx->s));
	if (ON_POSTGRESQL(fx)) {
		/* the next batch would come from a cursor the commit closed: a status that says so */
		assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_ESTATE);
		assert_non_null(strstr(calx_session_errmsg(fx->s), "a transaction that has ended"));
	}
	calx_select_free(q);
	/* the session goes on, and a new stream works */
	q = users_by_age(fx, 10);
	assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_ROW);
	assert_int_equal(u->age, 0);
	calx_select_free(q);
}

/*
 * A select of a few rows read row by row, again and again (a report): on
 * PostgreSQL one round trip each once its statements are prepared (the
 * first round prepares them), the last one's CLOSE, this one's DECLARE and
 * its only FETCH; the rows right each time.
 */
static void a_short_stream_is_one_round_trip(void **state)
{
	fixture *fx = *state;
	for (int round = 0; round < 4; round++) {
		calx_select *q = users_by_age(fx, 0);
		calx_where(q, calx_ge(USER_AGE, 100 * round));
		calx_where(q, calx_lt(USER_AGE, 100 * round + 7));
		uint64_t statements, trips, s0, t0;
		calx_session_counters(fx->s, &s0, &t0);
		struct user *u;
		int rc, n = 0;
		while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW)
			assert_int_equal(u->age, 100 * round + n++);
		assert_calx(fx->s, rc, CALX_DONE);
		assert_int_equal(n, 7);
		calx_session_counters(fx->s, &statements, &trips);
		if (round >= 2)         /* the first prepares DECLARE and FETCH, the second CLOSE */
			assert_int_equal(trips - t0, 1);
		assert_int_equal(statements - s0, ON_POSTGRESQL(fx) ? (round ? 3 : 2) : 1);
		calx_select_free(q);
	}
}

/* Read a short select of ages below k to its end: k rows, in order. */
static void short_stream(fixture *fx, int k)
{
	calx_select *q = users_by_age(fx, 0);
	calx_where(q, calx_lt(USER_AGE, k));
	struct user *u;
	int rc, n = 0;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW)
		assert_int_equal(u->age, n++);
	assert_calx(fx->s, rc, CALX_DONE);
	assert_int_equal(n, k);
	calx_select_free(q);
}

/*
 * A cursor read to its end waits for its CLOSE; a ROLLBACK TO would end
 * those declared after the savepoint and keep the others, so the waiting
 * ones are closed before it. Seventy rounds of a savepoint, a short select
 * and a rollback in one transaction (more than the 64 cursor slots), one
 * round whose statement fails inside the savepoint (the CLOSE cannot run
 * then: that slot waits for the transaction's end), and the selects after
 * each, right.
 */
static void savepoints_and_cursors_waiting_to_close(void **state)
{
	fixture *fx = *state;
	short_stream(fx, 3);                    /* waits to close, declared before the savepoints */
	for (int round = 0; round < 70; round++) {
		assert_ok(fx->s, calx_session_begin_nested(fx->s));
		short_stream(fx, 3);
		if (round == 35) {
			calx_text_query *t = calx_text(fx->s, "SELECT * FROM calx_no_such_table");
			assert_non_null(t);
			uint64_t rows;
			assert_true(calx_text_exec(t, &rows) != CALX_OK);
			calx_text_free(t);
		}
		assert_ok(fx->s, calx_session_rollback_nested(fx->s));
		short_stream(fx, 5);
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	short_stream(fx, 2);
}

/* The library's live heap bytes, through its allocator hook (calx/alloc.h). */
typedef struct counted {
	size_t live, peak;
} counted;

#define COUNT_HDR 16

static void *counting_alloc(void *payload, void *ptr, size_t size)
{
	counted *c = payload;
	size_t old = 0;
	unsigned char *base = NULL;
	if (ptr) {
		base = (unsigned char *)ptr - COUNT_HDR;
		memcpy(&old, base, sizeof old);
	}
	if (size == 0) {
		free(base);
		c->live -= old;
		return NULL;
	}
	unsigned char *p = realloc(base, size + COUNT_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof size);
	c->live = c->live - old + size;
	if (c->live > c->peak)
		c->peak = c->live;
	return p + COUNT_HDR;
}

/* Peak live bytes of a session streaming every user, let go (release) or held; the rows' check in *sum. */
static size_t stream_peak(fixture *fx, bool release, long *sum)
{
	static counted cnt;
	char url[600];
	if (ON_SQLITE(fx))
		snprintf(url, sizeof url, "sqlite:%s", fx->path);
	else
		snprintf(url, sizeof url, "%s", getenv("CALX_TEST_POSTGRESQL_URL"));
	/* an engine, registry and session of their own, under the counting hook from the start */
	cnt = (counted){ 0, 0 };
	calx_set_allocator(counting_alloc, &cnt);
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&s, eng, reg), CALX_OK);
	size_t base = cnt.live;
	cnt.peak = base;
	calx_select *q = calx_select_new(s, &user_mapper);
	assert_non_null(q);
	/* yield_per lets go by itself (SQLAlchemy's weak identity map); hold_passed keeps everything */
	calx_select_yield_per(q, 100);
	if (!release)
		assert_ok(s, calx_select_hold_passed(q));
	struct user *u;
	int rc;
	*sum = 0;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW)
		*sum += u->age + (long)strlen(u->name);
	assert_calx(s, rc, CALX_DONE);
	assert_int_equal(calx_select_released(q), release ? USERS : 0);
	calx_select_free(q);
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);
	calx_set_allocator(NULL, NULL);
	assert_int_equal(cnt.live, 0);
	return cnt.peak - base;
}

static void objects_let_go_keep_memory_bounded(void **state)
{
	fixture *fx = *state;
	long held_sum, let_go_sum;
	size_t held = stream_peak(fx, false, &held_sum), let_go = stream_peak(fx, true, &let_go_sum);
	print_message("streaming %d users: peak %zu bytes held, %zu let go 100 at a time\n", USERS, held, let_go);
	assert_int_equal(held_sum, let_go_sum);
	/* 2,500 objects against about one batch of 100 (plus the statement, the caches and the cursor's rows) */
	assert_true(let_go * 3 < held);
}

static void hold_passed_is_refused_once_running(void **state)
{
	fixture *fx = *state;
	/* a session of its own: the fixture's holds every user already, and those are never let go */
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &user_mapper);
	calx_select_yield_per(q, 100);
	struct user *u;
	assert_calx(s, calx_select_next(q, (void **)&u), CALX_ROW);
	assert_calx(s, calx_select_hold_passed(q), CALX_EINVAL);
	/* the stream goes on letting go, a batch of 100 at a time */
	int rc, n = 1;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW)
		n++;
	assert_calx(s, rc, CALX_DONE);
	assert_int_equal(n, USERS);
	assert_int_equal(calx_select_released(q), USERS);
	calx_select_free(q);
	calx_session_free(s);
}

/* A stream of every user in s, ordered by col, per rows a batch, letting passed objects go. */
static calx_select *users_streamed(calx_session *s, const calx_field_desc *col, size_t per)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	assert_non_null(q);
	calx_order_by(q, col, CALX_ASC);
	calx_select_yield_per(q, per);
	calx_select_release_passed(q);
	return q;
}

static void changed_deleted_and_kept_objects_stay(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	calx_select *q = users_streamed(s, calx_field(USER_AGE), 1000);
	struct user *u, *changed = NULL, *kept = NULL, *gone = NULL;
	int64_t passed_id = 0;
	int rc;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		if (u->age == 10) {
			u->score = 99;
			changed = u;
		} else if (u->age == 20) {
			assert_ok(s, calx_select_keep(q, u));
			kept = u;
		} else if (u->age == 1500) {
			assert_ok(s, calx_session_delete(s, u));
			gone = u;
		} else if (u->age == 5) {
			passed_id = u->id;
		}
	}
	assert_calx(s, rc, CALX_DONE);
	assert_int_equal(calx_select_released(q), USERS - 3);
	calx_select_free(q);
	/* what stayed is the session's, as it was */
	assert_string_equal(kept->name, "u0020");
	void *again;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_get(s, &user_mapper, calx_value_int(kept->id), &again));
	assert_ptr_equal(again, kept);
	assert_int_equal(fixture_statements(s), before);
	/* one let go is not: a get loads the row again */
	assert_ok(s, calx_session_get(s, &user_mapper, calx_value_int(passed_id), &again));
	assert_int_equal(((struct user *)again)->age, 5);
	assert_true(fixture_statements(s) > before);
	/* the change and the delete are written by the commit */
	assert_ok(s, calx_session_commit(s));
	calx_session *check = fixture_session(fx);
	struct user *c;
	assert_ok(check, user_get(check, changed->id, &c));
	assert_true(c->score == 99);
	assert_calx(check, user_get(check, gone->id, &c), CALX_ENOTFOUND);
	calx_session_free(check);
	calx_session_free(s);
	/* asked after the select ran */
	q = calx_select_new(fx->s, &user_mapper);
	assert_calx(fx->s, calx_select_next(q, (void **)&u), CALX_ROW);
	calx_select_release_passed(q);
	calx_select_free(q);
}

/* A session that only streams: each batch leaves the identity map whole, and the next one is found in it. */
static void a_stream_alone_leaves_the_map_a_batch_at_a_time(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	calx_select *q = users_streamed(s, calx_field(USER_ID), 100);
	struct user *u, *again;
	int64_t first_id = 0;
	int first_age = -1, rc, n = 0;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		if (!n++) {
			first_id = u->id;
			first_age = u->age;
		}
		if (n % 37 == 0) {
			/* the current batch is in the map, after the batches before it left */
			uint64_t before = fixture_statements(s);
			assert_ok(s, user_get(s, u->id, &again));
			assert_ptr_equal(again, u);
			assert_int_equal(fixture_statements(s), before);
		}
	}
	assert_calx(s, rc, CALX_DONE);
	assert_int_equal(n, USERS);
	assert_int_equal(calx_select_released(q), USERS);
	calx_select_free(q);
	/* the first batch's object is gone: a get loads its row again */
	uint64_t before = fixture_statements(s);
	assert_ok(s, user_get(s, first_id, &again));
	assert_int_equal(again->age, first_age);
	assert_true(fixture_statements(s) > before);
	assert_ok(s, user_get(s, first_id, &u));
	assert_ptr_equal(u, again);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_come_a_batch_at_a_time, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_chunk_of_a_thousand_ends_in_its_first_fetch, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(other_statements_run_between_the_batches, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(two_streams_at_once, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_stream_freed_half_way_closes_its_cursor, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(whole_reads_take_one_statement, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_stream_ends_with_its_transaction, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_short_stream_is_one_round_trip, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(savepoints_and_cursors_waiting_to_close, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(objects_let_go_keep_memory_bounded, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(hold_passed_is_refused_once_running, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(changed_deleted_and_kept_objects_stay, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_stream_alone_leaves_the_map_a_batch_at_a_time, stream_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_stream", tests);
}
