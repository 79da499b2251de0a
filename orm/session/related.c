/*
 * Relationships from the application's side (calx/related.h): linking
 * objects in memory with both sides kept in step, and the save-update
 * cascade (in related_save.c). Loading is in orm/loading/lazy.c; what
 * the flush does with the links, in orm/unitofwork/relate.c.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"

static inline calx__obj *owned(calx_session *s, const void *p)
{
	const calx__obj *h = (const calx__obj *)((const char *)p - CALX__HDR_SIZE);
	if (!calx__blocks_own(&s->blocks, h, CALX__HDR_SIZE) || !calx__obj_valid(s, h))
		return NULL;
	return (calx__obj *)h;
}

calx__obj *calx__rel_owned(calx_session *s, const void *p)
{
	return owned(s, p);
}

/* calx__rel_target_of's refusals, apart: its common path then needs no frame for the message's arguments. */
static __attribute__((noinline, cold)) calx__obj *not_target(calx_session *s, const calx__obj *h, unsigned rel,
                                                             const void *p, const calx__obj *t)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[rel];
	if (!t)
		calx__fail(s, CALX_EINVAL,
		           "relationship '%s.%s': object %p is not an object of this session (objects of another session, "
		           "or not made by calx, cannot be linked)",
		           calx__obj_mapper(h)->desc->name, x->desc->name, p);
	else
		calx__fail(s, CALX_ETYPE, "relationship '%s.%s' links to struct %s, not struct %s", calx__obj_mapper(h)->desc->name,
		           x->desc->name, x->target->desc->name, calx__obj_mapper(t)->desc->name);
	return NULL;
}

calx__obj *calx__rel_target_of(calx_session *s, const calx__obj *h, unsigned rel, const void *p)
{
	calx__obj *t = owned(s, p);
	const calx__mapper *want = calx__obj_mapper(h)->rels[rel].target;
	/* a relationship to a hierarchy's struct links its subclasses too */
	if (t && (calx__obj_mapper(t) == want || (want->poly && calx__mapper_is_a(calx__obj_mapper(t), want))))
		return t;
	return not_target(s, h, rel, p, t);
}

int calx__rel_index(calx_session *s, const calx__obj *h, const calx_relationship_desc *rel, int kind)
{
	const calx_mapper_desc *d = calx__obj_mapper(h)->desc;
	if (!rel || !d->n_relationships || rel < d->relationships || rel >= d->relationships + d->n_relationships) {
		calx__fail(s, CALX_EINVAL, "struct %s has no such relationship%s%s", d->name, rel && rel->name ? ": " : "",
		           rel && rel->name ? rel->name : "");
		return -1;
	}
	/*
	 * kind CALX_REL_MANY_TO_ONE stands for a pointer (many-to-one,
	 * one-to-one), CALX_REL_ONE_TO_MANY for a list (one-to-many, many-to-many)
	 */
	bool pointer = rel->kind == CALX_REL_MANY_TO_ONE || rel->kind == CALX_REL_ONE_TO_ONE;
	if (kind && (kind == CALX_REL_MANY_TO_ONE) != pointer) {
		calx__fail(s, CALX_EINVAL, "relationship '%s.%s' is %s", d->name, rel->name,
		           pointer ? "a pointer (use calx_related_set)"
		           : rel->kind == CALX_REL_ONE_TO_MANY ? "a one-to-many (use calx_related_append / _remove)"
		                                               : "a many-to-many (use calx_related_append / _remove)");
		return -1;
	}
	return (int)(rel - d->relationships);
}

