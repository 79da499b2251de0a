/*
 * Selects: conditions on typed column handles, order, limit/offset, results
 * through the identity map, and errors in building.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"

/* Twenty users: u00..u19, age = i, note NULL for odd i. */
static int seed(void **state)
{
	if (fixture_setup(state) != 0)
		return -1;
	fixture *fx = *state;
	for (int i = 0; i < 20; i++) {
		char name[16];
		snprintf(name, sizeof name, "u%02d", i);
		struct user *u = user_new(fx->s, .name = "", .age = i, .score = i / 2.0,
		                          .note = (i % 2) ? NULL : "even");
		if (!u || calx_field_set_text(fx->s, u, USER_NAME, name) != CALX_OK ||
		    calx_session_add(fx->s, u) != CALX_OK)
			return -1;
	}
	return calx_session_commit(fx->s) == CALX_OK ? 0 : -1;
}

static size_t run(fixture *fx, calx_select *q, void ***items)
{
	size_t n = 0;
	assert_ok(fx->s, calx_select_all(q, items, &n));
	return n;
}

static void where_comparisons_select_the_right_rows(void **state)
{
	fixture *fx = *state;
	struct { calx_expr *e; size_t want; } cases[] = {
		{ calx_eq(USER_AGE, 3), 1 },
		{ calx_ne(USER_AGE, 3), 19 },
		{ calx_lt(USER_AGE, 5), 5 },
		{ calx_le(USER_AGE, 5), 6 },
		{ calx_gt(USER_AGE, 15), 4 },
		{ calx_ge(USER_AGE, 15), 5 },
		{ calx_is_null(USER_NOTE), 10 },
		{ calx_is_not_null(USER_NOTE), 10 },
		{ calx_and(calx_ge(USER_AGE, 4), calx_lt(USER_AGE, 8)), 4 },
		{ calx_or(calx_eq(USER_NAME, "u01"), calx_eq(USER_NAME, "u02")), 2 },
		{ calx_not(calx_lt(USER_AGE, 18)), 2 },
		{ calx_gt(USER_SCORE, 8.5), 2 },
		{ calx_eq(USER_ACTIVE, true), 20 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		calx_select *q = calx_select_new(fx->s, &user_mapper);
		void **items;
		calx_where(q, cases[i].e);
		size_t n = run(fx, q, &items);
		if (n != cases[i].want)
			fail_msg("case %zu: %zu rows, want %zu", i, n, cases[i].want);
		calx_select_free(q);
	}
}

static void order_limit_and_offset_page_through_rows(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_is_not_null(USER_NOTE));
	calx_order_by(q, USER_AGE, CALX_DESC);
	calx_limit(q, 3);
	calx_offset(q, 2);
	void **items;
	assert_int_equal(run(fx, q, &items), 3);
	assert_int_equal(((struct user *)items[0])->age, 14);
	assert_int_equal(((struct user *)items[1])->age, 12);
	assert_int_equal(((struct user *)items[2])->age, 10);
	calx_select_free(q);
}

static void results_come_through_the_identity_map(void **state)
{
	fixture *fx = *state;
	calx_session *s2 = fixture_session(fx);
	struct user *first;
	calx_select *q = calx_select_new(s2, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, "u07"));
	assert_ok(s2, calx_select_one(q, (void **)&first));
	calx_select_free(q);
	first->age = 700;                       /* unflushed change, kept */
	calx_session_set_autoflush(s2, false);
	q = calx_select_new(s2, &user_mapper);
	calx_order_by(q, USER_AGE, CALX_ASC);
	void *obj;
	int rc, seen = 0;
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
		if (obj == first)
			seen++;
	}
	assert_int_equal(rc, CALX_DONE);
	assert_int_equal(seen, 1);
	assert_int_equal(first->age, 700);
	calx_select_free(q);
	struct user *got;
	assert_ok(s2, user_get(s2, first->id, &got));
	assert_ptr_equal(got, first);
	calx_session_free(s2);
}

static void select_sees_pending_objects_through_autoflush(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "late", .age = 55);
	assert_ok(fx->s, calx_session_add(fx->s, u));
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_AGE, 55));
	struct user *found;
	assert_ok(fx->s, calx_select_one(q, (void **)&found));
	assert_ptr_equal(found, u);
	calx_select_free(q);
}

static void select_one_tells_none_from_many(void **state)
{
	fixture *fx = *state;
	void *obj;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_gt(USER_AGE, 100));
	assert_calx(fx->s, calx_select_one(q, &obj), CALX_ENOTFOUND);
	calx_select_free(q);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_lt(USER_AGE, 2));
	assert_calx(fx->s, calx_select_one(q, &obj), CALX_EMULTIPLE);
	calx_select_free(q);
}

