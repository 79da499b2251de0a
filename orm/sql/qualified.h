/*
 * Internal: schema-qualified table names ("billing.invoices"), quoted per
 * dialect (sql/qualified.c says the rule: PostgreSQL's schemas, folded
 * into the name on SQLite).
 */
#ifndef CALX_ORM_SQL_QUALIFIED_H
#define CALX_ORM_SQL_QUALIFIED_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/sys/dialect.h"

struct calx__cc;

/* Does d keep tables in named schemas (PostgreSQL)? Else a schema is folded into the table's name. */
bool calx__sql_has_schemas(const calx_dialect *d);
/* The '.' between schema and table in name, or NULL for an unqualified name. */
const char *calx__table_schema_end(const char *name);
/* name with its '.' made '_' ("billing_invoices") into buf; its length, or 0 if cap is short. */
size_t calx__table_folded(const char *name, char *buf, size_t cap);
/* A table's name as SQL: "billing"."invoices" (schemas) or "billing_invoices" (folded). */
void calx__cc_table(struct calx__cc *c, const char *name);
/* The same into buf (for a name passed as a value); its length, or 0 if cap is short. */
size_t calx__quote_table(const calx_dialect *d, const char *name, char *buf, size_t cap);

#endif /* CALX_ORM_SQL_QUALIFIED_H */
