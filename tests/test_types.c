/*
 * Every mapped C type round-trips exactly, NULL included; values that do not
 * fit are errors, never wrapped or truncated. NULL, zero and "not given":
 * a plain scalar is NOT NULL and always sends its value; a calx_opt_*
 * wrapper without has_value is NULL, or left to a server default.
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

/*
 * A samples row written by another program: the NOT NULL columns zero,
 * then `set` (SQL assignments, or NULL) applied by an UPDATE.
 */
static void raw_sample(fixture *fx, int id, const char *set)
{
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO samples (id, i8, i16, i32, i64, u8, u16, u32, u64, b, f, d, c) "
	                          "VALUES (%d, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 1)", id);
	raw_exec(fx, sql);
	if (set) {
		snprintf(sql, sizeof sql, "UPDATE samples SET %s WHERE id = %d", set, id);
		raw_exec(fx, sql);
	}
}

/* The wrapper columns of samples, in field order. */
static const calx_field_desc *const *wrapper_columns(size_t *n)
{
	static const calx_field_desc *cols[11];
	const calx_field_desc *const all[] = { calx_field(SAMPLE_OI8), calx_field(SAMPLE_OI16), calx_field(SAMPLE_OI32), calx_field(SAMPLE_OI64), calx_field(SAMPLE_OU8),
	                                       calx_field(SAMPLE_OU16), calx_field(SAMPLE_OU32), calx_field(SAMPLE_OU64), calx_field(SAMPLE_OB), calx_field(SAMPLE_OF),
	                                       calx_field(SAMPLE_OD) };
	memcpy(cols, all, sizeof all);
	*n = sizeof all / sizeof all[0];
	return cols;
}

/* The database's values of cols for the sample row id, read as column tuples (no objects). */
static void sample_row(fixture *fx, int64_t id, const calx_field_desc *const *cols, size_t n, calx_value *out)
{
	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &sample_mapper);
	assert_ok(s2, calx_select_columns(q, cols, n));
	calx_where(q, calx_eq(SAMPLE_ID, id));
	assert_calx(s2, calx_select_next_values(q, out), CALX_ROW);
	for (size_t i = 0; i < n; i++)
		assert_true(out[i].kind != CALX_VALUE_TEXT);  /* text would be borrowed from the select */
	calx_select_free(q);
	calx_session_free(s2);
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
		/* 8 to 16 bytes, which the check looks at as two words: bad at the start, middle and end */
		"abcdefgh\xff", "\xc3" "abcdefghijk", "abcdefg\xe2\x82", "abcdefghijklmno\x80", "abcdef\xed\xa0\x80xyz",
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
	/* and short ones, ASCII or not, come back as they were */
	const char *short_ok[] = { "abcdefgh", "abcdefghijklmnop", "caf\xc3\xa9 au lait", "\xf0\x90\x80\x80" "abcdefg" };
	for (size_t i = 0; i < sizeof short_ok / sizeof short_ok[0]; i++)
		assert_ok(fx->s, calx_session_add(fx->s, sample_new(fx->s, .id = 70 + (int64_t)i, .s = (char *)short_ok[i])));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *back = fixture_session(fx);
	for (size_t i = 0; i < sizeof short_ok / sizeof short_ok[0]; i++) {
		struct sample *x;
		assert_ok(back, sample_get(back, 70 + (int64_t)i, &x));
		assert_string_equal(x->s, short_ok[i]);
	}
	calx_session_free(back);
	/* and as a query value */
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	void *obj;
	calx_where(q, calx_eq(SAMPLE_S, "\xfe"));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_ETYPE);
	calx_select_free(q);
	if (ON_SQLITE(fx)) {
		/* another program wrote bad bytes: refused on load */
		raw_sample(fx, 60, "s = CAST(X'61FF' AS TEXT)");
		calx_session *s2 = fixture_session(fx);
		struct sample *x;
		assert_calx(s2, sample_get(s2, 60, &x), CALX_ETYPE);
		calx_session_free(s2);
		/* in a text of 8 to 16 bytes too, and a NUL inside one */
		raw_sample(fx, 61, "s = CAST(X'616263646566FF6768696A6B' AS TEXT)");
		raw_sample(fx, 62, "s = CAST(X'61626364650066676869' AS TEXT)");
		s2 = fixture_session(fx);
		assert_calx(s2, sample_get(s2, 61, &x), CALX_ETYPE);
		assert_non_null(strstr(calx_session_errmsg(s2), "not valid UTF-8"));
		calx_session_free(s2);
		s2 = fixture_session(fx);
		assert_calx(s2, sample_get(s2, 62, &x), CALX_ERANGE);
		assert_non_null(strstr(calx_session_errmsg(s2), "NUL"));
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

static void wrappers_round_trip_values_and_boundaries(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 12, .oi8 = CALX_SOME(INT8_MIN), .oi16 = CALX_SOME(INT16_MAX),
	                              .oi32 = CALX_SOME(INT32_MIN), .oi64 = CALX_SOME(INT64_MAX),
	                              .ou8 = CALX_SOME(UINT8_MAX), .ou16 = CALX_SOME(UINT16_MAX),
	                              .ou32 = CALX_SOME(UINT32_MAX), .ou64 = CALX_SOME(INT64_MAX),
	                              .ob = CALX_SOME(true), .of = CALX_SOME(-FLT_MAX), .od = CALX_SOME(DBL_MIN));
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 12);
	assert_true(a->oi8.has_value && a->oi8.value == INT8_MIN);
	assert_true(a->oi16.has_value && a->oi16.value == INT16_MAX);
	assert_true(a->oi32.has_value && a->oi32.value == INT32_MIN);
	assert_true(a->oi64.has_value && a->oi64.value == INT64_MAX);
	assert_true(a->ou8.has_value && a->ou8.value == UINT8_MAX);
	assert_true(a->ou16.has_value && a->ou16.value == UINT16_MAX);
	assert_true(a->ou32.has_value && a->ou32.value == UINT32_MAX);
	assert_true(a->ou64.has_value && a->ou64.value == (uint64_t)INT64_MAX);
	assert_true(a->ob.has_value && a->ob.value);
	assert_true(a->of.has_value && a->of.value == -FLT_MAX);
	assert_true(a->od.has_value && a->od.value == DBL_MIN);
	assert_true(sample_eq(a, x));
	calx_session_free(s2);
	/* a wrapper's value is range-checked like the plain type's */
	struct sample *y = sample_new(fx->s, .id = 13, .ou64 = CALX_SOME(UINT64_MAX));
	assert_ok(fx->s, calx_session_add(fx->s, y));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "sample.ou64"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
}

