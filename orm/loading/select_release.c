/*
 * Streamed objects let go as the loop moves on (calx_select_release_passed,
 * calx/select.h): a select read row by row releases, a batch at a time,
 * the objects it handed out that the program neither changed nor kept,
 * so a streamed load of any number of rows holds about one batch.
 *
 * Memory. A session's objects and their strings live in its arena, which
 * frees nothing before the session goes. A releasing select gives each
 * batch an arena of its own: while a row is loaded, the session's arena
 * is swapped for the batch's, so the object's block and its strings land
 * there; the batch's chunks hang at the end of the session arena's chain
 * (after its oldest chunk, and any batch kept before), so the session
 * owns them (calx__arena_owns: calx_session_delete and the rest accept the
 * objects) and frees them with itself if need be. When the loop has moved
 * past a batch (the first row of the next one, the end of the rows, or
 * calx_select_free), every object of it is looked at: one that stays
 * (changed since loaded, deleted, expired, written or logged by this
 * transaction, with a relationship loaded, or kept with calx_select_keep)
 * keeps the batch's chunks alive, in the session's chain; the others leave
 * the identity map and the session's object list (and are no objects of
 * the session any more). With none staying, the chunks are freed.
 *
 * A row whose key the session already held gives the session's object, as
 * always: that object is not the batch's and is never let go (if it was
 * expired, its reload wrote strings into the batch's arena: the batch is
 * then kept whole).
 */
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "session/watch.h"
#include "unitofwork/plan.h"
#include "loading/polymorphic.h"
#include "loading/select_int.h"

/* Flags that say the session needs the object: listed, logged or kept, expired, changed by a flush. */
#define STAYS_FLAGS                                                                                        \
	(CALX__IN_PENDING | CALX__IN_DELETED | CALX__IN_LOG | CALX__NEW_IN_TXN | CALX__GONE_IN_TXN |        \
	 CALX__TXN_KEPT | CALX__IN_MARKED | CALX__REKEY | CALX__EXPIRED | CALX__DB_GONE)

void calx_select_release_passed(calx_select *q)
{
	if (!q)
		return;
	if (q->started)
		calx__select_builder_error(q, CALX_EINVAL, "calx_select_release_passed after the select ran");
	else {
		q->release = true;
		q->hold = false;
	}
}

int calx_select_hold_passed(calx_select *q)
{
	if (!q)
		return CALX_EINVAL;
	/* objects already let go cannot be held: refused at once, the stream goes on as it was */
	if (q->started)
		return calx__fail(q->s, CALX_EINVAL, "select %s: calx_select_hold_passed after the select ran",
		                  q->m->desc->name);
	q->hold = true;
	q->release = false;
	return CALX_OK;
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
	return x < y ? -1 : x > y;
}

int calx_select_keep(calx_select *q, void *obj)
{
	if (!q || !obj)
		return CALX_EINVAL;
	if (calx__grow((void **)&q->kept, &q->cap_kept, q->n_kept + 1, sizeof *q->kept) != 0)
		return calx__fail(q->s, CALX_ENOMEM, "calx_select_keep: out of memory");
	q->kept[q->n_kept++] = obj;
	q->kept_sorted = false;
	return CALX_OK;
}

static bool kept(calx_select *q, const void *obj)
{
	if (!q->n_kept)
		return false;
	if (!q->kept_sorted) {
		qsort(q->kept, q->n_kept, sizeof *q->kept, by_address);
		q->kept_sorted = true;
	}
	return bsearch(&obj, q->kept, q->n_kept, sizeof *q->kept, by_address) != NULL;
}

/* Does the session still need h? */
static bool stays(calx_select *q, calx__obj *h)
{
	if (h->state != CALX__PERSISTENT || (h->flags & STAYS_FLAGS))
		return true;
	if (calx__obj_mapper(h)->n_rels && *calx__obj_rel_loaded(h))
		return true;
	if (kept(q, calx__obj_ptr(h)))
		return true;
	/* changed since it was loaded (a flush would write it) */
	return !calx__state_unchanged(h) && calx__state_dirty(h);
}

/* The session's object list without the objects let go (CALX__RELEASED), from where the batch began. */
static void drop_from_objs(calx_select *q)
{
	calx__objvec *v = &q->s->objs;
	calx__obj *first = q->rel_objs[0];
	size_t lo = q->rel_from < v->n ? q->rel_from : v->n;
	/* a flush in the loop drops transient objects from the list, moving the batch's down */
	if (lo == v->n || v->v[lo] != first) {
		size_t at = lo;
		while (at > 0 && v->v[at - 1] != first)
			at--;
		lo = at > 0 ? at - 1 : 0;
	}
	size_t keep = lo;
	for (size_t i = lo; i < v->n; i++)
		if (v->v[i]->state != CALX__RELEASED)
			v->v[keep++] = v->v[i];
	v->n = keep;
}

