/*
 * The select's clauses and endings (calx/select.h), on SQLite and
 * PostgreSQL, over five users in three colours: rows of values
 * (calx_select_exprs) with count, sum, avg, min and max per colour, the
 * kinds the same on both dialects; HAVING and ORDER BY an aggregate; GROUP
 * BY an expression holding a value (grouped by its position, which
 * PostgreSQL needs); DISTINCT; NULLS FIRST / LAST, which the dialects
 * order differently by default; first, one_or_none and scalar with their
 * statuses; and what a grouped select refuses on the client.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"

static void add(fixture *fx, const char *name, int32_t age, double score, char *note, enum color c)
{
	struct user *u = user_new(fx->s, .name = "", .age = age, .score = score, .note = note, .color = c);
	assert_non_null(u);
	assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
	assert_ok(fx->s, calx_session_add(fx->s, u));
}

static int users_setup(void **state)
{
	if (fixture_setup(state) != 0)
		return -1;
	fixture *fx = *state;
	add(fx, "Alice", 30, 1.5, "alpha", COLOR_RED);
	add(fx, "BOB", 25, 2.5, NULL, COLOR_RED);
	add(fx, "carol", 41, 50.0, "carol", COLOR_BLUE);
	add(fx, "dave", 25, 0.5, "delta", COLOR_GREEN);
	add(fx, "100% Real", 60, 3.0, NULL, COLOR_GREEN);
	return calx_session_commit(fx->s) == CALX_OK ? 0 : -1;
}

/* Every row of q's values, each "v|v|v" joined by ";": kinds shown (i: int, r: real, t: text, n: NULL). */
static const char *rows_of(fixture *fx, calx_select *q, size_t n, int *rc)
{
	static char out[512];
	out[0] = '\0';
	calx_value v[8];
	while ((*rc = calx_select_next_values(q, v)) == CALX_ROW) {
		size_t len = strlen(out);
		if (len)
			out[len++] = ';';
		for (size_t i = 0; i < n; i++) {
			char one[64];
			switch (v[i].kind) {
			case CALX_VALUE_INT: snprintf(one, sizeof one, "i%lld", (long long)v[i].u.i); break;
			case CALX_VALUE_REAL: snprintf(one, sizeof one, "r%g", v[i].u.d); break;
			case CALX_VALUE_TEXT: snprintf(one, sizeof one, "t%.*s", (int)v[i].u.s.n, v[i].u.s.p); break;
			case CALX_VALUE_NULL: snprintf(one, sizeof one, "n"); break;
			default: snprintf(one, sizeof one, "?%d", (int)v[i].kind); break;
			}
			snprintf(out + len, sizeof out - len, "%s%s", i ? "|" : "", one);
			len = strlen(out);
		}
	}
	if (*rc == CALX_DONE)
		*rc = CALX_OK;
	calx_select_free(q);
	(void)fx;
	return out;
}

static void expect_rows(fixture *fx, calx_select *q, size_t n, const char *want)
{
	int rc;
	const char *got = rows_of(fx, q, n, &rc);
	if (rc != CALX_OK)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	assert_string_equal(got, want);
}

static void refused(fixture *fx, calx_select *q, size_t n, int status, const char *text)
{
	int rc;
	rows_of(fx, q, n, &rc);
	assert_calx(fx->s, rc, status);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
}

static calx_select *by_color(fixture *fx)
{
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_non_null(q);
	calx_expr *cols[] = { calx_col(USER_COLOR), calx_count_star(), calx_sum(calx_col(USER_AGE)),
		              calx_avg(calx_col(USER_SCORE)), calx_min(calx_col(USER_NAME)), calx_max(calx_col(USER_AGE)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 6));
	calx_group_by(q, calx_col(USER_COLOR));
	return q;
}

static void aggregates_per_group_with_the_same_kinds_on_both(void **state)
{
	fixture *fx = *state;
	calx_select *q = by_color(fx);
	calx_order_by(q, USER_COLOR, CALX_ASC);
	/* RED = 1, GREEN = 2, BLUE = 3; sum of int32 ages an integer, avg of doubles a double */
	expect_rows(fx, q, 6, "i1|i2|i55|r2|tAlice|i30;i2|i2|i85|r1.75|t100% Real|i60;i3|i1|i41|r50|tcarol|i41");
	/* avg of an integer column is a double too; count of a column counts its non-NULL values */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *cols[] = { calx_avg(calx_col(USER_AGE)), calx_count(calx_col(USER_NOTE)), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols, 3));
	expect_rows(fx, q, 3, "r36.2|i3|i5");
}

static void having_and_order_by_an_aggregate(void **state)
{
	fixture *fx = *state;
	calx_select *q = by_color(fx);
	calx_having(q, calx_cmp(CALX_OP_GT, calx_count_star(), calx_lit(1)));
	calx_order_by_expr(q, calx_sum(calx_col(USER_AGE)), CALX_DESC);
	expect_rows(fx, q, 6, "i2|i2|i85|r1.75|t100% Real|i60;i1|i2|i55|r2|tAlice|i30");
}

