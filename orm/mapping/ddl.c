/*
 * create_all / drop_all: tables, keys, unique and check constraints,
 * foreign keys (any number of columns) and indexes from the registry's
 * tables, parents first, in one transaction. Each statement is a syntax
 * tree compiled for the engine's dialect.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "mapping/generation.h"
#include "mapping/registry.h"
#include "sql/compile.h"
#include "sql/statements.h"

/* cols[0..n) of table t as a list of column nodes. */
static calx__node *column_list(calx__ast *a, const calx_table_desc *t, const unsigned *cols, unsigned n)
{
	calx__node *head = NULL;
	for (unsigned i = 0; i < n; i++)
		calx__ast_append(&head, calx__ast_field(a, NULL, &t->columns[cols[i]]));
	return head;
}

/*
 * Is fk k of table rt one that CREATE TABLE cannot name yet? Its table
 * comes later in the order (a cycle of tables, broken at a post_update
 * key: tables.c), and the dialect wants a table to exist before a key
 * names it. It is added by ALTER TABLE once every table exists.
 */
static bool added_later(const calx_registry *reg, const calx_dialect *d, const calx__table *rt, unsigned k)
{
	const calx_fk_desc *fk = &rt->desc->fks[k];
	return !(d->ddl_flags & CALX_DDL_FORWARD_FK) && fk->ref_table != rt->desc &&
	       reg->tables[fk->ref_table->index].rank > rt->rank;
}

static calx__node *fk_constraint(calx__ast *a, const calx__table *rt, unsigned k, calx_error *err, int *rc)
{
	const calx_table_desc *t = rt->desc;
	const calx_fk_desc *fk = &t->fks[k];
	int del = calx__fk_action(fk->ondelete), upd = calx__fk_action(fk->onupdate);
	if (del < 0 || upd < 0) {
		*rc = calx_error_set(err, CALX_EINVAL, "table \"%s\": unknown foreign-key action '%s'", t->name,
		                     del < 0 ? fk->ondelete : fk->onupdate);
		return NULL;
	}
	return calx__ast_foreign_key(a, rt->fk_names[k], column_list(a, t, fk->columns, fk->n_columns),
	                             calx__ast_table(a, fk->ref_table->name, NULL),
	                             column_list(a, fk->ref_table, fk->ref_columns, fk->n_columns), del, upd);
}

/* create: ALTER TABLE ... ADD the keys added_later; drop: ALTER TABLE ... DROP them, before any table goes. */
static int cycle_keys(calx__ast *a, const calx_registry *reg, const calx_dialect *d, bool drop, calx__node **out,
                      calx_error *err)
{
	int rc = CALX_OK;
	*out = NULL;
	for (unsigned i = 0; i < reg->n_tables && rc == CALX_OK; i++) {
		const calx__table *rt = &reg->tables[i];
		for (unsigned k = 0; k < rt->desc->n_fks && rc == CALX_OK; k++) {
			if (!added_later(reg, d, rt, k))
				continue;
			calx__node *table = calx__ast_table(a, rt->desc->name, NULL);
			calx__ast_append(out, drop ? calx__ast_alter(a, table, NULL, rt->fk_names[k])
			                           : calx__ast_alter(a, table, fk_constraint(a, rt, k, err, &rc), NULL));
		}
	}
	return rc;
}

static int create_table(calx__ast *a, const calx_registry *reg, const calx_dialect *d, const calx__table *rt,
                        calx__node **out, calx_error *err)
{
	const calx_table_desc *t = rt->desc;
	calx__node *ct = *out = calx__ast_create_table(a, calx__ast_table(a, t->name, NULL), true);
	if (!ct)
		return CALX_OK;         /* a->oom says so */
	calx__node **cols = &ct->kid[CALX__CT_COLS], **cons = &ct->kid[CALX__CT_CONSTRAINTS];
	for (unsigned f = 0; f < t->n_columns; f++) {
		const calx_field_desc *fd = &t->columns[f];
		calx__node *cd = calx__ast_coldef(a, fd->column, fd, NULL, fd->flags & CALX_FIELD_NOT_NULL,
		                                  calx__has_server_default(fd) ? (fd->server_default ? fd->server_default : "") : NULL);
		if (cd && cd->kid[1] && fd->gen) {
			/* per dialect: the compiler picks the text (generation.c) */
			cd->kid[1]->desc = fd;
			cd->kid[1]->op = CALX__GEN_SERVER_DEFAULT;
		}
		calx__ast_append(cols, cd);
	}
	calx__ast_append(cons, calx__ast_constraint(a, CALX__CON_PRIMARY_KEY, rt->pk_name,
	                                            column_list(a, t, t->pk, t->n_pk)));
	for (unsigned k = 0; k < t->n_uniques; k++) {
		const calx_unique_desc *uq = &t->uniques[k];
		calx__ast_append(cons, calx__ast_constraint(a, CALX__CON_UNIQUE, rt->uq_names[k],
		                                            column_list(a, t, uq->columns, uq->n_columns)));
	}
	for (unsigned k = 0; k < t->n_checks; k++)
		calx__ast_append(cons, calx__ast_check(a, rt->ck_names[k], t->checks[k].sqltext));
	int rc = CALX_OK;
	for (unsigned k = 0; k < t->n_fks && rc == CALX_OK; k++)
		if (!added_later(reg, d, rt, k))
			calx__ast_append(cons, fk_constraint(a, rt, k, err, &rc));
	return rc;
}

