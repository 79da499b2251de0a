/*
 * UNION and UNION ALL (tests/models/query.h), on SQLite and PostgreSQL:
 * duplicates dropped or kept, selects of two tables with the union's own
 * ORDER BY, LIMIT and OFFSET, operands that are paged themselves, nested
 * unions, calx_select_scalar over a union; and the refusals: a select of
 * objects, different numbers of values, values of different kinds, a
 * where on the union, an order_by that is not one of its values.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "query.calx.h"
#include "seeds/music_store.h"

/* Track lengths as one value, where ms is within [lo, hi]. */
static calx_select *lengths(fixture *fx, int lo, int hi)
{
	calx_select *q = calx_select_new(fx->s, &q_track_mapper);
	assert_non_null(q);
	calx_expr *ms[] = { calx_col(Q_TRACK_MS) };
	assert_ok(fx->s, calx_select_exprs(q, ms, 1));
	calx_where(q, calx_between(Q_TRACK_MS, lo, hi));
	return q;
}

/* Every row of u: the first value of each as an integer, comma separated; u freed. */
static const char *ints(fixture *fx, calx_select *u, size_t width)
{
	static char out[256];
	out[0] = '\0';
	calx_value v[4];
	int rc;
	assert_true(width <= 4);
	while ((rc = calx_select_next_values(u, v)) == CALX_ROW) {
		size_t len = strlen(out);
		assert_int_equal(v[0].kind, CALX_VALUE_INT);
		snprintf(out + len, sizeof out - len, "%s%lld", len ? "," : "", (long long)v[0].u.i);
	}
	assert_calx(fx->s, rc, CALX_DONE);
	calx_select_free(u);
	return out;
}

static void union_drops_duplicates_and_union_all_keeps_them(void **state)
{
	fixture *fx = *state;
	/* 100, 200 and 200, 300, 400: 200 is in both */
	calx_select *u = calx_union(lengths(fx, 0, 200), lengths(fx, 200, 1000), false);
	calx_order_by(u, Q_TRACK_MS, CALX_ASC);
	assert_string_equal(ints(fx, u, 1), "100,200,300,400");
	u = calx_union(lengths(fx, 0, 200), lengths(fx, 200, 1000), true);
	calx_order_by_expr(u, calx_col(Q_TRACK_MS), CALX_DESC);
	assert_string_equal(ints(fx, u, 1), "400,300,200,200,100");
	/* the union's own limit and offset */
	u = calx_union(lengths(fx, 0, 200), lengths(fx, 200, 1000), true);
	calx_order_by(u, Q_TRACK_MS, CALX_DESC);
	calx_limit(u, 2);
	calx_offset(u, 1);
	assert_string_equal(ints(fx, u, 1), "300,200");
}

static void union_of_two_tables_ordered_by_its_values(void **state)
{
	fixture *fx = *state;
	/* (name, id) of artists, then (title, artist_id) of albums, ordered by the text, paged */
	calx_select *a = calx_select_new(fx->s, &q_artist_mapper), *b = calx_select_new(fx->s, &q_album_mapper);
	calx_expr *ea[] = { calx_col(Q_ARTIST_NAME), calx_col(Q_ARTIST_ID) };
	calx_expr *eb[] = { calx_col(Q_ALBUM_TITLE), calx_col(Q_ALBUM_ARTIST_ID) };
	assert_ok(fx->s, calx_select_exprs(a, ea, 2));
	assert_ok(fx->s, calx_select_exprs(b, eb, 2));
	calx_select *u = calx_union(a, b, true);
	calx_order_by(u, Q_ARTIST_NAME, CALX_ASC);
	calx_limit(u, 4);
	calx_offset(u, 1);
	char got[128] = "";
	calx_value v[2];
	int rc;
	while ((rc = calx_select_next_values(u, v)) == CALX_ROW) {
		assert_int_equal(v[0].kind, CALX_VALUE_TEXT);
		assert_int_equal(v[1].kind, CALX_VALUE_INT);
		size_t len = strlen(got);
		snprintf(got + len, sizeof got - len, "%s%.*s", len ? "," : "", (int)v[0].u.s.n, v[0].u.s.p);
	}
	assert_calx(fx->s, rc, CALX_DONE);
	assert_string_equal(got, "Beta,First,Gamma,Second");
	calx_select_free(u);

	/* columns (calx_select_columns) and an expression equal to the first select's, ordered descending */
	a = calx_select_new(fx->s, &q_track_mapper);
	const calx_field_desc *cols[] = { calx_field(Q_TRACK_ID), calx_field(Q_TRACK_MS) };
	assert_ok(fx->s, calx_select_columns(a, cols, 2));
	calx_where(a, calx_lt(Q_TRACK_MS, 250));
	b = calx_select_new(fx->s, &q_album_mapper);
	calx_expr *eb2[] = { calx_col(Q_ALBUM_ID), calx_mul(calx_col(Q_ALBUM_ID), calx_lit(1000)) };
	assert_ok(fx->s, calx_select_exprs(b, eb2, 2));
	u = calx_union(a, b, false);
	calx_order_by(u, Q_TRACK_MS, CALX_DESC);
	calx_order_by(u, Q_TRACK_ID, CALX_ASC);
	int64_t want_ms[] = { 3000, 2000, 1000, 200, 100 };
	size_t n = 0;
	while ((rc = calx_select_next_values(u, v)) == CALX_ROW) {
		assert_true(n < 5);
		assert_int_equal(v[1].u.i, want_ms[n++]);
	}
	assert_calx(fx->s, rc, CALX_DONE);
	assert_int_equal(n, 5);
	calx_select_free(u);
}

