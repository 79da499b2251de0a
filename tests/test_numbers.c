/*
 * Exact numbers: a NUMERIC column loaded into an int64_t field is exact or
 * refused, never rounded; into a double, the nearest double; into text,
 * the decimal as the database wrote it. Rows are written with raw SQL
 * (calx_engine_exec), as another program would, and loaded through the
 * ORM, on both dialects.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"
#include "numbers.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &numbers_schema);
}

static void raw(fixture *fx, const char *sql)
{
	int rc = calx_engine_exec(fx->eng, sql);
	if (rc != CALX_OK)
		print_error("%s: %s\n", sql, calx_engine_errmsg(fx->eng));
	assert_int_equal(rc, CALX_OK);
}

/* Load row id in a fresh session: the status, and the object when it loaded. */
static int load(fixture *fx, int64_t id, struct amount *out)
{
	calx_session *s = fixture_session(fx);
	struct amount *a = NULL;
	int rc = amount_get(s, id, &a);
	if (rc == CALX_OK)
		*out = *a;
	else
		print_message("[ INFO     ] amount %lld: %s\n", (long long)id, calx_session_errmsg(s));
	calx_session_free(s);
	return rc;
}

static void numeric_integer_beyond_double_precision_loads_exactly(void **state)
{
	fixture *fx = *state;
	struct amount a;
	raw(fx, "INSERT INTO amounts (id, big) VALUES (1, 9007199254740993)");      /* 2^53 + 1 */
	raw(fx, "INSERT INTO amounts (id, big) VALUES (2, -9223372036854775808)");  /* INT64_MIN */
	raw(fx, "INSERT INTO amounts (id, big) VALUES (3, 9223372036854775807)");   /* INT64_MAX */
	raw(fx, "INSERT INTO amounts (id, big) VALUES (4, 3.000)");
	assert_int_equal(load(fx, 1, &a), CALX_OK);
	assert_true(a.big.has_value && a.big.value == 9007199254740993);
	assert_int_equal(load(fx, 2, &a), CALX_OK);
	assert_true(a.big.has_value && a.big.value == INT64_MIN);
	assert_int_equal(load(fx, 3, &a), CALX_OK);
	assert_true(a.big.has_value && a.big.value == INT64_MAX);
	assert_int_equal(load(fx, 4, &a), CALX_OK);
	assert_true(a.big.has_value && a.big.value == 3);
	/* and a select by it compares exactly too */
	calx_select *q = calx_select_new(fx->s, &amount_mapper);
	calx_where(q, calx_eq(AMOUNT_BIG, (int64_t)9007199254740993));
	struct amount *got;
	assert_ok(fx->s, calx_select_one(q, (void **)&got));
	assert_int_equal(got->id, 1);
	calx_select_free(q);
}

static void numeric_out_of_int64_range_is_refused(void **state)
{
	fixture *fx = *state;
	struct amount a;
	raw(fx, "INSERT INTO amounts (id, big) VALUES (5, 99999999999999999999)");
	raw(fx, "INSERT INTO amounts (id, big) VALUES (6, 9223372036854775808)");   /* INT64_MAX + 1 */
	/* SQLite's NUMERIC affinity stores this one as the integer INT64_MIN already: PostgreSQL keeps it */
	if (ON_POSTGRESQL(fx))
		raw(fx, "INSERT INTO amounts (id, big) VALUES (7, -9223372036854775809)");  /* INT64_MIN - 1 */
	for (int64_t id = 5; id <= (ON_POSTGRESQL(fx) ? 7 : 6); id++) {
		int rc = load(fx, id, &a);
		assert_true(rc == CALX_ERANGE || rc == CALX_ETYPE);
	}
}

static void numeric_fraction_is_refused_for_an_integer_field(void **state)
{
	fixture *fx = *state;
	struct amount a;
	/* a scale, so PostgreSQL keeps the fractions (NUMERIC(20,0) rounds them on insert) */
	if (ON_POSTGRESQL(fx))
		raw(fx, "ALTER TABLE amounts ALTER COLUMN big TYPE NUMERIC(40,20)");
	raw(fx, "INSERT INTO amounts (id, big) VALUES (8, 12.5)");
	int rc = load(fx, 8, &a);
	assert_true(rc == CALX_ERANGE || rc == CALX_ETYPE);
	if (ON_POSTGRESQL(fx)) {
		/*
		 * Fractions whose nearest double is a whole number: refused, not
		 * rounded (SQLite's NUMERIC affinity rounds them on insert).
		 */
		raw(fx, "INSERT INTO amounts (id, big) VALUES (9, 9007199254740993.5)");
		raw(fx, "INSERT INTO amounts (id, big) VALUES (10, 1.00000000000000000001)");
		assert_int_equal(load(fx, 9, &a), CALX_ETYPE);
		assert_int_equal(load(fx, 10, &a), CALX_ETYPE);
		raw(fx, "INSERT INTO amounts (id, big) VALUES (14, 42.00000000000000000000)");
		assert_int_equal(load(fx, 14, &a), CALX_OK);
		assert_true(a.big.has_value && a.big.value == 42);
	}
}

