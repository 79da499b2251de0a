/*
 * The FROM of a joined-table hierarchy's statements: the root's table
 * joined to each joined table on the key, each table through its part
 * (descriptor.h: calx_mapper_desc.parts).
 *
 * - A get of a joined subclass reads its fields from its chain's tables,
 *   INNER JOINed: SELECT fields FROM root JOIN level1 ON ... WHERE key.
 * - A select of a struct of such a hierarchy reads the wide row (SQLAlchemy's
 *   with_polymorphic="*"): the root table's columns, then each joined
 *   table's own columns, in schema order; the tables of the struct's
 *   own chain INNER JOINed (a select of a subclass reads its rows only),
 *   the others LEFT OUTER JOINed (NULL for rows of other structs). Each
 *   field's position in that row is its mapper's table_columns.
 * - A select-in polymorphic select reads its struct's own chain only (its
 *   fields, in field order); its subclasses' rows are read after, by key
 *   (orm/loading/polymorphic_selectin.c).
 */
#include "calx/calx.h"
#include "sql/joined_inherit.h"

/* part.key = root.key for every key column. */
static calx__node *on_key(calx__ast *a, const calx__mapper *root, const calx__node *rt, const calx__mapper *part,
                          const calx__node *pt)
{
	calx__node *on = NULL;
	for (unsigned i = 0; i < part->n_pk; i++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, pt, &part->desc->fields[part->pk[i]]),
		                                  calx__ast_field(a, rt, &root->desc->fields[root->pk[i]]));
		on = on ? calx__ast_binary(a, CALX__OP_AND, on, eq) : eq;
	}
	return on;
}

/* left JOIN part's table ON the key; its table node into *pt. */
static calx__node *join_part(calx__ast *a, int kind, calx__node *left, const calx__mapper *root, const calx__node *rt,
                             const calx__mapper *part, calx__node **pt)
{
	*pt = calx__ast_mapper_table(a, part->desc, NULL);
	if (!*pt)
		return NULL;
	return calx__ast_join(a, kind, left, *pt, on_key(a, root, rt, part, *pt));
}

/* SELECT m's fields FROM its chain WHERE the root's key = ? (keys NULL) or IN (keys[0..n)). */
static calx__node *chain_select(calx__ast *a, const calx__mapper *m, const calx_value *keys, size_t n)
{
	const calx__mapper *parts[CALX__MAX_LEVELS];
	calx__node *nodes[CALX__MAX_LEVELS];
	unsigned levels = calx__joined_parts(m, parts);
	calx__node *sel = calx__ast_select(a), *rt = calx__ast_mapper_table(a, parts[0]->desc, NULL);
	if (!sel || !rt)
		return NULL;
	calx__node *from = rt;
	nodes[0] = rt;
	for (unsigned l = 1; l < levels && from; l++)
		from = join_part(a, CALX__JOIN_INNER, from, parts[0], rt, parts[l], &nodes[l]);
	if (!from)
		return NULL;
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		unsigned l = 0;
		while (l + 1 < levels && fd->table != parts[l]->desc->tables[0])
			l++;
		calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(a, nodes[l], fd));
	}
	sel->kid[CALX__SEL_FROM] = from;
	if (keys) {
		calx_value *vals;
		calx__node *items = calx__ast_bind_array(a, n, &vals);
		for (size_t k = 0; items && k < n; k++)
			vals[k] = keys[k];
		sel->kid[CALX__SEL_WHERE] =
			calx__ast_in_list(a, calx__ast_field(a, rt, &parts[0]->desc->fields[parts[0]->pk[0]]), items, false);
		return sel;
	}
	calx__node *w = NULL;
	for (unsigned i = 0; i < parts[0]->n_pk; i++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, rt, &parts[0]->desc->fields[parts[0]->pk[i]]),
		                                  calx__ast_bind(a, calx_value_null()));
		w = w ? calx__ast_binary(a, CALX__OP_AND, w, eq) : eq;
	}
	sel->kid[CALX__SEL_WHERE] = w;
	return sel;
}

calx__node *calx__joined_get(calx__ast *a, const calx__mapper *m)
{
	return chain_select(a, m, NULL, 0);
}

calx__node *calx__joined_get_in(calx__ast *a, const calx__mapper *m, const calx_value *keys, size_t n)
{
	return chain_select(a, m, keys, n);
}

bool calx__joined_hierarchy(const calx__mapper *m)
{
	for (const calx__mapper *x = m->root; x; x = x->next_poly)
		if (x->joined)
			return true;
	return false;
}

int calx__joined_wide(calx__ast *a, const calx__mapper *m, calx__node *rt, bool chain_only, calx__node **from,
                      calx__node ***cols_tail)
{
	const calx__mapper *root = m->root;
	/* the root table node among the select's FROM (the leftmost of its joins) */
	calx__node **slot = from;
	while (*slot && *slot != rt && (*slot)->kind == CALX__N_JOIN)
		slot = &(*slot)->kid[0];
	if (*slot != rt)
		return CALX_EINVAL;
	calx__node *j = rt;
	for (const calx__mapper *x = root->next_poly; x && j; x = x->next_poly) {
		if (!x->joined || (chain_only && !calx__mapper_is_a(m, x)))
			continue;
		calx__node *pt;
		/* m's own chain (m and its parents): every row of the select has a row there */
		int kind = calx__mapper_is_a(m, x) ? CALX__JOIN_INNER : CALX__JOIN_LEFT;
		j = join_part(a, kind, j, root, rt, x->own_part, &pt);
		for (unsigned f = x->own_part->n_pk; j && f < x->own_part->desc->n_fields; f++) {
			calx__node *col = calx__ast_field(a, pt, &x->own_part->desc->fields[f]);
			if (!col)
				return CALX_ENOMEM;
			**cols_tail = col;
			*cols_tail = &col->next;
		}
	}
	if (!j)
		return CALX_ENOMEM;
	*slot = j;
	return CALX_OK;
}
