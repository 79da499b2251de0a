/*
 * Exact decimals (orm/base/decimal.c), the text of CALX_VALUE_NUMERIC: the
 * grammar, the exact parse into int64_t at its boundaries, and the nearest
 * double and float, ties and long tails included.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "base/decimal.h"

static calx__dec to_int(const char *s, int64_t *out)
{
	*out = -12345;      /* untouched on failure */
	return calx__dec_to_int64(s, strlen(s), out);
}

static void integers_parse_exactly_at_the_int64_boundaries(void **state)
{
	(void)state;
	static const struct { const char *text; int64_t want; } ok[] = {
		{ "0", 0 }, { "-0", 0 }, { "+0", 0 }, { "0.000", 0 }, { "-0.0e7", 0 }, { "0e99999999999999999999", 0 },
		{ "7", 7 }, { "+7", 7 }, { "007", 7 }, { "-007.000", -7 }, { "5.", 5 },
		{ "9223372036854775807", INT64_MAX },
		{ "-9223372036854775808", INT64_MIN },
		{ "00000000000000000000000009223372036854775807", INT64_MAX },
		{ "9223372036854775807.00000000000000000000", INT64_MAX },
		{ "-9223372036854775808.0", INT64_MIN },
		{ "9007199254740993", 9007199254740993 },       /* 2^53 + 1: no double holds it */
		{ "42.00000000000000000000", 42 },
		{ "1e3", 1000 }, { "1.5e1", 15 }, { "4200e-2", 42 }, { "0.000042e6", 42 }, { "1E+2", 100 },
		{ "9.223372036854775807e18", INT64_MAX }, { "-92233720368547758.08e2", INT64_MIN },
		{ "1000000000000000000", 1000000000000000000 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t x;
		calx__dec rc = to_int(ok[i].text, &x);
		if (rc != CALX__DEC_OK || x != ok[i].want)
			fail_msg("%s: status %d, %lld", ok[i].text, (int)rc, (long long)x);
	}
	static const struct { const char *text; calx__dec want; } bad[] = {
		{ "9223372036854775808", CALX__DEC_RANGE },       /* INT64_MAX + 1 */
		{ "-9223372036854775809", CALX__DEC_RANGE },      /* INT64_MIN - 1 */
		{ "99999999999999999999", CALX__DEC_RANGE },
		{ "18446744073709551616", CALX__DEC_RANGE },      /* 2^64: would wrap a uint64 */
		{ "1e19", CALX__DEC_RANGE }, { "1e99999999999999999999", CALX__DEC_RANGE },
		{ "Infinity", CALX__DEC_RANGE }, { "-Infinity", CALX__DEC_RANGE }, { "inf", CALX__DEC_RANGE },
		{ "NaN", CALX__DEC_NAN }, { "nan", CALX__DEC_NAN },
		{ "12.5", CALX__DEC_FRACTION }, { ".5", CALX__DEC_FRACTION }, { "-0.5", CALX__DEC_FRACTION },
		{ "1.00000000000000000001", CALX__DEC_FRACTION },  /* nearest double: 1.0 */
		{ "9007199254740993.5", CALX__DEC_FRACTION },      /* nearest double: whole */
		{ "1.25e1", CALX__DEC_FRACTION }, { "1e-99999999999999999999", CALX__DEC_FRACTION },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t x;
		calx__dec rc = to_int(bad[i].text, &x);
		if (rc != bad[i].want || x != -12345)
			fail_msg("%s: status %d, want %d", bad[i].text, (int)rc, (int)bad[i].want);
	}
}

static void a_huge_integer_is_out_of_range_not_wrapped(void **state)
{
	(void)state;
	size_t n = 131072;          /* NUMERIC's most digits before the point */
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, '9', n);
	s[n] = '\0';
	int64_t x;
	assert_int_equal(calx__dec_to_int64(s, n, &x), CALX__DEC_RANGE);
	double d;
	assert_int_equal(calx__dec_to_double(s, n, &d), CALX__DEC_RANGE);
	memset(s, '0', n);
	s[n - 1] = '3';
	assert_int_equal(calx__dec_to_int64(s, n, &x), CALX__DEC_OK);   /* leading zeros are nothing */
	assert_int_equal(x, 3);
	free(s);
}

static void text_outside_the_grammar_is_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "-", "+", ".", "+.", "-.e1", "e5", "1e", "1e+", "1e-", "1.2.3", " 1", "1 ", "0x10", "1,5", "--1",
		"+-1", "1_000", "-NaN", "+NaN", "nana", "Infinityx", "infinit", "1e5.5", "١", "1e1e1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t x;
		double d;
		float f;
		size_t n = strlen(bad[i]);
		if (calx__dec_valid(bad[i], n) || calx__dec_to_int64(bad[i], n, &x) != CALX__DEC_SYNTAX ||
		    calx__dec_to_double(bad[i], n, &d) != CALX__DEC_SYNTAX ||
		    calx__dec_to_float(bad[i], n, &f) != CALX__DEC_SYNTAX)
			fail_msg("'%s' accepted", bad[i]);
	}
	/* the length is the text's end: a NUL inside is not an end */
	assert_false(calx__dec_valid("12\0" "3", 4));
	assert_true(calx__dec_valid("12\0" "3", 2));
	assert_false(calx__dec_valid(NULL, 0));
	assert_true(calx__dec_valid("NaN", 3) && calx__dec_valid("-Infinity", 9) && calx__dec_valid("+INF", 4));
}

