/*
 * Several registries in one program, each with its own metadata, used
 * against different engines at once: the shop's registry on the group's
 * dialect and the orders' registry on the other one (SQLite and
 * PostgreSQL), sessions of both open together, each writing and reading
 * its own tables; and a registry of the same schema opened twice with
 * different naming conventions, each naming its constraints its own way.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "orders.calx.h"

/* The other dialect's database: PostgreSQL when the group runs on SQLite, a fresh SQLite file otherwise. */
static void other_url(fixture *fx, char *buf, size_t cap)
{
	test_dialect was = current_dialect;
	current_dialect = ON_SQLITE(fx) ? TEST_POSTGRESQL : TEST_SQLITE;
	assert_non_null(test_url(buf, cap));
	current_dialect = was;
}

static void two_registries_on_two_engines_at_once(void **state)
{
	fixture *fx = *state;
	char url[600];
	other_url(fx, url, sizeof url);
	calx_engine *eng2;
	calx_registry *orders;
	assert_int_equal(calx_engine_open(&eng2, url), CALX_OK);
	assert_int_equal(calx_registry_open(&orders, &orders_schema, NULL), CALX_OK);
	calx_drop_all(orders, eng2);
	assert_int_equal(calx_create_all(orders, eng2), CALX_OK);
	assert_string_not_equal(calx_engine_dialect_name(fx->eng), calx_engine_dialect_name(eng2));

	calx_session *shop = fx->s, *s2;
	assert_int_equal(calx_session_open(&s2, eng2, orders), CALX_OK);
	/* interleaved: each session writes its own registry's structs to its own engine */
	struct user *u = user_new(shop, .name = "Ann", .age = 30);
	assert_ok(shop, calx_session_add(shop, u));
	struct order *o = order_new(s2, .id = 7, .no = 1, .customer = "ACME");
	assert_ok(s2, calx_session_add(s2, o));
	assert_ok(s2, calx_session_flush(s2));
	assert_ok(shop, calx_session_commit(shop));
	assert_ok(s2, calx_session_commit(s2));

	/* a struct of one registry is not mapped by the other */
	assert_null(user_new(s2, .name = "Bob"));
	assert_non_null(strstr(calx_session_errmsg(s2), "not mapped by this session's registry"));
	/* nor is an object of the other session taken */
	assert_int_not_equal(calx_session_add(s2, user_new(shop, .name = "Cy")), CALX_OK);
	assert_non_null(strstr(calx_session_errmsg(s2), "not created or loaded by this session"));

	struct order *back;
	calx_value key[2] = { calx_value_int(7), calx_value_int(1) };
	calx_select *q = calx_select_new(s2, &order_mapper);
	calx_where(q, calx_and(calx_eq(ORDER_ID, key[0]), calx_eq(ORDER_NO, key[1])));
	assert_ok(s2, calx_select_one(q, (void **)&back));
	assert_string_equal(back->customer, "ACME");
	calx_select_free(q);
	assert_int_equal(count_rows(fx, &user_mapper), 1);

	calx_session_free(s2);
	assert_int_equal(calx_drop_all(orders, eng2), CALX_OK);
	calx_registry_free(orders);
	calx_engine_free(eng2);
}

static void one_schema_two_registries_two_naming_conventions(void **state)
{
	fixture *fx = *state;
	calx_registry *a, *b;
	calx_registry_options o = CALX_REGISTRY_OPTIONS_INIT;
	o.uq = "unique_%(column_0_label)s";
	assert_int_equal(calx_registry_open(&a, &orders_schema, NULL), CALX_OK);
	assert_int_equal(calx_registry_open(&b, &orders_schema, &o), CALX_OK);
	char *da, *db;
	assert_int_equal(calx_registry_ddl(a, fx->eng, &da), CALX_OK);
	assert_int_equal(calx_registry_ddl(b, fx->eng, &db), CALX_OK);
	assert_non_null(strstr(da, "\"uq_order_lines_order_id_line_no\""));
	assert_null(strstr(da, "\"unique_order_lines_order_id\""));
	assert_non_null(strstr(db, "\"unique_order_lines_order_id\""));
	calx_free(da);
	calx_free(db);
	calx_registry_free(a);
	calx_registry_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_registries_on_two_engines_at_once, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(one_schema_two_registries_two_naming_conventions, fixture_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("registries", tests);
}
