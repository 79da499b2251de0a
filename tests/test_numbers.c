/*
 * Exact numbers: a NUMERIC column loaded into an int64_t field is exact or
 * refused, never rounded; into a double, the nearest double. Rows are
 * written with raw SQL (calx_engine_exec), as another program would, and
 * loaded through the ORM, on both dialects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"
#include "numbers.calx.h"

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof *fx);
	char url[512];
	*state = fx;
	if (!fx || !test_url(url, sizeof url))
		return -1;
	fx->dialect = current_dialect;
	if (ON_SQLITE(fx))
		snprintf(fx->path, sizeof fx->path, "%s", url + 7);
	if (calx_engine_open(&fx->eng, url) != CALX_OK || calx_registry_open(&fx->reg, &numbers_schema, NULL) != CALX_OK ||
	    calx_drop_all(fx->reg, fx->eng) != CALX_OK || calx_create_all(fx->reg, fx->eng) != CALX_OK) {
		fprintf(stderr, "setup: %s %s\n", calx_engine_errmsg(fx->eng), calx_registry_errmsg(fx->reg));
		return -1;
	}
	return calx_session_open(&fx->s, fx->eng, fx->reg) == CALX_OK ? 0 : -1;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	calx_session_free(fx->s);
	calx_registry_free(fx->reg);
	calx_engine_free(fx->eng);
	if (fx->path[0])
		unlink(fx->path);
	free(fx);
	return 0;
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

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(numeric_integer_beyond_double_precision_loads_exactly),
		T(numeric_out_of_int64_range_is_refused),
		T(numeric_fraction_is_refused_for_an_integer_field),
		T(numeric_loads_into_a_double_as_the_nearest_double),
		T(numbers_round_trip_through_the_orm),
	};
	return RUN_ON_ALL_DIALECTS("numbers", tests);
}
