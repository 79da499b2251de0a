/*
 * Joins in a select (the query language): INNER and LEFT OUTER JOIN on an
 * explicit condition or along a relationship, each joined table under an
 * alias of its own (calx_t1, calx_t2, ..., numbered through the whole
 * statement, subqueries included), so a table joined to itself
 * (employee to manager) is two from-elements and calx_col_of says which.
 * The FROM becomes a tree of JOIN nodes hung from the select's table; the
 * scope built beside it is how expr.c and expr_value.c find the node of
 * each column the program names.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "sql/joined_select.h"
#include "loading/select_int.h"

calx_from *calx_select_from(calx_select *q)
{
	if (!q)
		return NULL;
	q->self.q = q;
	q->self.m = q->m->desc;
	return &q->self;
}

static bool from_of(const calx_select *q, const calx_from *f)
{
	if (f == &q->self)
		return true;
	for (size_t i = 0; i < q->n_joins; i++)
		if (q->joins[i] == f)
			return true;
	return false;
}

static calx_from *add_join(calx_select *q, const calx_mapper_desc *m, calx_expr *on,
                           const calx_relationship_desc *rel, const calx_from *parent, bool outer)
{
	if (!q) {
		calx_expr_free(on);
		return NULL;
	}
	const char *bad = NULL;
	if (q->started)
		bad = "calx_join after the select ran";
	else if (!m)
		bad = "calx_join of a NULL mapper or relationship";
	else if (q->n_joins == CALX__SELECT_JOINS)
		bad = "more than 32 joins in one select";
	else if (rel && parent && !from_of(q, parent))
		bad = "calx_join_rel from a table of another select";
	calx_from *f = NULL;
	if (!bad && calx__grow((void **)&q->joins, &q->cap_joins, q->n_joins + 1, sizeof *q->joins) != 0)
		bad = "out of memory adding a join";
	if (!bad && !(f = calx__calloc(1, sizeof *f)))
		bad = "out of memory adding a join";
	if (bad) {
		calx_expr_free(on);
		calx__select_builder_error(q, strstr(bad, "memory") ? CALX_ENOMEM : CALX_EINVAL, bad);
		return NULL;
	}
	f->q = q;
	f->m = m;
	f->index = (unsigned)q->n_joins + 1;
	f->outer = outer;
	f->on = on;
	f->rel = rel;
	f->parent = parent ? parent : calx_select_from(q);
	q->joins[q->n_joins++] = f;
	return f;
}

calx_from *calx_join(calx_select *q, const calx_mapper_desc *m, calx_expr *on)
{
	return add_join(q, m, on, NULL, NULL, false);
}

calx_from *calx_outerjoin(calx_select *q, const calx_mapper_desc *m, calx_expr *on)
{
	return add_join(q, m, on, NULL, NULL, true);
}

static calx_from *join_rel(calx_select *q, const calx_from *from, const calx_relationship_desc *rel, bool outer)
{
	if (q && rel && from && from->m && !from_of(q, from)) {
		calx__select_builder_error(q, CALX_EINVAL, "calx_join_rel from a table of another select");
		return NULL;
	}
	const calx_mapper_desc *owner = from ? from->m : q ? q->m->desc : NULL;
	if (q && rel && owner) {
		/* the relationship must be one of the struct it starts from */
		bool mine = false;
		for (unsigned i = 0; i < owner->n_relationships && !mine; i++)
			mine = &owner->relationships[i] == rel;
		if (!mine) {
			calx__select_builder_error(q, CALX_EINVAL, "calx_join_rel: a relationship of another struct");
			return NULL;
		}
	}
	return add_join(q, rel ? rel->target : NULL, NULL, rel, from, outer);
}

calx_from *calx_join_rel(calx_select *q, const calx_from *from, const calx_relationship_desc *rel)
{
	return join_rel(q, from, rel, false);
}

calx_from *calx_outerjoin_rel(calx_select *q, const calx_from *from, const calx_relationship_desc *rel)
{
	return join_rel(q, from, rel, true);
}

void calx_join_on(calx_from *f, calx_expr *on)
{
	if (!f) {
		calx_expr_free(on);
		return;
	}
	calx_select *q = f->q;
	if (f->index == 0 || q->started) {
		calx_expr_free(on);
		calx__select_builder_error(q, CALX_EINVAL, "calx_join_on of the select's own table, or after it ran");
		return;
	}
	if (!on) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a join's ON condition");
		return;
	}
	f->on = f->on ? calx_and(f->on, on) : on;
	if (!f->on)
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a join's ON condition");
}

