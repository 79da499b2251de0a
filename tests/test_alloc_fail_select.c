/*
 * Allocation failure in selects: expressions built (comparisons with text
 * copied into the node, LIKE, IS NULL, AND/OR/NOT; IN lists, BETWEEN,
 * ILIKE, arithmetic and coalesce), a grouped select of values with
 * HAVING and ORDER BY an aggregate, DISTINCT, scalar, first and
 * one_or_none, joins (an outer join with calx_join_on, an inner one),
 * subqueries (a scalar one, a correlated NOT EXISTS), a chain of 48 ORed
 * conditions (a list grown past its first block, a syntax tree beyond its
 * inline block), order by several columns, limit and offset, column tuples,
 * select_one, the same select again from the statement caches, and
 * selects refused with a status. Each allocation fails in turn, on each
 * dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"

static int add_users(calx_session *s)
{
	static const char *const names[] = { "ann", "bob", "cid", "dee", "eve", "fay" };
	int rc;
	for (int i = 0; i < 6; i++) {
		struct user *u = user_new(s, .name = "", .age = i, .score = i / 2.0,
		                          .color = i % 2 ? COLOR_RED : COLOR_BLUE);
		if (!u)
			return calx_session_errcode(s);
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) != CALX_OK ||
		    (i % 3 == 0 && (rc = calx_field_set_text(s, u, USER_NOTE, "noted")) != CALX_OK) ||
		    (rc = calx_session_add(s, u)) != CALX_OK)
			return rc;
	}
	return calx_session_commit(s);
}

/* The rows of a select, their names joined in order into out. */
static int names_of(calx_select *q, char *out, size_t cap)
{
	void **items;
	size_t n;
	int rc = calx_select_all(q, &items, &n);
	out[0] = '\0';
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		size_t k = strlen(out);
		snprintf(out + k, cap - k, "%s%s", k ? " " : "", ((struct user *)items[i])->name);
	}
	return rc;
}

/* ages 1..5, named like "_?_" or noted, red or not NULL-noted: bob cid dee eve fay; desc by age, skip 1, 3 */
static int filtered(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_where(q, calx_and(calx_ge(USER_AGE, 1), calx_le(USER_AGE, 5)));
	calx_where(q, calx_or(calx_like(USER_NAME, "_e_"), calx_or(calx_eq(USER_COLOR, (int)COLOR_RED),
	                                                            calx_is_not_null(USER_NOTE))));
	calx_where(q, calx_not(calx_is_null(USER_NAME)));
	calx_where(q, calx_ne(USER_NAME, "zed"));
	calx_order_by(q, USER_AGE, CALX_DESC);
	calx_order_by(q, USER_NAME, CALX_ASC);
	calx_limit(q, 3);
	calx_offset(q, 1);
	char got[128];
	int rc = names_of(q, got, sizeof got);
	calx_select_free(q);
	if (rc == CALX_OK && strcmp(got, "dee bob") != 0)
		rc = CALX_EINVAL;
	return rc;
}

/* 48 ORed comparisons, 45 of which match nobody. */
static int long_chain(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_expr *e = calx_eq(USER_AGE, 1000);
	for (int i = 1; i < 48; i++)
		e = calx_or(e, i % 12 == 0 ? calx_eq(USER_AGE, i / 12) : calx_eq(USER_AGE, 1000 + i));
	calx_where(q, e);
	calx_order_by(q, USER_AGE, CALX_ASC);
	char got[128];
	int rc = names_of(q, got, sizeof got);
	calx_select_free(q);
	if (rc == CALX_OK && strcmp(got, "bob cid dee") != 0)
		rc = CALX_EINVAL;
	return rc;
}

/* name and age of the user named "eve", as values */
static int tuple(calx_session *s)
{
	const calx_field_desc *cols[] = { calx_field(USER_NAME), calx_field(USER_AGE) };
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_where(q, calx_eq(USER_NAME, "eve"));
	calx_value v[2];
	int rc = calx_select_columns(q, cols, 2);
	if (rc == CALX_OK && (rc = calx_select_next_values(q, v)) == CALX_ROW) {
		rc = v[0].kind == CALX_VALUE_TEXT && v[0].u.s.n == 3 && memcmp(v[0].u.s.p, "eve", 3) == 0 &&
		     v[1].kind == CALX_VALUE_INT && v[1].u.i == 4 ? CALX_OK : CALX_EINVAL;
		if (rc == CALX_OK && (rc = calx_select_next_values(q, v)) == CALX_DONE)
			rc = CALX_OK;
	}
	calx_select_free(q);
	return rc == CALX_ROW ? CALX_EINVAL : rc;
}

