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
 * (a subquery's order does not survive the join).
 */
#include "sql/joined_select.h"

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

calx__node *calx__sql_joined_select(calx__ast *a, calx__node *sel, calx__node *t, const calx_mapper_desc *root,
                                    const calx__join_spec *joins, size_t n, bool wrap, const char *sub_alias)
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
		for (const calx__node *o = sel->kid[CALX__SEL_ORDER]; o; o = o->next)
			calx__ast_append(&outer->kid[CALX__SEL_ORDER],
			                 calx__ast_order(a, calx__ast_field(a, base, o->kid[0]->desc), o->op));
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
		aliased[k] = calx__ast_mapper_table(a, j->target, j->alias);
		if (!aliased[k] || !pfrom)
			return NULL;
		if (j->secondary) {
			/* a LEFT JOIN of both: a parent without association rows still comes, its list empty */
			calx__node *sec = calx__ast_table(a, j->secondary->name, j->sec_alias);
			if (!sec)
				return NULL;
			from = calx__ast_join(a, CALX__JOIN_LEFT, from, sec, calx__sql_secondary_on(a, j, pm, pfrom, sec));
			from = calx__ast_join(a, CALX__JOIN_LEFT, from, aliased[k], calx__sql_target_on(a, j, sec, aliased[k]));
		} else {
			from = calx__ast_join(a, CALX__JOIN_LEFT, from, aliased[k], calx__sql_join_on(a, j, pm, pfrom, aliased[k]));
		}
		for (unsigned i = 0; i < j->target->n_fields; i++)
			calx__ast_append(&outer->kid[CALX__SEL_COLS], calx__ast_field(a, aliased[k], &j->target->fields[i]));
	}
	outer->kid[CALX__SEL_FROM] = from;
	order_by_key(a, &outer->kid[CALX__SEL_ORDER], root, base);
	for (size_t k = 0; k < n; k++)
		order_by_key(a, &outer->kid[CALX__SEL_ORDER], joins[k].target, aliased[k]);
	return a->oom ? NULL : outer;
}
