/*
 * The query language's first expressions (calx/select.h), on SQLite and
 * PostgreSQL, over the shop's users: IN and NOT IN over a list (an empty
 * list too; a list of 40,000 values, one JSON parameter), BETWEEN, ILIKE against LIKE, a column against a column,
 * arithmetic with a column and a value (an integer column times 0.5: the
 * value must stay a fraction on PostgreSQL), ||, lower, upper, length and
 * coalesce; and what is refused when the select runs: kinds that do not
 * go together, values alone, NULL, a value where a condition belongs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"

static void add(fixture *fx, const char *name, int32_t age, double score, char *note)
{
	struct user *u = user_new(fx->s, .name = "", .age = age, .score = score, .note = note);
	assert_non_null(u);
	assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
	assert_ok(fx->s, calx_session_add(fx->s, u));
}

static int users_setup(void **state)
{
	if (fixture_setup(state) != 0)
		return -1;
	fixture *fx = *state;
	add(fx, "Alice", 30, 1.5, "Alpha");
	add(fx, "BOB", 25, 2.5, NULL);
	add(fx, "carol", 41, 50.0, "carol");
	add(fx, "dave", 25, 0.5, "Delta");
	add(fx, "100% Real", 60, 3.0, NULL);
	return calx_session_commit(fx->s) == CALX_OK ? 0 : -1;
}

/* The names the condition selects, in name order, comma separated; the status in *rc. */
static const char *names_where(fixture *fx, calx_expr *e, int *rc)
{
	static char out[256];
	out[0] = '\0';
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_non_null(q);
	calx_where(q, e);
	calx_order_by(q, USER_NAME, CALX_ASC);
	void **rows;
	size_t n;
	*rc = calx_select_all(q, &rows, &n);
	for (size_t i = 0; *rc == CALX_OK && i < n; i++) {
		const struct user *u = rows[i];
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%s", i ? "," : "", u->name);
	}
	calx_select_free(q);
	return out;
}

static void expect(fixture *fx, calx_expr *e, const char *want)
{
	int rc;
	const char *got = names_where(fx, e, &rc);
	if (rc != CALX_OK)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	assert_string_equal(got, want);
}

static void refused(fixture *fx, calx_expr *e, int status, const char *text)
{
	int rc;
	names_where(fx, e, &rc);
	assert_calx(fx->s, rc, status);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
}

static void in_and_not_in_over_a_list(void **state)
{
	fixture *fx = *state;
	const int64_t ages[] = { 25, 41 };
	expect(fx, calx_in_int64(USER_AGE, ages, 2), "BOB,carol,dave");
	calx_value both[] = { calx_value_int(25), calx_value_int(41) };
	expect(fx, calx_not_in(USER_AGE, both, 2), "100% Real,Alice");
	calx_value names[] = { calx_value_text("BOB"), calx_value_text("zed"), calx_value_text("Alice") };
	expect(fx, calx_in(USER_NAME, names, 3), "Alice,BOB");
	/* nothing is in an empty list; everything is outside it */
	expect(fx, calx_in(USER_NAME, NULL, 0), "");
	expect(fx, calx_not_in(USER_NAME, NULL, 0), "100% Real,Alice,BOB,carol,dave");
	/* with the other conditions */
	expect(fx, calx_and(calx_in_int64(USER_AGE, ages, 2), calx_not(calx_eq(USER_NAME, "dave"))), "BOB,carol");
	/* each value checked as calx_eq checks one */
	calx_value far[] = { calx_value_int(25), calx_value_int(5000000000) };
	refused(fx, calx_in(USER_AGE, far, 2), CALX_ERANGE, "out of its range");
	calx_value text[] = { calx_value_text("25") };
	refused(fx, calx_in(USER_AGE, text, 1), CALX_ETYPE, "compared with a string");
	calx_value null[] = { calx_value_null() };
	refused(fx, calx_in(USER_AGE, null, 1), CALX_EINVAL, "use calx_is_null()");
	refused(fx, calx_in(USER_AGE, NULL, 3), CALX_EINVAL, "NULL array");
}

