/*
 * Schema-qualified tables (tests/models/schemas.h): on PostgreSQL the
 * tables live in their schemas, which create_all creates, and every
 * statement quotes schema and table apart; on SQLite the schema is folded
 * into the table's name. Foreign keys and relationships cross the
 * schemas; the session works on them; inspection and the schema diff see
 * the tables where they are.
 */
#include <string.h>
#include "helpers.h"
#include "schemas.calx.h"
#include <calx/inspect.h>

static int setup(void **state)
{
	return fixture_setup_schema(state, &schemas_schema);
}

static void ddl_quotes_schema_and_table_apart(void **state)
{
	fixture *fx = *state;
	char *ddl;
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	if (ON_POSTGRESQL(fx)) {
		const char *crm = strstr(ddl, "CREATE SCHEMA IF NOT EXISTS \"calx_crm\"");
		const char *customers = strstr(ddl, "CREATE TABLE IF NOT EXISTS \"calx_crm\".\"sch_customers\"");
		assert_non_null(crm);
		assert_non_null(customers);
		assert_true(crm < customers);
		assert_non_null(strstr(ddl, "CREATE SCHEMA IF NOT EXISTS \"calx_sales\""));
		assert_non_null(strstr(ddl, "REFERENCES \"calx_crm\".\"sch_customers\" (\"id\") ON DELETE CASCADE"));
		assert_non_null(strstr(ddl, "REFERENCES \"calx_sales\".\"sch_orders\" (\"id\")"));
		assert_non_null(strstr(ddl, "ON \"calx_sales\".\"sch_orders\" (\"placed\")"));
		/* once per schema */
		assert_null(strstr(strstr(ddl, "\"calx_crm\"") + 1, "CREATE SCHEMA IF NOT EXISTS \"calx_crm\""));
	} else {
		assert_null(strstr(ddl, "CREATE SCHEMA"));
		assert_non_null(strstr(ddl, "CREATE TABLE IF NOT EXISTS \"calx_crm_sch_customers\""));
		assert_non_null(strstr(ddl, "REFERENCES \"calx_sales_sch_orders\" (\"id\")"));
	}
	/* the derived names fold the schema in, the same on both */
	assert_non_null(strstr(ddl, "\"pk_calx_crm_sch_customers\""));
	assert_non_null(strstr(ddl, "\"ix_calx_sales_sch_orders_placed\""));
	assert_non_null(strstr(ddl, "\"fk_calx_sales_sch_orders_customer_id_calx_crm_sch_customers\""));
	assert_null(strstr(ddl, "calx_crm.sch"));
	calx_free(ddl);
}

static void the_session_works_across_schemas(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sch_customer *c = sch_customer_new(s, .id = 1, .name = "Ann");
	assert_ok(s, calx_session_add(s, c));
	for (int i = 0; i < 3; i++) {
		struct sch_order *o = sch_order_new(s, .id = 10 + i, .placed = 2020 + i, .cents = 100 * i);
		assert_ok(s, calx_related_set(s, o, SCH_ORDER_REL_CUSTOMER, c));
		assert_ok(s, calx_session_add(s, o));
	}
	struct sch_note *n = sch_note_new(s, .order_id = 11, .text = "gift");
	assert_ok(s, calx_session_add(s, n));
	assert_ok(s, calx_session_commit(s));
	assert_true(n->id > 0);         /* the key came back from the qualified table */

	calx_session *s2 = fixture_session(fx);
	struct sch_customer *back;
	assert_ok(s2, sch_customer_get(s2, 1, &back));
	assert_non_null(back);
	assert_ok(s2, calx_related_load(s2, back, SCH_CUSTOMER_REL_ORDERS));
	assert_int_equal(back->orders.n, 3);
	/* a select with criteria, columns qualified by schema and table */
	calx_select *q = calx_select_new(s2, &sch_order_mapper);
	calx_where(q, calx_ge(SCH_ORDER_PLACED, calx_value_int(2021)));
	calx_order_by(q, SCH_ORDER_PLACED, CALX_DESC);
	void **rows;
	size_t nrows;
	assert_ok(s2, calx_select_all(q, &rows, &nrows));
	assert_int_equal(nrows, 2);
	assert_int_equal(((struct sch_order *)rows[0])->id, 12);
	assert_ptr_equal(((struct sch_order *)rows[0])->customer, back);      /* the identity map */
	/* update and delete on the qualified tables (rows is the select's: used before it is freed) */
	struct sch_order *o11 = rows[1];     /* the note's order stays: no cascade from the default schema's table */
	o11->cents = 999;
	assert_ok(s2, calx_session_delete(s2, rows[0]));
	calx_select_free(q);
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);
	assert_int_equal(count_rows(fx, &sch_order_mapper), 2);
	calx_session *s3 = fixture_session(fx);
	struct sch_order *again;
	assert_ok(s3, sch_order_get(s3, 11, &again));
	assert_int_equal(again->cents, 999);
	calx_session_free(s3);
}