static void bad_conditions_are_errors_when_the_select_runs(void **state)
{
	fixture *fx = *state;
	void *obj;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(calx_field(USER_AGE), "three"));   /* untyped: checked at run time */
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "user.age (int32_t) compared with a string"));
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(ADDRESS_CITY, "Paris"));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "is not a column of \"users\""));
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_eq(USER_NOTE, calx_value_null()));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "use calx_is_null()"));
	calx_select_free(q);

	q = calx_select_new(fx->s, &user_mapper);
	calx_limit(q, -1);
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	calx_select_free(q);
}

/* Rows 1..3 of samples, every wrapper set from i (ob only on row 2). */
static void seed_samples(fixture *fx)
{
	for (int i = 1; i <= 3; i++) {
		struct sample *x = calx_object_new(fx->s, &sample_mapper);
		assert_non_null(x);
		x->id = i;
		calx_opt_set(&x->oi8, (int8_t)-i);
		calx_opt_set(&x->oi16, (int16_t)(-300 * i));
		calx_opt_set(&x->oi32, -70000 * i);
		calx_opt_set(&x->oi64, -5000000000LL * i);
		calx_opt_set(&x->ou8, (uint8_t)(250 + i));
		calx_opt_set(&x->ou16, (uint16_t)(65000 + i));
		calx_opt_set(&x->ou32, 4000000000u + (uint32_t)i);
		calx_opt_set(&x->ou64, ((uint64_t)1 << 40) + (uint64_t)i);
		calx_opt_set(&x->ob, i == 2);
		calx_opt_set(&x->of, 0.5f * (float)i);
		calx_opt_set(&x->od, 0.25 * i);
		assert_ok(fx->s, calx_session_add(fx->s, x));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void wrappers_compare_by_their_value(void **state)
{
	fixture *fx = *state;
	seed_samples(fx);
	struct sample *two;
	calx_session *s2 = fixture_session(fx);
	assert_ok(s2, sample_get(s2, 2, &two));
	/* calx_v picks each wrapper's conversion from its type: every one finds row 2 */
	calx_expr *cases[] = {
		calx_eq(SAMPLE_OI8, two->oi8),   calx_eq(SAMPLE_OI16, two->oi16), calx_eq(SAMPLE_OI32, two->oi32),
		calx_eq(SAMPLE_OI64, two->oi64), calx_eq(SAMPLE_OU8, two->ou8),   calx_eq(SAMPLE_OU16, two->ou16),
		calx_eq(SAMPLE_OU32, two->ou32), calx_eq(SAMPLE_OU64, two->ou64), calx_eq(SAMPLE_OB, two->ob),
		calx_eq(SAMPLE_OF, two->of),     calx_eq(SAMPLE_OD, two->od),
		calx_and(calx_gt(SAMPLE_OD, two->od), calx_lt(SAMPLE_OI32, two->oi32)),
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		calx_select *q = calx_select_new(fx->s, &sample_mapper);
		struct sample *got;
		calx_where(q, cases[i]);
		assert_ok(fx->s, calx_select_one(q, (void **)&got));
		if (got->id != (i < 11 ? 2 : 3))
			fail_msg("case %zu: row %lld", i, (long long)got->id);
		calx_select_free(q);
	}
	calx_session_free(s2);
}

static void a_wrapper_without_a_value_is_null_and_refused(void **state)
{
	fixture *fx = *state;
	seed_samples(fx);
	calx_opt_int32 none = CALX_NULL;
	calx_opt_double dnone = CALX_NULL;
	calx_value v = calx_v(none);
	assert_int_equal(v.kind, CALX_VALUE_NULL);
	calx_expr *cases[] = { calx_eq(SAMPLE_OI32, none), calx_ne(SAMPLE_OD, dnone) };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		void *obj;
		calx_select *q = calx_select_new(fx->s, &sample_mapper);
		calx_where(q, cases[i]);
		assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
		assert_non_null(strstr(calx_session_errmsg(fx->s), "with NULL never matches in SQL: use calx_is_null()"));
		calx_select_free(q);
	}
	/* the way to ask: calx_is_null; a has_value wrapper with value 0 is 0, not NULL */
	calx_opt_int32 zero = CALX_SOME(0);
	assert_int_equal(calx_v(zero).kind, CALX_VALUE_INT);
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	void **items;
	calx_where(q, calx_is_null(SAMPLE_OI32));
	assert_int_equal(run(fx, q, &items), 0);
	calx_select_free(q);
}

static void column_tuples_come_back_as_values(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	const calx_field_desc *cols[] = { calx_field(USER_NAME), calx_field(USER_AGE), calx_field(USER_NOTE) };
	assert_ok(fx->s, calx_select_columns(q, cols, 3));
	calx_where(q, calx_lt(USER_AGE, 2));
	calx_order_by(q, USER_AGE, CALX_ASC);
	calx_value v[3];
	assert_int_equal(calx_select_next_values(q, v), CALX_ROW);
	assert_int_equal(v[0].kind, CALX_VALUE_TEXT);
	assert_memory_equal(v[0].u.s.p, "u00", 3);
	assert_int_equal(v[1].u.i, 0);
	assert_int_equal(v[2].kind, CALX_VALUE_TEXT);
	assert_int_equal(calx_select_next_values(q, v), CALX_ROW);
	assert_int_equal(v[1].u.i, 1);
	assert_int_equal(v[2].kind, CALX_VALUE_NULL);
	assert_int_equal(calx_select_next_values(q, v), CALX_DONE);
	void *obj;
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	calx_select_free(q);
}

static void hostile_text_is_a_value_never_sql(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	void **items;
	calx_where(q, calx_eq(USER_NAME, "x' OR '1'='1"));
	assert_int_equal(run(fx, q, &items), 0);
	calx_select_free(q);
	assert_int_equal(count_rows(fx, &user_mapper), 20);
}

/*
 * A where of 100,000 ANDed conditions, built left-deep in a loop, runs (one
 * list, joined balanced: no deep recursion, within SQLite's expression
 * depth); too many parameters is CALX_ERANGE, a NOT chain 100,000 deep
 * CALX_EINVAL; nothing crashes, and a never-run 1,000,000-node OR chain
 * frees.
 */
static void deep_conditions_run_or_are_refused_never_crash(void **state)
{
	fixture *fx = *state;
	void *obj, **items;
	calx_expr *e = calx_is_not_null(USER_NAME);
	for (int i = 0; i < 100000 && e; i++)
		e = calx_and(e, calx_is_not_null(USER_NAME));
	assert_non_null(e);
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, calx_or(e, calx_is_null(USER_NAME)));
	assert_int_equal(run(fx, q, &items), 20);
	calx_select_free(q);

	e = calx_ge(USER_AGE, 0);
	for (int i = 0; i < 100000 && e; i++)
		e = calx_and(calx_ge(USER_AGE, 0), e);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, e);
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "parameters, at most"));
	calx_select_free(q);

	e = calx_eq(USER_AGE, 1);
	for (int i = 0; i < 100000 && e; i++)
		e = calx_not(e);
	q = calx_select_new(fx->s, &user_mapper);
	calx_where(q, e);
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "nested deeper than 1000 levels"));
	calx_select_free(q);

	e = calx_eq(USER_AGE, 1);
	for (int i = 0; i < 1000000 && e; i++)
		e = calx_or(calx_eq(USER_NAME, "x"), e);
	assert_non_null(e);
	calx_expr_free(e);
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* Text with a NULL pointer and a length, or a length of SIZE_MAX: CALX_EINVAL with a message. */
static void bad_text_values_are_einval(void **state)
{
	fixture *fx = *state;
	void *obj;
	calx_value bad[] = { calx_value_textn(NULL, 5), calx_value_textn("abc", SIZE_MAX),
	                     calx_value_numericn(NULL, 2), calx_value_numericn("1", SIZE_MAX) };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		calx_select *q = calx_select_new(fx->s, &user_mapper);
		calx_where(q, calx_compare(CALX_OP_EQ, USER_NAME, bad[i]));
		assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
		assert_non_null(strstr(calx_session_errmsg(fx->s), "invalid text value"));
		calx_select_free(q);
	}
	struct user *u = NULL;
	assert_calx(fx->s, calx_session_get(fx->s, &tag_mapper, calx_value_textn(NULL, 3), (void **)&u), CALX_EINVAL);
	assert_calx(fx->s, calx_session_get(fx->s, &tag_mapper, calx_value_textn("a", SIZE_MAX), (void **)&u),
	            CALX_EINVAL);
}