static void numeric_loads_into_a_double_as_the_nearest_double(void **state)
{
	fixture *fx = *state;
	struct amount a;
	raw(fx, "INSERT INTO amounts (id, ratio) VALUES (11, 0.1)");
	raw(fx, "INSERT INTO amounts (id, ratio) VALUES (12, 2.50000000000000000000)");
	raw(fx, "INSERT INTO amounts (id, ratio) VALUES (13, -12345.678)");
	assert_int_equal(load(fx, 11, &a), CALX_OK);
	assert_true(a.ratio.has_value && a.ratio.value == 0.1);
	assert_int_equal(load(fx, 12, &a), CALX_OK);
	assert_true(a.ratio.has_value && a.ratio.value == 2.5);
	assert_int_equal(load(fx, 13, &a), CALX_OK);
	assert_true(a.ratio.has_value && a.ratio.value == -12345.678);
}

static void numbers_round_trip_through_the_orm(void **state)
{
	fixture *fx = *state;
	struct amount *a = calx_object_new(fx->s, &amount_mapper);
	assert_non_null(a);
	a->id = 20;
	calx_opt_set(&a->big, 9007199254740993);
	calx_opt_set(&a->ratio, 0.25);
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct amount b;
	assert_int_equal(load(fx, 20, &b), CALX_OK);
	assert_true(b.big.value == 9007199254740993 && b.ratio.value == 0.25);
}

/* Row id of decimals in a fresh session: the status; the row, its text in `text`; the message in `msg`. */
static char text[64], msg[512];

static int load_decimal(fixture *fx, int64_t id, struct decimal *out)
{
	calx_session *s = fixture_session(fx);
	struct decimal *x = NULL;
	int rc = decimal_get(s, id, &x);
	text[0] = msg[0] = '\0';
	if (rc == CALX_OK) {
		*out = *x;
		snprintf(text, sizeof text, "%s", x->exact ? x->exact : "(null)");
		out->exact = text;
	} else {
		snprintf(msg, sizeof msg, "%s", calx_session_errmsg(s));
		print_message("[ INFO     ] decimal %lld: %s\n", (long long)id, msg);
	}
	calx_session_free(s);
	return rc;
}

static void numeric_corner_values_load_into_a_double_as_the_nearest_double(void **state)
{
	fixture *fx = *state;
	if (!ON_POSTGRESQL(fx))
		return;         /* SQLite's NUMERIC affinity has rounded them already, on insert */
	raw(fx, "INSERT INTO decimals (id, d) VALUES (1, 1.00000000000000000001), (2, 9007199254740993.5), "
	        "(3, 9007199254740993), (4, 'NaN'), (5, 'Infinity'), (6, '-Infinity'), (7, 0.1), (8, 1e400)");
	static const double want[] = { 1.0, 9007199254740994.0, 9007199254740992.0 /* a tie: to even */, NAN,
	                               INFINITY, -INFINITY, 0.1 };
	struct decimal x;
	for (int64_t id = 1; id <= 7; id++) {
		assert_int_equal(load_decimal(fx, id, &x), CALX_OK);
		double w = want[id - 1];
		if (isnan(w) ? !isnan(x.d) : x.d != w)
			fail_msg("decimal %lld: %.17g, want %.17g", (long long)id, x.d, w);
	}
	/* a finite decimal beyond every double is refused, not made infinite */
	assert_int_equal(load_decimal(fx, 8, &x), CALX_ERANGE);
	assert_non_null(strstr(msg, "decimal.d (column \"decimals\".\"d\", double): database value 1000000000"));
	assert_non_null(strstr(msg, "does not fit a double"));
	/* a float gets the nearest float, not the nearest double then rounded again */
	raw(fx, "INSERT INTO decimals (id, d, f) VALUES (9, 0, 16777217), (10, 0, 0.1), (11, 0, 3.5e38)");
	assert_int_equal(load_decimal(fx, 9, &x), CALX_OK);
	assert_true(x.f.has_value && x.f.value == 16777216.0f);
	assert_int_equal(load_decimal(fx, 10, &x), CALX_OK);
	assert_true(x.f.has_value && x.f.value == 0.1f);
	assert_int_equal(load_decimal(fx, 11, &x), CALX_ERANGE);
	assert_non_null(strstr(msg, "does not fit a float"));
}