static void null_round_trips_for_every_nullable_type(void **state)
{
	fixture *fx = *state;
	size_t n_wrappers;
	const calx_field_desc *const *wrappers = wrapper_columns(&n_wrappers);
	const calx_field_desc *cols[16];
	size_t n = 0;
	for (size_t i = 0; i < n_wrappers; i++)
		cols[n++] = wrappers[i];
	cols[n++] = calx_field(SAMPLE_S);
	cols[n++] = calx_field(SAMPLE_FIXED);
	struct sample *x = sample_new(fx->s, .id = 7, .oi8 = CALX_SOME(1), .ob = CALX_SOME(false), .s = "x",
	                              .fixed = "y");
	for (size_t i = 0; i < n; i++)
		assert_ok(fx->s, calx_field_set_null(fx->s, x, cols[i], true));
	assert_false(x->oi8.has_value);        /* the struct itself says NULL */
	assert_false(x->ob.has_value);
	assert_null(x->s);
	/* a plain scalar is a NOT NULL column: it cannot be NULL */
	assert_calx(fx->s, calx_field_set_null(fx->s, x, SAMPLE_I32, true), CALX_ENOTNULL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "calx_opt_"));
	assert_calx(fx->s, calx_field_set_null(fx->s, x, SAMPLE_C, true), CALX_ENOTNULL);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct sample *a = load_sample(s2, 7);
	for (size_t i = 0; i < n; i++) {
		if (!calx_field_is_null(s2, a, cols[i]))
			fail_msg("column %s did not come back NULL", cols[i]->name);
	}
	assert_false(a->oi32.has_value);
	assert_false(calx_field_is_null(s2, a, SAMPLE_I32));
	/* assigning a value clears NULL, and it is written */
	calx_opt_set(&a->oi32, 5);
	assert_false(calx_field_is_null(s2, a, SAMPLE_OI32));
	/* calx_field_set_null(false) on a wrapper gives it has_value: here 0 */
	assert_ok(s2, calx_field_set_null(s2, a, SAMPLE_OU8, false));
	assert_true(a->ou8.has_value && a->ou8.value == 0);
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);
	s2 = fixture_session(fx);
	a = load_sample(s2, 7);
	assert_true(a->oi32.has_value);
	assert_int_equal(a->oi32.value, 5);
	assert_true(a->ou8.has_value);
	assert_false(calx_field_is_null(s2, a, SAMPLE_OI32));
	assert_true(calx_field_is_null(s2, a, SAMPLE_OI16));
	/* and clearing it writes NULL */
	calx_opt_clear(&a->oi32);
	assert_true(calx_field_is_null(s2, a, SAMPLE_OI32));
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);
	calx_value v;
	const calx_field_desc *oi32[] = { calx_field(SAMPLE_OI32) };
	sample_row(fx, 7, oi32, 1, &v);
	assert_int_equal(v.kind, CALX_VALUE_NULL);
}

