/*
 * Relationships in the flush (SQLAlchemy's semantics: the pointer wins
 * over the foreign-key field).
 *
 * Before the first round, calx__rel_prepare cascades save-update from
 * every pending and persistent object with relationships (objects linked
 * after their add), then turns each relationship into links: a
 * many-to-one pointer that is set, or that the program set to NULL since
 * it was loaded or flushed (a pointer NULL all along leaves the foreign
 * key as the program wrote it), and each item of a list whose target has
 * no back-reference (a list with one is followed through the items'
 * pointers, which append keeps in step). A link whose parent's key is
 * known sets the child's foreign key at once; a parent whose key the
 * database generates is inserted first (the links are an edge source of
 * graph.c) and its children get the key just before their own insert
 * (insert.c asks calx__rel_sync_insert, relate_sync.c), or by an UPDATE
 * after the inserts when the child already has a row.
 *
 * Undo: before a link changes anything, a copy of the child's bytes and
 * null bits is kept; a failed flush puts back the foreign-key columns of
 * every link from it.
 *
 * Cost: nothing for a registry without relationships (the flush does not
 * call in); otherwise a walk over the pending objects and the persistent
 * ones change detection looks at (all, or the marked ones under
 * CALX_TRACK_MARKED: the helpers mark what they relink), and
 * O(links log links) for the sort.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static int add_link(calx_session *s, calx__plan *p, calx__obj *child, calx__obj *parent, const calx__rel *x,
                    int m2o)
{
	if (p->n_links == p->cap_links &&
	    calx__grow((void **)&p->links, &p->cap_links, p->n_links + 1, sizeof *p->links) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush's relationships");
	/* post_update on either side of the key */
	bool post = x->desc->post_update || (x->back >= 0 && x->target->rels[x->back].desc->post_update);
	p->links[p->n_links++] = (calx__link){ .child = child, .parent = parent, .fk = x->fk,
	                                          .relname = x->desc->name, .m2o = m2o, .post = post };
	return CALX_OK;
}

/*
 * A many-to-one set to NULL since it was loaded or flushed (by assigning
 * the pointer, not through calx_related_set, which did this already)
 * whose other side has cascade("delete-orphan"): the child is an orphan,
 * deleted by this flush, as SQLAlchemy does.
 */
static bool orphaned(const calx__rel *x, const void *ptr)
{
	return !ptr && x->back >= 0 && (x->target->rels[x->back].desc->cascade & CALX_CASCADE_DELETE_ORPHAN);
}

/* A parent that is not in the session: the save-update cascade was turned off for this relationship. */
static int not_added(calx_session *s, const calx__obj *child, const calx__rel *x, const calx__obj *parent)
{
	return calx__fail(s, CALX_ESTATE,
	                  "flush: relationship '%s.%s' links to a struct %s that is not in the session (add it, or "
	                  "keep the save-update cascade)",
	                  calx__obj_mapper(child)->desc->name, x->desc->name, calx__obj_mapper(parent)->desc->name);
}

static int gather(calx_session *s, calx__plan *p, calx__obj *h, calx__rel_seen *seen)
{
	int rc = CALX_OK;
	const calx__mapper *m = calx__obj_mapper(h);
	for (unsigned i = 0; i < m->n_rels && rc == CALX_OK; i++) {
		const calx__rel *x = &m->rels[i];
		if (x->desc->kind == CALX_REL_MANY_TO_ONE) {
			void *ptr = calx__rel_get_ptr(h, i);
			calx__obj *parent = NULL;
			if (!ptr && !*calx__obj_rel_snap(h, i))
				continue;       /* never set: the foreign key is the program's */
			if (orphaned(x, ptr))
				return calx__rel_orphan(s, h);
			if (ptr && !(parent = calx__rel_target_seen(s, h, i, ptr, seen)))
				return s->err.code;
			if (parent && parent->state == CALX__TRANSIENT)
				return not_added(s, h, x, parent);
			/* a parent being deleted: delete cascades are not built, the key stays (the database decides) */
			if (parent && (parent->state == CALX__DELETED || parent->state == CALX__GONE))
				continue;
			rc = add_link(s, p, h, parent, x, (int)i);
			continue;
		}
		if (x->desc->kind == CALX_REL_MANY_TO_MANY)
			continue;       /* rows of the secondary table, not keys: secondary.c */
		if (x->back >= 0)
			continue;       /* the items' pointers say it */
		if (x->desc->kind == CALX_REL_ONE_TO_ONE) {
			void *ptr = calx__rel_get_ptr(h, i);
			calx__obj *c = ptr ? calx__rel_target_of(s, h, i, ptr) : NULL;
			if (ptr && !c)
				return s->err.code;
			if (c && (c->state == CALX__PENDING || c->state == CALX__PERSISTENT))
				rc = add_link(s, p, c, h, x, -1);
			continue;
		}
		calx_list l = calx__rel_get_list(h, i);
		for (size_t k = 0; k < l.n && rc == CALX_OK; k++) {
			calx__obj *c = calx__rel_target_of(s, h, i, calx__list_item(&l, k));
			if (!c)
				return s->err.code;
			if (c->state == CALX__PENDING || c->state == CALX__PERSISTENT)
				rc = add_link(s, p, c, h, x, -1);
		}
	}
	return rc;
}

