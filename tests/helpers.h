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
#include "shop.calx.h"

typedef struct fixture {
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	char path[256];         /* the database file, "" for :memory: */
} fixture;

/* cmocka setup/teardown: a file database (so a second session can look). */
int fixture_setup(void **state);
int fixture_teardown(void **state);

/* Another session on the fixture's engine, to see what was committed. */
calx_session *fixture_session(fixture *fx);

/* Count rows of a table through a raw second session's select. */
size_t count_rows(fixture *fx, const calx_mapper_desc *m);

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