static void numeric_corner_values_are_refused_by_an_integer_field(void **state)
{
	fixture *fx = *state;
	if (!ON_POSTGRESQL(fx))
		return;
	raw(fx, "INSERT INTO decimals (id, d, i) VALUES (1, 0, 1.00000000000000000001), (2, 0, 9007199254740993.5), "
	        "(3, 0, 'NaN'), (4, 0, 'Infinity'), (5, 0, 99999999999999999999), (6, 0, 42.000000), "
	        "(7, 0, -9223372036854775808.00)");
	raw(fx, "INSERT INTO decimals (id, d, small) VALUES (8, 0, 255.000), (9, 0, 256), (10, 0, -1), (11, 0, 0.5)");
	static const struct { int64_t id; int rc; const char *says; } refused[] = {
		{ 1, CALX_ETYPE, "decimal.i (column \"decimals\".\"i\", int64_t): database value 1.00000000000000000001 "
		                 "is not a whole number" },
		{ 2, CALX_ETYPE, "database value 9007199254740993.5 is not a whole number" },
		{ 3, CALX_ETYPE, "database value NaN is not a number" },
		{ 4, CALX_ERANGE, "database value Infinity is out of range" },
		{ 5, CALX_ERANGE, "database value 99999999999999999999 is out of range" },
		{ 9, CALX_ERANGE, "decimal.small (column \"decimals\".\"small\", uint8_t): database value 256 is out of range" },
		{ 10, CALX_ERANGE, "database value -1 is out of range" },
		{ 11, CALX_ETYPE, "database value 0.5 is not a whole number" },
	};
	struct decimal x;
	for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
		assert_int_equal(load_decimal(fx, refused[k].id, &x), refused[k].rc);
		if (!strstr(msg, refused[k].says))
			fail_msg("decimal %lld: \"%s\", want \"%s\"", (long long)refused[k].id, msg, refused[k].says);
	}
	assert_int_equal(load_decimal(fx, 6, &x), CALX_OK);
	assert_true(x.i.has_value && x.i.value == 42);
	assert_int_equal(load_decimal(fx, 7, &x), CALX_OK);
	assert_true(x.i.has_value && x.i.value == INT64_MIN);
	assert_int_equal(load_decimal(fx, 8, &x), CALX_OK);
	assert_true(x.small.has_value && x.small.value == 255);
}

static void numeric_loads_into_text_fields_as_its_exact_text(void **state)
{
	fixture *fx = *state;
	if (!ON_POSTGRESQL(fx))
		return;         /* SQLite stores a number in a NUMERIC column as INTEGER or REAL, not text */
	raw(fx, "INSERT INTO decimals (id, d, exact, fixed) VALUES (1, 0, 1.00000000000000000001, 12345.678), "
	        "(2, 0, 42.000, -0.5), (3, 0, 9007199254740993, 'NaN'), (4, 0, 'NaN', 0), "
	        "(5, 0, 123456789012345678901234567890.123456789, 0), (6, 0, 0, 12345678.9012)");
	static const struct { const char *exact, *fixed; } want[] = {
		{ "1.00000000000000000001", "12345.678" }, { "42.000", "-0.5" }, { "9007199254740993", "NaN" },
		{ "NaN", "0" }, { "123456789012345678901234567890.123456789", "0" },
	};
	struct decimal x;
	for (int64_t id = 1; id <= 5; id++) {
		assert_int_equal(load_decimal(fx, id, &x), CALX_OK);
		assert_string_equal(x.exact, want[id - 1].exact);
		assert_string_equal(x.fixed, want[id - 1].fixed);
	}
	/* char[12] holds 11 bytes: 12345678.9012 is refused, never cut */
	assert_int_equal(load_decimal(fx, 6, &x), CALX_ERANGE);
	assert_non_null(strstr(msg, "decimal.fixed"));
}

static void numeric_keys_go_through_the_identity_map(void **state)
{
	fixture *fx = *state;
	raw(fx, "INSERT INTO decimals (id, d) VALUES (1, 0.5), (2, 1.5), (9223372036854775807, 2.5)");
	void **first, **again;
	size_t n;
	calx_select *q = calx_select_new(fx->s, &decimal_mapper);
	calx_order_by(q, DECIMAL_ID, CALX_ASC);
	assert_ok(fx->s, calx_select_all(q, &first, &n));
	assert_int_equal(n, 3);
	calx_select *q2 = calx_select_new(fx->s, &decimal_mapper);
	calx_order_by(q2, DECIMAL_ID, CALX_ASC);
	assert_ok(fx->s, calx_select_all(q2, &again, &n));
	assert_int_equal(n, 3);
	for (size_t k = 0; k < 3; k++)
		assert_ptr_equal(first[k], again[k]);       /* the same rows are the same objects */
	uint64_t before, after, trips;
	calx_session_counters(fx->s, &before, &trips);
	struct decimal *got;
	assert_ok(fx->s, decimal_get(fx->s, INT64_MAX, &got));
	calx_session_counters(fx->s, &after, &trips);
	assert_ptr_equal(got, first[2]);
	assert_true(after == before);                       /* from the identity map, no SQL */
	assert_true(got->d == 2.5);
	calx_select_free(q);
	calx_select_free(q2);
}

