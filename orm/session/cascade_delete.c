/*
 * Deleting an object with relationships (SQLAlchemy's semantics):
 *
 * - cascade "delete": the related objects are deleted with it. An
 *   unloaded one-to-many is loaded first (one SELECT), so that every
 *   child is known and written before its parent; with passive_deletes
 *   it is not loaded, and the database's ON DELETE removes the rows
 *   (unitofwork/ondelete.c then drops those of them the session holds).
 *   A many-to-one (the pointer side of a one-to-one too) with "delete"
 *   deletes its target; an unloaded pointer is loaded for that (the
 *   identity map first, then one get), as SQLAlchemy loads it, unless
 *   passive_deletes.
 * - no "delete" on a one-to-many (the default): the children stay, and
 *   their foreign keys become NULL, as SQLAlchemy's default does; a NOT
 *   NULL foreign key refuses with CALX_ENOTNULL before anything changes.
 *   The list is loaded for that too, unless passive_deletes (then the
 *   database's ON DELETE SET NULL or CASCADE does it).
 * - "delete-orphan": a child removed from its parent's list is deleted
 *   (calx_related_remove asks calx__rel_orphan).
 *
 * The walk recurses along delete cascades (a chain as deep as the
 * cascade is as deep on the C stack); an object already deleted stops
 * it, so cycles end.
 */
#include "calx/calx.h"
#include "session/session.h"
#include "session/related.h"

/*
 * The lists of h's one-to-many relationships, loaded unless the database
 * is left to do the work, and the targets of its many-to-one
 * relationships with the delete cascade (to delete them); while h is
 * still persistent (a deleted object's relationships are not loaded).
 */
