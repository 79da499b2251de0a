/*
 * Allocation failure in the session's own bookkeeping: rows of a table of
 * more than 32 columns (tests/models/alloc_wide.h) committed, so expired;
 * a get that reloads one (its row gathered in an allocated buffer);
 * savepoints opened, a flush inside one noted (what it writes, and the
 * rows it changes), rolled back, then another committed; and ten rows of
 * 4 KiB changed in a transaction and again in a savepoint, so that the
 * savepoint's copies of them need new chunks of the transaction's arena.
 * Each allocation fails in turn, on each dialect.
 */
#include <stdbool.h>
#include "test_alloc_fail.h"
#include "alloc_wide.calx.h"

static int add_row(calx_session *s, int64_t id)
{
	struct wide_row *w = wide_row_new(s, .id = id, .c01 = (int32_t)id, .c21 = "row");
	return w ? calx_session_add(s, w) : calx_session_errcode(s);
}

static int savepoints(calx_session *s)
{
	struct wide_row *one, *two;
	int rc;
	/* committed: expired, so this get reloads row 1 with one SELECT */
	if ((rc = wide_row_get(s, 1, &one)) != CALX_OK)
		return rc;
	if (one->c01 != 1)
		return CALX_EINVAL;
	/* a savepoint whose flush is rolled back: row 1's change and row 3 undone */
	if ((rc = calx_session_begin_nested(s)) != CALX_OK)
		return rc;
	one->c01 = 100;
	if ((rc = add_row(s, 3)) != CALX_OK || (rc = calx_session_flush(s)) != CALX_OK)
		return rc;
	if ((rc = calx_session_rollback_nested(s)) != CALX_OK)
		return rc;
	if (one->c01 != 1)
		return CALX_EINVAL;
	/* a savepoint kept */
	if ((rc = wide_row_get(s, 2, &two)) != CALX_OK || (rc = calx_session_begin_nested(s)) != CALX_OK)
		return rc;
	two->c02 = 7;
	if ((rc = calx_session_commit_nested(s)) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

static int session_bookkeeping(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK && ((rc = add_row(s, 1)) != CALX_OK || (rc = add_row(s, 2)) != CALX_OK ||
	                      (rc = calx_session_commit(s)) != CALX_OK || (rc = savepoints(s)) != CALX_OK))
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty, 1 rows 1 and 2, 2 with row 2 changed (and nothing of the rolled-back savepoint) */
static long session_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &wide_row_mapper);
	void **items;
	size_t n;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &n) == CALX_OK) {
		long c01 = 0, c02 = 0;
		for (size_t i = 0; i < n; i++) {
			c01 += ((struct wide_row *)items[i])->c01;
			c02 += ((struct wide_row *)items[i])->c02;
		}
		r = n == 0 ? 0 : n == 2 && c01 == 3 && c02 == 0 ? 1 : n == 2 && c01 == 3 && c02 == 7 ? 2
		                                                                             : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

#define N_BIG 10

static int set_all(calx_session *s, int32_t n)
{
	calx_select *q = calx_select_new(s, &big_row_mapper);
	void **items;
	size_t k;
	int rc = q ? calx_select_all(q, &items, &k) : calx_session_errcode(s);
	for (size_t i = 0; rc == CALX_OK && i < k; i++)
		((struct big_row *)items[i])->n = n;
	calx_select_free(q);
	return rc == CALX_OK && k != N_BIG ? CALX_EINVAL : rc;
}

/*
 * Changed and flushed first (the transaction's undo copies), then changed
 * again inside a savepoint: its copies come after them in the
 * transaction's arena and cross into a new chunk.
 */
static int big_savepoint(calx_session *s)
{
	int rc = CALX_OK;
	for (int i = 1; i <= N_BIG && rc == CALX_OK; i++) {
		struct big_row *b = big_row_new(s, .id = i, .text = "big");
		rc = b ? calx_session_add(s, b) : calx_session_errcode(s);
	}
	if (rc != CALX_OK || (rc = calx_session_commit(s)) != CALX_OK || (rc = set_all(s, 1)) != CALX_OK ||
	    (rc = calx_session_flush(s)) != CALX_OK || (rc = calx_session_begin_nested(s)) != CALX_OK ||
	    (rc = set_all(s, 2)) != CALX_OK || (rc = calx_session_commit_nested(s)) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

static int savepoint_copies(calx_engine *eng, calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc == CALX_OK && (rc = big_savepoint(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 empty, 1 the rows as added, 2 every row at n = 2 */
static long savepoint_copies_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &big_row_mapper);
	void **items;
	size_t k;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &k) == CALX_OK) {
		long sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += ((struct big_row *)items[i])->n;
		r = k == 0 ? 0 : k == N_BIG && sum == 0 ? 1 : k == N_BIG && sum == 2 * N_BIG ? 2 : ALLOC_FAIL_PARTIAL;
	}
	calx_select_free(q);
	return r;
}

static void savepoint_copies_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "savepoint copies of 4 KiB rows", &alloc_wide_schema, savepoint_copies,
	                                   savepoint_copies_state, 2 };
	fail_each_allocation(&sc);
}

static void session_bookkeeping_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "expiry and savepoints", &alloc_wide_schema, session_bookkeeping,
	                                   session_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(session_bookkeeping_survives_every_allocation_failure),
		cmocka_unit_test(savepoint_copies_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_session", tests);
}
