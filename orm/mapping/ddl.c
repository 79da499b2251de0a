/*
 * create_all / drop_all: tables, keys, unique and check constraints,
 * foreign keys (any number of columns) and indexes from the registry's
 * tables, parents first, in one transaction.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "mapping/registry.h"
#include "sql/statements.h"

static void column_def(calx__buf *b, const calx_dialect *d, const calx_field_desc *f)
{
	char type[128];
	calx__column_type(d, f, type, sizeof type);
	calx__buf_puts(b, "\t");
	calx__buf_ident(b, f->column);
	calx__buf_printf(b, " %s", type);
	if (f->flags & CALX_FIELD_NOT_NULL)
		calx__buf_puts(b, " NOT NULL");
	if (f->server_default)
		calx__buf_printf(b, " DEFAULT (%s)", f->server_default);
}

static void column_list(calx__buf *b, const calx_table_desc *t, const unsigned *cols, unsigned n)
{
	calx__buf_putc(b, '(');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			calx__buf_puts(b, ", ");
		calx__buf_ident(b, t->columns[cols[i]].column);
	}
	calx__buf_putc(b, ')');
}

static void create_table(calx__buf *b, const calx_dialect *d, const calx__table *rt)
{
	const calx_table_desc *t = rt->desc;
	calx__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
	calx__buf_ident(b, t->name);
	calx__buf_puts(b, " (\n");
	for (unsigned f = 0; f < t->n_columns; f++) {
		column_def(b, d, &t->columns[f]);
		calx__buf_puts(b, ",\n");
	}
	calx__buf_puts(b, "\tCONSTRAINT ");
	calx__buf_ident(b, rt->pk_name);
	calx__buf_puts(b, " PRIMARY KEY ");
	column_list(b, t, t->pk, t->n_pk);
	for (unsigned k = 0; k < t->n_uniques; k++) {
		calx__buf_puts(b, ",\n\tCONSTRAINT ");
		calx__buf_ident(b, rt->uq_names[k]);
		calx__buf_puts(b, " UNIQUE ");
		column_list(b, t, t->uniques[k].columns, t->uniques[k].n_columns);
	}
	for (unsigned k = 0; k < t->n_checks; k++) {
		calx__buf_puts(b, ",\n\tCONSTRAINT ");
		calx__buf_ident(b, rt->ck_names[k]);
		calx__buf_printf(b, " CHECK (%s)", t->checks[k].sqltext);
	}
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_fk_desc *fk = &t->fks[k];
		calx__buf_puts(b, ",\n\tCONSTRAINT ");
		calx__buf_ident(b, rt->fk_names[k]);
		calx__buf_puts(b, " FOREIGN KEY ");
		column_list(b, t, fk->columns, fk->n_columns);
		calx__buf_puts(b, " REFERENCES ");
		calx__buf_ident(b, fk->ref_table->name);
		calx__buf_putc(b, ' ');
		column_list(b, fk->ref_table, fk->ref_columns, fk->n_columns);
		if (fk->ondelete)
			calx__buf_printf(b, " ON DELETE %s", fk->ondelete);
		if (fk->onupdate)
			calx__buf_printf(b, " ON UPDATE %s", fk->onupdate);
	}
	calx__buf_puts(b, "\n)");
}

/* Statements separated by ";\n", in order. */
static char *ddl_text(const calx_registry *reg, const calx_dialect *d, bool drop)
{
	calx__buf b = CALX__BUF_INIT;
	for (unsigned i = 0; i < reg->n_tables; i++) {
		const calx__table *rt = &reg->tables[reg->table_order[drop ? reg->n_tables - 1 - i : i]];
		const calx_table_desc *t = rt->desc;
		if (drop) {
			calx__buf_puts(&b, "DROP TABLE IF EXISTS ");
			calx__buf_ident(&b, t->name);
			calx__buf_puts(&b, ";\n");
			continue;
		}
		create_table(&b, d, rt);
		calx__buf_puts(&b, ";\n");
		for (unsigned k = 0; k < t->n_indexes; k++) {
			const calx_index_desc *ix = &t->indexes[k];
			calx__buf_puts(&b, ix->flags & CALX_INDEX_UNIQUE ? "CREATE UNIQUE INDEX IF NOT EXISTS "
			                                                 : "CREATE INDEX IF NOT EXISTS ");
			calx__buf_ident(&b, rt->ix_names[k]);
			calx__buf_puts(&b, " ON ");
			calx__buf_ident(&b, t->name);
			calx__buf_putc(&b, ' ');
			column_list(&b, t, ix->columns, ix->n_columns);
			calx__buf_puts(&b, ";\n");
		}
	}
	return calx__buf_detach(&b);
}

int calx_registry_ddl(const calx_registry *reg, calx_engine *eng, char **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	if (!reg || !eng || !eng->d || reg->err.code)
		return CALX_EINVAL;
	*out = ddl_text(reg, eng->d, false);
	if (!*out)
		return calx_error_set(&eng->err, CALX_ENOMEM, "out of memory writing DDL");
	return CALX_OK;
}

static int run_ddl(const calx_registry *reg, calx_engine *eng, bool drop)
{
	if (!reg || !eng)
		return CALX_EINVAL;
	if (reg->err.code)
		return calx_error_set(&eng->err, CALX_EINVAL, "registry failed to open: %s", reg->err.msg);
	if (!eng->d)
		return CALX_EINVAL;
	char *sql = ddl_text(reg, eng->d, drop);
	if (!sql)
		return calx_error_set(&eng->err, CALX_ENOMEM, "out of memory writing DDL");
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, &eng->err);
	if (rc != CALX_OK) {
		calx__free(sql);
		return rc;
	}
	rc = calx__txn(c, CALX__TXN_BEGIN, &eng->err);
	if (rc == CALX_OK)
		rc = eng->d->exec(c->raw, sql, &eng->err);
	if (rc == CALX_OK)
		rc = calx__txn(c, CALX__TXN_COMMIT, &eng->err);
	if (rc != CALX_OK) {
		calx_error keep = eng->err;
		calx__txn(c, CALX__TXN_ROLLBACK, &eng->err);
		calx_error_set(&eng->err, keep.code, "%s_all: %.450s", drop ? "drop" : "create", keep.msg);
	}
	calx__engine_release(eng, c, rc == CALX_ECONNECT);
	calx__free(sql);
	return rc;
}

int calx_create_all(const calx_registry *reg, calx_engine *eng)
{
	return run_ddl(reg, eng, false);
}

int calx_drop_all(const calx_registry *reg, calx_engine *eng)
{
	return run_ddl(reg, eng, true);
}
