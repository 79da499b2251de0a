/*
 * One registry from two headers (tests/models/plugin_billing.h and
 * plugin_core.h, given to one calx-reflect run, billing first): the
 * foreign keys and relationships cross the headers, create_all orders the
 * tables by their keys though the referring ones are declared first, and
 * the session works across them on both dialects.
 */
#include <string.h>
#include "helpers.h"
#include "plugins.calx.h"

static int setup(void **state)
{
	return fixture_setup_schema(state, &plugins_schema);
}

static void create_all_orders_tables_across_headers(void **state)
{
	fixture *fx = *state;
	char *ddl;
	/* declared in the billing header first... */
	assert_true(plg_invoice_mapper.index < plg_account_mapper.index);
	assert_non_null(strstr(plg_invoice_table.source, "plugin_billing.h:"));
	assert_non_null(strstr(plg_account_table.source, "plugin_core.h:"));
	/* ...created after the table they refer to */
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	const char *acc = strstr(ddl, "\"plg_accounts\" (");
	const char *inv = strstr(ddl, "\"plg_invoices\" (");
	const char *line = strstr(ddl, "\"plg_invoice_lines\" (");
	assert_non_null(acc);
	assert_non_null(inv);
	assert_non_null(line);
	assert_true(acc < inv);
	assert_true(inv < line);
	assert_non_null(strstr(ddl, "REFERENCES \"plg_accounts\" (\"id\") ON DELETE CASCADE"));
	calx_free(ddl);
}

static void relationships_cross_headers(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct plg_account *a = plg_account_new(s, .id = 1, .name = "ACME");
	struct plg_invoice *i1 = plg_invoice_new(s, .id = 10, .cents = 500);
	struct plg_invoice *i2 = plg_invoice_new(s, .id = 11, .cents = 700);
	struct plg_invoice_line *l = plg_invoice_line_new(s, .id = 100, .sku = "PEN");
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_related_append(s, a, PLG_ACCOUNT_REL_INVOICES, i1));
	assert_ok(s, calx_related_append(s, a, PLG_ACCOUNT_REL_INVOICES, i2));
	assert_ok(s, calx_related_set(s, l, PLG_INVOICE_LINE_REL_INVOICE, i1));
	assert_ok(s, calx_session_commit(s));
	/* the back reference was kept across the headers */
	assert_ptr_equal(i1->account, a);
	assert_int_equal(i2->account_id, 1);

	calx_session *s2 = fixture_session(fx);
	struct plg_account *back;
	assert_ok(s2, plg_account_get(s2, 1, &back));
	assert_non_null(back);
	assert_ok(s2, calx_related_load(s2, back, PLG_ACCOUNT_REL_INVOICES));
	assert_int_equal(back->invoices.n, 2);
	/* a select across the headers' tables, with criteria */
	calx_select *q = calx_select_new(s2, &plg_invoice_mapper);
	calx_where(q, calx_gt(PLG_INVOICE_CENTS, calx_value_int(600)));
	struct plg_invoice *big;
	assert_ok(s2, calx_select_one(q, (void **)&big));
	assert_int_equal(big->id, 11);
	assert_ptr_equal(big->account, back);   /* the identity map: the account already loaded */
	calx_select_free(q);
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, &plg_invoice_line_mapper), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_all_orders_tables_across_headers, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(relationships_cross_headers, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("several_headers", tests);
}