/* IN, BETWEEN, ILIKE and value expressions (tests/test_select_expr.c): ann bob eve fay */
static int expressions(calx_session *s)
{
	calx_value names[] = { calx_value_text("bob"), calx_value_text("eve"), calx_value_text("zed") };
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_expr *e = calx_and(calx_in(USER_NAME, names, 3), calx_between(USER_AGE, 1, 4));
	e = calx_or(e, calx_ilike(USER_NAME, "A%"));
	e = calx_or(e, calx_cmp(CALX_OP_GT, calx_add(calx_col(USER_AGE), calx_lit(10)), calx_lit(14)));
	e = calx_or(e, calx_cmp(CALX_OP_EQ, calx_coalesce(calx_col(USER_NOTE), calx_lit("-")), calx_lit("x")));
	calx_where(q, e);
	calx_order_by(q, USER_AGE, CALX_ASC);
	char got[128];
	int rc = names_of(q, got, sizeof got);
	calx_select_free(q);
	if (rc == CALX_OK && strcmp(got, "ann bob eve fay") != 0)
		rc = CALX_EINVAL;
	return rc;
}

/* Per colour (red 1: 3 users, ages 9, fay; blue 3: 3, 6, eve): count, sum of ages, max name; DISTINCT; first, one_or_none, scalar */
static int grouped(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_expr *cols[] = { calx_col(USER_COLOR), calx_count_star(), calx_sum(calx_col(USER_AGE)),
		              calx_max(calx_col(USER_NAME)) };
	int rc = calx_select_exprs(q, cols, 4);
	calx_group_by(q, calx_col(USER_COLOR));
	calx_having(q, calx_cmp(CALX_OP_GT, calx_count_star(), calx_lit(0)));
	calx_order_by_expr(q, calx_sum(calx_col(USER_AGE)), CALX_DESC | CALX_NULLS_LAST);
	calx_value v[4];
	char got[64] = "";
	while (rc == CALX_OK && (rc = calx_select_next_values(q, v)) == CALX_ROW) {
		size_t k = strlen(got);
		snprintf(got + k, sizeof got - k, "%lld:%lld:%lld:%.*s ", (long long)v[0].u.i, (long long)v[1].u.i,
		         (long long)v[2].u.i, (int)v[3].u.s.n, v[3].u.s.p);
		rc = CALX_OK;
	}
	calx_select_free(q);
	if (rc == CALX_DONE)
		rc = strcmp(got, "1:3:9:fay 3:3:6:eve ") == 0 ? CALX_OK : CALX_EINVAL;
	if (rc != CALX_OK)
		return rc;
	if (!(q = calx_select_new(s, &user_mapper)))
		return calx_session_errcode(s);
	calx_expr *count[] = { calx_count(calx_col(USER_NOTE)) };
	if ((rc = calx_select_exprs(q, count, 1)) == CALX_OK)
		calx_distinct(q);
	if (rc == CALX_OK && (rc = calx_select_scalar(q, &v[0])) == CALX_OK && v[0].u.i != 2)
		rc = CALX_EINVAL;
	calx_select_free(q);
	void *obj = NULL;
	if (rc == CALX_OK && (q = calx_select_new(s, &user_mapper)) == NULL)
		return calx_session_errcode(s);
	if (rc == CALX_OK) {
		calx_order_by(q, USER_AGE, CALX_DESC);
		rc = calx_select_first(q, &obj);
		calx_select_free(q);
	}
	if (rc == CALX_OK && (!obj || strcmp(((struct user *)obj)->name, "fay") != 0))
		rc = CALX_EINVAL;
	if (rc == CALX_OK && (q = calx_select_new(s, &user_mapper)) == NULL)
		return calx_session_errcode(s);
	if (rc == CALX_OK) {
		calx_where(q, calx_eq(USER_NAME, "zed"));
		rc = calx_select_one_or_none(q, &obj);
		calx_select_free(q);
		if (rc == CALX_OK && obj)
			rc = CALX_EINVAL;
	}
	return rc;
}

