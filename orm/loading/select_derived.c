/*
 * A select over a derived table (SQLAlchemy's union(...).subquery() in a
 * select's FROM): calx_select_from_set(u) reads FROM (u) AS alias, where
 * u is a set operation or a select of values, and calx_set_col(q, i)
 * names u's value i.
 *
 * The derived table's columns are named by the library: the first
 * select's values of u are sent with aliases calx_c1, calx_c2, ... (a set
 * operation takes its column names from its first select on both
 * dialects), and calx_set_col(q, i) becomes alias.calx_c<i+1>. The
 * scope's only table is a mapper with no fields, so calx_col(COL) finds
 * nothing there and is refused with the usual message.
 *
 * u is built without the enclosing scope: a derived table in FROM cannot
 * see the tables beside it (that would need LATERAL).
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "loading/select_int.h"

/* The derived table as the scope sees it: a table with no columns and no relationships. */
static const calx_mapper_desc derived_desc = {
	.name = "(a derived table: calx_select_from_set)",
	.table = "(derived)",
};

calx_select *calx_select_from_set(calx_select *u)
{
	if (!u)
		return NULL;
	calx_select *q = calx__calloc(1, sizeof *q);
	if (!q) {
		calx__fail(u->s, CALX_ENOMEM, "out of memory creating a select over a set operation of %s",
		           u->m->desc->name);
		calx_select_free(u);
		return NULL;
	}
	q->s = u->s;
	q->m = u->m;
	q->limit = -1;
	q->derived = u;
	if (!calx__select_width(u) && !u->set_left)
		calx__select_builder_error(q, CALX_EINVAL,
		                           "calx_select_from_set of a select of objects: it reads a set operation or a "
		                           "select of values");
	else if (u->started)
		calx__select_builder_error(q, CALX_EINVAL, "calx_select_from_set of a select that ran already");
	return q;
}

calx_expr *calx_set_col(calx_select *q, size_t i)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->op = CALX_OP_SET_COLUMN;
	if (!q || !q->derived) {
		e->bad = "calx_set_col of a select that is not over a set operation (calx_select_from_set)";
		return e;
	}
	e->src = calx_select_from(q);
	if (i >= calx__select_width(q->derived) || i >= 0x7fff) {
		e->bad = "calx_set_col beyond the values of the set operation";
		return e;
	}
	e->arg = (int)i;
	e->hint = calx__select_value_kind(q->derived, i);
	return e;
}

/* Name the first select's values calx_c1, calx_c2, ...: the derived table's columns. */
static bool name_columns(calx__ast *a, calx__node *n)
{
	while (n && n->kind == CALX__N_SETOP)
		n = n->kid[CALX__SETOP_LEFT];
	if (!n || n->kind != CALX__N_SELECT)
		return false;
	unsigned i = 0;
	for (calx__node *x = n->kid[CALX__SEL_COLS]; x; x = x->next) {
		char name[24];
		snprintf(name, sizeof name, "calx_c%u", ++i);
		if (!(x->alias = calx__ast_strndup(a, name, strlen(name))))
			return false;
	}
	return true;
}

static int refuse(calx_select *q, int code, const char *what)
{
	return calx_error_set(&q->s->err, code, "select over a set operation of %s: %s", q->m->desc->name, what);
}

int calx__derived_build(calx_select *q, calx__ast *a, const calx__scope *outer, unsigned *aliases, calx__node **out)
{
	calx_select *u = q->derived;
	if (!q->exprs)
		return refuse(q, CALX_EINVAL, "choose its values with calx_select_exprs (calx_set_col, aggregates, ...): "
		                              "it has no objects or columns of a table");
	if (q->n_joins || q->n_loads)
		return refuse(q, CALX_EINVAL, "a join or a relationship load over a derived table");
	if (u->err.code) {
		q->s->err = u->err;
		return u->err.code;
	}
	calx__node *inner, *sel = calx__ast_select(a);
	int rc = calx__select_build_in(u, a, NULL, aliases, &inner);
	if (rc != CALX_OK)
		return rc;
	char alias[24];
	snprintf(alias, sizeof alias, "calx_t%u", ++*aliases);
	calx__node *from = calx__ast_subquery(a, inner, calx__ast_strndup(a, alias, strlen(alias)));
	calx__scope_entry *entry = calx__ast_alloc(a, sizeof *entry);
	if (!sel || !from || !entry || !name_columns(a, inner))
		return refuse(q, CALX_ENOMEM, "out of memory building it");
	*entry = (calx__scope_entry){ &derived_desc, from, calx_select_from(q) };
	calx__scope sc = { &derived_desc, entry, 1, outer, calx__select_build_sub, aliases };
	sel->kid[CALX__SEL_FROM] = from;
	if (q->where && (rc = calx__expr_lower(q->where, a, &sc, &sel->kid[CALX__SEL_WHERE], &q->s->err)) != CALX_OK)
		return rc;
	if ((rc = calx__select_clauses(q, a, sel, &sc)) != CALX_OK)
		return rc;
	if (q->limit >= 0)
		sel->kid[CALX__SEL_LIMIT] = calx__ast_bind(a, calx_value_int(q->limit));
	if (q->offset > 0)
		sel->kid[CALX__SEL_OFFSET] = calx__ast_bind(a, calx_value_int(q->offset));
	if (a->oom)
		return refuse(q, CALX_ENOMEM, "out of memory building it");
	*out = sel;
	return CALX_OK;
}