static void group_by_an_expression_holding_a_value(void **state)
{
	fixture *fx = *state;
	/* users per decade of age: GROUP BY 1, ORDER BY 1 */
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_expr *cols[] = { calx_div(calx_col(USER_AGE), calx_lit(10)), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, cols, 2));
	calx_group_by(q, calx_div(calx_col(USER_AGE), calx_lit(10)));
	calx_order_by_expr(q, calx_div(calx_col(USER_AGE), calx_lit(10)), CALX_ASC);
	expect_rows(fx, q, 2, "i2|i2;i3|i1;i4|i1;i6|i1");
	/* the same item not in the select list cannot be matched on PostgreSQL: refused on both */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *count[] = { calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, count, 1));
	calx_group_by(q, calx_div(calx_col(USER_AGE), calx_lit(10)));
	refused(fx, q, 1, CALX_EINVAL, "must also be in calx_select_exprs");
	/* an expression without values groups as it is */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *lower[] = { calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, lower, 1));
	calx_group_by(q, calx_lower(calx_col(USER_NAME)));
	calx_order_by_expr(q, calx_count_star(), CALX_ASC);
	expect_rows(fx, q, 1, "i1;i1;i1;i1;i1");
}

static void distinct_values(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_expr *cols[] = { calx_col(USER_AGE) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 1));
	calx_distinct(q);
	calx_order_by(q, USER_AGE, CALX_ASC);
	expect_rows(fx, q, 1, "i25;i30;i41;i60");
}

static const char *names_ordered(fixture *fx, calx_order dir)
{
	static char out[128];
	out[0] = '\0';
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_order_by(q, USER_NOTE, dir);
	calx_order_by(q, USER_NAME, CALX_ASC);
	void **rows;
	size_t n;
	assert_ok(fx->s, calx_select_all(q, &rows, &n));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", ((struct user *)rows[i])->name);
	}
	calx_select_free(q);
	return out;
}

static void nulls_first_and_last_on_both(void **state)
{
	fixture *fx = *state;
	assert_string_equal(names_ordered(fx, CALX_ASC | CALX_NULLS_FIRST), "100% Real,BOB,Alice,carol,dave");
	assert_string_equal(names_ordered(fx, CALX_ASC | CALX_NULLS_LAST), "Alice,carol,dave,100% Real,BOB");
	assert_string_equal(names_ordered(fx, CALX_DESC | CALX_NULLS_LAST), "dave,carol,Alice,100% Real,BOB");
	assert_string_equal(names_ordered(fx, CALX_DESC | CALX_NULLS_FIRST), "100% Real,BOB,dave,carol,Alice");
}

static void first_one_or_none_and_scalar(void **state)
{
	fixture *fx = *state;
	struct user *u;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_order_by(q, USER_AGE, CALX_DESC);
	assert_ok(fx->s, calx_select_first(q, (void **)&u));
	assert_string_equal(u->name, "100% Real");
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, "zed"));
	assert_ok(fx->s, calx_select_first(q, (void **)&u));
	assert_null(u);
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, "BOB"));
	assert_ok(fx->s, calx_select_one_or_none(q, (void **)&u));
	assert_string_equal(u->name, "BOB");
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, "zed"));
	assert_ok(fx->s, calx_select_one_or_none(q, (void **)&u));
	assert_null(u);
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_AGE, 25));
	assert_calx(fx->s, calx_select_one_or_none(q, (void **)&u), CALX_EMULTIPLE);
	assert_null(u);
	calx_select_free(q);

	calx_value v;
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *count[] = { calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, count, 1));
	assert_ok(fx->s, calx_select_scalar(q, &v));
	assert_int_equal(v.kind, CALX_VALUE_INT);
	assert_int_equal(v.u.i, 5);
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *most[] = { calx_max(calx_col(USER_NAME)) };
	assert_ok(fx->s, calx_select_exprs(q, most, 1));
	assert_ok(fx->s, calx_select_scalar(q, &v));
	assert_int_equal(v.kind, CALX_VALUE_TEXT);
	assert_int_equal(v.u.s.n, 4);
	assert_memory_equal(v.u.s.p, "dave", 4);
	calx_select_free(q);
	/* a NULL value is a value; no row and more rows are statuses */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *note[] = { calx_col(USER_NOTE) };
	assert_ok(fx->s, calx_select_exprs(q, note, 1));
	calx_where(q, calx_eq(USER_NAME, "BOB"));
	assert_ok(fx->s, calx_select_scalar(q, &v));
	assert_int_equal(v.kind, CALX_VALUE_NULL);
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *name[] = { calx_col(USER_NAME) };
	assert_ok(fx->s, calx_select_exprs(q, name, 1));
	calx_where(q, calx_eq(USER_NAME, "zed"));
	assert_calx(fx->s, calx_select_scalar(q, &v), CALX_ENOTFOUND);
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *names[] = { calx_col(USER_NAME) };
	assert_ok(fx->s, calx_select_exprs(q, names, 1));
	assert_calx(fx->s, calx_select_scalar(q, &v), CALX_EMULTIPLE);
	calx_select_free(q);
}