/* Users LEFT JOIN their addresses (none), and addresses JOIN users: ann has 0; no address rows */
static int joined(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_from *a = calx_outerjoin(q, &address_mapper, NULL);
	calx_join_on(a, calx_cmp(CALX_OP_EQ, calx_col_of(a, ADDRESS_USER_ID), calx_col(USER_ID)));
	calx_expr *cols[] = { calx_col(USER_NAME), calx_count(calx_col_of(a, ADDRESS_ID)) };
	int rc = calx_select_exprs(q, cols, 2);
	calx_group_by(q, calx_col(USER_NAME));
	calx_order_by(q, USER_NAME, CALX_ASC);
	calx_value v[2];
	if (rc == CALX_OK && (rc = calx_select_next_values(q, v)) == CALX_ROW)
		rc = v[0].u.s.n == 3 && memcmp(v[0].u.s.p, "ann", 3) == 0 && v[1].u.i == 0 ? CALX_OK : CALX_EINVAL;
	else if (rc == CALX_DONE)
		rc = CALX_EINVAL;
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	if (!(q = calx_select_new(s, &address_mapper)))
		return calx_session_errcode(s);
	calx_join(q, &user_mapper, calx_cmp(CALX_OP_EQ, calx_col(USER_ID), calx_col(ADDRESS_USER_ID)));
	calx_where(q, calx_eq(USER_NAME, "ann"));
	void **rows;
	size_t n;
	rc = calx_select_all(q, &rows, &n);
	calx_select_free(q);
	return rc == CALX_OK && n != 0 ? CALX_EINVAL : rc;
}

/* Older than the average (2.5): dee eve fay; none with an address (NOT EXISTS, correlated) */
static int subqueries(calx_session *s)
{
	calx_select *avg = calx_select_new(s, &user_mapper), *sub = calx_select_new(s, &address_mapper);
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!avg || !sub || !q) {
		calx_select_free(avg);
		calx_select_free(sub);
		calx_select_free(q);
		return calx_session_errcode(s);
	}
	calx_expr *a[] = { calx_avg(calx_col(USER_AGE)) };
	int rc = calx_select_exprs(avg, a, 1);
	calx_where(sub, calx_cmp(CALX_OP_EQ, calx_col(ADDRESS_USER_ID), calx_col(USER_ID)));
	calx_where(q, calx_cmp(CALX_OP_GT, calx_col(USER_AGE), calx_subquery(avg)));
	calx_where(q, calx_not(calx_exists(sub)));
	calx_order_by(q, USER_AGE, CALX_ASC);
	char got[64];
	if (rc == CALX_OK && (rc = names_of(q, got, sizeof got)) == CALX_OK && strcmp(got, "dee eve fay") != 0)
		rc = CALX_EINVAL;
	calx_select_free(q);
	return rc;
}

/* select_one: one row, then more than one; a comparison that is not one is refused when it runs */
static int one_and_refused(calx_session *s)
{
	void *obj;
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_where(q, calx_eq(USER_NAME, "cid"));
	int rc = calx_select_one(q, &obj);
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	if (!(q = calx_select_new(s, &user_mapper)))
		return calx_session_errcode(s);
	rc = calx_select_one(q, &obj);
	calx_select_free(q);
	if (rc != CALX_EMULTIPLE)
		return rc == CALX_OK ? CALX_EINVAL : rc;
	if (!(q = calx_select_new(s, &user_mapper)))
		return calx_session_errcode(s);
	calx_where(q, calx_compare(CALX_OP_AND, USER_AGE, calx_v(1)));
	rc = calx_select_all(q, &(void **){ NULL }, &(size_t){ 0 });
	calx_select_free(q);
	if (rc != CALX_EINVAL)
		return rc == CALX_OK ? CALX_EINVAL : rc;
	return CALX_OK;
}

static int selects(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	int rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	if ((rc = add_users(s)) != CALX_OK)
		goto done;
	/* the second filtered select's SQL comes from the caches */
	if ((rc = filtered(s)) != CALX_OK || (rc = long_chain(s)) != CALX_OK || (rc = tuple(s)) != CALX_OK ||
	    (rc = expressions(s)) != CALX_OK || (rc = grouped(s)) != CALX_OK || (rc = joined(s)) != CALX_OK || (rc = subqueries(s)) != CALX_OK ||
	    (rc = one_and_refused(s)) != CALX_OK || (rc = filtered(s)) != CALX_OK)
		goto done;
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	return rc;
}

/* 0 no users, 1 the six; anything else a commit in part */
static long users_state(calx_session *s)
{
	long n = alloc_fail_count(s, &user_mapper);
	return n < 0 ? ALLOC_FAIL_BROKEN : n == 0 ? 0 : n == 6 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void selects_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "selects, expressions, column tuples, caches", &shop_schema, selects,
		                           users_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selects_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_select", tests);
}