/* The ages the condition selects, in age order (names sort by the database's collation). */
static void expect_ages(fixture *fx, calx_expr *e, const char *want)
{
	char out[256] = "";
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_non_null(q);
	calx_where(q, e);
	calx_order_by(q, USER_AGE, CALX_ASC);
	void **rows;
	size_t n;
	int rc = calx_select_all(q, &rows, &n);
	if (rc != CALX_OK)
		fail_msg("select failed: %s (%s)", calx_status_name(rc), calx_session_errmsg(fx->s));
	for (size_t i = 0; i < n; i++) {
		const struct user *u = rows[i];
		size_t len = strlen(out);
		snprintf(out + len, sizeof out - len, "%s%d", i ? "," : "", (int)u->age);
	}
	calx_select_free(q);
	assert_string_equal(out, want);
}

/*
 * Lists longer than 64 values go as one JSON array parameter: one
 * statement of one shape whatever the length, beyond the dialect's limit
 * of bound parameters (32766 on SQLite), with text that JSON must escape.
 */
static void long_lists_are_one_parameter_of_any_length(void **state)
{
	fixture *fx = *state;
	add(fx, "q\"uo\\te", 7, 7.25, NULL);
	add(fx, "tab\there", 8, 8.0, NULL);
	add(fx, "\x01" "ctl", 9, 9.0, NULL);
	add(fx, "\xc3\xbcn\xc3\xaf" "code", 10, 10.0, NULL);
	assert_ok(fx->s, calx_session_commit(fx->s));
	enum { N = 40000 };
	int64_t *ages = calloc(N, sizeof *ages);
	assert_non_null(ages);
	for (size_t i = 0; i < N; i++)
		ages[i] = 100 + (int64_t)i;       /* no user is that old */
	ages[N / 2] = 41;
	ages[N - 1] = 7;
	expect_ages(fx, calx_in_int64(USER_AGE, ages, 2), "");   /* the transaction begins here */
	uint64_t stmts0, stmts1, trips;
	calx_session_counters(fx->s, &stmts0, &trips);
	expect_ages(fx, calx_in_int64(USER_AGE, ages, N), "7,41");
	calx_session_counters(fx->s, &stmts1, &trips);
	assert_int_equal(stmts1 - stmts0, 1);
	expect_ages(fx, calx_not(calx_in_int64(USER_AGE, ages, N)), "8,9,10,25,25,30,60");
	/* the same shape at another length: a hit in the statement cache */
	calx_cache_stats before, after;
	calx_session_cache_stats(fx->s, &before);
	expect_ages(fx, calx_in_int64(USER_AGE, ages, N - 1000), "41");
	calx_session_cache_stats(fx->s, &after);
	assert_true(after.stmt_hits > before.stmt_hits);
	free(ages);

	calx_value names[100];
	for (size_t i = 0; i < 100; i++)
		names[i] = calx_value_text("nobody");
	names[3] = calx_value_text("q\"uo\\te");
	names[40] = calx_value_text("tab\there");
	names[41] = calx_value_text("\x01" "ctl");
	names[99] = calx_value_text("\xc3\xbcn\xc3\xaf" "code");
	expect_ages(fx, calx_in(USER_NAME, names, 100), "7,8,9,10");
	expect_ages(fx, calx_not_in(USER_NAME, names, 100), "25,25,30,41,60");

	calx_value scores[80];
	for (size_t i = 0; i < 80; i++)
		scores[i] = calx_value_real(1000.0 + (double)i);
	scores[10] = calx_value_real(7.25);
	scores[11] = calx_value_real(0.5);
	expect_ages(fx, calx_in(USER_SCORE, scores, 80), "7,25");
	/* each value is still checked against the column, long list or not */
	calx_value far[70];
	for (size_t i = 0; i < 70; i++)
		far[i] = calx_value_int((int64_t)i);
	far[69] = calx_value_int(5000000000);
	refused(fx, calx_in(USER_AGE, far, 70), CALX_ERANGE, "out of its range");
}

