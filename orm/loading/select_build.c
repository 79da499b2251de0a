/*
 * A select's statement: SELECT its columns (or values) FROM its table and
 * joins, WHERE, the clauses of select_clauses.c, LIMIT / OFFSET, and the
 * joins of joined loading; as the statement itself or as a subquery of
 * another (expr_sub.c asks through the scope's builder), whose tables
 * then get aliases of their own.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "sql/expr.h"
#include "loading/select_int.h"
#include "loading/polymorphic.h"
#include "sql/joined_inherit.h"
#include "sql/concrete_union.h"


/*
 * SELECT columns FROM table [WHERE ...] [ORDER BY ...] [LIMIT ? / OFFSET ?],
 * as the statement (outer NULL) or a subquery of one whose scope is outer
 * (its table then under an alias: the enclosing select may have the same).
 */
int calx__select_build_in(calx_select *q, calx__ast *a, const calx__scope *outer, unsigned *aliases,
                          calx__node **out)
{
	if (q->set_left)
		return calx__union_build(q, a, outer, aliases, out);
	if (q->derived)
		return calx__derived_build(q, a, outer, aliases, out);
	const calx__mapper *m = q->m;
	const calx_mapper_desc *md = m->desc;
	char alias[24];
	if (outer)
		snprintf(alias, sizeof alias, "calx_t%u", ++*aliases);
	calx__node *sel = calx__ast_select(a);
	const char *as = outer ? calx__ast_strndup(a, alias, strlen(alias)) : NULL;
	/* a concrete-table hierarchy's struct: the UNION ALL of its tables, under its table's name */
	calx__node *t = m->concrete ? calx__concrete_from(a, m, as) : calx__ast_mapper_table(a, md, as);
	if (!sel || !t)
		return calx_error_set(&q->s->err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
	calx__scope sc;
	int rc = calx__select_joins(q, a, t, outer, aliases, calx__select_build_sub, &sel->kid[CALX__SEL_FROM], &sc);
	if (rc != CALX_OK)
		return rc;
	calx__node **tail = &sel->kid[CALX__SEL_COLS];
	/* a hierarchy's objects: every column of the table, the row's struct is known from the row (polymorphic.c) */
	q->wide = q->m->poly && !q->cols && !q->exprs && !q->joined;
	const calx_field_desc *fields = q->wide ? md->tables[0]->columns : md->fields;
	size_t n = q->exprs ? 0 : q->cols ? q->n_cols : q->wide ? md->tables[0]->n_columns : md->n_fields;
	if (q->wide && m->concrete) {
		n = 0;          /* the union's columns: the hierarchy's wide row */
		if (!calx__concrete_cols(a, m, t, &tail))
			return calx_error_set(&q->s->err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
	}
	for (size_t i = 0; i < n; i++) {
		calx__node *col = calx__ast_field(a, t, q->cols ? q->cols[i] : &fields[i]);
		if (!col)
			break;          /* a->oom says so */
		*tail = col;
		tail = &col->next;
	}
	if (q->s->reg->has_joined && (rc = calx__poly_joined_from(q, a, t, &sel->kid[CALX__SEL_FROM], &tail)) != CALX_OK)
		return rc;      /* a joined-table hierarchy: its other tables (polymorphic_joined.c) */
	if (q->where && (rc = calx__expr_lower(q->where, a, &sc, &sel->kid[CALX__SEL_WHERE], &q->s->err)) != CALX_OK)
		return rc;
	if ((rc = calx__select_clauses(q, a, sel, &sc)) != CALX_OK)
		return rc;
	if (q->m->poly)
		calx__poly_where(q->m, a, t, &sel->kid[CALX__SEL_WHERE]);  /* a subclass's rows only */
	if (m->n_crit && !q->no_criteria &&
	    (rc = calx__sql_criteria(a, m->crit, m->n_crit, t, aliases, &sel->kid[CALX__SEL_WHERE], &q->s->err)) != CALX_OK)
		return rc;      /* the registry's criteria (calx/criteria.h) */
	if (q->limit >= 0)
		sel->kid[CALX__SEL_LIMIT] = calx__ast_bind(a, calx_value_int(q->limit));
	if (q->offset > 0)
		sel->kid[CALX__SEL_OFFSET] = calx__ast_bind(a, calx_value_int(q->offset));
	if (q->joined && !a->oom)
		sel = calx__joined_select(a, q->joined, sel, t);
	if (a->oom)
		return calx_error_set(&q->s->err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
	*out = sel;
	return CALX_OK;
}

/* A select inside another's expressions (orm/sql/expr_sub.c): built into the enclosing statement's tree. */
int calx__select_build_sub(calx_select *sub, calx__ast *a, const calx__scope *outer, calx__node **out,
                           calx_error *err)
{
	if (err != &sub->s->err)
		return calx_error_set(err, CALX_EINVAL, "select %s: a subquery of another session", outer->m->name);
	if (sub->err.code) {
		*err = sub->err;
		return err->code;
	}
	if (sub->started || sub->n_loads)
		return calx_error_set(err, CALX_EINVAL,
		                      "select %s: a subquery that ran already, or loads relationships", sub->m->desc->name);
	return calx__select_build_in(sub, a, outer, outer->aliases, out);
}

int calx__select_build(calx_select *q, calx__ast *a, calx__node **out)
{
	unsigned aliases = 0;
	return calx__select_build_in(q, a, NULL, &aliases, out);
}
