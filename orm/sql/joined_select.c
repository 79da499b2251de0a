/*
 * The select of joined eager loading (sql/joined_select.h):
 *
 *   SELECT root.*, j1.*, j2.* FROM root
 *     LEFT JOIN target1 AS j1 ON j1.fk = root.key
 *     LEFT JOIN target2 AS j2 ON j2.key = j1.fk
 *     LEFT JOIN secondary AS j3_s ON j3_s.fk = root.key     (many-to-many:
 *     LEFT JOIN target3 AS j3 ON j3.key = j3_s.sfk           two joins) ...
 *   [WHERE ...] ORDER BY [the select's order,] root key, j1 key, j2 key
 *
 * and, when a limit or offset must count parents rather than rows, the
 * root's own select as a subquery in FROM, its order repeated outside
 * (a subquery's order does not survive the join): a column by its name in
 * the subquery, an expression by the name the subquery gives it in its
 * select list (calx_order_1, ...).
 */
#include <stdio.h>
#include <string.h>
#include "sql/joined_select.h"
#include "sql/expr.h"
#include "sql/concrete_union.h"

static const calx_field_desc *key_field(const calx_mapper_desc *m, unsigned k)
{
	return &m->fields[m->tables[0]->pk[k]];
}

/* target AS alias ON its columns = the parent's, over the join's foreign key */
calx__node *calx__sql_join_on(calx__ast *a, const calx__join_spec *j, const calx_mapper_desc *pm,
                             const calx__node *pfrom, const calx__node *jfrom)
{
	calx__node *all = NULL;
	const calx_fk_desc *fk = j->fk;
	for (unsigned k = 0; k < fk->n_columns; k++) {
		const calx_field_desc *mine = &j->target->fields[j->fk_in_target ? fk->columns[k] : fk->ref_columns[k]];
		const calx_field_desc *theirs = &pm->fields[j->fk_in_target ? fk->ref_columns[k] : fk->columns[k]];
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, jfrom, mine),
		                                  calx__ast_field(a, pfrom, theirs));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}

/* The association table AS sec_alias ON its key to the parent = the parent's columns. */
calx__node *calx__sql_secondary_on(calx__ast *a, const calx__join_spec *j, const calx_mapper_desc *pm,
                                const calx__node *pfrom, const calx__node *sfrom)
{
	calx__node *all = NULL;
	for (unsigned k = 0; k < j->fk->n_columns; k++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ,
		                                  calx__ast_field(a, sfrom, &j->secondary->columns[j->fk->columns[k]]),
		                                  calx__ast_field(a, pfrom, &pm->fields[j->fk->ref_columns[k]]));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}

/* The target AS alias ON its referenced columns = the association row's key to it. */
calx__node *calx__sql_target_on(calx__ast *a, const calx__join_spec *j, const calx__node *sfrom,
                             const calx__node *jfrom)
{
	calx__node *all = NULL;
	for (unsigned k = 0; k < j->sfk->n_columns; k++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ,
		                                  calx__ast_field(a, jfrom, &j->target->fields[j->sfk->ref_columns[k]]),
		                                  calx__ast_field(a, sfrom, &j->secondary->columns[j->sfk->columns[k]]));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}

/* m's key after *order, but for the columns of from that *order sorts by already */
static void order_by_key(calx__ast *a, calx__node **order, const calx_mapper_desc *m, const calx__node *from)
{
	for (unsigned k = 0; k < m->tables[0]->n_pk; k++) {
		bool there = false;
		for (const calx__node *o = *order; o && !there; o = o->next)
			there = o->kid[0]->desc == key_field(m, k) && o->kid[0]->from == from;
		if (!there)
			calx__ast_append(order, calx__ast_order(a, calx__ast_field(a, from, key_field(m, k)), CALX__ASC));
	}
}

/*
 * from LEFT JOIN each joined-table subclass table of m's hierarchy (m its
 * root, at rt) AS alias_i ON its key = rt's, its own columns at *tail.
 */
static calx__node *join_subclass_tables(calx__ast *a, calx__node *from, const calx__mapper *m, const calx__node *rt,
                                        const char *alias, calx__node ***tail)
{
	unsigned i = 0;
	for (const calx__mapper *x = m->next_poly; x && from; x = x->next_poly) {
		if (!x->joined)
			continue;
		const calx__mapper *part = x->own_part;
		char name[48];
		snprintf(name, sizeof name, "%s_%u", alias, ++i);
		calx__node *pt = calx__ast_mapper_table(a, part->desc, calx__ast_strndup(a, name, strlen(name)));
		if (!pt)
			return NULL;
		calx__node *on = NULL;
		for (unsigned k = 0; k < part->n_pk; k++) {
			calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, pt, &part->desc->fields[part->pk[k]]),
			                                  calx__ast_field(a, rt, &m->desc->fields[m->pk[k]]));
			on = on ? calx__ast_binary(a, CALX__OP_AND, on, eq) : eq;
		}
		from = calx__ast_join(a, CALX__JOIN_LEFT, from, pt, on);
		for (unsigned f = part->n_pk; f < part->desc->n_fields; f++) {
			calx__node *col = calx__ast_field(a, pt, &part->desc->fields[f]);
			if (!col)
				return NULL;
			**tail = col;
			*tail = &col->next;
		}
	}
	return from;
}