/* Remove p from list i of h (loaded), keeping the order; false when absent. */
static bool list_drop(calx__obj *h, unsigned i, const void *p)
{
	calx_list l = calx__rel_get_list(h, i);
	for (size_t k = 0; k < l.n; k++)
		if (calx__list_item(&l, k) == p) {
			memmove((char *)l.items + k * sizeof(void *), (char *)l.items + (k + 1) * sizeof(void *),
			        (l.n - k - 1) * sizeof(void *));
			l.n--;
			memcpy((char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, &l, sizeof l);
			return true;
		}
	return false;
}

/* Append p to list i of h; the array grows in the session's arena (it lives as long as the objects). */
static int list_push(calx_session *s, calx__obj *h, unsigned i, void *p)
{
	calx_list l = calx__rel_get_list(h, i);
	for (size_t k = 0; k < l.n; k++)
		if (calx__list_item(&l, k) == p)
			return CALX_OK;
	if (l.n == l.cap) {
		size_t cap = l.cap ? l.cap * 2 : 4;
		void *items = calx__arena_alloc(&s->arena, cap * sizeof(void *), alignof(void *));
		if (!items)
			return calx__fail(s, CALX_ENOMEM, "out of memory growing the list %s.%s", calx__obj_mapper(h)->desc->name,
			                  calx__obj_mapper(h)->rels[i].desc->name);
		if (l.n)
			memcpy(items, l.items, l.n * sizeof(void *));
		l.items = items;
		l.cap = cap;
	}
	memcpy((char *)l.items + l.n * sizeof(void *), &p, sizeof p);
	l.n++;
	memcpy((char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, &l, sizeof l);
	return CALX_OK;
}

static int link(calx_session *s, calx__obj *child, unsigned i, calx__obj *parent);

/* Is the other side of child's many-to-one x a one-to-one (a pointer, not a list)? */
static bool back_is_one(const calx__rel *x)
{
	return x->back >= 0 && x->target->rels[x->back].desc->kind == CALX_REL_ONE_TO_ONE;
}

/*
 * The other side of child's many-to-one i, where it is loaded: child
 * leaves old's list (or old's one-to-one pointer), and joins parent's.
 * A one-to-one parent's previous child is unlinked first: its own
 * many-to-one goes NULL (and delete-orphan deletes it).
 */
static int follow_back(calx_session *s, calx__obj *child, unsigned i, calx__obj *old, calx__obj *parent)
{
	const calx__rel *x = &calx__obj_mapper(child)->rels[i];
	unsigned b = (unsigned)x->back;
	void *me = calx__obj_ptr(child);
	if (old && old != parent && calx__rel_is_loaded(old, b)) {
		if (!back_is_one(x))
			list_drop(old, b, me);
		else if (calx__rel_get_ptr(old, b) == me)
			calx__rel_put_ptr(old, b, NULL);
	}
	if (!parent || !calx__rel_is_loaded(parent, b))
		return CALX_OK;
	if (!back_is_one(x))
		return list_push(s, parent, b, me);
	void *prev = calx__rel_get_ptr(parent, b);
	calx__obj *p = prev && prev != me ? calx__rel_owned(s, prev) : NULL;
	int rc = p ? link(s, p, i, NULL) : CALX_OK;
	if (rc == CALX_OK)
		calx__rel_put_ptr(parent, b, me);
	return rc;
}

/* Did child have a parent through many-to-one i: a pointer, or unloaded with a key that names one? */
static bool had_parent(const calx__obj *child, unsigned i, const void *old)
{
	if (old)
		return true;
	if (calx__rel_is_loaded(child, i) || child->state != CALX__PERSISTENT)
		return false;
	const calx_fk_desc *fk = calx__obj_mapper(child)->rels[i].fk;
	for (unsigned k = 0; k < fk->n_columns; k++)
		if (calx__field_null(child, &calx__obj_mapper(child)->desc->fields[fk->columns[k]]))
			return false;
	return true;
}

/*
 * child's many-to-one i becomes parent (NULL allowed), and the other side
 * follows where it is loaded (follow_back). A child set to NULL whose
 * parent's side has cascade("delete-orphan") is an orphan: deleted, as
 * calx_related_remove does.
 */
static int link(calx_session *s, calx__obj *child, unsigned i, calx__obj *parent)
{
	const calx__rel *x = &calx__obj_mapper(child)->rels[i];
	void *old = calx__rel_get_ptr(child, i);
	bool orphan = !parent && x->back >= 0 &&
	              (x->target->rels[x->back].desc->cascade & CALX_CASCADE_DELETE_ORPHAN) && had_parent(child, i, old);
	/* under CALX_TRACK_MARKED the flush looks at marked objects only: a relinked child is one */
	int rc = calx__mark(s, child);
	if (rc != CALX_OK)
		return rc;
	calx__obj *o = old ? calx__rel_owned(s, old) : NULL;
	calx__rel_put_ptr(child, i, parent ? calx__obj_ptr(parent) : NULL);
	calx__rel_set_loaded(child, i);
	if (x->back >= 0 && (rc = follow_back(s, child, i, o, parent)) != CALX_OK)
		return rc;
	if (orphan)
		return calx__rel_orphan(s, child);
	/* the save-update cascade, as an assignment does in SQLAlchemy */
	if (child->state != CALX__TRANSIENT && child->state != CALX__GONE)
		rc = calx__rel_cascade_add(s, child);
	return rc;
}

/* The public calls' common start: a usable session, obj its own, rel one of obj's of that kind. */
static int enter(calx_session *s, void *obj, const calx_relationship_desc *rel, calx_relationship_kind kind,
                 calx__obj **h, unsigned *i)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	if (!(*h = calx__obj_of(s, obj)))
		return s->err.code;
	int k = calx__rel_index(s, *h, rel, kind);
	if (k < 0)
		return s->err.code;
	*i = (unsigned)k;
	return CALX_OK;
}

/* A list changed through the API is first loaded whole, so the change applies to what the database holds. */
static int whole_list(calx_session *s, calx__obj *h, unsigned i, void *obj, const calx_relationship_desc *rel)
{
	if (calx__rel_is_loaded(h, i) || rel->loading == CALX_LOAD_NOLOAD)
		return CALX_OK;
	return calx_related_load(s, obj, rel);
}

/*
 * One-to-one i of h (the side without the key) becomes t (NULL allowed).
 * Loaded first, so that the previous child is known: it is unlinked (its
 * key goes NULL at flush) or, with delete-orphan, deleted. With a pointer
 * back, the child's many-to-one does the work (link and follow_back).
 */
static int set_one(calx_session *s, calx__obj *h, unsigned i, void *obj, const calx_relationship_desc *rel,
                   calx__obj *t)
{
	int rc = whole_list(s, h, i, obj, rel);
	if (rc != CALX_OK)
		return rc;
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	void *prev = calx__rel_get_ptr(h, i);
	calx__obj *p = prev && (!t || prev != calx__obj_ptr(t)) ? calx__rel_target_of(s, h, i, prev) : NULL;
	if (prev && !p && (!t || prev != calx__obj_ptr(t)))
		return s->err.code;
	calx__rel_set_loaded(h, i);
	if ((rc = calx__mark(s, h)) != CALX_OK)
		return rc;
	if (x->back >= 0) {
		if (t)
			rc = link(s, t, (unsigned)x->back, h);   /* unlinks p through follow_back */
		else if (p)
			rc = link(s, p, (unsigned)x->back, NULL);
	} else {
		bool changed = false;
		if (p && (rel->cascade & CALX_CASCADE_DELETE_ORPHAN))
			rc = calx__rel_orphan(s, p);
		else if (p && (rc = calx__rel_copy_key(s, p, x->fk, NULL, rel->name, &changed)) == CALX_OK && changed &&
		         p->state == CALX__PERSISTENT)
			rc = calx__mark(s, p);
		if (rc == CALX_OK)
			calx__rel_put_ptr(h, i, t ? calx__obj_ptr(t) : NULL);
	}
	if (rc == CALX_OK && h->state != CALX__TRANSIENT && h->state != CALX__GONE)
		rc = calx__rel_cascade_add(s, h);
	return rc;
}

calx__m2m_snap *calx__m2m_snap_new(calx_session *s, void *const *items, size_t n, const char *what)
{
	calx__m2m_snap *sn = calx__arena_alloc(&s->arena, sizeof *sn + n * sizeof(void *), alignof(calx__m2m_snap));
	if (!sn) {
		calx__fail(s, CALX_ENOMEM, "out of memory keeping the members of %s", what);
		return NULL;
	}
	sn->n = n;
	if (n)
		memcpy(sn->items, items, n * sizeof(void *));
	return sn;
}

/*
 * Many-to-many: item joins (or leaves) h's list i, and h joins (leaves)
 * item's list of the other side where that is loaded; both are marked,
 * as the flush compares their lists with what was loaded.
 */
static int m2m_link(calx_session *s, calx__obj *h, unsigned i, calx__obj *t, bool add)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	bool back = x->back >= 0 && calx__rel_is_loaded(t, (unsigned)x->back);
	int rc = calx__mark(s, h);
	if (rc == CALX_OK && back)
		rc = calx__mark(s, t);
	if (rc != CALX_OK)
		return rc;
	if (!add) {
		list_drop(h, i, calx__obj_ptr(t));
		if (back)
			list_drop(t, (unsigned)x->back, calx__obj_ptr(h));
		return CALX_OK;
	}
	rc = list_push(s, h, i, calx__obj_ptr(t));
	if (rc == CALX_OK && back)
		rc = list_push(s, t, (unsigned)x->back, calx__obj_ptr(h));
	if (rc == CALX_OK && h->state != CALX__TRANSIENT && h->state != CALX__GONE)
		rc = calx__rel_cascade_add(s, h);
	return rc;
}

