/*
 * Typed rows (calx/row.h), on SQLite and PostgreSQL: a select of values
 * read into a struct of the program's own, each member typed by
 * CALX_ROW_FIELD at compile time; NULL into a wrapper and a char *; a
 * grouped count; and what is refused: NULL into a plain member or a
 * char[N] (which would read as ""), text too
 * long for a char[N], an integer beyond its member, a row of the wrong
 * width.
 */
#include <string.h>
#include "helpers.h"

struct person_row {
	char *name;
	int32_t age;
	calx_opt_double score;
	char note[8];
	const char *email;
};

static const calx_row_field person_fields[] = {
	CALX_ROW_FIELD(struct person_row, name),
	CALX_ROW_FIELD(struct person_row, age),
	CALX_ROW_FIELD(struct person_row, score),
	CALX_ROW_FIELD(struct person_row, note),
	CALX_ROW_FIELD(struct person_row, email),
};

static int users_setup(void **state)
{
	if (fixture_setup(state) != 0)
		return -1;
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct user *a = user_new(s, .name = "ann", .age = 30, .score = 1.5, .note = "short");
	struct user *b = user_new(s, .name = "bob", .age = 30, .score = 2.0, .email = "bob@example.org");
	struct user *c = user_new(s, .name = "cy", .age = 41, .note = "far too long a note");
	if (!a || !b || !c || calx_session_add(s, a) || calx_session_add(s, b) || calx_session_add(s, c))
		return -1;
	return calx_session_commit(s) == CALX_OK ? 0 : -1;
}

static calx_select *people(fixture *fx, calx_expr *score)
{
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_non_null(q);
	/* a char[N] cannot hold NULL (it would read as ""): the select says what a missing note is */
	calx_expr *e[] = { calx_col(USER_NAME), calx_col(USER_AGE), score,
		           calx_coalesce(calx_col(USER_NOTE), calx_lit("")), calx_col(USER_EMAIL) };
	assert_ok(fx->s, calx_select_exprs(q, e, 5));
	calx_order_by(q, USER_NAME, CALX_ASC);
	return q;
}

static void rows_fill_a_struct_member_by_member(void **state)
{
	fixture *fx = *state;
	calx_select *q = people(fx, calx_col(USER_SCORE));
	calx_where(q, calx_ne(USER_NAME, "cy"));
	struct person_row r;
	memset(&r, 0, sizeof r);
	assert_calx(fx->s, calx_select_next_row(q, &r, person_fields, 5), CALX_ROW);
	assert_string_equal(r.name, "ann");
	assert_int_equal(r.age, 30);
	assert_true(r.score.has_value);
	assert_true(r.score.value == 1.5);
	assert_string_equal(r.note, "short");
	assert_null(r.email);                   /* NULL text into a char *: a NULL pointer */
	assert_calx(fx->s, calx_select_next_row(q, &r, person_fields, 5), CALX_ROW);
	assert_string_equal(r.name, "bob");
	assert_string_equal(r.email, "bob@example.org");
	assert_string_equal(r.note, "");
	assert_calx(fx->s, calx_select_next_row(q, &r, person_fields, 5), CALX_DONE);
	calx_select_free(q);
}

struct age_count {
	int16_t age;
	int64_t n;
	calx_opt_int64 longest;
};

static void a_grouped_count_reads_into_its_struct(void **state)
{
	fixture *fx = *state;
	static const calx_row_field fields[] = {
		CALX_ROW_FIELD(struct age_count, age),
		CALX_ROW_FIELD(struct age_count, n),
		CALX_ROW_FIELD(struct age_count, longest),
	};
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_expr *e[] = { calx_col(USER_AGE), calx_count_star(), calx_max(calx_length(calx_col(USER_EMAIL))) };
	assert_ok(fx->s, calx_select_exprs(q, e, 3));
	calx_group_by(q, calx_col(USER_AGE));
	calx_order_by_expr(q, calx_col(USER_AGE), CALX_ASC);
	struct age_count r;
	assert_calx(fx->s, calx_select_next_row(q, &r, fields, 3), CALX_ROW);
	assert_int_equal(r.age, 30);
	assert_int_equal(r.n, 2);
	assert_true(r.longest.has_value && r.longest.value == 15);
	assert_calx(fx->s, calx_select_next_row(q, &r, fields, 3), CALX_ROW);
	assert_int_equal(r.age, 41);
	assert_int_equal(r.n, 1);
	assert_false(r.longest.has_value);     /* max of no email: NULL */
	assert_calx(fx->s, calx_select_next_row(q, &r, fields, 3), CALX_DONE);
	calx_select_free(q);
}

struct tiny_row {
	int8_t age;
};

static void what_does_not_fit_is_refused(void **state)
{
	fixture *fx = *state;
	struct person_row r;
	/* cy's note is 19 bytes: not into a char[8] */
	calx_select *q = people(fx, calx_col(USER_SCORE));
	calx_where(q, calx_eq(USER_NAME, "cy"));
	assert_calx(fx->s, calx_select_next_row(q, &r, person_fields, 5), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "member 'note'"));
	calx_select_free(q);
	/* a NULL into a plain int64_t (cy has no email): declare it calx_opt_int64 */
	static const calx_row_field plain[] = {
		{ "length", CALX_CTYPE_INT64, 0, 0, sizeof(int64_t) },
	};
	int64_t d;
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *e[] = { calx_length(calx_col(USER_EMAIL)) };
	assert_ok(fx->s, calx_select_exprs(q, e, 1));
	calx_where(q, calx_eq(USER_NAME, "cy"));
	assert_calx(fx->s, calx_select_next_row(q, &d, plain, 1), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "cannot hold NULL"));
	calx_select_free(q);
	/* ... nor into a char[N], where it would read as "" */
	static const calx_row_field text8[] = { CALX_ROW_FIELD(struct person_row, note) };
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *note[] = { calx_col(USER_NOTE) };
	assert_ok(fx->s, calx_select_exprs(q, note, 1));
	calx_where(q, calx_eq(USER_NAME, "bob"));
	assert_calx(fx->s, calx_select_next_row(q, &r, text8, 1), CALX_ETYPE);
	calx_select_free(q);
	/* 300 into an int8_t */
	static const calx_row_field tiny[] = { CALX_ROW_FIELD(struct tiny_row, age) };
	struct tiny_row t;
	q = calx_select_new(fx->s, &user_mapper);
	calx_expr *big[] = { calx_mul(calx_col(USER_AGE), calx_lit(10)) };
	assert_ok(fx->s, calx_select_exprs(q, big, 1));
	assert_calx(fx->s, calx_select_next_row(q, &t, tiny, 1), CALX_ERANGE);
	calx_select_free(q);
	/* a row of two members for a select of five values */
	q = people(fx, calx_col(USER_SCORE));
	assert_calx(fx->s, calx_select_next_row(q, &r, person_fields, 2), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "has 2 fields, the select 5 values"));
	calx_select_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_fill_a_struct_member_by_member, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_grouped_count_reads_into_its_struct, users_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(what_does_not_fit_is_refused, users_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_row", tests);
}