calx_expr *(calx_col_of)(const calx_from *f, const calx_field_desc *col)
{
	calx_expr *e = calx_col(col);
	if (e) {
		e->src = f;
		if (!f)
			e->bad = "calx_col_of a NULL table (a join that failed?)";
	}
	return e;
}

void calx__select_free_joins(calx_select *q)
{
	for (size_t i = 0; i < q->n_joins; i++) {
		calx_expr_free(q->joins[i]->on);
		calx__free(q->joins[i]);
	}
	calx__free(q->joins);
}

/*
 * The join along f->rel from the parent's node pnode: the target (after
 * its association table), ON the relationship's keys AND extra (calx_join_on).
 */
static calx__node *rel_join(calx__ast *a, const calx_from *f, const calx__node *pnode, calx__node *from,
                            calx__node *node, calx__node *extra, const char *alias, const char *sec_alias)
{
	const calx_relationship_desc *d = f->rel;
	bool m2m = d->kind == CALX_REL_MANY_TO_MANY;
	calx__join_spec spec = { -1, d->target, &d->fk_table->fks[d->fk], d->kind != CALX_REL_MANY_TO_ONE, alias,
		                 m2m ? d->secondary : NULL, m2m ? &d->secondary->fks[d->secondary_fk] : NULL, sec_alias, NULL, 0 };
	int kind = f->outer ? CALX__JOIN_LEFT : CALX__JOIN_INNER;
	calx__node *on;
	if (!m2m) {
		on = calx__sql_join_on(a, &spec, f->parent->m, pnode, node);
	} else {
		calx__node *sec = calx__ast_table(a, d->secondary->name, sec_alias);
		from = calx__ast_join(a, kind, from, sec, calx__sql_secondary_on(a, &spec, f->parent->m, pnode, sec));
		on = calx__sql_target_on(a, &spec, sec, node);
	}
	if (extra)
		on = calx__ast_binary(a, CALX__OP_AND, on, extra);
	return calx__ast_join(a, kind, from, node, on);
}

int calx__select_joins(calx_select *q, calx__ast *a, calx__node *t, const calx__scope *outer, unsigned *aliases,
                       calx__sub_builder sub, calx__node **from_out, calx__scope *sc)
{
	const calx_mapper_desc *md = q->m->desc;
	calx_error *err = &q->s->err;
	calx__scope_entry *entries = calx__ast_alloc(a, (q->n_joins + 1) * sizeof *entries);
	if (!entries)
		return calx_error_set(err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
	entries[0] = (calx__scope_entry){ md, t, calx_select_from(q) };
	*sc = (calx__scope){ md, entries, 1, outer, sub, aliases };
	calx__node *from = t;
	for (size_t i = 0; i < q->n_joins; i++) {
		const calx_from *f = q->joins[i];
		const char *alias = calx__scope_alias(sc, a, NULL);
		const char *sec_alias = f->rel && f->rel->kind == CALX_REL_MANY_TO_MANY ? calx__scope_alias(sc, a, "_assoc")
		                                                                         : NULL;
		calx__node *node = alias ? calx__ast_mapper_table(a, f->m, alias) : NULL, *on = NULL;
		if (!node)
			return calx_error_set(err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
		entries[i + 1] = (calx__scope_entry){ f->m, node, f };
		if (!f->rel && !f->on)
			return calx_error_set(err, CALX_EINVAL, "select %s: a calx_join of %s without an ON condition "
			                      "(calx_join_on)", md->name, f->m->name);
		/* the ON sees the tables joined so far, this one included */
		sc->n = i + 2;
		int rc = f->on ? calx__expr_lower(f->on, a, sc, &on, err) : CALX_OK;
		if (rc != CALX_OK)
			return rc;
		if (f->rel) {
			const calx__node *pnode = NULL;
			for (size_t k = 0; k <= i; k++)
				if (entries[k].handle == f->parent)
					pnode = entries[k].node;
			from = rel_join(a, f, pnode, from, node, on, alias, sec_alias);
		} else {
			from = calx__ast_join(a, f->outer ? CALX__JOIN_LEFT : CALX__JOIN_INNER, from, node, on);
		}
		if (!from)
			return calx_error_set(err, CALX_ENOMEM, "out of memory building a select of %s", md->name);
		sc->n = i + 2;
	}
	*from_out = from;
	return CALX_OK;
}
