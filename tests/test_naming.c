/*
 * The table-name rule (CALX_NAMING(table = snake_plural) in
 * tests/models/naming.h): the tables calx-reflect named by the rule are
 * created, written and read on both dialects, a foreign key and a
 * relationship between two of them work, and an explicit name won.
 */
#include <string.h>
#include "helpers.h"
#include "naming.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &naming_schema);
}

static void tables_named_by_the_rule(void **state)
{
	(void)state;
	assert_string_equal(NmCategory_mapper.table, "nm_categories");
	assert_string_equal(NmBox_mapper.table, "nm_boxes");
	assert_string_equal(NmInvoiceLine_mapper.table, "nm_invoice_lines");
	assert_string_equal(nm_address_mapper.table, "nm_addresses");
	assert_string_equal(NmDay_mapper.table, "nm_days");
	assert_string_equal(NmHTTPServer_mapper.table, "nm_http_servers");
	assert_string_equal(NmPerson_mapper.table, "nm_people");
}

static void ddl_names_the_tables_so(void **state)
{
	fixture *fx = *state;
	char *ddl;
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	assert_non_null(strstr(ddl, "CREATE TABLE IF NOT EXISTS \"nm_categories\""));
	assert_non_null(strstr(ddl, "REFERENCES \"nm_categories\""));
	assert_non_null(strstr(ddl, "CREATE TABLE IF NOT EXISTS \"nm_people\""));
	assert_null(strstr(ddl, "\"NmPerson\""));
	calx_free(ddl);
}

static void rows_round_trip_through_the_named_tables(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct NmCategory *c = NmCategory_new(s, .id = 1, .title = "tools");
	struct NmBox *b = NmBox_new(s, .id = 10);
	assert_non_null(c);
	assert_non_null(b);
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_related_set(s, b, NMBOX_REL_CATEGORY, c));
	assert_ok(s, calx_session_add(s, b));
	assert_ok(s, calx_session_add(s, NmInvoiceLine_new(s, .id = 1, .qty = 3)));
	assert_ok(s, calx_session_commit(s));

	calx_session *s2 = fixture_session(fx);
	struct NmBox *back;
	assert_ok(s2, NmBox_get(s2, 10, &back));
	assert_non_null(back);
	assert_true(back->category_id.has_value);
	assert_int_equal(back->category_id.value, 1);
	assert_ok(s2, calx_related_load(s2, back, NMBOX_REL_CATEGORY));
	assert_non_null(back->category);
	assert_string_equal(back->category->title, "tools");
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, &NmInvoiceLine_mapper), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_named_by_the_rule),
		cmocka_unit_test_setup_teardown(ddl_names_the_tables_so, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(rows_round_trip_through_the_named_tables, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("naming", tests);
}
