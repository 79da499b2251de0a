/*
 * Enums stored by name (CALX(enum_as(text))), tests/models/valuetypes.h,
 * on both dialects: the column holds the constant's name (the shared prefix
 * cut, lowercased) under a CHECK of the names; the struct holds the enum.
 * A value that is no constant is refused before any statement, a name that
 * is no constant's when it is loaded (CALX_ERANGE naming it); selects
 * compare with a constant or a name; enum_as(integer) keeps the integer.
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

static struct vt_order *load(calx_session *s, int64_t id)
{
	struct vt_order *o = NULL;
	assert_ok(s, vt_order_get(s, id, &o));
	return o;
}

/* The stored text of a column of one order, by raw SQL. */
static void stored(calx_session *s, const char *col, int64_t id, char *buf, size_t cap)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM vt_orders WHERE id = :id", col);
	calx_text_query *t = calx_text(s, sql);
	assert_ok(s, calx_text_bind(t, "id", calx_value_int(id)));
	calx_value v;
	assert_int_equal(calx_text_next(t, &v, 1), CALX_ROW);
	if (v.kind == CALX_VALUE_INT)
		snprintf(buf, cap, "%lld", (long long)v.u.i);
	else
		snprintf(buf, cap, "%.*s", (int)v.u.s.n, v.u.s.p);
	calx_text_free(t);
}

static void names_are_stored_and_loaded(void **state)
{
	fixture *fx = *state;
	static const enum vt_order_status all[] = { ORDER_STATUS_NEW, ORDER_STATUS_PAID, ORDER_STATUS_ON_HOLD,
	                                            ORDER_STATUS_SHIPPED };
	static const char *const names[] = { "new", "paid", "on_hold", "shipped" };
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		struct vt_order *o = vt_order_new(fx->s, .status = all[i], .was = ORDER_STATUS_NEW, .priority = VT_HIGH);
		assert_ok(fx->s, calx_session_add(fx->s, o));
		assert_ok(fx->s, calx_session_flush(fx->s));
		ids[i] = o->id;
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	char buf[64];
	for (int i = 0; i < 4; i++) {
		stored(s, "status", ids[i], buf, sizeof buf);
		assert_string_equal(buf, names[i]);
		stored(s, "priority", ids[i], buf, sizeof buf);
		assert_string_equal(buf, "1");           /* enum_as(integer): VT_HIGH's integer */
		struct vt_order *o = load(s, ids[i]);
		assert_int_equal(o->status, all[i]);
		assert_int_equal(o->was, ORDER_STATUS_NEW);
		assert_int_equal(o->priority, VT_HIGH);
	}
	/* change detection on the enum: the same constant again is no UPDATE, another is one */
	struct vt_order *o = load(s, ids[0]);
	o->status = ORDER_STATUS_NEW;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s), before);
	o->status = ORDER_STATUS_SHIPPED;
	assert_ok(s, calx_session_commit(s));
	stored(s, "status", ids[0], buf, sizeof buf);
	assert_string_equal(buf, "shipped");
	calx_session_free(s);
}

static void a_value_that_is_no_constant_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	/* 0 (left out by the constructor) names no constant */
	struct vt_order *o = vt_order_new(s, .was = ORDER_STATUS_PAID);
	assert_ok(s, calx_session_add(s, o));
	uint64_t before = fixture_statements(s);
	assert_int_equal(calx_session_flush(s), CALX_ERANGE);
	const char *msg = calx_session_errmsg(s);
	if (!strstr(msg, "0 is no constant of enum vt_order_status") || !strstr(msg, "\"status\""))
		fail_msg("%s", msg);
	assert_int_equal(fixture_statements(s), before);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &vt_order_mapper), 0);
}

static void a_name_that_is_no_constant_is_refused_on_load(void **state)
{
	fixture *fx = *state;
	struct vt_order *o = vt_order_new(fx->s, .status = ORDER_STATUS_PAID, .was = ORDER_STATUS_NEW);
	assert_ok(fx->s, calx_session_add(fx->s, o));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* the CHECK keeps other names out: written past it, as another program's schema might */
	if (ON_POSTGRESQL(fx))
		assert_int_equal(calx_engine_exec(fx->eng, "ALTER TABLE vt_orders DROP CONSTRAINT ck_vt_orders_status"), CALX_OK);
	int rc = calx_engine_exec(fx->eng, ON_SQLITE(fx) ? "PRAGMA ignore_check_constraints = ON" : "SELECT 1");
	assert_int_equal(rc, CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "UPDATE vt_orders SET status = 'lost'"), CALX_OK);
	calx_session *s = fixture_session(fx);
	struct vt_order *got = NULL;
	assert_int_equal(vt_order_get(s, o->id, &got), CALX_ERANGE);
	const char *msg = calx_session_errmsg(s);
	if (!strstr(msg, "'lost' is no name of enum vt_order_status") || !strstr(msg, "\"status\""))
		fail_msg("%s", msg);
	calx_session_free(s);
}

static void the_check_refuses_other_names(void **state)
{
	fixture *fx = *state;
	struct vt_order *o = vt_order_new(fx->s, .status = ORDER_STATUS_PAID, .was = ORDER_STATUS_NEW);
	assert_ok(fx->s, calx_session_add(fx->s, o));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_not_equal(calx_engine_exec(fx->eng, "UPDATE vt_orders SET status = 'lost'"), CALX_OK);
}

static void selects_compare_with_a_constant_or_a_name(void **state)
{
	fixture *fx = *state;
	static const enum vt_order_status st[] = { ORDER_STATUS_NEW, ORDER_STATUS_ON_HOLD, ORDER_STATUS_ON_HOLD,
	                                           ORDER_STATUS_SHIPPED };
	for (int i = 0; i < 4; i++)
		assert_ok(fx->s, calx_session_add(fx->s, vt_order_new(fx->s, .status = st[i], .was = ORDER_STATUS_NEW)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	void **items;
	size_t n;
	calx_select *q = calx_select_new(s, &vt_order_mapper);
	calx_where(q, calx_eq(VT_ORDER_STATUS, ORDER_STATUS_ON_HOLD));     /* the enum's C type */
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 2);
	assert_int_equal(((struct vt_order *)items[0])->status, ORDER_STATUS_ON_HOLD);
	calx_select_free(q);
	q = calx_select_new(s, &vt_order_mapper);
	calx_where(q, calx_ne(calx_field(VT_ORDER_STATUS), calx_value_text("new")));   /* a name, at run time */
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 3);
	calx_select_free(q);
	q = calx_select_new(s, &vt_order_mapper);
	calx_where(q, calx_eq(VT_ORDER_STATUS, 5));                         /* no constant */
	assert_int_equal(calx_select_all(q, &items, &n), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(s), "5 is no constant of enum vt_order_status"));
	calx_select_free(q);
	q = calx_select_new(s, &vt_order_mapper);
	calx_where(q, calx_eq(calx_field(VT_ORDER_STATUS), calx_value_text("ON_HOLD")));   /* names are exact */
	assert_int_equal(calx_select_all(q, &items, &n), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(s), "'ON_HOLD', no name of enum vt_order_status"));
	calx_select_free(q);
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(names_are_stored_and_loaded, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_value_that_is_no_constant_is_refused, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_name_that_is_no_constant_is_refused_on_load, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(the_check_refuses_other_names, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(selects_compare_with_a_constant_or_a_name, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("enum_names", tests);
}
