/*
 * libpq, loaded on first use (dialects/postgresql/pq.h): a program that
 * only uses SQLite never maps it; the first PostgreSQL engine loads it;
 * a libpq that cannot be loaded is a clear error at that engine, and the
 * same error at the next one. The load happens once a process, so the
 * order of these tests matters, and the real load runs in a child. This
 * binary does not link libpq.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helpers.h"
#include "pq.h"

static bool libpq_mapped(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, "/libpq.") != NULL;
	fclose(f);
	return found;
}

static void sqlite_alone_never_maps_libpq(void **state)
{
	(void)state;
	assert_false(libpq_mapped());
	calx_engine *eng;
	assert_int_equal(calx_engine_open(&eng, "sqlite::memory:"), CALX_OK);
	calx_registry *reg;
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_create_all(reg, eng), CALX_OK);
	calx_session *s;
	assert_int_equal(calx_session_open(&s, eng, reg), CALX_OK);
	struct user *u = user_new(s, .name = "ada");
	assert_non_null(u);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);
	assert_false(libpq_mapped());
}

/* In a child, so that this process has not loaded it: the first PostgreSQL engine maps libpq, and works. */
static void the_first_postgresql_engine_loads_libpq(void **state)
{
	(void)state;
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
	if (!url || !*url) {
		print_message("no CALX_TEST_POSTGRESQL_URL: the real load is not tried\n");
		return;
	}
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int bad = libpq_mapped();
		calx_engine *eng;
		bad |= (calx_engine_open(&eng, url) != CALX_OK) << 1;
		bad |= (calx_engine_exec(eng, "SELECT 1") != CALX_OK) << 2;
		bad |= !libpq_mapped() << 3;
		calx_engine_free(eng);
		_exit(bad);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	/* 1: mapped before; 2: the engine failed; 4: its statement failed; 8: not mapped after */
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void a_libpq_that_cannot_be_loaded_is_an_error_kept_for_the_process(void **state)
{
	(void)state;
	calx__pq_soname = "libpq-calx-test-missing.so.5";
	for (int attempt = 0; attempt < 2; attempt++) {
		calx_engine *eng;
		assert_int_equal(calx_engine_open(&eng, "postgresql://127.0.0.1:1/none"), CALX_ECONNECT);
		const char *msg = calx_engine_errmsg(eng);
		assert_non_null(strstr(msg, "postgresql: cannot load libpq (libpq-calx-test-missing.so.5): "));
		assert_non_null(strstr(msg, "(Debian: libpq5)"));
		calx_engine_free(eng);
	}
	assert_false(libpq_mapped());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sqlite_alone_never_maps_libpq),
		cmocka_unit_test(the_first_postgresql_engine_loads_libpq),
		cmocka_unit_test(a_libpq_that_cannot_be_loaded_is_an_error_kept_for_the_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