static void between_is_both_ends_inclusive(void **state)
{
	fixture *fx = *state;
	expect(fx, calx_between(USER_AGE, 25, 30), "Alice,BOB,dave");
	expect(fx, calx_between(USER_SCORE, 1.5, 3.0), "100% Real,Alice,BOB");
	expect(fx, calx_between(USER_NAME, "B", "d"), "BOB,carol");
	expect(fx, calx_not(calx_between(USER_AGE, 26, 59)), "100% Real,BOB,dave");
	refused(fx, calx_between(calx_field(USER_AGE), "a", "z"), CALX_ETYPE, "compared with a string");
	refused(fx, calx_between(USER_AGE, 0, 3000000000u), CALX_ERANGE, "out of its range");
}

/* ORDER BY a column a user names (?sort=age): looked up in the mapping, never sent as text */
static void a_column_chosen_at_run_time_is_looked_up(void **state)
{
	fixture *fx = *state;
	const calx_field_desc *by = calx_mapper_column(&user_mapper, "age");
	assert_ptr_equal(by, calx_field(USER_AGE));
	assert_ptr_equal(calx_mapper_column(&user_mapper, "score"), calx_field(USER_SCORE));
	assert_null(calx_mapper_column(&user_mapper, "age; DROP TABLE users"));
	assert_null(calx_mapper_column(&user_mapper, "AGE"));
	assert_null(calx_mapper_column(&user_mapper, NULL));
	assert_null(calx_mapper_column(NULL, "age"));
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_order_by(q, by, CALX_DESC);
	struct user *u;
	assert_calx(fx->s, calx_select_first(q, (void **)&u), CALX_OK);
	assert_string_equal(u->name, "100% Real");      /* the oldest, 60 */
	calx_select_free(q);
}

static void ilike_ignores_case_where_like_does_not(void **state)
{
	fixture *fx = *state;
	expect(fx, calx_like(USER_NAME, "%o%"), "carol");
	expect(fx, calx_ilike(USER_NAME, "%o%"), "BOB,carol");
	expect(fx, calx_ilike(USER_NAME, "a%"), "Alice");
	expect(fx, calx_ilike(USER_NAME, "b_b"), "BOB");
	/* the escape: a literal % */
	char pattern[32];
	calx_like_escape(pattern, sizeof pattern, "100%");
	strcat(pattern, "%");
	expect(fx, calx_ilike(USER_NAME, pattern), "100% Real");
	expect(fx, calx_ilike(USER_NAME, "100%"), "100% Real");
	refused(fx, calx_ilike(calx_field(USER_AGE), "2%"), CALX_ETYPE, "not a text column");
	refused(fx, calx_ilike(USER_NAME, NULL), CALX_ETYPE, "needs a text pattern");
}

static void columns_against_columns_and_values(void **state)
{
	fixture *fx = *state;
	/* a double column against an integer column */
	expect(fx, calx_cmp(CALX_OP_GT, calx_col(USER_SCORE), calx_col(USER_AGE)), "carol");
	/* either side */
	expect(fx, calx_cmp(CALX_OP_LT, calx_lit(40), calx_col(USER_AGE)), "100% Real,carol");
	/* arithmetic: an integer column plus an integer, times a fraction */
	expect(fx, calx_cmp(CALX_OP_GT, calx_add(calx_col(USER_AGE), calx_lit(10)), calx_lit(40)),
	       "100% Real,carol");
	expect(fx, calx_cmp(CALX_OP_GT, calx_mul(calx_col(USER_AGE), calx_lit(0.5)), calx_lit(12.6)),
	       "100% Real,Alice,carol");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_sub(calx_col(USER_AGE), calx_col(USER_AGE)), calx_lit(0)),
	       "100% Real,Alice,BOB,carol,dave");
	/* integer division is integer division on both */
	expect(fx, calx_cmp(CALX_OP_EQ, calx_div(calx_col(USER_AGE), calx_lit(2)), calx_lit(12)), "BOB,dave");
	/* text */
	expect(fx, calx_cmp(CALX_OP_EQ, calx_lower(calx_col(USER_NAME)), calx_lit("bob")), "BOB");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_upper(calx_col(USER_NAME)), calx_lit("CAROL")), "carol");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_length(calx_col(USER_NAME)), calx_lit(5)), "Alice,carol");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_concat(calx_col(USER_NAME), calx_lit("!")), calx_lit("BOB!")), "BOB");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_col(USER_NAME), calx_col(USER_NOTE)), "carol");
	/* coalesce: NULL notes read as "none" */
	expect(fx, calx_cmp(CALX_OP_EQ, calx_coalesce(calx_col(USER_NOTE), calx_lit("none")), calx_lit("none")),
	       "100% Real,BOB");
	/* a column against a value through calx_cmp is checked as calx_eq */
	refused(fx, calx_cmp(CALX_OP_EQ, calx_col(USER_AGE), calx_lit(5000000000)), CALX_ERANGE, "out of its range");
}

