/*
 * The statement caches, measured (calx_session_cache_stats;
 * tests/models/query.h), on SQLite and PostgreSQL: a loop of 1000 selects
 * of one shape -- the same where, order and limit with other values --
 * and 1000 bulk updates of one shape finds its prepared statement every
 * time after the first (at least 99% hits, printed); a select of a new
 * shape is a miss, and a second connection of the same engine finds the
 * first one's compiled SQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"

#define LOOPS 1000

static int rate_setup(void **state)
{
	if (fixture_setup_schema(state, &query_schema) != 0)
		return -1;
	fixture *fx = *state;
	for (int i = 0; i < 20; i++) {
		struct q_artist *a = q_artist_new(fx->s);
		if (!a)
			return -1;
		snprintf(a->name, sizeof a->name, "artist %02d", i);
		if (calx_session_add(fx->s, a) != CALX_OK)
			return -1;
	}
	return calx_session_commit(fx->s) == CALX_OK ? 0 : -1;
}

static void print_rate(const char *what, const calx_cache_stats *a, const calx_cache_stats *b)
{
	uint64_t hits = b->stmt_hits - a->stmt_hits, misses = b->stmt_misses - a->stmt_misses;
	print_message("%s: %llu hits, %llu misses of the prepared statements (%.1f%%)\n", what,
	              (unsigned long long)hits, (unsigned long long)misses,
	              100.0 * (double)hits / (double)(hits + misses ? hits + misses : 1));
	assert_true(hits * 100 >= (hits + misses) * 99);
}

static void one_shape_with_other_values_hits(void **state)
{
	fixture *fx = *state;
	calx_cache_stats before, after;
	calx_session_cache_stats(fx->s, &before);
	size_t found = 0;
	for (int i = 0; i < LOOPS; i++) {
		char name[32];
		snprintf(name, sizeof name, "artist %02d", i % 25);
		calx_select *q = calx_select_new(fx->s, &q_artist_mapper);
		assert_non_null(q);
		calx_where(q, calx_and(calx_eq(Q_ARTIST_NAME, name), calx_gt(Q_ARTIST_ID, -(i % 3))));
		calx_order_by(q, Q_ARTIST_NAME, CALX_ASC);
		calx_limit(q, 1 + i % 5);
		void **rows;
		size_t n;
		assert_ok(fx->s, calx_select_all(q, &rows, &n));
		found += n;
		calx_select_free(q);
	}
	assert_int_equal(found, LOOPS / 25 * 20);      /* 20 of every 25 names exist */
	calx_session_cache_stats(fx->s, &after);
	print_rate("1000 selects of one shape", &before, &after);
	/* the shape compiled once at most: the rest found it prepared, so never asked the engine's cache */
	assert_true(after.sql_misses - before.sql_misses <= 1);

	calx_session_cache_stats(fx->s, &before);
	for (int i = 0; i < LOOPS; i++) {
		calx_update *u = calx_update_new(fx->s, &q_artist_mapper);
		calx_update_where(u, calx_eq(Q_ARTIST_ID, 1 + i % 20));
		calx_update_set(u, Q_ARTIST_NAME, calx_lit(i % 2 ? "odd" : "even"));
		uint64_t rows;
		assert_ok(fx->s, calx_update_run(u, CALX_SYNC_NONE, &rows));
		assert_int_equal(rows, 1);
		calx_update_free(u);
	}
	calx_session_cache_stats(fx->s, &after);
	print_rate("1000 bulk updates of one shape", &before, &after);
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void a_new_shape_misses_and_another_connection_shares_the_sql(void **state)
{
	fixture *fx = *state;
	calx_cache_stats before, after;
	calx_session_cache_stats(fx->s, &before);
	/* a shape no test ran before: BETWEEN on the name, ordered descending */
	calx_select *q = calx_select_new(fx->s, &q_artist_mapper);
	calx_where(q, calx_between(Q_ARTIST_NAME, "artist 03", "artist 05"));
	calx_order_by(q, Q_ARTIST_ID, CALX_DESC);
	void **rows;
	size_t n;
	assert_ok(fx->s, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 3);
	calx_select_free(q);
	calx_session_cache_stats(fx->s, &after);
	assert_int_equal(after.stmt_misses - before.stmt_misses, 1);
	assert_int_equal(after.sql_misses - before.sql_misses, 1);
	/* another session of the engine: its own connection prepares the shape, from the engine's compiled SQL */
	calx_session *other = fixture_session(fx);
	calx_session_cache_stats(other, &before);
	q = calx_select_new(other, &q_artist_mapper);
	calx_where(q, calx_between(Q_ARTIST_NAME, "artist 10", "artist 19"));
	calx_order_by(q, Q_ARTIST_ID, CALX_DESC);
	assert_ok(other, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 10);
	calx_select_free(q);
	calx_session_cache_stats(other, &after);
	assert_int_equal(after.stmt_misses - before.stmt_misses, 1);
	/* found compiled (as were BEGIN, COMMIT and ROLLBACK, prepared once per connection) */
	assert_true(after.sql_hits - before.sql_hits >= 1);
	assert_int_equal(after.sql_misses - before.sql_misses, 0);
	calx_session_free(other);
	calx_session_cache_stats(NULL, &after);
	assert_int_equal(after.stmt_hits + after.sql_hits, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(one_shape_with_other_values_hits, rate_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_new_shape_misses_and_another_connection_shares_the_sql, rate_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("cache_rate", tests);
}
