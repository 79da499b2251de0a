/*
 * Every mapped C type round-trips exactly, NULL included; values that do not
 * fit are errors, never wrapped or truncated.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "helpers.h"

static struct sample *load_sample(calx_session *s, int64_t id)
{
	struct sample *x = NULL;
	assert_ok(s, sample_get(s, id, &x));
	return x;
}

static void raw_exec(fixture *fx, const char *sql)
{
	if (calx_engine_exec(fx->eng, sql) != CALX_OK)
		fail_msg("%s: %s", sql, calx_engine_errmsg(fx->eng));
}

static void integer_boundaries_round_trip(void **state)
{
	fixture *fx = *state;
	struct sample *lo = sample_new(fx->s, .id = 1, .i8 = INT8_MIN, .i16 = INT16_MIN, .i32 = INT32_MIN,
	                               .i64 = INT64_MIN, .u8 = 0, .u16 = 0, .u32 = 0, .u64 = 0);
	struct sample *hi = sample_new(fx->s, .id = 2, .i8 = INT8_MAX, .i16 = INT16_MAX, .i32 = INT32_MAX,
	                               .i64 = INT64_MAX, .u8 = UINT8_MAX, .u16 = UINT16_MAX, .u32 = UINT32_MAX,
	                               .u64 = INT64_MAX);
	assert_non_null(lo);
	assert_non_null(hi);
	assert_ok(fx->s, calx_session_add(fx->s, lo));
	assert_ok(fx->s, calx_session_add(fx->s, hi));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 1), *b = load_sample(s2, 2);
	assert_true(a != lo && b != hi);
	assert_int_equal(a->i8, INT8_MIN);
	assert_int_equal(a->i16, INT16_MIN);
	assert_int_equal(a->i32, INT32_MIN);
	assert_true(a->i64 == INT64_MIN);
	assert_int_equal(b->i8, INT8_MAX);
	assert_int_equal(b->i16, INT16_MAX);
	assert_int_equal(b->i32, INT32_MAX);
	assert_true(b->i64 == INT64_MAX);
	assert_int_equal(b->u8, UINT8_MAX);
	assert_int_equal(b->u16, UINT16_MAX);
	assert_true(b->u32 == UINT32_MAX);
	assert_true(b->u64 == (uint64_t)INT64_MAX);
	assert_true(sample_eq(a, lo));
	assert_true(sample_eq(b, hi));
	calx_session_free(s2);
}

static void unsigned_64_beyond_int64_is_an_error_not_a_wrap(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 3, .u64 = UINT64_MAX);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "18446744073709551615 does not fit"));
	assert_non_null(strstr(calx_session_errmsg(fx->s), "sample.u64"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &sample_mapper), 0);
}

static void floats_bools_strings_and_enums_round_trip(void **state)
{
	fixture *fx = *state;
	const char *text = "quote ' double \" semi ; -- comment \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	struct sample *x = sample_new(fx->s, .id = 4, .b = true, .f = FLT_MAX, .d = -DBL_MIN,
	                              .s = (char *)text, .fixed = "1234567", .c = COLOR_BLUE);
	struct sample *y = sample_new(fx->s, .id = 5, .b = false, .f = -INFINITY, .d = INFINITY, .s = "",
	                              .fixed = "", .c = COLOR_RED);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_add(fx->s, y));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 4), *b = load_sample(s2, 5);
	assert_true(a->b);
	assert_true(a->f == FLT_MAX);
	assert_true(a->d == -DBL_MIN);
	assert_string_equal(a->s, text);
	assert_string_equal(a->fixed, "1234567");
	assert_int_equal(a->c, COLOR_BLUE);
	assert_false(b->b);
	assert_true(isinf(b->f) && b->f < 0);
	assert_true(isinf(b->d) && b->d > 0);
	assert_non_null(b->s);             /* "" is not NULL */
	assert_string_equal(b->s, "");
	assert_false(calx_field_is_null(s2, b, SAMPLE_S));
	assert_string_equal(b->fixed, "");
	assert_int_equal(b->c, COLOR_RED);
	calx_session_free(s2);
}

static void invalid_utf8_is_refused_both_ways(void **state)
{
	fixture *fx = *state;
	const char *bad[] = {
		"\xff", "abc\xc3", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* surrogate */,
		"\xf4\x90\x80\x80" /* above U+10FFFF */, "ok\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sample *x = sample_new(fx->s, .id = 40 + (int64_t)i, .s = (char *)bad[i]);
		assert_ok(fx->s, calx_session_add(fx->s, x));
		assert_calx(fx->s, calx_session_commit(fx->s), CALX_ETYPE);
		assert_non_null(strstr(calx_session_errmsg(fx->s), "not valid UTF-8"));
		assert_ok(fx->s, calx_session_rollback(fx->s));
	}
	/* the boundaries of valid UTF-8 pass */
	struct sample *ok = sample_new(fx->s, .id = 50, .s = "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
	assert_ok(fx->s, calx_session_add(fx->s, ok));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* and as a query value */
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	void *obj;
	calx_where(q, calx_eq(SAMPLE_S, "\xfe"));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_ETYPE);
	calx_select_free(q);
	if (ON_SQLITE(fx)) {
		/* another program wrote bad bytes: refused on load */
		raw_exec(fx, "INSERT INTO samples (id, s) VALUES (60, CAST(X'61FF' AS TEXT))");
		calx_session *s2 = fixture_session(fx);
		struct sample *x;
		assert_calx(s2, sample_get(s2, 60, &x), CALX_ETYPE);
		calx_session_free(s2);
	}
}

