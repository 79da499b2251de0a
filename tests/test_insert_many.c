/*
 * INSERT of many rows from an array of structs (calx_insert_many,
 * calx/bulk.h), on SQLite and PostgreSQL: 2,500 users (more than one
 * statement's worth on PostgreSQL) with their keys and server defaults
 * written back, rows of other shapes in between (a key given, a server
 * default given); nothing written without CALX_INSERT_RETURNING; the rows
 * outside the identity map; the sequence moved past a key given; and
 * failures: a malformed value refused before anything is sent, a
 * duplicate and a check refused by the server, each leaving the table as
 * it was and the transaction usable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

#define N 2500

static struct user *make_users(size_t n, const char *prefix)
{
	struct user *u = calloc(n, sizeof *u);
	assert_non_null(u);
	for (size_t i = 0; i < n; i++) {
		snprintf(u[i].name, sizeof u[i].name, "%.4s%u", prefix, (unsigned)(i % 100000));
		u[i].age = (int32_t)(i % 90);
		u[i].score = (double)i / 4;
		u[i].active = i % 2;
		u[i].color = COLOR_BLUE;
		u[i].note = i % 3 ? "n" : NULL;
	}
	return u;
}

static void rows_get_keys_and_server_defaults_back(void **state)
{
	fixture *fx = *state;
	struct user *u = make_users(N, "u");
	/* other shapes in between: a server default given, a key given */
	u[10].created = (calx_opt_int64){ 7, true };
	u[2000].id = 900000;
	uint64_t n = 0, before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_insert_many(fx->s, &user_mapper, u, N, CALX_INSERT_RETURNING, &n));
	assert_int_equal(n, N);
	uint64_t sent = fixture_statements(fx->s) - before;
	print_message("insert many: %zu rows in %llu statements\n", (size_t)N, (unsigned long long)sent);
	/*
	 * PostgreSQL: BEGIN, SAVEPOINT; five runs of one shape, rows 0-9, 10,
	 * 11-1999, 2000 (its key given) and 2001-2499, each its keys reserved
	 * but the fourth, then one statement of one array a column for each
	 * 1,000 rows (1 + 1 + 2 + 1 + 1); the sequence moved past the key
	 * given; RELEASE
	 */
	if (ON_POSTGRESQL(fx))
		assert_int_equal(sent, 2 + 4 + 6 + 1 + 1);
	assert_int_equal(u[2000].id, 900000);
	for (size_t i = 0; i < N; i++) {
		assert_true(u[i].id > 0);
		if (i)
			assert_true(u[i].id != u[i - 1].id);
		assert_true(u[i].created.has_value);
		assert_int_equal(u[i].created.value, i == 10 ? 7 : 42);
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), N);
	/* the rows are the database's, not the session's: a get loads another object, with the row's values */
	void *got;
	assert_ok(fx->s, calx_session_get(fx->s, &user_mapper, calx_value_int(u[1234].id), &got));
	struct user *g = got;
	assert_ptr_not_equal(g, &u[1234]);
	assert_string_equal(g->name, "u1234");
	assert_int_equal(g->age, 1234 % 90);
	assert_true(g->score == 1234.0 / 4);
	assert_string_equal(g->note, "n");
	assert_true(g->created.has_value && g->created.value == 42);
	/* the key given moved the sequence past it: the next insert does not collide */
	struct user *next = user_new(fx->s, .name = "after", .age = 1);
	assert_ok(fx->s, calx_session_add(fx->s, next));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(next->id > 900000 || ON_SQLITE(fx));
	assert_true(next->id > 0);
	free(u);
}

static void without_returning_nothing_is_written_back(void **state)
{
	fixture *fx = *state;
	struct user *u = make_users(300, "w");
	assert_ok(fx->s, calx_insert_many(fx->s, &user_mapper, u, 300, 0, NULL));
	for (size_t i = 0; i < 300; i++)
		assert_true(u[i].id == 0 && !u[i].created.has_value);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 300);
	/* an empty array is nothing to do */
	assert_ok(fx->s, calx_insert_many(fx->s, &user_mapper, NULL, 0, 0, NULL));
	free(u);
}

static void failures_leave_the_table_as_it_was(void **state)
{
	fixture *fx = *state;
	struct user *u = make_users(N, "f");
	/* a row the flush would refuse: refused before anything is sent */
	u[3].note = "\xff";
	uint64_t before = fixture_statements(fx->s), n = 1;
	assert_calx(fx->s, calx_insert_many(fx->s, &user_mapper, u, N, CALX_INSERT_RETURNING, &n), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "row 4 of 2500"));
	assert_int_equal(n, 0);
	assert_int_equal(fixture_statements(fx->s), before);
	u[3].note = NULL;
	memset(u[5].name, 'x', sizeof u[5].name);      /* no NUL in char[16] */
	assert_true(calx_insert_many(fx->s, &user_mapper, u, N, 0, NULL) != CALX_OK);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "row 6 of 2500"));
	assert_int_equal(fixture_statements(fx->s), before);
	snprintf(u[5].name, sizeof u[5].name, "f5");
	/* a duplicate name late in the array: the server refuses it, every row of the call goes */
	snprintf(u[2400].name, sizeof u[2400].name, "f7");
	int rc = calx_insert_many(fx->s, &user_mapper, u, N, CALX_INSERT_RETURNING, NULL);
	assert_true(rc != CALX_OK);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "insert many user"));
	for (size_t i = 0; i < N; i++)
		assert_true(u[i].id == 0 && !u[i].created.has_value);
	assert_int_equal(count_rows(fx, &user_mapper), 0);
	/* a check (age >= 0) */
	snprintf(u[2400].name, sizeof u[2400].name, "f2400");
	u[17].age = -1;
	assert_true(calx_insert_many(fx->s, &user_mapper, u, N, 0, NULL) != CALX_OK);
	/* the transaction is still usable: the same rows, fixed, go in and commit */
	u[17].age = 17;
	assert_ok(fx->s, calx_insert_many(fx->s, &user_mapper, u, N, CALX_INSERT_RETURNING, NULL));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), N);
	/* refusals */
	assert_calx(fx->s, calx_insert_many(fx->s, &user_mapper, NULL, 3, 0, NULL), CALX_EINVAL);
	assert_calx(fx->s, calx_insert_many(fx->s, &user_mapper, u, 3, 8, NULL), CALX_EINVAL);
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_get_keys_and_server_defaults_back, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(without_returning_nothing_is_written_back, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(failures_leave_the_table_as_it_was, fixture_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("insert_many", tests);
}