/*
 * sel's order repeated over the subquery sub: a column of the root as
 * sub's column, an expression selected in sel AS calx_order_<k> (sel's own
 * ORDER BY then names it too) and ordered by outside under that name.
 */
static void order_outside(calx__ast *a, calx__node *sel, calx__node *outer, const calx__node *sub)
{
	calx__node **cols = &sel->kid[CALX__SEL_COLS];
	while (*cols)
		cols = &(*cols)->next;
	unsigned k = 0;
	for (calx__node *o = sel->kid[CALX__SEL_ORDER]; o; o = o->next) {
		calx__node *x = o->kid[0], *by;
		if (x->kind == CALX__N_COLUMN && x->desc) {
			by = calx__ast_field(a, sub, x->desc);
		} else {
			char name[24];
			snprintf(name, sizeof name, "calx_order_%u", ++k);
			const char *as = calx__ast_strndup(a, name, strlen(name));
			calx__node *inside = calx__ast_column(a, NULL, as);
			by = calx__ast_column(a, sub, as);
			if (!as || !inside || !by)
				return;         /* a->oom says so */
			x->alias = as;
			*cols = x;
			cols = &x->next;
			o->kid[0] = inside;
		}
		calx__node *item = calx__ast_order(a, by, o->op);
		if (!item)
			return;
		item->flags = o->flags;         /* NULLS FIRST / LAST */
		calx__ast_append(&outer->kid[CALX__SEL_ORDER], item);
	}
}

calx__node *calx__sql_joined_select(calx__ast *a, calx__node *sel, calx__node *t, const calx_mapper_desc *root,
                                    const calx__join_spec *joins, size_t n, bool wrap, const char *sub_alias,
                                    const struct calx__mapper *const *wide)
{
	calx__node *outer = sel, *base = t;
	if (wrap) {
		/* SELECT sub.* FROM (sel) AS sub, ordered as sel is */
		outer = calx__ast_select(a);
		base = calx__ast_subquery(a, sel, sub_alias);
		if (!outer || !base)
			return NULL;
		for (unsigned i = 0; i < root->n_fields; i++)
			calx__ast_append(&outer->kid[CALX__SEL_COLS], calx__ast_field(a, base, &root->fields[i]));
		order_outside(a, sel, outer, base);
	}
	calx__node *from = base;
	calx__node *aliased[CALX__JOINS_MAX];
	if (n > CALX__JOINS_MAX) {
		a->oom = true;
		return NULL;
	}
	for (size_t k = 0; k < n; k++) {
		const calx__join_spec *j = &joins[k];
		const calx_mapper_desc *pm = j->parent < 0 ? root : joins[j->parent].target;
		const calx__node *pfrom = j->parent < 0 ? base : aliased[j->parent];
		const calx__mapper *w = wide ? wide[k] : NULL;
		/* a concrete-table hierarchy's struct: the union of its tables, under the join's alias */
		aliased[k] = w && w->concrete ? calx__concrete_from(a, w, j->alias) : calx__ast_mapper_table(a, j->target, j->alias);
		if (!aliased[k] || !pfrom)
			return NULL;
		calx__node *sec = NULL, *on;
		if (j->secondary) {
			/* a LEFT JOIN of both: a parent without association rows still comes, its list empty */
			if (!(sec = calx__ast_table(a, j->secondary->name, j->sec_alias)))
				return NULL;
			from = calx__ast_join(a, CALX__JOIN_LEFT, from, sec, calx__sql_secondary_on(a, j, pm, pfrom, sec));
			on = calx__sql_target_on(a, j, sec, aliased[k]);
		} else {
			on = calx__sql_join_on(a, j, pm, pfrom, aliased[k]);
		}
		/* criteria in the ON: a row they leave out is no target, and its parent still comes */
		calx_error why;
		if (j->n_crit && calx__sql_criteria(a, j->crit, j->n_crit, aliased[k], NULL, &on, &why) != CALX_OK)
			a->oom = true;  /* checked when added: only memory can fail here */
		from = calx__ast_join(a, CALX__JOIN_LEFT, from, aliased[k], on);
		calx__node **tail = &outer->kid[CALX__SEL_COLS];
		while (*tail)
			tail = &(*tail)->next;
		if (w && w->concrete) {
			if (!calx__concrete_cols(a, w, aliased[k], &tail))
				return NULL;
		} else {
			for (unsigned i = 0; i < j->target->n_fields; i++) {
				calx__node *col = calx__ast_field(a, aliased[k], &j->target->fields[i]);
				if (!col)
					return NULL;
				*tail = col;
				tail = &col->next;
			}
			if (w && !(from = join_subclass_tables(a, from, w, aliased[k], j->alias, &tail)))
				return NULL;
		}
	}
	outer->kid[CALX__SEL_FROM] = from;
	order_by_key(a, &outer->kid[CALX__SEL_ORDER], root, base);
	for (size_t k = 0; k < n; k++)
		order_by_key(a, &outer->kid[CALX__SEL_ORDER], joins[k].target, aliased[k]);
	return a->oom ? NULL : outer;
}
