/*
 * The merge cascade (SQLAlchemy's "merge", in the default cascade): after
 * the source object itself, every object it reaches through a relationship
 * with that cascade is merged too, and the session's object gets the
 * merged ones: a many-to-one points at the merged parent, a one-to-many
 * list holds exactly the merged items, in the source's order (items the
 * session's list had and the source has not are removed as
 * calx_related_remove removes them: delete-orphan deletes them, otherwise
 * their foreign key goes NULL).
 *
 * Only relationships the source gives are followed: for an object that
 * had a row (persistent or detached in its session), the loaded ones
 * (SQLAlchemy skips unloaded attributes); for one the program created, and
 * for a plain struct, a pointer that is set or a list that is not empty (C
 * cannot tell "never assigned" from NULL or empty; an empty list or a NULL
 * pointer there leaves the session's side as it is).
 *
 * Each source object is merged once (a walk over a graph with cycles:
 * parent -> list -> item -> back to the parent): the walk keeps every
 * object it reached, with an index by source address, and goes through
 * them in order, breadth first, without recursion.
 *
 * Cost: per reached object, what calx__merge_one costs (a get when the
 * identity map lacks the key); per merged list of a persistent object not
 * loaded, the SELECT of calx_related_load; removing items is O(old * new)
 * comparisons per list.
 */
#include <stdalign.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/related.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/merge.h"
#include "session/related.h"

typedef struct merge_entry {
	calx__merge_src src;
	calx__obj *t;                   /* the session's object it became */
} merge_entry;

typedef struct merge_walk {
	merge_entry *v;                 /* every object reached, in order */
	size_t n, cap;
	size_t *index;                  /* open addressing by source address: position in v + 1, 0 empty */
	size_t index_cap;               /* a power of two, at least twice n */
	void **items;                   /* one list's merged items */
	size_t items_cap;
} merge_walk;

static size_t slot_of(const void *p, size_t cap)
{
	uint64_t x = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15u;
	return (size_t)(x >> 32) & (cap - 1);
}

static merge_entry *find(const merge_walk *w, const void *p)
{
	if (!w->index_cap)
		return NULL;
	for (size_t i = slot_of(p, w->index_cap);; i = (i + 1) & (w->index_cap - 1)) {
		if (!w->index[i])
			return NULL;
		if (w->v[w->index[i] - 1].src.ptr == p)
			return &w->v[w->index[i] - 1];
	}
}

