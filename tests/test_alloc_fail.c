/*
 * Allocation failure (SQLite's *fault.test idea), on each dialect: run a whole scenario --
 * open, create, construct, add, commit, get, select, update, commit --
 * failing the Nth allocation of the library, for N = 1, 2, ... until the
 * scenario completes. Every run must end in a status, never a crash; the
 * asan variant checks that nothing leaks; and whatever a failed commit left
 * must be all or nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

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

/*
 * The database's state, read with the allocator working: 0 no users,
 * 1 the three users, 2 the three users with the second commit's scores,
 * -1 anything else (a partial commit).
 */
static long users_in(calx_engine *eng, calx_registry *reg)
{
	long saved = fail_at;
	fail_at = 0;
	calx_session *s;
	long n = -1;
	if (calx_session_open(&s, eng, reg) == CALX_OK) {
		calx_select *q = calx_select_new(s, &user_mapper);
		void **items;
		size_t k;
		if (q && calx_select_all(q, &items, &k) == CALX_OK) {
			double sum = 0;
			for (size_t i = 0; i < k; i++)
				sum += ((struct user *)items[i])->score;
			if (k == 0)
				n = 0;
			else if (k == 3 && sum == 0.0)
				n = 1;
			else if (k == 3 && sum == 3.0)
				n = 2;
		}
		calx_select_free(q);
	}
	calx_session_free(s);
	fail_at = saved;
	return n;
}

/*
 * The scenario. Returns CALX_OK when every step worked. *state_out is the
 * database's state at the end (see users_in), -2 if there was no database.
 */
static int scenario(long *state_out)
{
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	calx_select *q = NULL;
	bool created = false;
	int rc;
	*state_out = -2;
	char url[512];
	if (current_dialect == TEST_SQLITE)
		snprintf(url, sizeof url, "sqlite::memory:");
	else if (!test_url(url, sizeof url))
		return CALX_EINVAL;
	if ((rc = calx_engine_open(&eng, url)) != CALX_OK)
		goto done;
	if ((rc = calx_registry_open(&reg, &shop_schema, NULL)) != CALX_OK)
		goto done;
	if (current_dialect == TEST_POSTGRESQL && (rc = calx_drop_all(reg, eng)) != CALX_OK)
		goto done;
	if ((rc = calx_create_all(reg, eng)) != CALX_OK)
		goto done;
	created = true;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	const char *names[] = { "ann", "bob", "cid" };
	for (int i = 0; i < 3; i++) {
		struct user *u = user_new(s, .name = "", .age = i);
		if (!u) {
			rc = calx_session_errcode(s);
			goto done;
		}
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) != CALX_OK ||
		    (rc = calx_session_add(s, u)) != CALX_OK)
			goto done;
	}
	if ((rc = calx_session_commit(s)) != CALX_OK) {
		calx_session_rollback(s);
		goto done;
	}
	struct user *u;
	if ((rc = user_get(s, 2, &u)) != CALX_OK)
		goto done;
	if (!(q = calx_select_new(s, &user_mapper))) {
		rc = calx_session_errcode(s);
		goto done;
	}
	calx_where(q, calx_ge(USER_AGE, 1));
	calx_order_by(q, USER_NAME, CALX_DESC);
	void **items;
	size_t n;
	if ((rc = calx_select_all(q, &items, &n)) != CALX_OK)
		goto done;
	for (size_t i = 0; i < n; i++)
		((struct user *)items[i])->score = 1.5;
	rc = calx_session_commit(s);
	if (rc != CALX_OK)
		calx_session_rollback(s);
done:
	calx_select_free(q);
	calx_session_free(s);
	if (created)
		*state_out = users_in(eng, reg);
	calx_registry_free(reg);
	calx_engine_free(eng);
	return rc;
}

static void every_allocation_failure_ends_in_a_status(void **state)
{
	(void)state;
	calx_set_allocator(failing_alloc, NULL);
	long n, sites = 0;
	int rc = CALX_ENOMEM;
	for (n = 1; n < 100000; n++) {
		long db;
		fail_at = n;
		calls = 0;
		rc = scenario(&db);
		if (calls < n)
			break;          /* the Nth allocation never came: the scenario ran clean */
		sites++;
		/* Some failures are absorbed (a statement left out of the cache):
		 * then the scenario must have done all of its work. */
		if (rc == CALX_OK && db != 2)
			fail_msg("allocation %ld failed, the scenario said OK, database state %ld", n, db);
		/* all or nothing per commit */
		if (db == -1)
			fail_msg("allocation %ld: a commit was written in part", n);
	}
	calx_set_allocator(NULL, NULL);
	assert_int_equal(rc, CALX_OK);
	long db;
	fail_at = 0;
	calx_set_allocator(failing_alloc, NULL);
	assert_int_equal(scenario(&db), CALX_OK);
	calx_set_allocator(NULL, NULL);
	assert_int_equal(db, 2);
	assert_true(sites > 50);
	print_message("[ INFO     ] %ld allocations failed one at a time, each handled\n", sites);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allocation_failure_ends_in_a_status),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail", tests);
}