static int load_children(calx_session *s, calx__obj *h)
{
	for (unsigned i = 0; i < calx__obj_mapper(h)->n_rels; i++) {
		const calx_relationship_desc *d = calx__obj_mapper(h)->rels[i].desc;
		if (((d->kind == CALX_REL_MANY_TO_ONE || d->kind == CALX_REL_MANY_TO_MANY) &&
		     !(d->cascade & CALX_CASCADE_DELETE)) ||
		    calx__rel_is_loaded(h, i) || d->passive_deletes || d->loading == CALX_LOAD_NOLOAD ||
		    h->state != CALX__PERSISTENT)
			continue;
		int rc = calx_related_load(s, calx__obj_ptr(h), d);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

/*
 * Does one-to-many i of h keep its children (no delete cascade) with keys
 * that go NULL? Only when h has a row: a pending parent's children never
 * had its key (it was never inserted), and the flush says so if they are
 * still linked to it.
 */
static bool nullifies(const calx__obj *h, unsigned i, bool had_row)
{
	const calx_relationship_desc *d = calx__obj_mapper(h)->rels[i].desc;
	return had_row && d->kind != CALX_REL_MANY_TO_ONE && d->kind != CALX_REL_MANY_TO_MANY &&
	       !(d->cascade & CALX_CASCADE_DELETE) &&
	       calx__rel_is_loaded(h, i);
}

/* The children of one-to-many or one-to-one i of h, as a list (a one-to-one's is its pointer, *one). */
static calx_list children(const calx__obj *h, unsigned i, void **one)
{
	if (calx__obj_mapper(h)->rels[i].desc->kind != CALX_REL_ONE_TO_ONE)
		return calx__rel_get_list(h, i);
	*one = calx__rel_get_ptr(h, i);
	return (calx_list){ one, *one != NULL, 1 };
}

/* fn on each child of relationship i of h that is pending or persistent (the others are on their way out). */
static int each_live_child(calx_session *s, calx__obj *h, unsigned i,
                           int (*fn)(calx_session *, calx__obj *h, unsigned i, calx__obj *c))
{
	void *one;
	calx_list l = children(h, i, &one);
	for (size_t k = 0; k < l.n; k++) {
		calx__obj *c = calx__rel_target_of(s, h, i, calx__list_item(&l, k));
		if (!c)
			return s->err.code;
		if (c->state != CALX__PENDING && c->state != CALX__PERSISTENT)
			continue;
		int rc = fn(s, h, i, c);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

/* A child whose foreign key would go NULL but is NOT NULL refuses the delete. */
static int refuse_not_null(calx_session *s, calx__obj *h, unsigned i, calx__obj *c)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	for (unsigned f = 0; f < x->fk->n_columns; f++) {
		const calx_field_desc *cf = &calx__obj_mapper(c)->desc->fields[x->fk->columns[f]];
		if (cf->flags & CALX_FIELD_NOT_NULL)
			return calx__fail(s, CALX_ENOTNULL,
			                  "deleting a struct %s: its '%s' hold a struct %s whose foreign key "
			                  "\"%s\".\"%s\" is NOT NULL and would be set NULL (cascade(\"all\") "
			                  "deletes them with it; passive_deletes leaves them to the database's "
			                  "ON DELETE)",
			                  calx__obj_mapper(h)->desc->name, x->desc->name, calx__obj_mapper(c)->desc->name, calx__obj_mapper(c)->desc->table,
			                  cf->column);
	}
	return CALX_OK;
}

/* Before anything changes: every child whose key would go NULL can take it. */
static int check_nullable(calx_session *s, calx__obj *h)
{
	for (unsigned i = 0; i < calx__obj_mapper(h)->n_rels; i++) {
		int rc = nullifies(h, i, h->state == CALX__PERSISTENT) ? each_live_child(s, h, i, refuse_not_null) : CALX_OK;
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

/* Default: the child's foreign key goes NULL (check_nullable said it can). */
static int nullify_child(calx_session *s, calx__obj *h, unsigned i, calx__obj *c)
{
	bool changed = false;
	int rc = calx__rel_copy_key(s, c, calx__obj_mapper(h)->rels[i].fk, NULL, calx__obj_mapper(h)->rels[i].desc->name, &changed);
	if (rc == CALX_OK && changed && c->state == CALX__PERSISTENT)
		rc = calx__mark(s, c);
	return rc;
}

static int delete_child(calx_session *s, calx__obj *h, unsigned i, calx__obj *c)
{
	(void)h;
	(void)i;
	return calx_session_delete(s, calx__obj_ptr(c));
}

static int walk(calx_session *s, calx__obj *h, bool had_row);

/*
 * Loads run with autoflush off: the walk marks objects deleted as it
 * goes, and an autoflush would delete a parent's row before the children
 * the walk has yet to reach.
 */
int calx__rel_cascade_delete(calx_session *s, calx__obj *h, int (*mark)(calx_session *, calx__obj *))
{
	bool autoflush = s->autoflush;
	s->autoflush = false;
	bool had_row = h->state == CALX__PERSISTENT;
	int rc = load_children(s, h);
	if (rc == CALX_OK)
		rc = check_nullable(s, h);
	if (rc == CALX_OK)
		rc = mark(s, h);
	if (rc == CALX_OK)
		rc = walk(s, h, had_row);
	s->autoflush = autoflush;
	return rc;
}

static int walk(calx_session *s, calx__obj *h, bool had_row)
{
	for (unsigned i = 0; i < calx__obj_mapper(h)->n_rels; i++) {
		const calx_relationship_desc *d = calx__obj_mapper(h)->rels[i].desc;
		int rc = CALX_OK;
		if (d->kind == CALX_REL_MANY_TO_ONE) {
			void *p = calx__rel_get_ptr(h, i);
			calx__obj *t = p && (d->cascade & CALX_CASCADE_DELETE) ? calx__rel_target_of(s, h, i, p) : NULL;
			if (p && (d->cascade & CALX_CASCADE_DELETE) && !t)
				return s->err.code;
			if (t && (t->state == CALX__PENDING || t->state == CALX__PERSISTENT))
				rc = calx_session_delete(s, p);
		} else if (calx__rel_is_loaded(h, i)) {
			rc = nullifies(h, i, had_row) ? each_live_child(s, h, i, nullify_child)
			     : d->cascade & CALX_CASCADE_DELETE ? each_live_child(s, h, i, delete_child) : CALX_OK;
		}
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

int calx__rel_orphan(calx_session *s, calx__obj *child)
{
	if (child->state != CALX__PENDING && child->state != CALX__PERSISTENT)
		return CALX_OK;
	return calx_session_delete(s, calx__obj_ptr(child));
}
