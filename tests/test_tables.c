/*
 * Tables apart from mappers (descriptors version 2): table-level
 * constraints from CALX_TABLE(...) through the real calx-reflect
 * (tests/models/orders.h), created, enforced and cascaded on both
 * dialects; constraint names for several columns; descriptors of
 * version 1 refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "orders_fixture.h"

static struct order *add_order(fixture *fx, int64_t id, int32_t no)
{
	struct order *o = order_new(fx->s, .id = id, .no = no, .customer = "ACME");
	assert_non_null(o);
	assert_ok(fx->s, calx_session_add(fx->s, o));
	return o;
}

static struct order_line *add_line(fixture *fx, int64_t order_id, int32_t order_no, int32_t line_no)
{
	struct order_line *l = order_line_new(fx->s, .order_id = order_id, .order_no = order_no,
	                                      .line_no = line_no, .sku = "SKU-1", .qty = 2);
	assert_non_null(l);
	assert_ok(fx->s, calx_session_add(fx->s, l));
	return l;
}

static void ddl_has(const char *ddl, const char *want)
{
	if (!strstr(ddl, want))
		fail_msg("DDL lacks %s:\n%s", want, ddl);
}

static void ddl_has_table_level_constraints_named_by_convention(void **state)
{
	fixture *fx = *state;
	char *ddl;
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	ddl_has(ddl, "CONSTRAINT \"pk_orders\" PRIMARY KEY (\"id\", \"no\")");
	ddl_has(ddl, "CONSTRAINT \"uq_order_lines_order_id_line_no\" UNIQUE (\"order_id\", \"line_no\")");
	ddl_has(ddl, "CONSTRAINT \"qty_positive\" CHECK (qty > 0)");
	ddl_has(ddl, "CONSTRAINT \"fk_order_lines_order_id_order_no_orders\" FOREIGN KEY (\"order_id\", \"order_no\") "
	             "REFERENCES \"orders\" (\"id\", \"no\") ON DELETE CASCADE ON UPDATE CASCADE");
	ddl_has(ddl, "CREATE INDEX IF NOT EXISTS \"ix_order_lines_sku_created\" ON \"order_lines\" (\"sku\", \"created\")");
	ddl_has(ddl, "CREATE UNIQUE INDEX IF NOT EXISTS \"ix_order_lines_code\" ON \"order_lines\" (\"code\")");
	ddl_has(ddl, "CONSTRAINT \"part_parent\" FOREIGN KEY (\"kit\", \"parent_no\") REFERENCES \"parts\" (\"kit\", \"no\")");
	assert_true(strstr(ddl, "CREATE TABLE IF NOT EXISTS \"orders\"") <
	            strstr(ddl, "CREATE TABLE IF NOT EXISTS \"order_lines\""));
	calx_free(ddl);

	/* the multi-column index exists: dropping it works once, create_all makes it again */
	assert_int_equal(calx_engine_exec(fx->eng, "DROP INDEX \"ix_order_lines_sku_created\""), CALX_OK);
	assert_int_not_equal(calx_engine_exec(fx->eng, "DROP INDEX \"ix_order_lines_sku_created\""), CALX_OK);
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "DROP INDEX \"ix_order_lines_sku_created\""), CALX_OK);
}

static void naming_convention_tokens_cover_several_columns(void **state)
{
	fixture *fx = *state;
	calx_registry *reg;
	calx_registry_options o = CALX_REGISTRY_OPTIONS_INIT;
	o.pk = "%(table_name)s_pkey_%(column_0_name)s";
	o.uq = "uq_%(table_name)s_%(column_0N_name)s";
	o.ix = "%(column_0_N_name)s_idx";
	o.fk = "fk_%(table)s_%(column)s";
	o.ck = "ck_%(table)s_%(constraint_name)s";
	assert_int_equal(calx_registry_open(&reg, &orders_schema, &o), CALX_OK);
	char *ddl;
	assert_int_equal(calx_registry_ddl(reg, fx->eng, &ddl), CALX_OK);
	ddl_has(ddl, "CONSTRAINT \"orders_pkey_id\" PRIMARY KEY");
	ddl_has(ddl, "CONSTRAINT \"uq_order_lines_order_idline_no\" UNIQUE");
	ddl_has(ddl, "CREATE INDEX IF NOT EXISTS \"sku_created_idx\"");
	ddl_has(ddl, "CONSTRAINT \"fk_order_lines_order_id_order_no\" FOREIGN KEY");
	ddl_has(ddl, "CONSTRAINT \"ck_order_lines_qty_positive\" CHECK");
	ddl_has(ddl, "CONSTRAINT \"part_parent\" FOREIGN KEY");   /* a given name is kept */
	calx_free(ddl);
	calx_registry_free(reg);

	/* the shop's field-level check has no name: %(constraint_name)s is its column */
	assert_int_equal(calx_registry_open(&reg, &shop_schema, &o), CALX_OK);
	assert_int_equal(calx_registry_ddl(reg, fx->eng, &ddl), CALX_OK);
	ddl_has(ddl, "CONSTRAINT \"ck_users_age\" CHECK (age >= 0)");
	ddl_has(ddl, "CONSTRAINT \"uq_users_name\" UNIQUE (\"name\")");
	calx_free(ddl);
	calx_registry_free(reg);
}