static int by_child(const void *a, const void *b)
{
	const calx__link *x = a, *y = b;
	uintptr_t u = (uintptr_t)x->child, v = (uintptr_t)y->child;
	return u < v ? -1 : u > v;
}

void calx__links_sort_by_child(calx__link *links, size_t n)
{
	qsort(links, n, sizeof *links, by_child);
}

static bool all_many_to_one(const calx__link *links, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (links[k].m2o < 0)
			return false;
	return true;
}

bool calx__links_sorted_by_child(const calx__link *links, size_t n)
{
	for (size_t k = 1; k < n; k++)
		if ((uintptr_t)links[k].child < (uintptr_t)links[k - 1].child)
			return false;
	return true;
}

/*
 * What undo restores: per link, the foreign-key columns it sets, each as
 * its null bit (a byte) then its bytes, all links in one block (one
 * allocation a flush, not one a child); link.saved is the link's offset
 * in it. A copy of the whole child (null bits and struct) was 56 bytes a
 * child of the graph benchmark, touched for the first time by every big
 * insert; its foreign key is 9.
 */
static size_t link_saved_bytes(const calx__link *l)
{
	const calx_mapper_desc *d = calx__obj_mapper(l->child)->desc;
	size_t n = 0;
	for (unsigned c = 0; c < l->fk->n_columns; c++)
		n += 1 + d->fields[l->fk->columns[c]].size;
	return n;
}

static int save_children(calx_session *s, calx__plan *p)
{
	size_t total = 0;
	for (size_t k = 0; k < p->n_links; k++)
		total += link_saved_bytes(&p->links[k]);
	if (!(p->saved = calx__malloc(total)))
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush's relationships");
	size_t at = 0;
	for (size_t k = 0; k < p->n_links; k++) {
		calx__link *l = &p->links[k];
		const calx_mapper_desc *d = calx__obj_mapper(l->child)->desc;
		const uint64_t *nulls = calx__obj_nulls(l->child);
		l->saved = at;
		for (unsigned c = 0; c < l->fk->n_columns; c++) {
			const calx_field_desc *f = &d->fields[l->fk->columns[c]];
			p->saved[at] = calx__bit(nulls, f->index);
			memcpy(p->saved + at + 1, (const char *)calx__obj_ptr(l->child) + f->offset, f->size);
			at += 1 + f->size;
		}
	}
	return CALX_OK;
}

/* Set the child's key from a link whose parent's key is known. */
int calx__rel_apply(calx_session *s, const calx__link *l)
{
	bool changed;
	int rc = calx__rel_copy_key(s, l->child, l->fk, l->parent, l->relname, &changed);
	if (rc == CALX_OK && changed && l->child->state == CALX__PERSISTENT)
		rc = calx__mark(s, l->child);
	return rc;
}

/*
 * A persistent object whose pointers are NULL and were NULL when last
 * loaded or flushed, and whose lists are empty: neither the cascade nor
 * gather has anything to do there. A loaded child whose parent was never
 * loaded is the usual such object; a flush of a session holding 50,000
 * of them spent about 140 instructions on each in the two walks.
 */
static bool rels_idle(const calx__obj *h, const calx__mapper *m)
{
	/* calx__rel_get_ptr, _get_list and calx__obj_rel_snap, with m looked up once */
	const char *obj = calx__obj_ptr(h);
	const char *snap = (const char *)h + CALX__HDR_SIZE + (m->rel_off - m->obj_off) + sizeof(uint64_t);
	for (unsigned i = 0; i < m->n_rels; i++) {
		const calx_relationship_desc *d = m->rels[i].desc;
		if (calx__rel_is_pointer(d)) {
			void *now, *then;
			memcpy(&now, obj + d->offset, sizeof now);
			memcpy(&then, snap + i * sizeof then, sizeof then);
			if (now || then)
				return false;
		} else {
			calx_list l;
			memcpy(&l, obj + d->offset, sizeof l);
			if (l.n)
				return false;
		}
	}
	return true;
}

/* One of the persistent objects the walks below look at. */
static bool walk_persistent(const calx__obj *h)
{
	if (!h || h->state != CALX__PERSISTENT)
		return false;
	const calx__mapper *m = calx__obj_mapper(h);
	return m->n_rels && !rels_idle(h, m);
}