static void what_cannot_work_is_refused_before_the_server(void **state)
{
	fixture *fx = *state;
	refused(fx, calx_cmp(CALX_OP_EQ, calx_col(USER_NAME), calx_col(USER_AGE)), CALX_ETYPE,
	        "text compared with a number");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_add(calx_col(USER_NAME), calx_lit(1)), calx_lit(2)), CALX_ETYPE,
	        "arithmetic on text");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_length(calx_col(USER_AGE)), calx_lit(2)), CALX_ETYPE,
	        "length of a number");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_concat(calx_col(USER_NAME), calx_col(USER_AGE)), calx_lit("x")),
	        CALX_ETYPE, "of a number");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_lit(1), calx_lit(1)), CALX_EINVAL, "compute it in C");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_add(calx_lit(1), calx_lit(2)), calx_col(USER_AGE)), CALX_EINVAL,
	        "compute it in C");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_col(USER_NOTE), calx_value_expr(calx_value_null())), CALX_EINVAL,
	        "use calx_is_null()");
	refused(fx, calx_col(USER_AGE), CALX_EINVAL, "where a condition was expected");
	refused(fx, calx_cmp(CALX_OP_AND, calx_col(USER_AGE), calx_col(USER_AGE)), CALX_EINVAL, "not a comparison");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_col(ADDRESS_CITY), calx_lit("x")), CALX_EINVAL,
	        "is not a column of \"users\"");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_lit(calx_value_text("\xff")), calx_col(USER_NAME)), CALX_ETYPE,
	        "not valid UTF-8");
	/* built and never used: freed with the values and lists they own */
	calx_value names[] = { calx_value_text("a"), calx_value_text("b") };
	calx_expr_free(calx_and(calx_in(USER_NAME, names, 2),
	                        calx_cmp(CALX_OP_LT, calx_coalesce(calx_col(USER_NOTE), calx_lit("n")),
	                                 calx_concat(calx_col(USER_NAME), calx_lit("z")))));
	calx_expr_free(calx_between(USER_NAME, "a", "b"));
}

