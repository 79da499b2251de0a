/*
 * Does a parent row exist? SELECT count(*) FROM parent WHERE ref = ? ...:
 * asked after a foreign-key failure the database did not explain (SQLite
 * says only "FOREIGN KEY constraint failed"), to say which of the row's
 * keys has no parent (unitofwork/fk_explain.c).
 */
#include "calx/calx.h"
#include "sql/statements.h"
#include "sql/stmtcache.h"

int calx__fk_probe(calx__conn *c, const calx_fk_desc *fk, const calx_value *vals, bool *found, calx_error *err)
{
	calx__ast a;
	calx__ast_init(&a);
	const calx_table_desc *parent = fk->ref_table;
	calx__node *sel = calx__ast_select(&a), *t = calx__ast_table(&a, parent->name, NULL), *where = NULL;
	if (sel) {
		sel->kid[CALX__SEL_COLS] = calx__ast_count_star(&a);
		sel->kid[CALX__SEL_FROM] = t;
	}
	for (unsigned k = 0; k < fk->n_columns; k++) {
		calx__node *eq = calx__ast_binary(&a, CALX__OP_EQ, calx__ast_field(&a, t, &parent->columns[fk->ref_columns[k]]),
		                                  calx__ast_bind(&a, vals[k]));
		where = where ? calx__ast_binary(&a, CALX__OP_AND, where, eq) : eq;
	}
	int rc = CALX_OK;
	if (a.oom || !sel || !where)
		rc = calx_error_set(err, CALX_ENOMEM, "out of memory looking for a parent row");
	calx__stmt *st = NULL;
	if (rc == CALX_OK) {
		sel->kid[CALX__SEL_WHERE] = where;
		rc = calx__sql_prepare(c, &a, sel, &st, err);
	}
	if (rc == CALX_OK && (rc = c->d->step(st->st, err)) == CALX_ROW) {
		calx_value n;
		c->d->column(st->st, 0, &n);
		*found = n.kind == CALX_VALUE_INT && n.u.i > 0;
		rc = CALX_OK;
	} else if (rc == CALX_DONE) {
		rc = calx_error_set(err, CALX_ERROR, "count(*) returned no row");
	}
	calx__stmt_release(st);
	calx__ast_free(&a);
	return rc;
}
