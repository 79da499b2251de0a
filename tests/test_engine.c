/*
 * Engines: URLs, the first connection, the in-memory database's single
 * connection, and the messages of failures.
 */
#include <string.h>
#include "helpers.h"

static void engine_opens_an_in_memory_database(void **state)
{
	(void)state;
	calx_engine *eng;
	assert_int_equal(calx_engine_open(&eng, "sqlite::memory:"), CALX_OK);
	assert_string_equal(calx_engine_dialect_name(eng), "sqlite");
	assert_string_equal(calx_engine_errmsg(eng), "");
	calx_engine_free(eng);
}

static void engine_rejects_an_unknown_scheme_with_a_message(void **state)
{
	(void)state;
	calx_engine *eng;
	assert_int_equal(calx_engine_open(&eng, "mysql://localhost/x"), CALX_EINVAL);
	assert_non_null(eng);
	assert_int_equal(calx_engine_errcode(eng), CALX_EINVAL);
	assert_non_null(strstr(calx_engine_errmsg(eng), "unknown database URL 'mysql://localhost/x'"));
	calx_engine_free(eng);
}

static void engine_messages_never_show_a_password(void **state)
{
	(void)state;
	calx_engine *eng;
	assert_int_equal(calx_engine_open(&eng, "postgresq://app:s3cret@localhost/db"), CALX_EINVAL);
	assert_null(strstr(calx_engine_errmsg(eng), "s3cret"));
	assert_non_null(strstr(calx_engine_errmsg(eng), "unknown database URL 'postgresq://app:***@localhost/db'"));
	calx_engine_free(eng);
	/* libpq quotes the whole URL when it cannot parse it: calx keeps the reason only */
	assert_int_equal(calx_engine_open(&eng, "postgresql://app:s3cret@[::1/db"), CALX_EINVAL);
	assert_null(strstr(calx_engine_errmsg(eng), "s3cret"));
	assert_non_null(strstr(calx_engine_errmsg(eng), "postgresql: malformed URL: "));
	calx_engine_free(eng);
}

static void a_malformed_postgresql_url_is_the_programs_mistake(void **state)
{
	(void)state;
	static const char *const bad[] = { "postgresql://localhost:abc/db", "postgresql://localhost:99999/db",
		                           "postgresql://[::1/db", "postgresql:host=x port=5432x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		calx_engine *eng;
		assert_int_equal(calx_engine_open(&eng, bad[i]), CALX_EINVAL);
		assert_non_null(strstr(calx_engine_errmsg(eng), "malformed URL"));
		calx_engine_free(eng);
	}
}

static void engine_reports_a_file_it_cannot_open(void **state)
{
	(void)state;
	calx_engine *eng;
	int rc = calx_engine_open(&eng, "sqlite:/nonexistent-dir/sub/x.db");
	assert_int_equal(rc, CALX_ECONNECT);
	assert_non_null(strstr(calx_engine_errmsg(eng), "cannot open '/nonexistent-dir/sub/x.db'"));
	calx_engine_free(eng);
}

static void engine_rejects_an_empty_sqlite_path(void **state)
{
	(void)state;
	calx_engine *eng;
	assert_int_equal(calx_engine_open(&eng, "sqlite:"), CALX_EINVAL);
	assert_non_null(strstr(calx_engine_errmsg(eng), "bad URL"));
	calx_engine_free(eng);
}

static void memory_engine_lends_its_one_connection_to_one_session(void **state)
{
	(void)state;
	calx_engine *eng;
	calx_registry *reg;
	calx_session *a, *b;
	assert_int_equal(calx_engine_open(&eng, "sqlite::memory:"), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&a, eng, reg), CALX_OK);
	assert_int_equal(calx_session_open(&b, eng, reg), CALX_EBUSY);
	assert_null(b);
	assert_non_null(strstr(calx_engine_errmsg(eng), "one connection"));
	calx_session_free(a);
	/* given back: the next session gets it, with the same database */
	assert_int_equal(calx_session_open(&b, eng, reg), CALX_OK);
	calx_session_free(b);
	calx_registry_free(reg);
	calx_engine_free(eng);
}

static void file_engine_gives_each_session_its_own_connection(void **state)
{
	fixture *fx = *state;
	calx_session *a = fixture_session(fx), *b = fixture_session(fx);
	assert_non_null(a);
	assert_non_null(b);
	calx_session_free(a);
	calx_session_free(b);
}

static void status_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(calx_status_name(CALX_OK), "CALX_OK");
	assert_string_equal(calx_status_name(CALX_EUNIQUE), "CALX_EUNIQUE");
	assert_string_equal(calx_status_name(CALX_ESTATE), "CALX_ESTATE");
	assert_string_equal(calx_status_name(12345), "CALX_E?");
	assert_string_equal(calx_version(), CALX_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(engine_opens_an_in_memory_database),
		cmocka_unit_test(engine_rejects_an_unknown_scheme_with_a_message),
		cmocka_unit_test(engine_messages_never_show_a_password),
		cmocka_unit_test(a_malformed_postgresql_url_is_the_programs_mistake),
		cmocka_unit_test(engine_reports_a_file_it_cannot_open),
		cmocka_unit_test(engine_rejects_an_empty_sqlite_path),
		cmocka_unit_test(memory_engine_lends_its_one_connection_to_one_session),
		cmocka_unit_test_setup_teardown(file_engine_gives_each_session_its_own_connection, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test(status_names_are_stable),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
