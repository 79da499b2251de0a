/*
 * Polymorphic loading of a joined-table hierarchy: a select of one of its
 * structs reads the wide row (SQLAlchemy's with_polymorphic="*"), every
 * table of the hierarchy joined to the root's in the same statement
 * (orm/sql/joined_inherit.c), so that each row fills the struct its
 * discriminator names at once, through that struct's table_columns
 * (polymorphic.c). Statements that read one struct's fields (a get, a
 * relationship's load of the root) read a subclass row whole by a get of
 * its struct, as for single-table inheritance.
 */
#include "calx/calx.h"
#include "loading/select_int.h"
#include "loading/polymorphic.h"
#include "sql/joined_inherit.h"

int calx__poly_joined_from(calx_select *q, calx__ast *a, calx__node *t, calx__node **from, calx__node ***cols_tail)
{
	const calx__mapper *m = q->m;
	if (!m->poly || !calx__joined_hierarchy(m))
		return CALX_OK;
	if (!q->wide) {
		if (!m->joined)
			return CALX_OK;         /* the root's own columns: its table alone */
		return calx_error_set(&q->s->err, CALX_EINVAL,
		                      "select %s: a joined-table subclass's columns, value expressions or joined relationship loads are not supported yet; select the struct's objects (or its root's columns)",
		                      m->desc->name);
	}
	if (t->alias)
		return calx_error_set(&q->s->err, CALX_EINVAL,
		                      "select %s: a struct of a joined-table hierarchy inside another select is not supported yet",
		                      m->desc->name);
	/* select-in: its own chain's columns (its fields); its subclasses' rows read after, by key */
	q->poly_selectin = calx__poly_selectin_wanted(q);
	int rc = calx__joined_wide(a, m, t, q->poly_selectin, from, cols_tail);
	if (rc == CALX_ENOMEM)
		return calx_error_set(&q->s->err, CALX_ENOMEM, "out of memory building a select of %s", m->desc->name);
	if (rc != CALX_OK)
		return calx_error_set(&q->s->err, rc, "select %s: its table is not in its FROM", m->desc->name);
	return CALX_OK;
}

bool calx__poly_wide_target(const calx__mapper *m)
{
	return m->poly && !m->parent && calx__joined_hierarchy(m);
}

int calx__poly_join_subclasses(calx__ast *a, const calx__mapper *root, calx__node *t, calx__node *sel)
{
	calx__node **tail = &sel->kid[CALX__SEL_COLS];
	while (*tail)
		tail = &(*tail)->next;
	return calx__joined_wide(a, root, t, false, &sel->kid[CALX__SEL_FROM], &tail);
}
