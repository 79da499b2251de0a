/*
 * The schemas of schema-qualified tables (CALX_TABLE("billing.invoices")):
 * create_all writes CREATE SCHEMA IF NOT EXISTS before the first table of
 * each schema, on a dialect that has schemas (sql/qualified.c: PostgreSQL;
 * SQLite folds the schema into the table's name and needs none). drop_all
 * leaves the schemas: they may hold what the registry does not know.
 */
#include <string.h>
#include "mapping/registry.h"
#include "sql/ast.h"
#include "sql/qualified.h"

/* Does the schema of qualified name a equal b's? */
static bool same_schema(const char *a, const char *b)
{
	const char *da = calx__table_schema_end(a), *db = calx__table_schema_end(b);
	return da && db && da - a == db - b && !strncmp(a, b, (size_t)(da - a));
}

calx__node *calx__schema_before_table(calx__ast *a, const calx_registry *reg, const calx_dialect *d, unsigned i)
{
	const char *name = reg->tables[reg->table_order[i]].desc->name;
	if (!calx__sql_has_schemas(d) || !calx__table_schema_end(name))
		return NULL;
	for (unsigned k = 0; k < i; k++) {
		const calx__table *before = &reg->tables[reg->table_order[k]];
		if (!before->abstract && same_schema(before->desc->name, name))
			return NULL;    /* created with that table */
	}
	return calx__ast_create_schema(a, name);
}
