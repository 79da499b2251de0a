/*
 * Rows the database deleted on its own: a foreign key declared with
 * ondelete="CASCADE" makes the database delete the children of every row
 * the flush deletes, whether or not the session knew about them (a
 * relationship without the delete cascade, or with passive_deletes). The
 * session must not hand those children out afterwards: a get would find
 * them in the identity map and return a row that no longer exists.
 *
 * Before phase B (which cannot fail), calx__ondelete_collect lists every
 * persistent object of the session whose CASCADE foreign key holds the
 * key of a row this flush deletes, and then, as the database does, the
 * objects that refer to those, until nothing new is found. Phase B makes
 * them gone as it makes the flush's own deletes gone (and a rollback puts
 * them back, as it puts those back).
 *
 * ondelete="SET NULL" is mirrored too, after this (ondelete_null.c): the
 * children keep their rows, with the key NULL.
 *
 * Cost: nothing unless the flush deleted rows and the registry has a
 * CASCADE (or SET NULL) foreign key; then O(gone x objects) comparisons,
 * gone being the flush's deletes and what they cascade to.
 */
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"
#include "session/session.h"
#include "sql/ast.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static bool same_value(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind || a->kind == CALX_VALUE_NULL)
		return false;   /* NULL matches nothing, as in SQL */
	if (a->kind == CALX_VALUE_INT)
		return a->u.i == b->u.i;
	if (a->kind == CALX_VALUE_REAL)
		return a->u.d == b->u.d;
	return a->u.s.n == b->u.s.n && !memcmp(a->u.s.p, b->u.s.p, a->u.s.n);
}

bool calx__ondelete_refers_to(const calx__obj *child, const calx_fk_desc *fk, const calx__obj *parent)
{
	const calx_mapper_desc *cd = calx__obj_mapper(child)->desc, *pd = calx__obj_mapper(parent)->desc;
	calx_error ignored;
	for (unsigned k = 0; k < fk->n_columns; k++) {
		const calx_field_desc *cf = &cd->fields[fk->columns[k]], *pf = &pd->fields[fk->ref_columns[k]];
		calx_value cv, pv;
		if (calx__field_get(cf, calx__obj_ptr(child), calx__field_null(child, cf), &cv, &ignored) != CALX_OK ||
		    calx__field_get(pf, calx__obj_ptr(parent), calx__field_null(parent, pf), &pv, &ignored) != CALX_OK ||
		    !same_value(&cv, &pv))
			return false;
	}
	return true;
}

static bool cascades_from(const calx__obj *child, const calx__obj *parent)
{
	const calx_table_desc *t = calx__obj_mapper(child)->desc->tables[0], *pt = calx__obj_mapper(parent)->desc->tables[0];
	for (unsigned f = 0; f < t->n_fks; f++) {
		const calx_fk_desc *fk = &t->fks[f];
		if (fk->ref_table == pt && fk->ondelete && !strcmp(fk->ondelete, "CASCADE") &&
		    calx__ondelete_refers_to(child, fk, parent))
			return true;
	}
	return false;
}

/* Has some table of the registry a foreign key with this ON DELETE action (CALX__FK_)? */
static bool any_fk(const calx_registry *reg, int action)
{
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		const calx_table_desc *t = reg->mappers[i].desc->tables[0];
		for (unsigned f = 0; f < t->n_fks; f++)
			if (calx__fk_action(t->fks[f].ondelete) == action)
				return true;
	}
	return false;
}

static int collect_gone(calx_session *s, calx__plan *p)
{
	calx__objvec *gone = &p->db_gone;
	/* parents: the flush's deletes, then what they cascaded to (gone grows as it goes) */
	for (size_t j = 0; j < p->deletes.n + gone->n; j++) {
		const calx__obj *parent = j < p->deletes.n ? p->deletes.v[j] : gone->v[j - p->deletes.n];
		for (size_t i = 0; i < s->objs.n; i++) {
			calx__obj *c = s->objs.v[i];
			if (!c || c->state != CALX__PERSISTENT || (c->flags & CALX__DB_GONE) || !cascades_from(c, parent))
				continue;
			if (calx__objvec_push(gone, c) != CALX_OK)
				return calx__fail(s, CALX_ENOMEM, "out of memory noting the rows the database's ON DELETE "
				                  "CASCADE removed after deleting a struct %s", calx__obj_mapper(parent)->desc->name);
			c->flags |= CALX__DB_GONE;
		}
	}
	return CALX_OK;
}

int calx__ondelete_collect(calx_session *s, calx__plan *p)
{
	p->db_gone.n = 0;
	p->n_nulled = 0;
	if (!p->deletes.n)
		return CALX_OK;
	int rc = any_fk(s->reg, CALX__FK_CASCADE) ? collect_gone(s, p) : CALX_OK;
	/* after CASCADE: a child the database deleted is not one it set NULL */
	if (rc == CALX_OK && any_fk(s->reg, CALX__FK_SET_NULL))
		rc = calx__ondelete_collect_nulls(s, p);
	return rc;
}

void calx__ondelete_clear(calx__plan *p)
{
	for (size_t i = 0; i < p->db_gone.n; i++)
		p->db_gone.v[i]->flags &= (uint16_t)~CALX__DB_GONE;
	p->db_gone.n = 0;
	p->n_nulled = 0;
}
