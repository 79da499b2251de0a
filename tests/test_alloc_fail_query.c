/*
 * Allocation failure in the query language's later statements: a union
 * of two selects of values (ordered, paged, one operand paged itself),
 * read to the end and checked. Each allocation fails in turn, on each
 * dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"

static int add_users(calx_session *s)
{
	static const char *const names[] = { "ann", "bob", "cid", "dee" };
	int rc;
	for (int i = 0; i < 4; i++) {
		struct user *u = user_new(s, .name = "", .age = 10 * (i + 1));
		if (!u)
			return calx_session_errcode(s);
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) != CALX_OK || (rc = calx_session_add(s, u)) != CALX_OK)
			return rc;
	}
	return calx_session_commit(s);
}

/* (name, age) of users with age in [lo, hi] */
static calx_select *named_ages(calx_session *s, int lo, int hi)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return NULL;
	calx_expr *e[] = { calx_col(USER_NAME), calx_col(USER_AGE) };
	calx_select_exprs(q, e, 2);     /* an error is kept and reported when the union runs */
	calx_where(q, calx_between(USER_AGE, lo, hi));
	return q;
}

/* ages 10..20 UNION the oldest of 20..40, ordered by age descending: dee:40 bob:20 ann:10 */
static int a_union(calx_session *s)
{
	calx_select *oldest = named_ages(s, 20, 40);
	calx_order_by(oldest, USER_AGE, CALX_DESC);
	calx_limit(oldest, 1);
	calx_select *u = calx_union(named_ages(s, 10, 20), oldest, false);
	if (!u)
		return calx_session_errcode(s);
	calx_order_by(u, USER_AGE, CALX_DESC);
	calx_limit(u, 10);
	char got[64] = "";
	calx_value v[2];
	int rc;
	while ((rc = calx_select_next_values(u, v)) == CALX_ROW) {
		size_t k = strlen(got);
		snprintf(got + k, sizeof got - k, "%s%.*s:%lld", k ? " " : "", (int)v[0].u.s.n, v[0].u.s.p,
		         (long long)v[1].u.i);
	}
	calx_select_free(u);
	if (rc != CALX_DONE)
		return rc;
	return strcmp(got, "dee:40 bob:20 ann:10") == 0 ? CALX_OK : CALX_EINVAL;
}

static int queries(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	int rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	if ((rc = add_users(s)) != CALX_OK)
		goto done;
	if ((rc = a_union(s)) != CALX_OK)
		goto done;
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 no users, 1 the four; anything else a commit in part */
static long users_state(calx_session *s)
{
	long n = alloc_fail_count(s, &user_mapper);
	return n < 0 ? ALLOC_FAIL_BROKEN : n == 0 ? 0 : n == 4 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void queries_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "unions", &shop_schema, queries, users_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queries_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_query", tests);
}