int calx_related_set(calx_session *s, void *obj, const calx_relationship_desc *rel, void *target)
{
	calx__obj *h;
	unsigned i;
	int rc = enter(s, obj, rel, CALX_REL_MANY_TO_ONE, &h, &i);
	if (rc != CALX_OK)
		return rc;
	calx__obj *t = NULL;
	if (target && !(t = calx__rel_target_of(s, h, i, target)))
		return s->err.code;
	if (rel->kind == CALX_REL_ONE_TO_ONE)
		return set_one(s, h, i, obj, rel, t);
	return link(s, h, i, t);
}

int calx_related_append(calx_session *s, void *obj, const calx_relationship_desc *rel, void *item)
{
	calx__obj *h;
	unsigned i;
	int rc = enter(s, obj, rel, CALX_REL_ONE_TO_MANY, &h, &i);
	if (rc != CALX_OK)
		return rc;
	calx__obj *t = item ? calx__rel_target_of(s, h, i, item) : NULL;
	if (!t)
		return item ? s->err.code : calx__fail(s, CALX_EINVAL, "relationship '%s.%s': cannot append NULL",
		                                       calx__obj_mapper(h)->desc->name, rel->name);
	if ((rc = whole_list(s, h, i, obj, rel)) != CALX_OK)
		return rc;
	calx__rel_set_loaded(h, i);
	if (rel->kind == CALX_REL_MANY_TO_MANY)
		return m2m_link(s, h, i, t, true);
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	if ((rc = calx__mark(s, h)) != CALX_OK)     /* its list is read at flush */
		return rc;
	if (x->back >= 0)
		rc = link(s, t, (unsigned)x->back, h);   /* pushes onto this list too */
	else
		rc = list_push(s, h, i, item);
	if (rc == CALX_OK && h->state != CALX__TRANSIENT && h->state != CALX__GONE)
		rc = calx__rel_cascade_add(s, h);
	return rc;
}