static void composite_foreign_key_enforces_and_cascades(void **state)
{
	fixture *fx = *state;
	struct order *o = add_order(fx, 1, 1);
	add_order(fx, 1, 2);
	add_line(fx, 1, 1, 1);
	add_line(fx, 1, 2, 2);
	assert_ok(fx->s, calx_session_commit(fx->s));   /* parents first */
	assert_int_equal(count_rows(fx, &order_line_mapper), 2);

	/* ON UPDATE CASCADE: the child follows its parent's key */
	assert_int_equal(calx_engine_exec(fx->eng, "UPDATE orders SET no = 7 WHERE id = 1 AND no = 2"), CALX_OK);
	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &order_line_mapper);
	calx_where(q, calx_eq(ORDER_LINE_ORDER_NO, 7));
	void **rows;
	size_t n;
	assert_ok(s2, calx_select_all(q, &rows, &n));
	assert_int_equal(n, 1);
	calx_select_free(q);
	calx_session_free(s2);

	/* ON DELETE CASCADE: deleting the parent through the session takes its line */
	assert_ok(fx->s, calx_session_delete(fx->s, o));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &order_mapper), 1);
	assert_int_equal(count_rows(fx, &order_line_mapper), 1);

	/* a pair that names no order: (1, 1) is gone, (1, 7) exists, (2, 7) never did */
	add_line(fx, 2, 7, 1);
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EFOREIGNKEY);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &order_line_mapper), 1);
}

static void multi_column_unique_refuses_a_duplicate_pair_only(void **state)
{
	fixture *fx = *state;
	add_order(fx, 5, 1);
	add_line(fx, 5, 1, 1);
	add_line(fx, 5, 1, 2);                          /* same first column, another second: fine */
	assert_ok(fx->s, calx_session_commit(fx->s));
	add_line(fx, 5, 1, 2);
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), ON_SQLITE(fx) ? "order_lines.order_id, order_lines.line_no"
	                                                                : "uq_order_lines_order_id_line_no"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &order_line_mapper), 2);
}

static void unique_index_refuses_a_duplicate(void **state)
{
	fixture *fx = *state;
	add_order(fx, 6, 1);
	add_line(fx, 6, 1, 1)->code = "A";
	add_line(fx, 6, 1, 2)->code = "A";
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	assert_ok(fx->s, calx_session_rollback(fx->s));
}

static void named_check_is_enforced_and_named(void **state)
{
	fixture *fx = *state;
	add_order(fx, 8, 1);
	add_line(fx, 8, 1, 1)->qty = 0;
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "qty_positive"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &order_line_mapper), 0);
}

static struct part *add_part(fixture *fx, int32_t no, int32_t parent_no)
{
	struct part *p = part_new(fx->s, .kit = "k1", .no = no, .parent_no = parent_no, .label = "p");
	assert_non_null(p);
	assert_ok(fx->s, calx_session_add(fx->s, p));
	return p;
}

static void composite_self_reference_orders_the_flush(void **state)
{
	fixture *fx = *state;
	/*
	 * Added children first: the flush inserts parents first, matching
	 * (kit, parent_no) to (kit, no). The root refers to itself, which
	 * both databases accept and the ordering must not trip over.
	 */
	struct part *c3 = add_part(fx, 3, 2);
	struct part *c2 = add_part(fx, 2, 1);
	struct part *c1 = add_part(fx, 1, 1);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &part_mapper), 3);
	/* and deletes children first */
	assert_ok(fx->s, calx_session_delete(fx->s, c1));
	assert_ok(fx->s, calx_session_delete(fx->s, c2));
	assert_ok(fx->s, calx_session_delete(fx->s, c3));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &part_mapper), 0);
}

/* The first members of a version 1 schema, as a program built against the old format holds them. */
struct v1_schema {
	uint32_t magic;
	uint32_t version;
	const char *name;
	const char *generator;
	const void *const *mappers;
	unsigned n_mappers;
	const void *reserved[6];
};

/*
 * A key part beyond its column's C type (order.no is int32_t) names no
 * row: refused on the client on both dialects, so the transaction and its
 * flushed order survive (PostgreSQL would fail the SELECT with 22003).
 */
