/*
 * Keys the database set NULL on its own: a foreign key declared with
 * ondelete="SET NULL" makes the database clear it in every row that
 * referred to a row the flush deleted, whether or not the session knew
 * (a relationship with passive_deletes and its list not loaded, or no
 * relationship at all). The session's objects for those rows must say
 * what the rows now say: the key NULL, the many-to-one pointer NULL, the
 * child out of the deleted parent's loaded list. Otherwise the next
 * flush would see nothing to write while memory and row differ, and the
 * program would follow a pointer to a deleted object.
 *
 * Before phase B (which cannot fail) _collect lists, for every row the
 * flush deleted and every row the database's CASCADE deleted with them
 * (ondelete.c, which runs first: a child that is gone is not cleared),
 * each persistent object whose SET NULL key holds that row's key. The
 * object's state as it was is kept for a rollback of the transaction
 * (undo.c) and for a rollback to an open savepoint (savepoint.c), as an
 * UPDATE of the flush keeps it. Phase B calls _apply, which only writes
 * into memory it has.
 *
 * A failed flush never reaches phase B: memory stays as it was, as the
 * rows do (the transaction is rolled back).
 *
 * Cost: nothing unless the flush deleted rows and the registry has a SET
 * NULL foreign key; then one comparison per deleted row, session object
 * and SET NULL key of its table.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/value.h"
#include "session/related.h"
#include "session/session.h"
#include "sql/ast.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static bool sets_null(const calx_fk_desc *fk, const calx_table_desc *parent_table)
{
	return fk->ref_table == parent_table && calx__fk_action(fk->ondelete) == CALX__FK_SET_NULL;
}

static int note(calx_session *s, calx__plan *p, calx__obj *c, const calx_fk_desc *fk, calx__obj *parent)
{
	if (calx__grow((void **)&p->db_nulled, &p->cap_nulled, p->n_nulled + 1, sizeof *p->db_nulled) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory noting the struct %s keys the database set NULL "
		                  "(its ON DELETE rule) after deleting a struct %s", calx__obj_mapper(c)->desc->name, calx__obj_mapper(parent)->desc->name);
	p->db_nulled[p->n_nulled++] = (calx__set_null){ c, fk, parent };
	/* the row changed in this transaction: a rollback puts the key back, as for an UPDATE */
	int rc = calx__undo_keep(s, c);
	if (rc == CALX_OK && s->sp.n)
		rc = calx__savepoint_note_changed(s, c);
	return rc;
}

int calx__ondelete_collect_nulls(calx_session *s, calx__plan *p)
{
	size_t n_parents = p->deletes.n + p->db_gone.n;
	for (size_t j = 0; j < n_parents; j++) {
		calx__obj *parent = j < p->deletes.n ? p->deletes.v[j] : p->db_gone.v[j - p->deletes.n];
		const calx_table_desc *pt = calx__obj_mapper(parent)->desc->tables[0];
		for (size_t i = 0; i < s->objs.n; i++) {
			calx__obj *c = s->objs.v[i];
			if (!c || c->state != CALX__PERSISTENT || (c->flags & CALX__DB_GONE))
				continue;
			const calx_table_desc *t = calx__obj_mapper(c)->desc->tables[0];
			for (unsigned f = 0; f < t->n_fks; f++) {
				const calx_fk_desc *fk = &t->fks[f];
				if (!sets_null(fk, pt) || !calx__ondelete_refers_to(c, fk, parent))
					continue;
				int rc = note(s, p, c, fk, parent);
				if (rc != CALX_OK)
					return rc;
			}
		}
	}
	return CALX_OK;
}

/* The key's columns NULL, in the object and in its snapshot: the row says so, nothing to write. */
static void clear_key(calx_session *s, calx__obj *c, const calx_fk_desc *fk)
{
	const calx_mapper_desc *d = calx__obj_mapper(c)->desc;
	unsigned char *obj = calx__obj_ptr(c), *snap = calx__obj_snap(c);
	for (unsigned k = 0; k < fk->n_columns; k++) {
		const calx_field_desc *cf = &d->fields[fk->columns[k]];
		calx_value v = calx_value_null();
		bool isnull = true;
		calx_error ignored;
		/* a NULL allocates nothing and fits every field: the column is nullable, or the DELETE had failed */
		if (calx__field_set(cf, obj, &v, &s->arena, &isnull, &ignored) != CALX_OK)
			continue;
		memcpy(snap + cf->offset, obj + cf->offset, cf->size);
		calx__obj_mark_null(c, cf->index, isnull);
		calx__obj_mark_snap_null(c, cf->index, isnull);
	}
}

/* Remove item from list i of h (loaded), keeping the order. */
static void list_drop(calx__obj *h, unsigned i, const void *item)
{
	calx_list l = calx__rel_get_list(h, i);
	for (size_t k = 0; k < l.n; k++)
		if (calx__list_item(&l, k) == item) {
			memmove((char *)l.items + k * sizeof(void *), (char *)l.items + (k + 1) * sizeof(void *),
			        (l.n - k - 1) * sizeof(void *));
			l.n--;
			memcpy((char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, &l, sizeof l);
			return;
		}
}

/* c's pointers over fk go NULL (loaded: the NULL key names no parent); c leaves parent's loaded sides. */
static void unlink_parent(calx__obj *c, const calx_fk_desc *fk, calx__obj *parent)
{
	for (unsigned i = 0; i < calx__obj_mapper(c)->n_rels; i++) {
		if (calx__obj_mapper(c)->rels[i].desc->kind != CALX_REL_MANY_TO_ONE || calx__obj_mapper(c)->rels[i].fk != fk)
			continue;
		calx__rel_put_ptr(c, i, NULL);
		*calx__obj_rel_snap(c, i) = NULL;       /* as flushed: not a change the next flush writes */
		calx__rel_set_loaded(c, i);
	}
	calx__obj *ph = parent;
	void *me = calx__obj_ptr(c);
	for (unsigned j = 0; j < calx__obj_mapper(ph)->n_rels; j++) {
		const calx__rel *x = &calx__obj_mapper(ph)->rels[j];
		if (x->desc->kind == CALX_REL_MANY_TO_ONE || x->target != calx__obj_mapper(c) || x->fk != fk ||
		    !calx__rel_is_loaded(ph, j))
			continue;
		if (x->desc->kind == CALX_REL_ONE_TO_ONE) {
			if (calx__rel_get_ptr(ph, j) == me)
				calx__rel_put_ptr(ph, j, NULL);
		} else {
			list_drop(ph, j, me);
		}
	}
}

void calx__ondelete_apply_nulls(calx_session *s, calx__plan *p)
{
	for (size_t i = 0; i < p->n_nulled; i++) {
		const calx__set_null *e = &p->db_nulled[i];
		clear_key(s, e->child, e->fk);
		unlink_parent(e->child, e->fk, e->parent);
	}
	p->n_nulled = 0;
}
