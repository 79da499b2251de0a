/*
 * Selects read row by row (orm/loading/select_stream.c), on SQLite and
 * PostgreSQL: on PostgreSQL through a server-side cursor, n rows a FETCH,
 * counted with calx_session_counters; on SQLite one statement stepped.
 * 2,500 users read 1,000 at a time; gets and whole selects between the
 * FETCHes; two streams at once; a stream freed half way (its cursor
 * closed, the slot used again); calx_select_all and a limit within one
 * batch as one statement; calx_select_yield_per refused at 0.
 */
#include <stdio.h>
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
	/* PostgreSQL: DECLARE, FETCH 1,000 three times (the third brings 500: no more), CLOSE */
	assert_int_equal(fixture_statements(fx->s) - before, ON_POSTGRESQL(fx) ? 1 + 3 + 1 : 1);
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
	assert_int_equal(fixture_statements(fx->s) - before, ON_POSTGRESQL(fx) ? 1 + 4 + 1 : 1);
	calx_select_free(q);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_come_a_batch_at_a_time, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(other_statements_run_between_the_batches, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(two_streams_at_once, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_stream_freed_half_way_closes_its_cursor, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(whole_reads_take_one_statement, stream_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_stream_ends_with_its_transaction, stream_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_stream", tests);
}
