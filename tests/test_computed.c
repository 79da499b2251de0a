/*
 * Computed columns (CALX(computed("..."))), tests/models/valuetypes.h, on
 * both dialects: GENERATED ALWAYS AS (...) STORED in the DDL, never sent
 * by an INSERT or an UPDATE, read back into the struct after each flush
 * (NULL too), and usable in a select like any column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "valuetypes.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &valuetypes_schema);
}

static struct vt_line *load(calx_session *s, int64_t id)
{
	struct vt_line *l = NULL;
	assert_ok(s, vt_line_get(s, id, &l));
	return l;
}

static void ddl_declares_a_stored_generated_column(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	calx_text_query *t = calx_text(s, BY_DIALECT(fx, "SELECT sql FROM sqlite_master WHERE name = 'vt_lines'",
	                                             "SELECT string_agg(column_name || ':' || is_generated || ':' || "
	                                             "coalesce(generation_expression, ''), ',' ORDER BY column_name) "
	                                             "FROM information_schema.columns WHERE table_name = 'vt_lines'"));
	calx_value v;
	assert_int_equal(calx_text_next(t, &v, 1), CALX_ROW);
	char text[1024];
	snprintf(text, sizeof text, "%.*s", (int)v.u.s.n, v.u.s.p);
	calx_text_free(t);
	if (ON_SQLITE(fx)) {
		if (!strstr(text, "\"total_cents\" INTEGER NOT NULL GENERATED ALWAYS AS (price_cents * qty) STORED"))
			fail_msg("%s", text);
	} else {
		if (!strstr(text, "total_cents:ALWAYS:(price_cents * qty)") || !strstr(text, "bulk_cents:ALWAYS:") ||
		    !strstr(text, "qty:NEVER:"))
			fail_msg("%s", text);
	}
}

static void insert_reads_the_computed_values_back(void **state)
{
	fixture *fx = *state;
	struct vt_line *small = vt_line_new(fx->s, .price_cents = 250, .qty = 3, .label = "pens");
	struct vt_line *bulk = vt_line_new(fx->s, .price_cents = 100, .qty = 12);
	small->total_cents = 1;        /* the program's value is never sent */
	assert_ok(fx->s, calx_session_add(fx->s, small));
	assert_ok(fx->s, calx_session_add(fx->s, bulk));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(small->total_cents, 750);
	assert_false(small->bulk_cents.has_value);
	assert_int_equal(bulk->total_cents, 1200);
	assert_true(bulk->bulk_cents.has_value);
	assert_int_equal(bulk->bulk_cents.value, 1080);
	/* nothing to write after the flush: the read-back values are the snapshot */
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(fixture_statements(fx->s), before);
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct vt_line *g = load(s, bulk->id);
	assert_int_equal(g->total_cents, 1200);
	assert_int_equal(g->bulk_cents.value, 1080);
	calx_session_free(s);
}

static void update_never_sends_it_and_reads_it_back(void **state)
{
	fixture *fx = *state;
	struct vt_line *l = vt_line_new(fx->s, .price_cents = 100, .qty = 2);
	assert_ok(fx->s, calx_session_add(fx->s, l));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct vt_line *g = load(s, l->id);
	/* a computed column the program writes is no change: no statement */
	g->total_cents = 5;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	/* a real change: its UPDATE, then the computed columns as the database has them */
	g->qty = 20;
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(g->total_cents, 2000);
	assert_true(g->bulk_cents.has_value);
	assert_int_equal(g->bulk_cents.value, 1800);
	before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	/* and back below the bulk threshold: NULL again */
	g->qty = 1;
	g->label = "single";
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(g->total_cents, 100);
	assert_false(g->bulk_cents.has_value);
	calx_session_free(s);

	s = fixture_session(fx);
	g = load(s, l->id);
	assert_int_equal(g->total_cents, 100);
	assert_false(g->bulk_cents.has_value);
	assert_string_equal(g->label, "single");
	calx_session_free(s);
}

static void select_compares_a_computed_column(void **state)
{
	fixture *fx = *state;
	for (int q = 1; q <= 12; q++)
		assert_ok(fx->s, calx_session_add(fx->s, vt_line_new(fx->s, .price_cents = 10, .qty = q)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &vt_line_mapper);
	calx_where(q, calx_and(calx_ge(VT_LINE_TOTAL_CENTS, 50), calx_is_null(VT_LINE_BULK_CENTS)));
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 5);          /* qty 5..9 */
	calx_select_free(q);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ddl_declares_a_stored_generated_column, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(insert_reads_the_computed_values_back, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(update_never_sends_it_and_reads_it_back, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(select_compares_a_computed_column, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("computed", tests);
}