/* Count the rows where e holds (the status when the select fails). */
static int count_where(fixture *fx, calx_expr *e, size_t *n)
{
	void **items;
	calx_select *q = calx_select_new(fx->s, &decimal_mapper);
	calx_where(q, e);
	int rc = calx_select_all(q, &items, n);
	snprintf(msg, sizeof msg, "%s", rc == CALX_OK ? "" : calx_session_errmsg(fx->s));
	calx_select_free(q);
	return rc;
}

static void decimal_values_compare_and_bind_exactly(void **state)
{
	fixture *fx = *state;
	raw(fx, "INSERT INTO decimals (id, d, i) VALUES (1, 1, 42), (2, 1.00000000000000000001, 7)");
	if (ON_POSTGRESQL(fx))      /* SQLite would store these as REAL, which a char * refuses */
		raw(fx, "UPDATE decimals SET exact = id + 0.5");
	size_t n;
	/*
	 * Bound as its text: PostgreSQL compares NUMERIC with NUMERIC, exactly
	 * (a double would be 1.0 and match both rows); SQLite had stored both
	 * as the REAL 1.0.
	 */
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_D, calx_value_numeric("1.00000000000000000001")), &n), CALX_OK);
	assert_int_equal(n, BY_DIALECT(fx, 2, 1));
	assert_int_equal(count_where(fx, calx_lt(DECIMAL_D, calx_value_numeric("1.00000000000000000001")), &n), CALX_OK);
	assert_int_equal(n, BY_DIALECT(fx, 0, 1));
	/* an integer column gets a whole decimal as the integer */
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_I, calx_value_numeric("42.000")), &n), CALX_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count_where(fx, calx_ge(DECIMAL_I, calx_value_numeric("7e0")), &n), CALX_OK);
	assert_int_equal(n, 2);
	/* and a text field on a NUMERIC column compares as the column does */
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_EXACT, calx_value_numeric("2.50")), &n), CALX_OK);
	assert_int_equal(n, BY_DIALECT(fx, 0, 1));
	/* refused before any SQL: a fraction or NaN for an integer, out of range, not a decimal */
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_I, calx_value_numeric("42.5")), &n), CALX_ETYPE);
	assert_non_null(strstr(msg, "decimal.i (int64_t) compared with 42.5, which is not a whole number"));
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_SMALL, calx_value_numeric("NaN")), &n), CALX_ETYPE);
	assert_int_equal(count_where(fx, calx_lt(DECIMAL_I, calx_value_numeric("1e19")), &n), CALX_ERANGE);
	assert_non_null(strstr(msg, "compared with 1e19, beyond a 64-bit integer"));
	assert_int_equal(count_where(fx, calx_eq(DECIMAL_D, calx_value_numeric("1,5")), &n), CALX_ETYPE);
	assert_non_null(strstr(msg, "decimal.d compared with a malformed decimal"));
	/* a decimal key: "2.000" is the key 2; "2.5" fits no integer key */
	struct decimal *x;
	assert_ok(fx->s, calx_session_get(fx->s, &decimal_mapper, calx_value_numeric("2.000"), (void **)&x));
	assert_int_equal(x->id, 2);
	assert_calx(fx->s, calx_session_get(fx->s, &decimal_mapper, calx_value_numeric("2.5"), (void **)&x),
	            CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "the decimal key 2.5 does not fit column \"id\" (int64_t)"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(numeric_integer_beyond_double_precision_loads_exactly),
		T(numeric_out_of_int64_range_is_refused),
		T(numeric_fraction_is_refused_for_an_integer_field),
		T(numeric_loads_into_a_double_as_the_nearest_double),
		T(numbers_round_trip_through_the_orm),
		T(numeric_corner_values_load_into_a_double_as_the_nearest_double),
		T(numeric_corner_values_are_refused_by_an_integer_field),
		T(numeric_loads_into_text_fields_as_its_exact_text),
		T(numeric_keys_go_through_the_identity_map),
		T(decimal_values_compare_and_bind_exactly),
	};
	return RUN_ON_ALL_DIALECTS("numbers", tests);
}
