/*
 * Test models for schema-qualified tables (tests/test_schemas.c): tables in
 * two PostgreSQL schemas and one in the default schema, with foreign keys
 * and relationships between them. On SQLite the schema is folded into
 * the name (calx_sales.sch_orders is calx_sales_sch_orders). Names start
 * with calx_ / sch_ (PostgreSQL tests of a run share one database).
 */
#ifndef CALX_TEST_SCHEMAS_H
#define CALX_TEST_SCHEMAS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("calx_crm.sch_customers") sch_customer {
	int64_t id CALX(primary_key);
	char name[32] CALX(unique);
	CALX_LIST(struct sch_order) orders;
};

/* a foreign key across schemas, and an index in its schema */
struct CALX_TABLE("calx_sales.sch_orders", index("placed")) sch_order {
	int64_t id CALX(primary_key);
	int64_t customer_id CALX(foreign_key("calx_crm.sch_customers.id", ondelete="CASCADE"));
	int32_t placed;
	int32_t cents CALX(check("cents >= 0"));
	struct sch_customer *customer;
};

/* the default schema's table refers to a qualified one, the table-level way */
struct CALX_TABLE("sch_notes", foreign_key("order_id", "calx_sales.sch_orders(id)")) sch_note {
	int64_t id CALX(primary_key, autoincrement);
	int64_t order_id;
	char text[64];
};

#endif