static void casts_truncate_and_convert_alike_on_both(void **state)
{
	fixture *fx = *state;
	/* scores 1.5, 2.5, 50, 0.5, 3: truncated toward zero (PostgreSQL alone would round 1.5 and 2.5 to 2) */
	expect(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_SCORE), CALX_VALUE_INT), calx_lit(2)), "BOB");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_SCORE), CALX_VALUE_INT), calx_lit(0)), "dave");
	/* an integer as text, concatenated */
	expect(fx, calx_cmp(CALX_OP_EQ, calx_concat(calx_cast(calx_col(USER_AGE), CALX_VALUE_TEXT), calx_lit("!")),
	                    calx_lit("25!")),
	       "BOB,dave");
	/* an integer as a real: 25 / 2 is 12.5, not 12 */
	expect(fx, calx_cmp(CALX_OP_GT, calx_div(calx_cast(calx_col(USER_AGE), CALX_VALUE_REAL), calx_lit(2)),
	                    calx_lit(12.4)),
	       "100% Real,Alice,BOB,carol,dave");
	expect(fx, calx_cmp(CALX_OP_GT, calx_div(calx_col(USER_AGE), calx_lit(2)), calx_lit(12.4)), "100% Real,Alice,carol");
	expect(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_AGE), CALX_VALUE_NUMERIC), calx_lit(41)), "carol");
	/* what the dialects would do differently, or cannot do, is refused */
	refused(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_NAME), CALX_VALUE_INT), calx_lit(1)), CALX_ETYPE,
	        "leading digits");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_AGE), CALX_VALUE_BLOB), calx_lit(1)), CALX_EINVAL,
	        "calx_cast to a kind");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_cast(calx_col(USER_AGE), CALX_VALUE_TEXT), calx_lit(25)), CALX_ETYPE,
	        "text compared with a number");
	refused(fx, calx_cast(calx_col(USER_AGE), CALX_VALUE_INT), CALX_EINVAL, "where a condition was expected");
}

static void cases_choose_a_value_per_row(void **state)
{
	fixture *fx = *state;
	expect(fx, calx_cmp(CALX_OP_EQ, calx_case(calx_lt(USER_AGE, 30), calx_lit("young"), calx_lit("old")),
	                    calx_lit("young")),
	       "BOB,dave");
	/* a chain is one CASE with a WHEN per link */
	calx_expr *band = calx_case(calx_lt(USER_AGE, 30), calx_lit(1),
	                            calx_case(calx_lt(USER_AGE, 50), calx_lit(2), calx_lit(3)));
	expect(fx, calx_cmp(CALX_OP_EQ, band, calx_lit(2)), "Alice,carol");
	/* no ELSE: NULL, which equals nothing */
	expect(fx, calx_cmp(CALX_OP_EQ,
	                    calx_case(calx_gt(USER_AGE, 40), calx_col(USER_NOTE), calx_value_expr(calx_value_null())),
	                    calx_lit("carol")),
	       "carol");
	/* numbers mix: an integer and a real give a real */
	expect(fx, calx_cmp(CALX_OP_GT, calx_case(calx_is_null(USER_NOTE), calx_col(USER_SCORE), calx_lit(0)),
	                    calx_lit(2.9)),
	       "100% Real");
	/* a long chain is no deeper than one CASE */
	calx_expr *chain = calx_lit(0);
	for (int i = 0; i < 2000; i++)
		chain = calx_case(calx_eq(USER_AGE, 1000 + i), calx_lit(i), chain);
	expect(fx, calx_cmp(CALX_OP_EQ, chain, calx_lit(0)), "100% Real,Alice,BOB,carol,dave");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_case(calx_lt(USER_AGE, 30), calx_lit(1), calx_lit("x")), calx_lit(1)),
	        CALX_ETYPE, "a CASE whose values are a number and text");
	refused(fx, calx_cmp(CALX_OP_EQ, calx_case(calx_col(USER_AGE), calx_lit(1), calx_lit(2)), calx_lit(1)),
	        CALX_EINVAL, "where a condition was expected");
	refused(fx, calx_case(calx_lt(USER_AGE, 30), calx_lit(1), calx_lit(2)), CALX_EINVAL,
	        "where a condition was expected");
	calx_expr_free(calx_case(calx_lt(USER_AGE, 30), calx_lit("a"), calx_case(calx_lt(USER_AGE, 3), calx_lit("b"),
	                                                                         calx_lit("c"))));
	assert_null(calx_case(calx_lt(USER_AGE, 30), calx_lit("a"), NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(in_and_not_in_over_a_list, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(long_lists_are_one_parameter_of_any_length, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_column_chosen_at_run_time_is_looked_up, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(between_is_both_ends_inclusive, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(ilike_ignores_case_where_like_does_not, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(columns_against_columns_and_values, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(what_cannot_work_is_refused_before_the_server, users_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(casts_truncate_and_convert_alike_on_both, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(cases_choose_a_value_per_row, users_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_expr", tests);
}