/* calx_object_repr and calx_like_escape take NULL like every other call. */
static void repr_and_like_escape_take_null(void **state)
{
	(void)state;
	char buf[8] = "zzz";
	struct user u = { 0 };
	assert_int_equal(calx_object_repr(NULL, &u, buf, sizeof buf), -1);
	assert_string_equal(buf, "");
	strcpy(buf, "zzz");
	assert_int_equal(calx_object_repr(&user_mapper, NULL, buf, sizeof buf), -1);
	assert_string_equal(buf, "");
	assert_int_equal(calx_object_repr(NULL, NULL, NULL, 10), -1);
	struct user v = { 0 };
	assert_false(calx_object_eq(NULL, &u, &v));
	assert_int_equal(calx_like_escape(NULL, 10, "a%b"), 4);
	assert_int_equal(calx_like_escape(buf, sizeof buf, NULL), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, seed, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(where_comparisons_select_the_right_rows),
		T(order_limit_and_offset_page_through_rows),
		T(results_come_through_the_identity_map),
		T(select_sees_pending_objects_through_autoflush),
		T(select_one_tells_none_from_many),
		T(bad_conditions_are_errors_when_the_select_runs),
		T(wrappers_compare_by_their_value),
		T(a_wrapper_without_a_value_is_null_and_refused),
		T(column_tuples_come_back_as_values),
		T(hostile_text_is_a_value_never_sql),
		T(deep_conditions_run_or_are_refused_never_crash),
		T(bad_text_values_are_einval),
		T(repr_and_like_escape_take_null),
	};
	return RUN_ON_ALL_DIALECTS("select", tests);
}
