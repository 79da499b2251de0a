/*
 * Allocation failure in the calls of the rest of the Session (SQLite's
 * *fault.test idea): savepoints, refresh, expire, expunge, merge, failing
 * the Nth allocation of the library for N = 1, 2, ... until the scenario
 * completes. Every run ends in a status, never a crash (the asan variant
 * checks that nothing leaks), and the session can always be rolled back
 * and the database holds what was committed before, no more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spine_fixture.h"

static long fail_at;    /* the allocation to fail; 0: none */
static long calls;

static void *failing_alloc(void *payload, void *ptr, size_t size)
{
	(void)payload;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	if (++calls == fail_at)
		return NULL;
	return realloc(ptr, size);
}

/* Every step, stopping at the first failure; CALX_OK when all worked. */
static int steps(calx_session *s, struct gadget *g)
{
	int rc;
	void *o;
	struct gadget *n;
	if ((rc = calx_session_begin_nested(s)) != CALX_OK)
		return rc;
	g->hits = 1;
	if (!(n = gadget_new(s, .label = "inside")))
		return calx_session_errcode(s);
	if ((rc = calx_session_add(s, n)) != CALX_OK || (rc = calx_session_flush(s)) != CALX_OK ||
	    (rc = calx_session_begin_nested(s)) != CALX_OK || (rc = calx_session_delete(s, g)) != CALX_OK ||
	    (rc = calx_session_flush(s)) != CALX_OK || (rc = calx_session_rollback_nested(s)) != CALX_OK ||
	    (rc = calx_session_rollback_nested(s)) != CALX_OK)
		return rc;
	if ((rc = calx_session_refresh(s, g)) != CALX_OK || (rc = calx_session_expire_all(s)) != CALX_OK ||
	    (rc = calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o)) != CALX_OK)
		return rc;
	g->label = "merged";
	if ((rc = calx_session_expunge_all(s)) != CALX_OK || (rc = calx_session_merge(s, g, &o)) != CALX_OK)
		return rc;
	return calx_session_rollback(s);
}

static void every_allocation_failure_ends_in_a_status_and_a_usable_session(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = gadget_new(s, .label = "base");
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	int64_t id = g->id;
	calx_session_free(s);
	size_t rows = count_rows(fx, &gadget_mapper);
	long n;
	int rc = CALX_ENOMEM;
	for (n = 1; n < 20000 && rc != CALX_OK; n++) {
		s = fixture_session(fx);
		void *o;
		assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(id), &o));
		calls = 0;
		fail_at = n;
		rc = steps(s, o);
		fail_at = 0;
		if (rc != CALX_OK && rc != CALX_ENOMEM)
			print_error("allocation %ld: %s: %s\n", n, calx_status_name(rc), calx_session_errmsg(s));
		assert_true(rc == CALX_OK || rc == CALX_ENOMEM);
		assert_ok(s, calx_session_rollback(s));         /* always possible after */
		assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(id), &o));
		calx_session_free(s);
		assert_int_equal(count_rows(fx, &gadget_mapper), rows);
	}
	assert_int_equal(rc, CALX_OK);          /* the scenario completed */
	assert_true(n > 10);                    /* and failures were injected on the way */
}

int main(void)
{
	calx_set_allocator(failing_alloc, NULL);        /* before anything is opened; fails only when asked */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_allocation_failure_ends_in_a_status_and_a_usable_session,
		                                spine_setup, spine_teardown),
	};
	return RUN_ON_ALL_DIALECTS("session_faults", tests);
}
