/*
 * Schema-qualified table names: CALX_TABLE("billing.invoices").
 *
 * A table's SQL name is "table" or "schema.table" (calx-reflect and the
 * registry allow one '.' and no other; each part an identifier). On
 * PostgreSQL the two parts are quoted separately, "billing"."invoices",
 * and create_all creates the schema first (CREATE SCHEMA IF NOT EXISTS).
 * SQLite has no schemas inside one database file: an ATTACHed database is
 * the nearest thing, but SQLite's foreign keys cannot refer to a table of
 * another attached database, and each would need a file chosen at connect
 * time. So on SQLite the schema is folded into the name: "billing.invoices"
 * is the table billing_invoices of the one file, foreign keys work as
 * ever, and the same registry runs on both databases. The derived
 * constraint names use that folded name on every dialect
 * (pk_billing_invoices), so they are the same on both.
 */
#include <string.h>
#include "sql/compile_int.h"
#include "sql/qualified.h"

bool calx__sql_has_schemas(const calx_dialect *d)
{
	return d && d->name && !strcmp(d->name, "postgresql");
}

const char *calx__table_schema_end(const char *name)
{
	return name ? strchr(name, '.') : NULL;
}

size_t calx__table_folded(const char *name, char *buf, size_t cap)
{
	size_t n = strlen(name);
	if (n >= cap) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = name[i] == '.' ? '_' : name[i];
	buf[n] = '\0';
	return n;
}

void calx__cc_table(calx__cc *c, const char *name)
{
	const char *dot = calx__table_schema_end(name);
	char part[2 * 64 + 2];
	if (!dot) {
		calx__cc_ident(c, name);
		return;
	}
	if ((size_t)(dot - name) >= 64 || strlen(dot + 1) >= 64) {
		calx__cc_fail(c, CALX_EINVAL, "a schema-qualified table name with a part over 63 bytes");
		return;
	}
	if (!calx__sql_has_schemas(c->d)) {
		calx__table_folded(name, part, sizeof part);
		calx__cc_ident(c, part);
		return;
	}
	memcpy(part, name, (size_t)(dot - name));
	part[dot - name] = '\0';
	calx__cc_ident(c, part);
	calx__buf_putc(&c->b, '.');
	calx__cc_ident(c, dot + 1);
}

size_t calx__quote_table(const calx_dialect *d, const char *name, char *buf, size_t cap)
{
	const char *dot = calx__table_schema_end(name);
	char part[2 * 64 + 2];
	if (!dot)
		return calx__quote_ident(d, name, buf, cap);
	if ((size_t)(dot - name) >= 64 || strlen(dot + 1) >= 64)
		return 0;
	if (!calx__sql_has_schemas(d)) {
		calx__table_folded(name, part, sizeof part);
		return calx__quote_ident(d, part, buf, cap);
	}
	memcpy(part, name, (size_t)(dot - name));
	part[dot - name] = '\0';
	size_t n = calx__quote_ident(d, part, buf, cap);
	if (!n || n + 1 >= cap)
		return 0;
	buf[n] = '.';
	size_t m = calx__quote_ident(d, dot + 1, buf + n + 1, cap - n - 1);
	return m ? n + 1 + m : 0;
}