/* The regression: an unset nullable int was written as 0. */
static void nullable_field_not_given_is_null_in_the_database(void **state)
{
	fixture *fx = *state;
	size_t n;
	const calx_field_desc *const *cols = wrapper_columns(&n);
	struct sample *x = sample_new(fx->s, .id = 9);
	struct sample *zero = sample_new(fx->s, .id = 10, .oi32 = CALX_SOME(0), .ob = CALX_SOME(false),
	                                 .od = CALX_SOME(0.0));
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_add(fx->s, zero));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_value v[11];
	sample_row(fx, 9, cols, n, v);
	for (size_t i = 0; i < n; i++)
		if (v[i].kind != CALX_VALUE_NULL)
			fail_msg("column %s is not NULL in the database", cols[i]->column);
	/* a given 0 / false is a value, not NULL */
	const calx_field_desc *given[] = { calx_field(SAMPLE_OI32), calx_field(SAMPLE_OB), calx_field(SAMPLE_OD), calx_field(SAMPLE_OI8) };
	sample_row(fx, 10, given, 4, v);
	assert_int_equal(v[0].kind, CALX_VALUE_INT);
	assert_int_equal(v[0].u.i, 0);
	assert_int_equal(v[1].kind, CALX_VALUE_INT);
	assert_int_equal(v[1].u.i, 0);
	assert_int_equal(v[2].kind, CALX_VALUE_REAL);
	assert_true(v[2].u.d == 0.0);
	assert_int_equal(v[3].kind, CALX_VALUE_NULL);
	/* and the same through SQL's IS NULL */
	calx_select *q = calx_select_new(fx->s, &sample_mapper);
	calx_where(q, calx_and(calx_is_null(SAMPLE_OI64), calx_is_null(SAMPLE_OB)));
	void **rows;
	size_t n_rows;
	assert_ok(fx->s, calx_select_all(q, &rows, &n_rows));
	assert_int_equal(n_rows, 1);
	assert_ptr_equal(rows[0], x);
	calx_select_free(q);
}

/* A NULL wrapper left alone is not written again by every flush. */
static void null_wrapper_is_not_an_update_at_the_next_flush(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 14, .oi16 = CALX_SOME(3));
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));
	uint64_t before, after;
	calx_session_counters(fx->s, &before, NULL);
	/* other bytes in a NULL wrapper's value do not make it a change */
	x->oi32.value = 77;
	assert_ok(fx->s, calx_session_flush(fx->s));
	calx_session_counters(fx->s, &after, NULL);
	assert_true(after == before);
	struct sample same = *x;
	same.oi32.value = 0;
	assert_true(sample_eq(x, &same));
	same.oi16.value = 4;
	assert_false(sample_eq(x, &same));
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void repr_prints_null_for_unset_wrappers_and_null_strings(void **state)
{
	fixture *fx = *state;
	struct sample *x = sample_new(fx->s, .id = 11, .oi32 = CALX_SOME(-3), .ob = CALX_SOME(false), .c = COLOR_RED);
	char buf[512];
	sample_repr(x, buf, sizeof buf);
	const char *want[] = { "i32=0,", "s=NULL,", "fixed=\"\",", "oi8=NULL,", "oi32=-3,", "oi64=NULL,",
	                       "ob=false,", "of=NULL,", "od=NULL)" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(buf, want[i]))
			fail_msg("repr lacks %s: %s", want[i], buf);
}

/* The regression: a server default replaced a given false or 0. */
static void false_and_zero_are_stored_into_server_default_columns(void **state)
{
	fixture *fx = *state;
	struct setting *x = setting_new(fx->s, .id = 1, .enabled = false, .level = 0, .shown = CALX_SOME(false),
	                                .lim = CALX_SOME(0), .ratio = CALX_SOME(0.0), .label = "");
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_false(x->enabled);
	assert_int_equal(x->level, 0);
	assert_true(x->shown.has_value && !x->shown.value);
	assert_true(x->lim.has_value && x->lim.value == 0);

	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &setting_mapper);
	const calx_field_desc *cols[] = { calx_field(SETTING_ENABLED), calx_field(SETTING_LEVEL), calx_field(SETTING_SHOWN), calx_field(SETTING_LIM), calx_field(SETTING_RATIO),
	                                  calx_field(SETTING_LABEL) };
	calx_value v[6];
	assert_ok(s2, calx_select_columns(q, cols, 6));
	assert_calx(s2, calx_select_next_values(q, v), CALX_ROW);
	for (int i = 0; i < 4; i++) {
		if (v[i].kind != CALX_VALUE_INT || v[i].u.i != 0)
			fail_msg("column %s is not 0 in the database", cols[i]->column);
	}
	assert_int_equal(v[4].kind, CALX_VALUE_REAL);
	assert_true(v[4].u.d == 0.0);
	assert_int_equal(v[5].kind, CALX_VALUE_TEXT);
	assert_int_equal(v[5].u.s.n, 0);
	calx_select_free(q);
	calx_session_free(s2);
}