int calx__rel_prepare(calx_session *s, calx__plan *p)
{
	int rc = CALX_OK;
	calx__rel_free(p);      /* a later round's links: the index of the last ones goes too */
	/* the last target found, across the walks below: consecutive children usually share their parent */
	calx__rel_seen seen = { NULL, NULL };
	/* objects linked after their add: the cascade again (s->pending grows as it goes) */
	for (size_t i = 0; i < s->pending.n && rc == CALX_OK; i++)
		if (s->pending.v[i]->state == CALX__PENDING && calx__obj_mapper(s->pending.v[i])->n_rels)
			rc = calx__rel_cascade_add_seen(s, s->pending.v[i], &seen);
	/* persistent objects as change detection sees them: all of them, or the marked ones (CALX_TRACK_MARKED) */
	const calx__objvec none = { NULL, 0, 0, false };
	/* a session that never held an object with relationships: none to walk (a loaded session may hold many) */
	const calx__objvec *held = s->tracking == CALX_TRACK_MARKED ? &s->marked : s->rel_objs ? &s->objs : &none;
	bool any_walked = false;
	for (size_t i = 0; i < held->n && rc == CALX_OK; i++)
		if (walk_persistent(held->v[i])) {
			any_walked = true;
			rc = calx__rel_cascade_add_seen(s, held->v[i], &seen);
		}
	for (size_t i = 0; i < s->pending.n && rc == CALX_OK; i++)
		if (s->pending.v[i]->state == CALX__PENDING && calx__obj_mapper(s->pending.v[i])->n_rels)
			rc = gather(s, p, s->pending.v[i], &seen);
	/*
	 * The same objects again, for their links: none if the walk above found
	 * none, since neither it (which only adds transient objects) nor gather
	 * (which only reads) changes a persistent object. A session that loaded
	 * 50,000 children and changed nothing walks them once, not twice.
	 */
	for (size_t i = 0; any_walked && i < held->n && rc == CALX_OK; i++)
		if (walk_persistent(held->v[i]))
			rc = gather(s, p, held->v[i], &seen);
	/* nothing is changed before every copy is saved: a failure here leaves no link for the undo to read */
	if (rc == CALX_OK && p->n_links) {
		/*
		 * Each child's links together: lookups by child need them so.
		 * Links of many-to-ones only are so already: each object's
		 * came from one gather (it is walked once, as pending or as
		 * persistent), and so are links sorted by address. Others
		 * are sorted. The sort was 2% of a 110,000-row graph's
		 * insert and 5 MB of scratch: blocks in chunks whose
		 * addresses do not ascend left the gather order unsorted.
		 */
		p->links_sorted = calx__links_sorted_by_child(p->links, p->n_links);
		if (!p->links_sorted && !all_many_to_one(p->links, p->n_links)) {
			calx__links_sort_by_child(p->links, p->n_links);
			p->links_sorted = true;
		}
		p->sync_next = 0;
		rc = save_children(s, p);
	}
	if (rc != CALX_OK || !p->n_links) {
		calx__rel_free(p);
		return rc;
	}
	for (size_t k = 0; k < p->n_links && rc == CALX_OK; k++) {
		const calx__link *l = &p->links[k];
		if (calx__post_deferred(l))
			rc = calx__post_update_hold(s, p, l);
		else if (!l->parent || calx__rel_key_known(l->parent))
			rc = calx__rel_apply(s, l);
		else if (l->child->state == CALX__PERSISTENT &&
		         (!p->late.n || p->late.v[p->late.n - 1] != l->child) &&
		         calx__objvec_push(&p->late, l->child) != CALX_OK)
			rc = calx__fail(s, CALX_ENOMEM, "out of memory planning the flush's relationships");
	}
	return rc;
}

void calx__rel_undo(calx_session *s, calx__plan *p)
{
	(void)s;
	for (size_t k = 0; k < p->n_links; k++) {
		const calx__link *l = &p->links[k];
		const calx_mapper_desc *d = calx__obj_mapper(l->child)->desc;
		const unsigned char *copy = p->saved + l->saved;
		for (unsigned c = 0; c < l->fk->n_columns; c++) {
			const calx_field_desc *f = &d->fields[l->fk->columns[c]];
			memcpy((char *)calx__obj_ptr(l->child) + f->offset, copy + 1, f->size);
			calx__obj_mark_null(l->child, f->index, copy[0] != 0);
			copy += 1 + f->size;
		}
	}
	calx__rel_free(p);
}

void calx__rel_done(calx_session *s, calx__plan *p)
{
	(void)s;
	for (size_t k = 0; k < p->n_links; k++) {
		const calx__link *l = &p->links[k];
		if (l->m2o >= 0)
			*calx__obj_rel_snap(l->child, (unsigned)l->m2o) = l->parent ? calx__obj_ptr(l->parent) : NULL;
	}
	calx__rel_free(p);
}

void calx__rel_free(calx__plan *p)
{
	if (p->saved) {         /* every flush of a registry with relationships comes here, most without links */
		calx__free(p->saved);
		p->saved = NULL;
	}
	calx__free(p->link_ix);
	p->link_ix = NULL;
	p->link_ix_cap = 0;
	p->n_links = 0;
	p->late.n = 0;
	p->post_todo = false;
}
