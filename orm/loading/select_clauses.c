/*
 * The query language's clauses of a select over one table: a select list
 * of value expressions (rows of values), DISTINCT, GROUP BY, HAVING,
 * ORDER BY any expression with NULLS FIRST / LAST, and the endings first,
 * one_or_none and scalar.
 *
 * Grouping is checked on the client: in a grouped select (GROUP BY, or an
 * aggregate in the select list) every column outside an aggregate must be
 * covered by a GROUP BY item. PostgreSQL refuses such a select, aborting
 * the transaction; SQLite runs it with a value from some row of the group.
 * Neither is what the program meant, so it is CALX_EINVAL before anything
 * is sent.
 *
 * PostgreSQL matches a select-list expression to a GROUP BY item by its
 * text, and a bound value is a numbered parameter: "age / $1" in GROUP BY
 * and "age / $2" in the select list differ. So a GROUP BY or ORDER BY
 * item equal to a select-list item is written as that item's position
 * (GROUP BY 1), which both dialects read as a reference to it, and a
 * GROUP BY item holding a value must be in the select list.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "loading/select_int.h"

static bool usable(calx_select *q, const char *call)
{
	if (!q)
		return false;
	if (q->started) {
		char msg[96];
		snprintf(msg, sizeof msg, "%s after the select ran", call);
		calx__select_builder_error(q, CALX_ESTATE, msg);
		return false;
	}
	return true;
}

void calx_distinct(calx_select *q)
{
	if (usable(q, "calx_distinct"))
		q->distinct = true;
}

void calx_order_by_expr(calx_select *q, calx_expr *e, calx_order dir)
{
	if (!usable(q, "calx_order_by_expr")) {
		calx_expr_free(e);
		return;
	}
	if (!e) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building an order_by");
		return;
	}
	if (calx__grow((void **)&q->order, &q->cap_order, q->n_order + 1, sizeof *q->order) != 0) {
		calx_expr_free(e);
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory adding an order_by");
		return;
	}
	q->order[q->n_order].col = NULL;
	q->order[q->n_order].expr = e;
	q->order[q->n_order++].dir = dir;
}

int calx_select_exprs(calx_select *q, calx_expr *const *exprs, size_t n)
{
	if (!q) {
		for (size_t i = 0; exprs && i < n; i++)
			calx_expr_free(exprs[i]);
		return CALX_EINVAL;
	}
	calx_expr **copy = NULL;
	int rc = CALX_OK;
	if (!usable(q, "calx_select_exprs") || !exprs || !n || q->cols || q->exprs) {
		calx__select_builder_error(q, CALX_EINVAL,
		                           "calx_select_exprs needs expressions, once, before the select runs, "
		                           "without calx_select_columns");
		rc = CALX_EINVAL;
	} else if (!(copy = calx__malloc(n * sizeof *copy))) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory in calx_select_exprs");
		rc = CALX_ENOMEM;
	}
	for (size_t i = 0; rc == CALX_OK && i < n; i++)
		if (!exprs[i]) {
			calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a select expression");
			rc = CALX_ENOMEM;
		}
	if (rc != CALX_OK) {
		for (size_t i = 0; exprs && i < n; i++)
			calx_expr_free(exprs[i]);
		calx__free(copy);
		return rc;
	}
	memcpy(copy, exprs, n * sizeof *copy);
	q->exprs = copy;
	q->n_exprs = n;
	return CALX_OK;
}

void calx_group_by(calx_select *q, calx_expr *e)
{
	if (!usable(q, "calx_group_by")) {
		calx_expr_free(e);
		return;
	}
	if (!e) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a group_by");
		return;
	}
	if (calx__grow((void **)&q->group, &q->cap_group, q->n_group + 1, sizeof *q->group) != 0) {
		calx_expr_free(e);
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory adding a group_by");
		return;
	}
	q->group[q->n_group++] = e;
}

void calx_having(calx_select *q, calx_expr *cond)
{
	if (!usable(q, "calx_having")) {
		calx_expr_free(cond);
		return;
	}
	if (!cond) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a having clause");
		return;
	}
	q->having = q->having ? calx_and(q->having, cond) : cond;
	if (!q->having)
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a having clause");
}

void calx__select_free_clauses(calx_select *q)
{
	for (size_t i = 0; i < q->n_exprs; i++)
		calx_expr_free(q->exprs[i]);
	calx__free(q->exprs);
	for (size_t i = 0; i < q->n_group; i++)
		calx_expr_free(q->group[i]);
	calx__free(q->group);
	calx_expr_free(q->having);
	for (size_t i = 0; i < q->n_order; i++)
		calx_expr_free(q->order[i].expr);
	calx__expr_disown(&q->scalar_kept);
}

static int ungrouped(calx_select *q, const char *where)
{
	return calx_error_set(&q->s->err, CALX_EINVAL,
	                      "select %s: a column in the %s is neither in calx_group_by nor inside an aggregate",
	                      q->m->desc->name, where);
}

/* Is plain column col covered by a GROUP BY item (the same column)? */
static bool column_grouped(const calx_select *q, const calx_field_desc *col)
{
	for (size_t i = 0; i < q->n_group; i++)
		if (q->group[i]->op == CALX_OP_COLUMN && q->group[i]->col == col)
			return true;
	return false;
}