static void paged_operands_nested_unions_and_a_scalar(void **state)
{
	fixture *fx = *state;
	/* the longest track, UNION ALL the shortest: each operand has its own ORDER BY and LIMIT */
	calx_select *longest = lengths(fx, 0, 1000), *shortest = lengths(fx, 0, 1000);
	calx_order_by(longest, Q_TRACK_MS, CALX_DESC);
	calx_limit(longest, 1);
	calx_order_by(shortest, Q_TRACK_MS, CALX_ASC);
	calx_limit(shortest, 1);
	calx_select *u = calx_union(longest, shortest, true);
	calx_order_by(u, Q_TRACK_MS, CALX_ASC);
	assert_string_equal(ints(fx, u, 1), "100,400");
	/* nested: (100 UNION ALL 100) UNION 400 */
	u = calx_union(calx_union(lengths(fx, 100, 100), lengths(fx, 100, 100), true), lengths(fx, 400, 400), false);
	calx_order_by(u, Q_TRACK_MS, CALX_DESC);
	assert_string_equal(ints(fx, u, 1), "400,100");
	/* and on the right: 300 UNION ALL (100 UNION ALL 100), three rows */
	u = calx_union(lengths(fx, 300, 300), calx_union(lengths(fx, 100, 100), lengths(fx, 100, 100), true), true);
	calx_order_by(u, Q_TRACK_MS, CALX_ASC);
	assert_string_equal(ints(fx, u, 1), "100,100,300");
	/* a union of one row: its scalar */
	u = calx_union(lengths(fx, 250, 350), lengths(fx, 300, 300), false);
	calx_value v;
	assert_ok(fx->s, calx_select_scalar(u, &v));
	assert_int_equal(v.kind, CALX_VALUE_INT);
	assert_int_equal(v.u.i, 300);
	calx_select_free(u);
}

static void refused(fixture *fx, calx_select *u, int want, const char *text)
{
	calx_value v[2];
	assert_calx(fx->s, calx_select_next_values(u, v), want);
	if (!strstr(calx_session_errmsg(fx->s), text))
		fail_msg("wanted \"%s\" in: %s", text, calx_session_errmsg(fx->s));
	calx_select_free(u);
}

static void unions_refuse_what_cannot_work(void **state)
{
	fixture *fx = *state;
	calx_select *u = calx_union(calx_select_new(fx->s, &q_track_mapper), lengths(fx, 0, 100), true);
	refused(fx, u, CALX_EINVAL, "its first select is a select of objects");
	u = calx_union(lengths(fx, 0, 100), calx_select_new(fx->s, &q_track_mapper), true);
	refused(fx, u, CALX_EINVAL, "its second select is a select of objects");
	/* a union's rows are values */
	u = calx_union(lengths(fx, 0, 100), lengths(fx, 0, 100), true);
	void *obj;
	assert_calx(fx->s, calx_select_next(u, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "use calx_select_next_values"));
	calx_select_free(u);

	calx_select *two = calx_select_new(fx->s, &q_track_mapper);
	calx_expr *e2[] = { calx_col(Q_TRACK_MS), calx_col(Q_TRACK_ID) };
	assert_ok(fx->s, calx_select_exprs(two, e2, 2));
	refused(fx, calx_union(lengths(fx, 0, 100), two, true), CALX_EINVAL, "a select of 1 values and one of 2");

	calx_select *names = calx_select_new(fx->s, &q_track_mapper);
	calx_expr *en[] = { calx_col(Q_TRACK_NAME) };
	assert_ok(fx->s, calx_select_exprs(names, en, 1));
	refused(fx, calx_union(lengths(fx, 0, 100), names, true), CALX_ETYPE,
	        "value 1 is a number in the first select and text in the second");

	u = calx_union(lengths(fx, 0, 100), lengths(fx, 0, 100), true);
	calx_where(u, calx_gt(Q_TRACK_MS, 0));
	refused(fx, u, CALX_EINVAL, "a union takes calx_order_by, calx_limit and calx_offset");

	u = calx_union(lengths(fx, 0, 100), lengths(fx, 0, 100), true);
	calx_order_by(u, Q_TRACK_NAME, CALX_ASC);
	refused(fx, u, CALX_EINVAL, "an order_by item must be one of its first select's values");

	/* a union inside another select */
	calx_select *q = calx_select_new(fx->s, &q_track_mapper);
	calx_where(q, calx_in_select(Q_TRACK_MS, calx_union(lengths(fx, 0, 100), lengths(fx, 0, 100), true)));
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "a union inside another select"));
	calx_select_free(q);

	/* NULL operands: NULL, the other freed (the leak checker sees it) */
	assert_null(calx_union(NULL, lengths(fx, 0, 100), true));
	assert_null(calx_union(lengths(fx, 0, 100), NULL, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(union_drops_duplicates_and_union_all_keeps_them, music_store_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(union_of_two_tables_ordered_by_its_values, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(paged_operands_nested_unions_and_a_scalar, music_store_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(unions_refuse_what_cannot_work, music_store_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("select_union", tests);
}