/* Room for one more entry, in v and in the index (rebuilt at twice the size when half full). */
static int reserve(calx_session *s, merge_walk *w)
{
	if (calx__grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory merging: the objects reached");
	if (2 * (w->n + 1) <= w->index_cap)
		return CALX_OK;
	size_t cap = w->index_cap ? 2 * w->index_cap : 16;
	size_t *index = calx__calloc(cap, sizeof *index);
	if (!index)
		return calx__fail(s, CALX_ENOMEM, "out of memory merging: the index of the objects reached");
	for (size_t k = 0; k < w->n; k++) {
		size_t i = slot_of(w->v[k].src.ptr, cap);
		while (index[i])
			i = (i + 1) & (cap - 1);
		index[i] = k + 1;
	}
	calx__free(w->index);
	w->index = index;
	w->index_cap = cap;
	return CALX_OK;
}

/* The session's object for src: the one it already became in this merge, or a new merge of it. */
static int resolve(calx_session *s, merge_walk *w, const calx__merge_src *src, calx__obj **out)
{
	const merge_entry *e = find(w, src->ptr);
	if (e) {
		*out = e->t;
		return CALX_OK;
	}
	int rc = reserve(s, w);
	if (rc == CALX_OK)
		rc = calx__merge_one(s, src, out);
	if (rc != CALX_OK)
		return rc;
	size_t i = slot_of(src->ptr, w->index_cap);
	while (w->index[i])
		i = (i + 1) & (w->index_cap - 1);
	w->v[w->n] = (merge_entry){ *src, *out };
	w->index[i] = ++w->n;
	return CALX_OK;
}

/* A related object p of from's relationship i, as a merge source of the same origin. */
static int child_src(calx_session *s, const calx__merge_src *from, unsigned i, const void *p, calx__merge_src *out)
{
	const calx__rel *x = &from->m->rels[i];
	*out = (calx__merge_src){ from->from, x->target, p, NULL };
	if (!from->from)
		return CALX_OK;
	if (!(out->h = calx__rel_owned(from->from, p)))
		return calx__fail(s, CALX_EINVAL, "merge %s.%s: it holds %p, not an object of the %s session",
		                  from->m->desc->name, x->desc->name, p, from->from == s ? "merging" : "given");
	if (calx__obj_mapper(out->h)->desc != x->target->desc && !(x->target->poly && calx__mapper_is_a(calx__obj_mapper(out->h), x->target)))
		return calx__fail(s, CALX_ETYPE, "merge %s.%s: it links to struct %s, not struct %s", from->m->desc->name,
		                  x->desc->name, x->target->desc->name, calx__obj_mapper(out->h)->desc->name);
	return CALX_OK;
}

/*
 * Does the source give relationship i? An object that had a row says by its
 * loaded bit. One the program created (transient or pending: every bit set,
 * whatever it assigned) and a plain struct say by content, set or not
 * empty: SQLAlchemy leaves an attribute the program never assigned out of
 * the merge, and C cannot tell "never assigned" from NULL or empty.
 */
static bool gives(const calx__merge_src *src, unsigned i)
{
	if (src->h && src->h->state != CALX__TRANSIENT && src->h->state != CALX__PENDING)
		return calx__rel_is_loaded(src->h, i);
	const calx_relationship_desc *d = src->m->rels[i].desc;
	const char *at = (const char *)src->ptr + d->offset;
	if (calx__rel_is_pointer(d)) {
		void *p;
		memcpy(&p, at, sizeof p);
		return p != NULL;
	}
	calx_list l;
	memcpy(&l, at, sizeof l);
	return l.n > 0;
}

static bool holds(void *const *items, size_t n, const void *p)
{
	for (size_t k = 0; k < n; k++)
		if (items[k] == p)
			return true;
	return false;
}

/* t's list i becomes exactly items[0..n), in that order, through the calls that keep both sides in step. */
static int set_list(calx_session *s, calx__obj *t, unsigned i, void *const *items, size_t n)
{
	const calx_relationship_desc *d = calx__obj_mapper(t)->rels[i].desc;
	void *obj = calx__obj_ptr(t);
	int rc = calx__rel_is_loaded(t, i) ? CALX_OK : calx_related_load(s, obj, d);
	for (size_t k = calx__rel_get_list(t, i).n; rc == CALX_OK && k-- > 0;) {
		calx_list l = calx__rel_get_list(t, i);
		void *old = k < l.n ? calx__list_item(&l, k) : NULL;
		if (old && !holds(items, n, old))
			rc = calx_related_remove(s, obj, d, old);
	}
	for (size_t k = 0; k < n && rc == CALX_OK; k++)
		rc = calx_related_append(s, obj, d, items[k]);
	calx_list l = calx__rel_get_list(t, i);
	if (rc == CALX_OK && n && l.n == n)      /* the source's order (not when the source listed an item twice) */
		memcpy(l.items, items, n * sizeof *items);
	return rc;
}

/* Merge what e's source reaches through relationships with the merge cascade, and link e's object to it. */
static int cascade(calx_session *s, merge_walk *w, const merge_entry *e)
{
	const calx__merge_src *src = &e->src;
	int rc = CALX_OK;
	for (unsigned i = 0; i < src->m->n_rels && rc == CALX_OK; i++) {
		const calx_relationship_desc *d = src->m->rels[i].desc;
		if (!(d->cascade & CALX_CASCADE_MERGE) || !gives(src, i))
			continue;
		const char *at = (const char *)src->ptr + d->offset;
		calx__merge_src c;
		calx__obj *ct = NULL;
		if (calx__rel_is_pointer(d)) {
			void *p;
			memcpy(&p, at, sizeof p);
			if (p && ((rc = child_src(s, src, i, p, &c)) != CALX_OK || (rc = resolve(s, w, &c, &ct)) != CALX_OK))
				return rc;
			void *to = ct ? calx__obj_ptr(ct) : NULL;
			if (!calx__rel_is_loaded(e->t, i) || calx__rel_get_ptr(e->t, i) != to)
				rc = calx_related_set(s, calx__obj_ptr(e->t), d, to);
			continue;
		}
		calx_list l;
		memcpy(&l, at, sizeof l);
		if (calx__grow((void **)&w->items, &w->items_cap, l.n ? l.n : 1, sizeof *w->items) != 0)
			return calx__fail(s, CALX_ENOMEM, "out of memory merging %s.%s", src->m->desc->name, d->name);
		for (size_t k = 0; k < l.n && rc == CALX_OK; k++) {
			/* src's list as it was: resolving may grow w, never src's own list */
			if ((rc = child_src(s, src, i, calx__list_item(&l, k), &c)) == CALX_OK &&
			    (rc = resolve(s, w, &c, &ct)) == CALX_OK)
				w->items[k] = calx__obj_ptr(ct);
		}
		if (rc == CALX_OK)
			rc = set_list(s, e->t, i, w->items, l.n);
	}
	return rc;
}

int calx__merge_graph(calx_session *s, const calx__merge_src *src, calx__obj **out)
{
	merge_walk w = { 0 };
	bool autoflush = s->autoflush;
	s->autoflush = false;
	calx__obj *t;
	int rc = resolve(s, &w, src, &t);
	for (size_t k = 0; k < w.n && rc == CALX_OK; k++) {
		merge_entry e = w.v[k];         /* a copy: the walk's array may move as it grows */
		/* already this session's object: its relationships are the session's */
		if (!(e.src.from == s && e.t == e.src.h) && e.src.m->n_rels)
			rc = cascade(s, &w, &e);
	}
	s->autoflush = autoflush;
	calx__free(w.v);
	calx__free(w.index);
	calx__free(w.items);
	if (rc == CALX_OK)
		*out = t;
	return rc;
}