static void a_key_beyond_its_column_is_refused_on_the_client(void **state)
{
	fixture *fx = *state;
	add_order(fx, 1, 1);
	assert_ok(fx->s, calx_session_flush(fx->s));
	calx_value key[2] = { calx_value_int(1), calx_value_int(5000000000) };
	void *x;
	assert_calx(fx->s, calx_session_get_key(fx->s, &order_mapper, key, 2, &x), CALX_ERANGE);
	if (!strstr(calx_session_errmsg(fx->s), "5000000000 is out of range for column \"no\" (int32_t)"))
		fail_msg("%s", calx_session_errmsg(fx->s));
	key[1] = calx_value_int(1);
	assert_ok(fx->s, calx_session_get_key(fx->s, &order_mapper, key, 2, &x));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &order_mapper), 1);
}

static void descriptors_of_version_1_are_refused(void **state)
{
	(void)state;
	union {
		struct v1_schema v1;
		calx_schema_desc v2;
	} old = { .v1 = { CALX_DESCRIPTOR_MAGIC, 1, "old", "calx-reflect 0.1.0", NULL, 0, { NULL } } };
	calx_registry *reg;
	assert_int_equal(calx_registry_open(&reg, &old.v2, NULL), CALX_EVERSION);
	assert_non_null(strstr(calx_registry_errmsg(reg), "version 1"));
	assert_non_null(strstr(calx_registry_errmsg(reg), "regenerate it (re-run calx-reflect)"));
	calx_registry_free(reg);

	/* a table or a mapper of version 1 in a schema of version 2 */
	calx_table_desc table = order_table;
	table.version = 1;
	const calx_table_desc *tables[] = { &table, &order_line_table, &part_table, &task_table, &shipment_table };
	assert_int_equal(sizeof tables / sizeof tables[0], orders_schema.n_tables);
	calx_schema_desc sc = orders_schema;
	sc.tables = tables;
	assert_int_equal(calx_registry_open(&reg, &sc, NULL), CALX_EVERSION);
	assert_non_null(strstr(calx_registry_errmsg(reg), "table 'orders' has descriptor version 1"));
	calx_registry_free(reg);

	calx_mapper_desc mapper = order_mapper;
	mapper.version = 1;
	const calx_mapper_desc *mappers[] = { &mapper, &order_line_mapper, &part_mapper, &task_mapper, &shipment_mapper };
	assert_int_equal(sizeof mappers / sizeof mappers[0], orders_schema.n_mappers);
	sc = orders_schema;
	sc.mappers = mappers;
	assert_int_equal(calx_registry_open(&reg, &sc, NULL), CALX_EVERSION);
	assert_non_null(strstr(calx_registry_errmsg(reg), "struct 'order' has descriptor version 1"));
	calx_registry_free(reg);
}

static void descriptors_describe_tables_apart_from_mappers(void **state)
{
	(void)state;
	assert_int_equal(orders_schema.n_tables, 5);
	assert_ptr_equal(orders_schema.tables[1], &order_line_table);
	assert_int_equal(order_line_mapper.n_tables, 1);
	assert_ptr_equal(order_line_mapper.tables[0], &order_line_table);
	assert_ptr_equal(calx_field(ORDER_LINE_SKU)->table, &order_line_table);
	assert_null(calx_field(ORDER_LINE_SKU)->user_type);
	assert_int_equal(order_line_mapper.discriminator, -1);
	assert_int_equal(order_line_mapper.n_relationships, 0);
	const calx_fk_desc *fk = &order_line_table.fks[0];
	assert_int_equal(fk->n_columns, 2);
	assert_ptr_equal(fk->ref_table, &order_table);
	assert_string_equal(order_line_table.columns[fk->columns[1]].column, "order_no");
	assert_string_equal(order_table.columns[fk->ref_columns[1]].column, "no");
	assert_int_equal(order_table.n_pk, 2);
	/* one-column flags follow the table-level constraints */
	assert_true(calx_field(ORDER_LINE_CODE)->flags & CALX_FIELD_UNIQUE);
	assert_true(calx_field(ORDER_LINE_CODE)->flags & CALX_FIELD_INDEX);
	assert_false(calx_field(ORDER_LINE_SKU)->flags & CALX_FIELD_INDEX);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, orders_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(ddl_has_table_level_constraints_named_by_convention),
		T(naming_convention_tokens_cover_several_columns),
		T(composite_foreign_key_enforces_and_cascades),
		T(multi_column_unique_refuses_a_duplicate_pair_only),
		T(unique_index_refuses_a_duplicate),
		T(named_check_is_enforced_and_named),
		T(composite_self_reference_orders_the_flush),
		T(a_key_beyond_its_column_is_refused_on_the_client),
		cmocka_unit_test(descriptors_of_version_1_are_refused),
		cmocka_unit_test(descriptors_describe_tables_apart_from_mappers),
	};
	return RUN_ON_ALL_DIALECTS("tables", tests);
}
