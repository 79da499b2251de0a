/*
 * Internal: an object's relationship state and the links between session
 * objects (orm/session/related.c, related_save.c, orm/loading/lazy.c), for the session, the loader and the
 * unit of work.
 *
 * A mapper with relationships has, at rel_off in each object's block, a
 * word of loaded bits (bit i: relationship i is loaded or was set by the
 * program) and per relationship the pointer as last loaded or flushed
 * (many-to-one only): the flush compares the pointer with it to see
 * whether the program set it, as change detection compares columns with
 * the snapshot.
 */
#ifndef CALX_ORM_SESSION_RELATED_H
#define CALX_ORM_SESSION_RELATED_H

#include <string.h>
#include "session/session.h"
#include "mapping/value.h"   /* calx__field_zero */

static inline uint64_t *calx__obj_rel_loaded(const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	return (uint64_t *)((char *)h + CALX__HDR_SIZE + (m->rel_off - m->obj_off));
}

/* The pointer of many-to-one i as last loaded or flushed. */
static inline void **calx__obj_rel_snap(const calx__obj *h, unsigned i)
{
	return (void **)(calx__obj_rel_loaded(h) + 1) + i;
}

/* Is the relationship's field a pointer (many-to-one, one-to-one), not a CALX_LIST (one-to-many, many-to-many)? */
static inline bool calx__rel_is_pointer(const calx_relationship_desc *d)
{
	return d->kind == CALX_REL_MANY_TO_ONE || d->kind == CALX_REL_ONE_TO_ONE;
}

/* The many-to-one pointer of relationship i, as the program holds it. */
static inline void *calx__rel_get_ptr(const calx__obj *h, unsigned i)
{
	void *p;
	memcpy(&p, (const char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, sizeof p);
	return p;
}

static inline void calx__rel_put_ptr(calx__obj *h, unsigned i, void *p)
{
	memcpy((char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, &p, sizeof p);
}

/* The one-to-many list of relationship i (a copy of its header; items are the program's array). */
static inline calx_list calx__rel_get_list(const calx__obj *h, unsigned i)
{
	calx_list l;
	memcpy(&l, (const char *)calx__obj_ptr(h) + calx__obj_mapper(h)->rels[i].desc->offset, sizeof l);
	return l;
}

static inline void *calx__list_item(const calx_list *l, size_t k)
{
	void *p;
	memcpy(&p, (const char *)l->items + k * sizeof p, sizeof p);
	return p;
}

/* The loaded bit of relationship i: loaded, or set by the program. */
static inline bool calx__rel_is_loaded(const calx__obj *h, unsigned i)
{
	return *calx__obj_rel_loaded(h) >> i & 1;
}

static inline void calx__rel_set_loaded(calx__obj *h, unsigned i)
{
	*calx__obj_rel_loaded(h) |= (uint64_t)1 << i;
}

/*
 * Many-to-many: the list's members as last loaded or flushed, in the
 * relationship's snapshot slot (NULL: none, as for an object the program
 * made). The flush writes association rows for the difference between
 * the list and this (orm/unitofwork/secondary.c). It lives in the
 * session's arena; a new one replaces it, the list's array never is it.
 */
typedef struct calx__m2m_snap {
	size_t n;
	void *items[];
} calx__m2m_snap;

static inline calx__m2m_snap *calx__m2m_snap_of(const calx__obj *h, unsigned i)
{
	return (calx__m2m_snap *)*calx__obj_rel_snap(h, i);
}

/* A snapshot of n items (copied) in the session's arena; NULL with the error set. */
calx__m2m_snap *calx__m2m_snap_new(calx_session *s, void *const *items, size_t n, const char *what);

/* The session object under p, or NULL (no error set): in the session's blocks, with a mapper of its registry. */
calx__obj *calx__rel_owned(calx_session *s, const void *p);

/*
 * The index of the caller's relationship handle in h's mapper, or -1 with
 * the error set; kind (a calx_relationship_kind, or 0 for any) must match.
 */
int calx__rel_index(calx_session *s, const calx__obj *h, const calx_relationship_desc *rel, int kind);

/*
 * The session object of a related pointer of rel (of h's mapper): NULL
 * with the error set when it is not an object of this session or not of
 * the relationship's target.
 */
calx__obj *calx__rel_target_of(calx_session *s, const calx__obj *h, unsigned rel, const void *p);

/*
 * The object calx__rel_target_of found last, kept by a caller that looks
 * at many pointers in a row (ten children pointing at one parent): the
 * same pointer again needs only the type check. Valid while no object
 * leaves the session, so only within one walk (the cascade, the flush's
 * gathering of links), never across calls of the API.
 */
typedef struct calx__rel_seen {
	const void *p;
	calx__obj *h;
} calx__rel_seen;

static inline calx__obj *calx__rel_target_seen(calx_session *s, const calx__obj *h, unsigned rel, const void *p,
                                               calx__rel_seen *seen)
{
	if (p == seen->p && calx__obj_mapper(seen->h) == calx__obj_mapper(h)->rels[rel].target)
		return seen->h;
	calx__obj *t = calx__rel_target_of(s, h, rel, p);
	if (t) {
		seen->p = p;
		seen->h = t;
	}
	return t;
}

/*
 * The save-update cascade from h: every transient object h reaches
 * through relationships with that cascade becomes pending (as
 * calx_session_add would make it), and so on from those.
 */
int calx__rel_cascade_add(calx_session *s, calx__obj *h);
/* The same within a longer walk that keeps seen (the flush's, over every pending object). */
int calx__rel_cascade_add_seen(calx_session *s, calx__obj *h, calx__rel_seen *seen);

/*
 * Where the relationship's key comes from: is the parent's key known now
 * (not left to the database)? Inline: the flush asks it for every link,
 * twice.
 */
static inline bool calx__rel_key_known(const calx__obj *parent)
{
	const calx__mapper *m = calx__obj_mapper(parent);
	if (parent->state != CALX__PENDING || m->autoinc < 0)
		return true;
	return !calx__field_zero(&m->desc->fields[m->autoinc], calx__obj_ptr(parent));
}

/*
 * Copy the parent's referenced columns of fk into the child's foreign-key
 * columns (parent NULL: set them NULL). *changed tells whether a byte
 * changed. CALX_ENOTNULL when NULL meets a NOT NULL column.
 */
int calx__rel_copy_key(calx_session *s, calx__obj *child, const calx_fk_desc *fk, const calx__obj *parent,
                       const char *relname, bool *changed);

/* lazy.c: CALX_EMULTIPLE, with the message, for n rows where one-to-one i of h allows one. */
int calx__rel_one_found(calx_session *s, const calx__obj *h, unsigned i, size_t n);

/*
 * cascade_delete.c: what deleting h does to its related objects (delete
 * cascade, or the children's foreign keys set NULL): its lists loaded
 * first, then mark(s, h) marks h itself deleted, then the walk; and delete-orphan's delete of a child removed from a list.
 */
int calx__rel_cascade_delete(calx_session *s, calx__obj *h, int (*mark)(calx_session *, calx__obj *));
int calx__rel_orphan(calx_session *s, calx__obj *child);

#endif