/* The same for object blocks. */
static calx__bchunk *oldest_blocks(calx__bchunk *c)
{
	while (c && c->next)
		c = c->next;
	return c;
}

/* The oldest chunk of a chain (where the next batch hangs). */
static calx__chunk *oldest(calx__chunk *c)
{
	while (c && c->next)
		c = c->next;
	return c;
}

void calx__release_batch(calx_select *q)
{
	calx_session *s = q->s;
	if (!q->release || !q->rel_link)
		return;
	bool keep_chunks = q->rel_pinned;
	size_t gone = 0, keyed = 0;
	for (size_t i = 0; i < q->rel_n; i++) {
		calx__obj *h = q->rel_objs[i];
		if (stays(q, h)) {
			keep_chunks = true;
			continue;
		}
		keyed += (h->flags & CALX__KEYED) != 0;
		h->state = CALX__RELEASED;      /* no object of the session's any more */
		gone++;
	}
	/*
	 * The identity map: when it holds these objects and nothing else (a
	 * session that only streams), and is no more than 8 slots an object,
	 * it is cleared at once, which costs less than taking the entries out
	 * one by one (each shifts its cluster back, reading its neighbours'
	 * headers: 9% of a 500,000-row stream's time).
	 */
	bool clear = keyed && keyed == s->idmap_n && s->idmap_cap <= 8 * keyed;
	if (clear)
		calx__idmap_clear(s);
	for (size_t i = 0; keyed && i < q->rel_n; i++) {
		calx__obj *h = q->rel_objs[i];
		if (h->state != CALX__RELEASED || !(h->flags & CALX__KEYED))
			continue;
		if (clear)
			h->flags &= (uint16_t)~CALX__KEYED;
		else
			calx__idmap_remove(s, h);
	}
	if (gone)
		drop_from_objs(q);
	if (keep_chunks) {
		calx__chunk *last = oldest(q->rel_arena.head);
		if (last)
			q->rel_link = &last->next;
		calx__bchunk *lastb = oldest_blocks(q->rel_blocks.head);
		if (lastb)
			q->rel_blink = &lastb->next;
	} else {
		*q->rel_link = NULL;
		calx__arena_free(&q->rel_arena);
		*q->rel_blink = NULL;
		calx__watch_forget(s, q->rel_blocks.head, NULL);        /* the write-watch may have registered them */
		calx__blocks_free(&q->rel_blocks);
	}
	q->rel_arena = (calx__arena){ NULL, 0 };
	q->rel_blocks = (calx__blocks){ NULL, 0 };
	q->rel_n = 0;
	q->rel_pinned = false;
	q->rel_from = s->objs.n;
	q->rel_total += gone;
}

int calx__release_load(calx_select *q, calx__obj **out)
{
	calx_session *s = q->s;
	int rc;
	size_t per = q->batch ? q->batch : CALX__STREAM_ROWS;
	if (!q->rel_link) {
		/* the session's oldest chunk, where the batches hang: the first, in the session's own block, always is */
		q->rel_link = &oldest(s->arena.head)->next;
		q->rel_blink = &oldest_blocks(s->blocks.head)->next;
		q->rel_from = s->objs.n;
	}
	if (q->rel_n == per)
		calx__release_batch(q);
	if (!q->rel_objs && !(q->rel_objs = calx__malloc(per * sizeof *q->rel_objs)))
		return calx__fail(s, CALX_ENOMEM, "out of memory loading a row of %s", q->m->desc->name);
	calx__arena saved = s->arena;
	calx__blocks saved_blocks = s->blocks;
	const calx__chunk *head = q->rel_arena.head;
	size_t used = head ? head->used : 0, n_objs = s->objs.n;
	s->arena = q->rel_arena;
	s->blocks = q->rel_blocks;
	rc = q->wide ? calx__poly_load_row(s, q->m, q->st, 0, true, out) : calx__load_row(s, q->m, q->st, out);
	q->rel_arena = s->arena;
	q->rel_blocks = s->blocks;
	s->arena = saved;
	s->blocks = saved_blocks;
	*q->rel_link = q->rel_arena.head;
	*q->rel_blink = q->rel_blocks.head;
	if (rc != CALX_OK) {
		/* a block half filled stays listed in the session (as a transient): its memory must stay too */
		if (s->objs.n > n_objs)
			q->rel_pinned = true;
		return rc;
	}
	if (s->objs.n == n_objs + 1 && s->objs.v[n_objs] == *out)
		q->rel_objs[q->rel_n++] = *out;
	else if (q->rel_arena.head != head || (head && head->used != used))
		q->rel_pinned = true;   /* an object of the session's, reloaded: its strings are in this batch */
	return CALX_OK;
}

void calx__release_free(calx_select *q)
{
	calx__release_batch(q);
	calx__free(q->rel_objs);
	calx__free(q->kept);
}

uint64_t calx_select_released(const calx_select *q)
{
	return q ? q->rel_total : 0;
}