/* Fields left unset get the server's values, read back through RETURNING. */
static void unset_fields_get_the_server_values_through_returning(void **state)
{
	fixture *fx = *state;
	struct setting *x = setting_new(fx->s, .id = 2);
	struct setting *y = setting_new(fx->s, .id = 3);
	/* an explicit NULL, not the server's value */
	assert_ok(fx->s, calx_field_set_null(fx->s, y, SETTING_LIM, true));
	/* not_null with server_default: zero is "not given", never NULL */
	assert_calx(fx->s, calx_field_set_null(fx->s, y, SETTING_RATIO, true), CALX_ENOTNULL);
	assert_ok(fx->s, calx_session_add(fx->s, x));
	assert_ok(fx->s, calx_session_add(fx->s, y));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* plain scalars sent their zero; wrappers and the NULL char * took the server's */
	assert_false(x->enabled);
	assert_int_equal(x->level, 0);
	assert_true(x->shown.has_value && x->shown.value);
	assert_true(x->lim.has_value && x->lim.value == 7);
	assert_true(x->ratio.has_value && x->ratio.value == 0.5);
	assert_non_null(x->label);
	assert_string_equal(x->label, "none");
	assert_false(y->lim.has_value);
	assert_true(y->ratio.has_value && y->ratio.value == 0.5);

	calx_session *s2 = fixture_session(fx);
	struct setting *a, *b;
	assert_ok(s2, setting_get(s2, 2, &a));
	assert_ok(s2, setting_get(s2, 3, &b));
	assert_true(setting_eq(a, x));
	assert_true(setting_eq(b, y));
	assert_true(calx_field_is_null(s2, b, SETTING_LIM));
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
	raw_sample(fx, 20, "i8 = 300");
	raw_sample(fx, 22, "u32 = -1");
	raw_sample(fx, 24, "ou16 = 70000");      /* a wrapper's value too */
	if (ON_SQLITE(fx)) {
		/* before the session's first read: its transaction sees rows as of then */
		raw_sample(fx, 21, "fixed = 'far too long for eight'");
		raw_sample(fx, 23, "s = CAST(X'610062' AS TEXT)");
	}
	struct sample *x = NULL;
	assert_calx(fx->s, sample_get(fx->s, 20, &x), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "database value 300 is out of range"));
	assert_calx(fx->s, sample_get(fx->s, 22, &x), CALX_ERANGE);
	assert_calx(fx->s, sample_get(fx->s, 24, &x), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "sample.ou16"));
	if (ON_POSTGRESQL(fx)) {
		/* the server enforces VARCHAR(7) and refuses NUL in text itself */
		raw_sample(fx, 21, NULL);
		assert_int_equal(calx_engine_exec(fx->eng, "UPDATE samples SET fixed = 'far too long' WHERE id = 21"),
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
	raw_sample(fx, 30, "i32 = 12.0, d = 3, oi32 = 12.0, od = 3");
	/* SQLite keeps 12.5 in an INTEGER column; PostgreSQL would round it on insert */
	if (ON_SQLITE(fx))
		raw_sample(fx, 31, "i32 = 12.5");
	struct sample *x = NULL;
	assert_ok(fx->s, sample_get(fx->s, 30, &x));
	assert_int_equal(x->i32, 12);
	assert_true(x->d == 3.0);
	assert_true(x->oi32.has_value && x->oi32.value == 12);
	assert_true(x->od.has_value && x->od.value == 3.0);
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
		T(wrappers_round_trip_values_and_boundaries),
		T(null_round_trips_for_every_nullable_type),
		T(nullable_field_not_given_is_null_in_the_database),
		T(null_wrapper_is_not_an_update_at_the_next_flush),
		T(repr_prints_null_for_unset_wrappers_and_null_strings),
		T(false_and_zero_are_stored_into_server_default_columns),
		T(unset_fields_get_the_server_values_through_returning),
		T(char_array_value_that_does_not_fit_is_an_error),
		T(database_value_out_of_range_is_an_error_on_load),
		T(integral_real_loads_into_integer_and_integer_into_double),
	};
	return RUN_ON_ALL_DIALECTS("types", tests);
}