/*
 * The statements of step i, chained through `next`: for create, the i-th
 * table in order (CREATE TABLE and its indexes), then at i == n_tables
 * the keys added later; for drop, those keys first (i == 0), then the
 * tables in reverse order.
 */
static int table_ddl(calx__ast *a, const calx_registry *reg, const calx_dialect *d, unsigned i, bool drop,
                     calx__node **out, calx_error *err)
{
	*out = NULL;
	if (drop ? i == 0 : i == reg->n_tables) {
		int rc = cycle_keys(a, reg, d, drop, out, err);
		if (rc == CALX_OK && a->oom)
			rc = calx_error_set(err, CALX_ENOMEM, "out of memory writing DDL");
		return rc;
	}
	const calx__table *rt = &reg->tables[reg->table_order[drop ? reg->n_tables - i : i]];
	const calx_table_desc *t = rt->desc;
	if (!drop && rt->abstract)
		return CALX_OK;         /* an abstract concrete root's table: its subclasses' tables hold its rows */
	if (t->deferred)
		return CALX_OK;         /* the database's table, mapped in part (calx_prepare): never created or dropped */
	if (drop) {
		*out = calx__ast_drop(a, CALX__DROP_TABLE, t->name, true);
	} else {
		calx__node *schema = calx__schema_before_table(a, reg, d, i);
		int rc = create_table(a, reg, d, rt, out, err);
		if (rc != CALX_OK)
			return rc;
		if (schema) {           /* CREATE SCHEMA before the first table in it (mapping/schemas.c) */
			schema->next = *out;
			*out = schema;
		}
		for (unsigned k = 0; k < t->n_indexes; k++) {
			const calx_index_desc *ix = &t->indexes[k];
			calx__ast_append(out, calx__ast_create_index(a, rt->ix_names[k], calx__ast_table(a, t->name, NULL),
			                                             column_list(a, t, ix->columns, ix->n_columns),
			                                             ix->flags & CALX_INDEX_UNIQUE, true));
		}
	}
	if (a->oom)
		return calx_error_set(err, CALX_ENOMEM, "out of memory writing DDL");
	return CALX_OK;
}

int calx_registry_ddl(const calx_registry *reg, calx_engine *eng, char **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	if (!reg || !eng || !eng->d || reg->err.code)
		return CALX_EINVAL;
	return calx__registry_ddl_text(reg, eng->d, out, calx__engine_err(eng));
}

int calx__registry_ddl_text(const calx_registry *reg, const calx_dialect *d, char **out, calx_error *err)
{
	calx__buf b = CALX__BUF_INIT;
	int rc = CALX_OK;
	for (unsigned i = 0; rc == CALX_OK && i <= reg->n_tables; i++) {
		calx__ast a;
		calx__node *stmts;
		calx__ast_init(&a);
		rc = table_ddl(&a, reg, d, i, false, &stmts, err);
		for (calx__node *x = stmts; rc == CALX_OK && x; x = x->next) {
			calx__compiled *sql;
			if ((rc = calx__compile(d, x, 0, &sql, err)) != CALX_OK)
				break;
			calx__buf_putn(&b, sql->text, sql->len);
			calx__buf_puts(&b, ";\n");      /* statements separated as a script */
			calx__compiled_free(sql);
		}
		calx__ast_free(&a);
	}
	if (rc != CALX_OK) {
		calx__buf_free(&b);
		return rc;
	}
	*out = calx__buf_detach(&b);
	if (!*out)
		return calx_error_set(err, CALX_ENOMEM, "out of memory writing DDL");
	return CALX_OK;
}

static int run_ddl(const calx_registry *reg, calx_engine *eng, bool drop)
{
	if (!reg || !eng)
		return CALX_EINVAL;
	calx_error *err = calx__engine_err(eng);
	if (reg->err.code)
		return calx_error_set(err, CALX_EINVAL, "registry failed to open: %s", reg->err.msg);
	if (!eng->d)
		return CALX_EINVAL;
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, err);
	if (rc != CALX_OK)
		return rc;
	rc = calx__txn(c, CALX__TXN_BEGIN, err);
	for (unsigned i = 0; rc == CALX_OK && i <= reg->n_tables; i++) {
		calx__ast a;
		calx__node *stmts;
		calx__ast_init(&a);
		rc = table_ddl(&a, reg, eng->d, i, drop, &stmts, err);
		for (calx__node *x = stmts; rc == CALX_OK && x; x = x->next)
			rc = calx__sql_exec(c, x, err);
		calx__ast_free(&a);
		if (rc == CALX_OK && (drop ? i > 0 : i < reg->n_tables)) {    /* progress, for thousands of tables */
			const calx_table_desc *t = reg->tables[reg->table_order[drop ? reg->n_tables - i : i]].desc;
			calx__log(eng, CALX_LOG_DEBUG, drop ? "drop_all" : "create_all", "table %s (%u of %u)", t->name,
			          drop ? i : i + 1, reg->n_tables);
		}
	}
	if (rc == CALX_OK)
		rc = calx__txn(c, CALX__TXN_COMMIT, err);
	if (rc != CALX_OK) {
		calx_error keep = *err;
		calx__txn(c, CALX__TXN_ROLLBACK, err);
		calx_error_set(err, keep.code, "%s_all: %.450s", drop ? "drop" : "create", keep.msg);
		err->driver = keep.driver;
	}
	calx__engine_release(eng, c, rc == CALX_ECONNECT);
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
