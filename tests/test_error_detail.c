/*
 * Errors a program can act on (calx/errors.h), on SQLite and PostgreSQL:
 * the driver's code, its name, the constraint, table, column and
 * statement of a failure; on SQLite, which foreign key of a row has no
 * parent row; the original error quoted, whole, by every
 * refusal of a session that must be rolled back; a hint at
 * calx_create_all for a missing table; SQLite's code and errno for a file
 * that cannot be opened; nothing from the driver for a value calx refused
 * itself.
 */
#include <errno.h>
#include <string.h>
#include "helpers.h"

static void a_unique_violation_says_where(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	assert_ok(s, calx_session_add(s, user_new(s, .name = "dup")));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, calx_session_add(s, user_new(s, .name = "dup")));
	assert_calx(s, calx_session_commit(s), CALX_EUNIQUE);
	const calx_driver_error *d = calx_session_error_detail(s);
	if (ON_SQLITE(fx)) {
		assert_string_equal(d->code, "SQLITE_CONSTRAINT_UNIQUE");
		assert_int_equal(d->number, 2067);
		assert_string_equal(d->table, "users");
		assert_string_equal(d->column, "name");
	} else {
		assert_string_equal(d->code, "23505");
		assert_int_equal(d->number, 0);
		assert_string_equal(d->constraint, "uq_users_name");
		assert_string_equal(d->table, "users");
	}
	assert_non_null(strstr(d->statement, "INSERT INTO"));
	assert_non_null(strstr(calx_session_errmsg(s), "flush: insert into"));

	/* refused again and again: each time the flush's own error, whole, and its detail */
	const char *cause = BY_DIALECT(fx, "UNIQUE constraint failed: users.name", "duplicate key value");
	for (int i = 0; i < 3; i++) {
		assert_calx(s, calx_session_add(s, user_new(s, .name = "later")), CALX_ESTATE);
		assert_non_null(strstr(calx_session_errmsg(s), "call calx_session_rollback() first"));
		if (!strstr(calx_session_errmsg(s), cause))
			fail_msg("refusal %d lost the cause: %s", i, calx_session_errmsg(s));
		assert_non_null(strstr(calx_session_errmsg(s), "flush: insert into"));
		assert_null(strstr(calx_session_errmsg(s), "call calx_session_rollback() first (the flush failed with: "
		                                           "this session"));
		assert_string_equal(calx_session_error_detail(s)->code, BY_DIALECT(fx, "SQLITE_CONSTRAINT_UNIQUE", "23505"));
	}
	assert_ok(s, calx_session_rollback(s));
}

static void a_check_violation_names_its_constraint(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	assert_ok(s, calx_session_add(s, user_new(s, .name = "neg", .age = -1)));
	assert_calx(s, calx_session_commit(s), CALX_ECHECK);
	const calx_driver_error *d = calx_session_error_detail(s);
	assert_string_equal(d->constraint, "ck_users_age");
	assert_string_equal(d->code, BY_DIALECT(fx, "SQLITE_CONSTRAINT_CHECK", "23514"));
	assert_ok(s, calx_session_rollback(s));
}

/* SQLite says only "FOREIGN KEY constraint failed": calx finds which key of the row has no parent. */
static void a_foreign_key_failure_names_the_key(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct user *u = user_new(s, .name = "has");
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, calx_session_add(s, address_new(s, .user_id = u->id, .street = "kept")));
	assert_ok(s, calx_session_add(s, address_new(s, .user_id = 999, .street = "orphan")));
	assert_calx(s, calx_session_commit(s), CALX_EFOREIGNKEY);
	const calx_driver_error *d = calx_session_error_detail(s);
	assert_string_equal(d->constraint, "fk_addresses_user_id_users");
	assert_string_equal(d->table, "addresses");
	if (ON_SQLITE(fx)) {
		assert_string_equal(d->column, "user_id");
		assert_non_null(strstr(calx_session_errmsg(s),
		                       "foreign key \"fk_addresses_user_id_users\": user_id = (999) has no row in \"users\""));
		assert_non_null(strstr(calx_session_errmsg(s), "(row 2 of 2)"));
	}
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(count_rows(fx, &address_mapper), 0);
}

static void what_calx_refuses_itself_has_no_driver_detail(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	void *x;
	calx_select *q = calx_select_new(s, &user_mapper);
	calx_where(q, calx_eq(USER_AGE, (int64_t)5000000000));
	assert_calx(s, calx_select_next(q, &x), CALX_ERANGE);
	calx_select_free(q);
	const calx_driver_error *d = calx_session_error_detail(s);
	assert_string_equal(d->code, "");
	assert_string_equal(d->statement, "");
	assert_int_equal(d->number, 0);
	assert_non_null(calx_session_error_detail(NULL));
	assert_non_null(calx_engine_error_detail(NULL));
}

static void a_missing_table_points_at_create_all(void **state)
{
	fixture *fx = *state;
	assert_int_not_equal(calx_engine_exec(fx->eng, "SELECT 1 FROM calx_no_such_table"), CALX_OK);
	assert_non_null(strstr(calx_engine_errmsg(fx->eng), "calx_create_all"));
	assert_string_equal(calx_engine_error_detail(fx->eng)->code, BY_DIALECT(fx, "SQLITE_ERROR", "42P01"));
}

static void a_file_that_cannot_be_opened_says_why(void **state)
{
	fixture *fx = *state;
	if (!ON_SQLITE(fx))
		skip();
	calx_engine *eng;
	assert_int_not_equal(calx_engine_open(&eng, "sqlite:/calx-no-such-directory/app.db"), CALX_OK);
	assert_non_null(eng);
	const calx_driver_error *d = calx_engine_error_detail(eng);
	assert_string_equal(d->code, "SQLITE_CANTOPEN");
	assert_int_equal(d->number & 0xff, 14);
	assert_int_equal(d->sys_errno, ENOENT);
	assert_non_null(strstr(calx_engine_errmsg(eng), strerror(ENOENT)));
	calx_engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_unique_violation_says_where, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_check_violation_names_its_constraint, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_foreign_key_failure_names_the_key, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(what_calx_refuses_itself_has_no_driver_detail, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_missing_table_points_at_create_all, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_file_that_cannot_be_opened_says_why, fixture_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("error_detail", tests);
}