int calx_related_remove(calx_session *s, void *obj, const calx_relationship_desc *rel, void *item)
{
	calx__obj *h;
	unsigned i;
	int rc = enter(s, obj, rel, CALX_REL_ONE_TO_MANY, &h, &i);
	if (rc != CALX_OK)
		return rc;
	calx__obj *t = item ? calx__rel_target_of(s, h, i, item) : NULL;
	if (!t)
		return s->err.code;
	if ((rc = whole_list(s, h, i, obj, rel)) != CALX_OK)
		return rc;
	if (rel->kind == CALX_REL_MANY_TO_MANY) {
		calx_list ml = calx__rel_get_list(h, i);
		size_t k = 0;
		while (k < ml.n && calx__list_item(&ml, k) != item)
			k++;
		if (k == ml.n)
			return calx__fail(s, CALX_ENOTFOUND, "relationship '%s.%s': the object is not in the list",
			                  calx__obj_mapper(h)->desc->name, rel->name);
		return m2m_link(s, h, i, t, false);
	}
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	bool back = x->back >= 0 && calx__rel_get_ptr(t, (unsigned)x->back) == obj, changed = false;
	calx_list l = calx__rel_get_list(h, i);
	size_t k = 0;
	while (k < l.n && calx__list_item(&l, k) != item)
		k++;
	if (k == l.n)
		return calx__fail(s, CALX_ENOTFOUND, "relationship '%s.%s': the object is not in the list",
		                  calx__obj_mapper(h)->desc->name, rel->name);
	/* delete-orphan: out of the list, the child is deleted (its key is left as it is: the row goes) */
	if (rel->cascade & CALX_CASCADE_DELETE_ORPHAN) {
		list_drop(h, i, item);
		if (back)
			calx__rel_put_ptr(t, (unsigned)x->back, NULL);
		return calx__rel_orphan(s, t);
	}
	/*
	 * No pointer on the child's side: its foreign key goes NULL now, as
	 * the flush would set it; a NOT NULL key refuses, and the list stays.
	 */
	if (!back && (rc = calx__rel_copy_key(s, t, x->fk, NULL, rel->name, &changed)) != CALX_OK)
		return rc;
	list_drop(h, i, item);
	if (back)
		return link(s, t, (unsigned)x->back, NULL);
	return changed && t->state == CALX__PERSISTENT ? calx__mark(s, t) : CALX_OK;
}

bool calx_related_is_loaded(calx_session *s, const void *obj, const calx_relationship_desc *rel)
{
	calx__obj *h = s && obj ? calx__rel_owned(s, obj) : NULL;
	const calx_mapper_desc *d = h ? calx__obj_mapper(h)->desc : NULL;
	if (!d || !rel || !d->n_relationships || rel < d->relationships || rel >= d->relationships + d->n_relationships)
		return false;
	return calx__rel_is_loaded(h, (unsigned)(rel - d->relationships));
}