static void grouped_selects_refuse_what_cannot_work(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c1[] = { calx_col(USER_NAME), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, c1, 2));
	calx_group_by(q, calx_col(USER_COLOR));
	refused(fx, q, 2, CALX_EINVAL, "in the select list is neither in calx_group_by nor inside an aggregate");

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c2[] = { calx_col(USER_AGE), calx_count_star() };
	assert_ok(fx->s, calx_select_exprs(q, c2, 2));
	refused(fx, q, 2, CALX_EINVAL, "select list is neither");     /* an aggregate makes it grouped */

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c3[] = { calx_col(USER_COLOR) };
	assert_ok(fx->s, calx_select_exprs(q, c3, 1));
	calx_group_by(q, calx_col(USER_COLOR));
	calx_having(q, calx_cmp(CALX_OP_GT, calx_col(USER_AGE), calx_lit(1)));
	refused(fx, q, 1, CALX_EINVAL, "in the having clause");

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c4[] = { calx_col(USER_COLOR) };
	assert_ok(fx->s, calx_select_exprs(q, c4, 1));
	calx_group_by(q, calx_col(USER_COLOR));
	calx_order_by(q, USER_NAME, CALX_ASC);
	refused(fx, q, 1, CALX_EINVAL, "in the order_by");

	void *obj;
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_cmp(CALX_OP_GT, calx_count_star(), calx_lit(1)));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "use calx_having"));
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c5[] = { calx_sum(calx_count_star()) };
	assert_ok(fx->s, calx_select_exprs(q, c5, 1));
	refused(fx, q, 1, CALX_EINVAL, "an aggregate inside an aggregate");

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c6[] = { calx_sum(calx_col(USER_NAME)) };
	assert_ok(fx->s, calx_select_exprs(q, c6, 1));
	refused(fx, q, 1, CALX_ETYPE, "sum of text");

	q = calx_select_new(fx->s, &user_mapper);
	calx_group_by(q, calx_col(USER_COLOR));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "choose them with calx_select_exprs"));
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c7[] = { calx_lit(1) };
	assert_ok(fx->s, calx_select_exprs(q, c7, 1));
	refused(fx, q, 1, CALX_EINVAL, "compute it in C");

	/* rows of values are not objects; calx_select_exprs once */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *c8[] = { calx_col(USER_AGE) };
	assert_ok(fx->s, calx_select_exprs(q, c8, 1));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	calx_expr *c9[] = { calx_col(USER_NAME) };
	assert_calx(fx->s, calx_select_exprs(q, c9, 1), CALX_EINVAL);
	calx_select_free(q);
}

static void a_case_and_a_cast_in_the_select_list_and_group_by(void **state)
{
	fixture *fx = *state;
	/* users per age band: the CASE selected, grouped by and ordered by */
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_expr *cols[] = { calx_case(calx_lt(USER_AGE, 30), calx_lit("young"), calx_lit("old")), calx_count_star(),
		              calx_sum(calx_cast(calx_col(USER_SCORE), CALX_VALUE_INT)) };
	assert_ok(fx->s, calx_select_exprs(q, cols, 3));
	calx_group_by(q, calx_case(calx_lt(USER_AGE, 30), calx_lit("young"), calx_lit("old")));
	calx_order_by_expr(q, calx_count_star(), CALX_DESC);
	/* scores 1.5, 50, 3 (old) truncate to 1 + 50 + 3; 2.5 and 0.5 (young) to 2 + 0 */
	expect_rows(fx, q, 3, "told|i3|i54;tyoung|i2|i2");
	/* cast to a real and to text come back as those kinds on both */
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *two[] = { calx_cast(calx_col(USER_AGE), CALX_VALUE_REAL), calx_cast(calx_col(USER_AGE), CALX_VALUE_TEXT) };
	assert_ok(fx->s, calx_select_exprs(q, two, 2));
	calx_where(q, calx_eq(USER_AGE, 41));
	expect_rows(fx, q, 2, "r41|t41");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(aggregates_per_group_with_the_same_kinds_on_both, users_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(having_and_order_by_an_aggregate, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(group_by_an_expression_holding_a_value, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_case_and_a_cast_in_the_select_list_and_group_by, users_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(distinct_values, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(nulls_first_and_last_on_both, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(first_one_or_none_and_scalar, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(grouped_selects_refuse_what_cannot_work, users_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_clauses", tests);
}