/*
 * The drifts of the registry's own tables: on PostgreSQL the default schema
 * holds every other test's tables too (extra there); the test's schemas
 * hold only its own, so an extra table in one of them counts.
 */
static unsigned own_drifts(const calx_drift_list *diff, const calx_drift **first)
{
	unsigned n = 0;
	*first = NULL;
	for (unsigned i = 0; i < calx_drift_list_count(diff); i++) {
		const calx_drift *d = calx_drift_list_entry(diff, i);
		if (d->kind == CALX_DRIFT_EXTRA_TABLE && !strchr(d->table, '.'))
			continue;
		print_error("drift: %s\n", d->text);
		if (!n++)
			*first = d;
	}
	return n;
}

static void inspection_and_diff_see_the_schemas(void **state)
{
	fixture *fx = *state;
	calx_drift_list *diff;
	const calx_drift *d;
	assert_int_equal(calx_schema_diff(fx->reg, fx->eng, &diff), CALX_OK);
	assert_int_equal(own_drifts(diff, &d), 0);
	calx_drift_list_free(diff);

	calx_inspection *in;
	if (ON_POSTGRESQL(fx)) {
		assert_int_equal(calx_inspect(fx->eng, "calx_sales", &in), CALX_OK);
		const calx_insp_table *t = calx_inspection_find(in, "sch_orders");
		assert_non_null(t);
		assert_string_equal(t->schema, "calx_sales");
		assert_int_equal(t->n_fks, 1);
		assert_string_equal(t->fks[0].ref_schema, "calx_crm");
		assert_string_equal(t->fks[0].ref_table, "sch_customers");
		calx_inspection_free(in);
		assert_int_equal(calx_engine_exec(fx->eng, "DROP INDEX calx_sales.ix_calx_sales_sch_orders_placed"), CALX_OK);
	} else {
		assert_int_equal(calx_inspect(fx->eng, NULL, &in), CALX_OK);
		assert_non_null(calx_inspection_find(in, "calx_sales_sch_orders"));
		calx_inspection_free(in);
		assert_int_equal(calx_engine_exec(fx->eng, "DROP INDEX ix_calx_sales_sch_orders_placed"), CALX_OK);
	}
	/* a drift in a qualified table is reported under its qualified name */
	assert_int_equal(calx_schema_diff(fx->reg, fx->eng, &diff), CALX_OK);
	assert_int_equal(own_drifts(diff, &d), 1);
	assert_int_equal(d->kind, CALX_DRIFT_MISSING_INDEX);
	assert_string_equal(d->table, "calx_sales.sch_orders");
	calx_drift_list_free(diff);

	/* with every table gone, each is missing, the qualified ones too */
	assert_int_equal(calx_drop_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(calx_schema_diff(fx->reg, fx->eng, &diff), CALX_OK);
	unsigned missing = 0;
	for (unsigned i = 0; i < calx_drift_list_count(diff); i++)
		missing += calx_drift_list_entry(diff, i)->kind == CALX_DRIFT_MISSING_TABLE;
	assert_int_equal(missing, 3);
	calx_drift_list_free(diff);
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ddl_quotes_schema_and_table_apart, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(the_session_works_across_schemas, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(inspection_and_diff_see_the_schemas, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("schemas", tests);
}