static double dbl(const char *s)
{
	double d = -1;
	calx__dec rc = calx__dec_to_double(s, strlen(s), &d);
	if (rc != CALX__DEC_OK)
		fail_msg("%.60s: status %d", s, (int)rc);
	return d;
}

static void doubles_get_the_nearest_double(void **state)
{
	(void)state;
	assert_true(dbl("1.00000000000000000001") == 1.0);
	assert_true(dbl("9007199254740993.5") == 9007199254740994.0);
	assert_true(dbl("9007199254740993") == 9007199254740992.0);    /* a tie: to even */
	assert_true(dbl("9007199254740995") == 9007199254740996.0);    /* a tie: to even */
	assert_true(dbl("0.1") == 0.1 && dbl("-12345.678") == -12345.678 && dbl("2.50000000000000000000") == 2.5);
	assert_true(dbl("1.7976931348623157e308") == DBL_MAX);
	assert_true(dbl("4.9406564584124654e-324") == 4.9406564584124654e-324);   /* the smallest subnormal */
	assert_true(dbl("1e-400") == 0.0);
	double z = dbl("-0");
	assert_true(z == 0.0 && signbit(z));
	assert_true(isnan(dbl("NaN")));
	assert_true(dbl("Infinity") == INFINITY && dbl("-Infinity") == -INFINITY && dbl("-inf") == -INFINITY);
	double d = 7;
	assert_int_equal(calx__dec_to_double("1e309", 5, &d), CALX__DEC_RANGE);
	assert_int_equal(calx__dec_to_double("-1.8e308", 8, &d), CALX__DEC_RANGE);
	assert_true(d == 7);
}

/* prefix, then zeros '0's, then suffix: a decimal with a long tail. */
static char *tail(const char *prefix, size_t zeros, const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(suffix);
	char *s = malloc(a + zeros + b + 1);
	assert_non_null(s);
	memcpy(s, prefix, a);
	memset(s + a, '0', zeros);
	memcpy(s + a + zeros, suffix, b + 1);
	return s;
}

/* A tie decided by a digit past the first 800: kept by the sticky digit. */
static void a_long_tail_decides_a_tie(void **state)
{
	(void)state;
	/* 9007199254740993 is halfway between 2^53 and 2^53 + 2 */
	static const struct { const char *prefix, *suffix; double want; } cases[] = {
		{ "9007199254740993.", "1", 9007199254740994.0 },       /* just above the tie: up */
		{ "9007199254740993.", "", 9007199254740992.0 },        /* the tie itself: to even */
		{ "-9007199254740993.", "1", -9007199254740994.0 },
		{ "0.", "1", 0.0 },                                     /* 10^-1001: below every subnormal */
		{ "1", "", INFINITY },                                  /* 10^1000: out of range */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = tail(cases[i].prefix, 1000, cases[i].suffix);
		double d = 0;
		calx__dec rc = calx__dec_to_double(s, strlen(s), &d);
		if (isinf(cases[i].want) ? rc != CALX__DEC_RANGE : rc != CALX__DEC_OK || d != cases[i].want)
			fail_msg("case %zu: status %d, %.17g", i, (int)rc, d);
		free(s);
	}
}

static void floats_get_the_nearest_float(void **state)
{
	(void)state;
	float f = -1;
	assert_int_equal(calx__dec_to_float("16777217", 8, &f), CALX__DEC_OK);   /* 2^24 + 1: a tie, to even */
	assert_true(f == 16777216.0f);
	assert_int_equal(calx__dec_to_float("16777217.000001", 15, &f), CALX__DEC_OK);
	assert_true(f == 16777218.0f);
	assert_int_equal(calx__dec_to_float("0.1", 3, &f), CALX__DEC_OK);
	assert_true(f == 0.1f);
	assert_int_equal(calx__dec_to_float("3.4028235e38", 12, &f), CALX__DEC_OK);
	assert_true(f == FLT_MAX);
	f = 5;
	assert_int_equal(calx__dec_to_float("3.4028236e38", 12, &f), CALX__DEC_RANGE);
	assert_true(f == 5);
	assert_int_equal(calx__dec_to_float("NaN", 3, &f), CALX__DEC_OK);
	assert_true(isnan(f));
	assert_int_equal(calx__dec_to_float("-Infinity", 9, &f), CALX__DEC_OK);
	assert_true(f == -INFINITY);
}

/* strtod reads the locale's decimal point; the parser never hands it one. */
static void the_locale_does_not_change_the_value(void **state)
{
	(void)state;
	static const char *const comma[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8" };
	const char *used = NULL;
	for (size_t i = 0; i < sizeof comma / sizeof comma[0] && !used; i++)
		if (setlocale(LC_NUMERIC, comma[i]))
			used = comma[i];
	if (!used)
		print_message("[ INFO     ] no locale with a decimal comma installed: checked in the C locale only\n");
	assert_true(dbl("0.5") == 0.5 && dbl("-12345.678") == -12345.678 && dbl("1.5e-3") == 1.5e-3);
	float f;
	assert_int_equal(calx__dec_to_float("2.75", 4, &f), CALX__DEC_OK);
	assert_true(f == 2.75f);
	setlocale(LC_NUMERIC, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_parse_exactly_at_the_int64_boundaries),
		cmocka_unit_test(a_huge_integer_is_out_of_range_not_wrapped),
		cmocka_unit_test(text_outside_the_grammar_is_refused),
		cmocka_unit_test(doubles_get_the_nearest_double),
		cmocka_unit_test(a_long_tail_decides_a_tie),
		cmocka_unit_test(floats_get_the_nearest_float),
		cmocka_unit_test(the_locale_does_not_change_the_value),
	};
	return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
