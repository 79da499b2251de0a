/*
 * Shared by the test suites: a fresh database with the shop models created.
 */
#ifndef CALX_TEST_HELPERS_H
#define CALX_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <calx/calx.h>
#include <calx/trace.h>
#include "shop.calx.h"

typedef enum test_dialect { TEST_SQLITE = 0, TEST_POSTGRESQL = 1 } test_dialect;

/* The dialect the running group uses (set by run_on_all_dialects). */
extern test_dialect current_dialect;

typedef struct fixture {
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	test_dialect dialect;
	char path[512];         /* the SQLite database file, "" on PostgreSQL */
} fixture;

#define ON_SQLITE(fx) ((fx)->dialect == TEST_SQLITE)
#define ON_POSTGRESQL(fx) ((fx)->dialect == TEST_POSTGRESQL)
/* The expected text on each dialect. */
#define BY_DIALECT(fx, sqlite_text, pg_text) (ON_SQLITE(fx) ? (sqlite_text) : (pg_text))

/*
 * Run a group once per dialect, as "NAME/sqlite" and "NAME/postgresql".
 * PostgreSQL comes from CALX_TEST_POSTGRESQL_URL (set by
 * tools/with-postgres.sh under `ninja test`); without it the group fails.
 */
int run_on_all_dialects(const char *name, const struct CMUnitTest *tests, size_t n);
#define RUN_ON_ALL_DIALECTS(name, tests) run_on_all_dialects(name, tests, sizeof(tests) / sizeof((tests)[0]))

/* The URL of a fresh database for the current dialect (SQLite: a new file). */
const char *test_url(char *buf, size_t cap);

/* cmocka setup/teardown: a fresh database with the shop tables. */
int fixture_setup(void **state);
/* The same fixture on the tables of another generated schema. */
int fixture_setup_schema(void **state, const calx_schema_desc *schema);
int fixture_teardown(void **state);

/* Another session on the fixture's engine, to see what was committed. */
calx_session *fixture_session(fixture *fx);
/* A new session whose statements go to fn(ctx) (the engine's trace reaches connections taken after it is set). */
calx_session *fixture_traced_session(fixture *fx, calx_trace_fn fn, void *ctx);
/* Tracing off again. */
void fixture_untrace(fixture *fx);
/* The statements s has sent so far (calx_session_counters): tests count a load's by difference. */
uint64_t fixture_statements(calx_session *s);

/* Run fn(arg) with stderr going to a file; what it wrote in buf (NUL-terminated, cut to cap). */
void capture_stderr(void (*fn)(void *arg), void *arg, char *buf, size_t cap);

/* Count rows of a table through a raw second session's select. */
size_t count_rows(fixture *fx, const calx_mapper_desc *m);
/* The objects a select of m in s loads: with the registry's criteria, or every row; (size_t)-1 on error. */
size_t count_loaded(calx_session *s, const calx_mapper_desc *m, bool every_row);

/* Assert a calx status, printing the session's message when it is wrong. */
#define assert_calx(s, expr, want)                                                   \
	do {                                                                         \
		int rc_ = (expr);                                                    \
		if (rc_ != (want))                                                   \
			print_error("%s = %s (%d), want %s: %s\n", #expr, calx_status_name(rc_), \
			            rc_, calx_status_name(want), calx_session_errmsg(s)); \
		assert_int_equal(rc_, (want));                                       \
	} while (0)

#define assert_ok(s, expr) assert_calx(s, expr, CALX_OK)

#endif