static void nan_round_trips_or_is_refused_never_turned_into_null(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 6, .d = NAN, .f = NAN);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	if (ON_SQLITE(fx)) {
		/* SQLite stores NaN as NULL: calx refuses it */
		assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERANGE);
		assert_non_null(strstr(calx_session_errmsg(fx->s), "NaN"));
		assert_ok(fx->s, calx_session_rollback(fx->s));
		return;
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 6);
	assert_true(isnan(a->d));
	assert_true(isnan(a->f));
	assert_false(calx_field_is_null(s2, a, SAMPLE_D));
	calx_session_free(s2);
}

static void null_round_trips_for_every_nullable_type(void **state)
{
	fixture *fx = *state;
	const calx_field_desc *cols[] = { SAMPLE_I8, SAMPLE_I16, SAMPLE_I32, SAMPLE_I64, SAMPLE_U8, SAMPLE_U16,
	                                  SAMPLE_U32, SAMPLE_U64, SAMPLE_B, SAMPLE_F, SAMPLE_D, SAMPLE_S,
	                                  SAMPLE_FIXED, SAMPLE_C };
	size_t n = sizeof cols / sizeof cols[0];
	struct sample *x = sample_new(fx->s, .id = 7, .i8 = 1, .s = "x", .fixed = "y");
	for (size_t i = 0; i < n; i++)
		assert_ok(fx->s, calx_field_set_null(fx->s, x, cols[i], true));
	assert_null(x->s);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 7);
	for (size_t i = 0; i < n; i++) {
		if (!calx_field_is_null(s2, a, cols[i]))
			fail_msg("column %s did not come back NULL", cols[i]->name);
	}
	/* assigning a value clears NULL, and it is written */
	a->i32 = 5;
	assert_false(calx_field_is_null(s2, a, SAMPLE_I32));
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);
	s2 = fixture_session(fx);
	a = load_sample(s2, 7);
	assert_int_equal(a->i32, 5);
	assert_false(calx_field_is_null(s2, a, SAMPLE_I32));
	assert_true(calx_field_is_null(s2, a, SAMPLE_I16));
	calx_session_free(s2);
}

static void char_array_value_that_does_not_fit_is_an_error(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 8);
	assert_calx(fx->s, calx_field_set_text(fx->s, x, SAMPLE_FIXED, "12345678"), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "does not fit char[8]"));
	assert_string_equal(x->fixed, "");     /* unchanged */
	assert_ok(fx->s, calx_field_set_text(fx->s, x, SAMPLE_FIXED, "1234567"));
	assert_string_equal(x->fixed, "1234567");
	/* filled to the brim without a terminator: refused at flush */
	memcpy(x->fixed, "ABCDEFGH", 8);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "not NUL-terminated within its 8 bytes"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &sample_mapper), 0);
}

static void database_value_out_of_range_is_an_error_on_load(void **state)
{
	fixture *fx = *state;
	raw_exec(fx, "INSERT INTO samples (id, i8) VALUES (20, 300)");
	raw_exec(fx, "INSERT INTO samples (id, u32) VALUES (22, -1)");
	if (ON_SQLITE(fx)) {
		/* before the session's first read: its transaction sees rows as of then */
		raw_exec(fx, "INSERT INTO samples (id, fixed) VALUES (21, 'far too long for eight')");
		raw_exec(fx, "INSERT INTO samples (id, s) VALUES (23, CAST(X'610062' AS TEXT))");
	}
	struct sample *x = NULL;
	assert_calx(fx->s, sample_get(fx->s, 20, &x), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "database value 300 is out of range"));
	assert_calx(fx->s, sample_get(fx->s, 22, &x), CALX_ERANGE);
	if (ON_POSTGRESQL(fx)) {
		/* the server enforces VARCHAR(7) and refuses NUL in text itself */
		assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO samples (id, fixed) VALUES (21, 'far too long')"),
		                 CALX_ERANGE);
		assert_non_null(strstr(calx_engine_errmsg(fx->eng), "SQLSTATE 22001"));
		return;
	}
	assert_calx(fx->s, sample_get(fx->s, 21, &x), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "does not fit (at most 7)"));
	assert_calx(fx->s, sample_get(fx->s, 23, &x), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "NUL byte"));
}

static void integral_real_loads_into_integer_and_integer_into_double(void **state)
{
	fixture *fx = *state;
	raw_exec(fx, "INSERT INTO samples (id, i32, d) VALUES (30, 12.0, 3)");
	/* SQLite keeps 12.5 in an INTEGER column; PostgreSQL would round it on insert */
	if (ON_SQLITE(fx))
		raw_exec(fx, "INSERT INTO samples (id, i32) VALUES (31, 12.5)");
	struct sample *x = NULL;
	assert_ok(fx->s, sample_get(fx->s, 30, &x));
	assert_int_equal(x->i32, 12);
	assert_true(x->d == 3.0);
	if (ON_SQLITE(fx))
		assert_calx(fx->s, sample_get(fx->s, 31, &x), CALX_ETYPE);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(integer_boundaries_round_trip),
		T(unsigned_64_beyond_int64_is_an_error_not_a_wrap),
		T(floats_bools_strings_and_enums_round_trip),
		T(nan_round_trips_or_is_refused_never_turned_into_null),
		T(invalid_utf8_is_refused_both_ways),
		T(null_round_trips_for_every_nullable_type),
		T(char_array_value_that_does_not_fit_is_an_error),
		T(database_value_out_of_range_is_an_error_on_load),
		T(integral_real_loads_into_integer_and_integer_into_double),
	};
	return RUN_ON_ALL_DIALECTS("types", tests);
}