/* 1 + the index of the select-list item equal to e, or 0. */
static size_t position(const calx_select *q, const calx_expr *e)
{
	for (size_t i = 0; i < q->n_exprs && i < UINT16_MAX; i++)
		if (calx__expr_same(q->exprs[i], e))
			return i + 1;
	return 0;
}

int calx__select_clauses(calx_select *q, calx__ast *a, calx__node *sel, const calx__scope *sc)
{
	const calx_mapper_desc *md = q->m->desc;
	calx_error *err = &q->s->err;
	bool grouped = q->n_group > 0, agg;
	int rc;
	calx__node *x, **tail = &sel->kid[CALX__SEL_COLS];
	for (size_t i = 0; i < q->n_exprs; i++) {
		if ((rc = calx__expr_lower_value(q->exprs[i], a, sc, CALX__EXPR_AGGREGATES, &x, &agg, err)) != CALX_OK)
			return rc;
		grouped = grouped || agg;
		*tail = x;
		tail = &x->next;
	}
	tail = &sel->kid[CALX__SEL_GROUP];
	for (size_t i = 0; i < q->n_group; i++) {
		size_t at = position(q, q->group[i]);
		if (at) {
			x = calx__ast_position(a, (unsigned)at);
		} else if (calx__expr_has_value(q->group[i])) {
			return calx_error_set(err, CALX_EINVAL,
			                      "select %s: a calx_group_by item holding a value must also be in "
			                      "calx_select_exprs (it is grouped by its position there)", md->name);
		} else if ((rc = calx__expr_lower_value(q->group[i], a, sc, 0, &x, &agg, err)) != CALX_OK) {
			return rc;
		}
		if (!x)
			return calx_error_set(err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
		*tail = x;
		tail = &x->next;
	}
	if (q->having) {
		if ((rc = calx__expr_lower_having(q->having, a, sc, &sel->kid[CALX__SEL_HAVING], err)) != CALX_OK)
			return rc;
		grouped = true;
	}
	tail = &sel->kid[CALX__SEL_ORDER];
	for (size_t i = 0; i < q->n_order; i++) {
		const order_item *o = &q->order[i];
		size_t at = o->expr ? position(q, o->expr) : 0;
		if (at) {
			x = calx__ast_position(a, (unsigned)at);
		} else if (o->expr) {
			if ((rc = calx__expr_lower_value(o->expr, a, sc, grouped ? CALX__EXPR_AGGREGATES : 0, &x, &agg,
			                                 err)) != CALX_OK)
				return rc;
		} else if ((rc = calx__expr_field(sc, a, o->col, NULL, &x, err)) != CALX_OK) {
			return rc;
		}
		calx__node *item = calx__ast_order(a, x, o->dir & CALX_DESC ? CALX__DESC : CALX__ASC);
		if (!item)
			return calx_error_set(err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
		item->flags |= o->dir & CALX_NULLS_FIRST ? CALX__NULLS_FIRST : o->dir & CALX_NULLS_LAST ? CALX__NULLS_LAST : 0;
		*tail = item;
		tail = &item->next;
	}
	if (q->distinct)
		sel->flags |= CALX__F_DISTINCT;
	if (!grouped)
		return CALX_OK;
	/* grouped: the select list, HAVING and ORDER BY see groups, not rows */
	if (!q->exprs)
		return calx_error_set(err, CALX_EINVAL,
		                      "select %s: a grouped select returns values: choose them with calx_select_exprs",
		                      md->name);
	for (size_t i = 0; i < q->n_exprs; i++)
		if (!calx__expr_grouped(q->exprs[i], q->group, q->n_group, true))
			return ungrouped(q, "select list");
	if (q->having && !calx__expr_grouped(q->having, q->group, q->n_group, false))
		return ungrouped(q, "having clause");
	for (size_t i = 0; i < q->n_order; i++) {
		const order_item *o = &q->order[i];
		if (o->expr ? !position(q, o->expr) && !calx__expr_grouped(o->expr, q->group, q->n_group, false)
		            : !column_grouped(q, o->col))
			return ungrouped(q, "order_by");
	}
	return CALX_OK;
}

int calx_select_first(calx_select *q, void **out)
{
	if (!q || !out)
		return CALX_EINVAL;
	*out = NULL;
	q->whole = true;
	if (!q->started && q->limit < 0)
		q->limit = 1;
	int rc = calx_select_next(q, out);
	return rc == CALX_ROW || rc == CALX_DONE ? CALX_OK : rc;
}

int calx_select_one_or_none(calx_select *q, void **out)
{
	if (!q || !out)
		return CALX_EINVAL;
	q->whole = true;
	void *second = NULL;
	int rc = calx_select_next(q, out);
	if (rc == CALX_DONE)
		return CALX_OK;         /* *out is NULL */
	if (rc != CALX_ROW)
		return rc;
	if ((rc = calx_select_next(q, &second)) == CALX_ROW) {
		*out = NULL;
		return calx__fail(q->s, CALX_EMULTIPLE, "select %s: more than one row found", q->m->desc->name);
	}
	if (rc != CALX_DONE) {
		*out = NULL;
		return rc;
	}
	return CALX_OK;
}

int calx_select_scalar(calx_select *q, calx_value *out)
{
	if (!q || !out)
		return CALX_EINVAL;
	q->whole = true;
	out->kind = CALX_VALUE_NULL;
	size_t n = calx__select_width(q);
	if (!n)
		return calx__fail(q->s, CALX_EINVAL,
		                  "select %s: calx_select_scalar reads a select of values (calx_select_exprs or "
		                  "calx_select_columns)", q->m->desc->name);
	calx_value *row = calx__malloc(n * sizeof *row);
	if (!row)
		return calx__fail(q->s, CALX_ENOMEM, "out of memory reading a scalar of %s", q->m->desc->name);
	int rc = calx_select_next_values(q, row);
	if (rc == CALX_DONE) {
		rc = calx__fail(q->s, CALX_ENOTFOUND, "select %s: no row found", q->m->desc->name);
	} else if (rc == CALX_ROW) {
		/* text is the statement's until the next step: the select keeps a copy */
		calx_value v = row[0];
		if (!calx__expr_own(&v)) {
			rc = calx__fail(q->s, CALX_ENOMEM, "out of memory reading a scalar of %s", q->m->desc->name);
		} else {
			calx__expr_disown(&q->scalar_kept);
			q->scalar_kept = v;
			rc = calx_select_next_values(q, row);
			rc = rc == CALX_DONE  ? CALX_OK
			     : rc == CALX_ROW ? calx__fail(q->s, CALX_EMULTIPLE, "select %s: more than one row found",
			                                   q->m->desc->name)
			                      : rc;
		}
	}
	calx__free(row);
	if (rc == CALX_OK)
		*out = q->scalar_kept;
	return rc;
}
