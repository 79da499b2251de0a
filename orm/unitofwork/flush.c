/*
 * The flush: what to write, in rounds, then the bookkeeping (see plan.h).
 *
 * Phase A runs each round's statements (insert.c, execute.c) in the order
 * graph.c gives; nothing in it changes an object's state or the identity
 * map, so a failure is undone by clearing what the database generated
 * (undo.c) and rolling the transaction back. Phase B, reached only when
 * every statement of every round worked, makes states, the identity map,
 * the transaction log and the session's lists agree; it cannot fail, as
 * its memory is reserved right before it.
 *
 * Rounds: listeners run during phase A (before/after insert, update,
 * delete) and may add or delete objects; those go in another round of the
 * same flush, so nothing is left pending when the flush returns CALX_OK.
 * A listener that adds for every row it sees would never let the flush
 * end: past CALX__MAX_ROUNDS rounds the flush fails with CALX_ESTATE.
 */
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/watch.h"
#include "sql/statements.h"
#include "unitofwork/graph.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"
#include "session/discriminator.h"

/* A persistent object that differs from its snapshot: an update if a field's value changed. */
static int check_differs(calx_session *s, calx__plan *p, calx__obj *h)
{
	calx__state_normalize_nulls(h);
	return calx__state_dirty(h) ? calx__plan_push(s, &p->updates, h) : CALX_OK;
}

static int check_changed(calx_session *s, calx__plan *p, calx__obj *h)
{
	if (h->state != CALX__PERSISTENT)
		return CALX_OK;
	s->flush_compared++;
	if (calx__state_unchanged(h))
		return CALX_OK;
	return check_differs(s, p, h);
}

/* Persistent objects that differ from their snapshots. */
static int find_changes(calx_session *s, calx__plan *p)
{
	int rc = CALX_OK;
	s->flush_compared = 0;
	s->flush_watched = false;
	if (s->tracking == CALX_TRACK_MARKED) {
		for (size_t i = 0; i < s->marked.n && rc == CALX_OK; i++)
			rc = check_changed(s, p, s->marked.v[i]);
		p->marked_seen = s->marked.n;
		return rc;
	}
	/* the objects on pages the program wrote, where the kernel can tell (session/watch.h) */
	size_t found = p->updates.n;
	rc = calx__watch_changes(s, p, check_changed);
	s->flush_watched = rc != CALX__WATCH_NONE;
	if (s->flush_watched)
		return rc;
	p->updates.n = found;
	s->flush_compared = 0;
	rc = CALX_OK;
	/*
	 * every object that has a row; transient ones drop out of the list as
	 * we go. The loop is the whole cost of a flush that finds few changes
	 * in a big session: the compare inline, the count in a local, the list
	 * written only behind a transient one.
	 */
	calx__obj **v = s->objs.v;
	size_t n = s->objs.n, keep = 0, compared = 0;
	for (size_t i = 0; i < n; i++) {
		calx__obj *h = v[i];
		if (h->state == CALX__TRANSIENT) {
			h->flags &= (uint16_t)~CALX__IN_OBJS;
			continue;
		}
		if (keep != i)
			v[keep] = h;
		keep++;
		if (h->state != CALX__PERSISTENT)
			continue;
		compared++;
		if (calx__state_unchanged(h) || (rc = check_differs(s, p, h)) == CALX_OK)
			continue;
		/* keep the rest of the list as it was */
		memmove(v + keep, v + i + 1, (n - i - 1) * sizeof *v);
		s->objs.n = keep + (n - i - 1);
		s->flush_compared = compared;
		return rc;
	}
	s->objs.n = keep;
	s->flush_compared = compared;
	return CALX_OK;
}

/* Append the entries of list[*from..) in state `state` to v; one allocation, not one per row. */
static int take(calx_session *s, calx__objvec *v, const calx__objvec *list, size_t *from, uint8_t state)
{
	if (*from == list->n)
		return CALX_OK;
	int rc = calx__plan_room(s, v, v->n + (list->n - *from));
	if (rc != CALX_OK)
		return rc;
	for (; *from < list->n; ++*from)
		if (list->v[*from]->state == state)
			v->v[v->n++] = list->v[*from];
	return CALX_OK;
}

/* This round's work: what was added and deleted since the last round (and, first, what changed). */
static int collect(calx_session *s, calx__plan *p, bool first, size_t ins0, size_t upd0, size_t del0)
{
	int rc = take(s, &p->inserts, &s->pending, &p->pending_from, CALX__PENDING);
	if (rc == CALX_OK && first)
		rc = find_changes(s, p);
	if (rc == CALX_OK)
		rc = take(s, &p->deletes, &s->deleted, &p->deleted_from, CALX__DELETED);
	/* inheritance: new rows get their struct's discriminator, a persistent one keeps it */
	if (rc == CALX_OK && s->reg->has_poly)
		rc = calx__discriminator_check(s, p->inserts.v + ins0, p->inserts.n - ins0, p->updates.v + upd0,
		                               p->updates.n - upd0);
	/* decimals within NUMERIC(p,s), JSON well formed: refused before any statement (value_check.c) */
	if (rc == CALX_OK && s->reg->has_checked_values)
		rc = calx__values_check(s, p->inserts.v + ins0, p->inserts.n - ins0, p->updates.v + upd0,
		                        p->updates.n - upd0);
	/* one row or none has no order to find: a commit of one new object skips the three */
	if (rc != CALX_OK ||
	    (p->inserts.n - ins0 > 1 &&
	     (rc = calx__order_rows_linked(s->reg, p->inserts.v + ins0, p->inserts.n - ins0, CALX__ORDER_INSERTS,
	                                   p->links, p->n_links, NULL, &s->err)) != CALX_OK) ||
	    (p->updates.n - upd0 > 1 &&
	     (rc = calx__order_by_table(s->reg, p->updates.v + upd0, p->updates.n - upd0, false, &s->err)) != CALX_OK) ||
	    (p->deletes.n - del0 > 1 &&
	     (rc = calx__order_rows(s->reg, p->deletes.v + del0, p->deletes.n - del0, CALX__ORDER_DELETES, NULL,
	                            &s->err)) != CALX_OK))
		return rc;
	for (size_t i = upd0; i < p->updates.n && rc == CALX_OK; i++)
		rc = calx__undo_keep(s, p->updates.v[i]);
	if (rc == CALX_OK && s->sp.n)
		rc = calx__savepoint_note(s, p, ins0, upd0, del0);
	return rc;
}

/*
 * Persistent children linked to a parent this round inserted with a
 * generated key: their key now, and an UPDATE in this round (relate.c).
 */
static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(calx__obj *const *)a, y = (uintptr_t)*(calx__obj *const *)b;
	return x < y ? -1 : x > y;
}

static int late_updates(calx_session *s, calx__plan *p)
{
	int rc = CALX_OK;
	/* the updates already planned, sorted to look children up in (the late list holds each child once) */
	size_t n_planned = p->updates.n;
	calx__obj **planned = n_planned ? calx__malloc(n_planned * sizeof *planned) : NULL;
	if (n_planned && !planned)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush");
	if (n_planned) {
		memcpy(planned, p->updates.v, n_planned * sizeof *planned);
		qsort(planned, n_planned, sizeof *planned, by_address);
	}
	for (size_t i = 0; i < p->late.n && rc == CALX_OK; i++) {
		calx__obj *h = p->late.v[i];
		bool ready;
		if ((rc = calx__rel_sync_insert(s, p, h, &ready)) != CALX_OK)
			break;
		if ((n_planned && bsearch(&h, planned, n_planned, sizeof *planned, by_address)) || calx__state_unchanged(h))
			continue;
		calx__state_normalize_nulls(h);
		if (calx__state_dirty(h) && (rc = calx__plan_push(s, &p->updates, h)) == CALX_OK)
			rc = calx__undo_keep(s, h);
	}
	calx__free(planned);
	p->late.n = 0;
	return rc;
}

static int run_round(calx_session *s, calx__plan *p, size_t ins0, size_t upd0, size_t del0)
{
	int rc = calx__exec_inserts(s, p, ins0);
	if (rc == CALX_OK)
		rc = calx__exec_sync_keys(s, p);
	if (rc == CALX_OK && p->late.n)
		rc = late_updates(s, p);
	/* post_update keys: rows inserted with them NULL get them now that both rows exist */
	if (rc == CALX_OK && p->post_todo)
		rc = calx__post_update_inserts(s, p);
	if (rc == CALX_OK && p->updates.n > upd0)
		rc = calx__exec_updates(s, p, upd0);
	/* many-to-many rows: both ends inserted by now, none deleted yet (secondary.c) */
	if (rc == CALX_OK && calx__assoc_pending(p))
		rc = calx__assoc_exec(s, p);
	/* before_delete, which may keep a row (keep.c), before any key is cleared */
	if (rc == CALX_OK && p->deletes.n > del0)
		rc = calx__exec_before_deletes(s, p, del0);
	/* and rows to delete drop theirs first (post_update.c) */
	if (rc == CALX_OK && p->deletes.n > del0 && s->reg->has_rels)
		rc = calx__post_update_deletes(s, p, del0);
	if (rc == CALX_OK && p->deletes.n > del0)
		rc = calx__exec_deletes(s, p, del0);
	return rc;
}

/* What phase B needs, so that it cannot fail. */
static int reserve_phase_b(calx_session *s, calx__plan *p)
{
	size_t rekeys = 0;
	for (size_t i = 0; i < p->updates.n; i++)
		rekeys += (p->updates.v[i]->flags & CALX__REKEY) != 0;
	/* only a flush that deletes can have rows the database's ON DELETE CASCADE removes */
	int rc = p->deletes.n ? calx__ondelete_collect(s, p) : CALX_OK;
	if (rc != CALX_OK)
		return rc;
	if (calx__objvec_reserve(&s->objs, s->objs.n + p->inserts.n) != CALX_OK ||
	    calx__objvec_reserve(&s->txn_log, s->txn_log.n + p->inserts.n + p->deletes.n + p->db_gone.n) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory finishing the flush");
	return calx__idmap_reserve(s, p->inserts.n + rekeys);
}

static void log_obj(calx_session *s, calx__obj *h, uint16_t flag)
{
	h->flags |= flag;
	if (!(h->flags & CALX__IN_LOG)) {
		s->txn_log.v[s->txn_log.n++] = h;       /* reserved */
		h->flags |= CALX__IN_LOG;
	}
}

/* Drop the first n entries of a session list, which this flush has taken. */
static void drop_taken(calx__objvec *v, size_t n, uint16_t flag)
{
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		v->v[i]->flags &= (uint16_t)~flag;
	memmove(v->v, v->v + n, (v->n - n) * sizeof *v->v);
	v->n -= n;
}

static void phase_b(calx_session *s, calx__plan *p)
{
	for (size_t i = 0; i < p->inserts.n; i++) {
		calx__obj *h = p->inserts.v[i];
		h->state = CALX__PERSISTENT;
		log_obj(s, h, CALX__NEW_IN_TXN);
		if (!(h->flags & CALX__IN_OBJS)) {
			s->objs.v[s->objs.n++] = h;  /* reserved */
			h->flags |= CALX__IN_OBJS;
		}
	}
	calx__idmap_insert_run(s, p->inserts.v, p->inserts.n);     /* reserved too: cannot fail */
	for (size_t i = 0; i < p->updates.n; i++) {
		calx__obj *h = p->updates.v[i];
		if (h->state == CALX__DELETED)
			h->state = CALX__PERSISTENT;        /* a delete a listener kept (keep.c) */
		if (h->flags & CALX__REKEY) {
			/* the key changed: the map still has the old hash, the snapshot the new key */
			h->flags &= (uint16_t)~CALX__REKEY;
			calx__idmap_remove(s, h);
			calx__idmap_insert(s, h);
		}
	}
	for (size_t i = 0; i < p->deletes.n; i++) {
		calx__obj *h = p->deletes.v[i];
		h->state = CALX__GONE;
		calx__idmap_remove(s, h);
		log_obj(s, h, CALX__GONE_IN_TXN);
	}
	/* rows the database deleted by ON DELETE CASCADE: not handed out again (ondelete.c) */
	for (size_t i = 0; i < p->db_gone.n; i++) {
		calx__obj *h = p->db_gone.v[i];
		h->state = CALX__GONE;
		calx__idmap_remove(s, h);
		log_obj(s, h, CALX__GONE_IN_TXN);
	}
	/* keys the database's ON DELETE SET NULL cleared: cleared here too (ondelete_null.c) */
	if (p->n_nulled)
		calx__ondelete_apply_nulls(s, p);
	if (p->db_gone.n)
		calx__ondelete_clear(p);
	/* objects dropped from pending by a delete stay transient, off the list */
	drop_taken(&s->pending, p->pending_from, CALX__IN_PENDING);
	drop_taken(&s->deleted, p->deleted_from, CALX__IN_DELETED);
	drop_taken(&s->marked, p->marked_seen, CALX__IN_MARKED);
}

int calx__flush(calx_session *s)
{
	if (s->flushing || s->listening)
		return CALX_OK;         /* an autoflush in a listener: the running flush writes it all; an
		                           after_load listener's load is not interrupted by one */
	calx__plan *p = s->plan;
	p->inserts.n = p->updates.n = p->deletes.n = 0;
	p->n_inserted = p->pending_from = p->deleted_from = p->marked_seen = 0;
	s->flushing = true;
	bool begun = false;
	int rc = calx__fire(s, CALX_EVENT_BEFORE_FLUSH, NULL);
	for (unsigned round = 0; rc == CALX_OK; round++) {
		size_t ins0 = p->inserts.n, upd0 = p->updates.n, del0 = p->deletes.n;
		if (round == CALX__MAX_ROUNDS) {
			rc = calx__fail(s, CALX_ESTATE,
			                "flush: listeners kept adding objects: %u rounds of statements, and still new "
			                "objects to write (does a listener add an object for every row it sees?)", round);
			break;
		}
		/*
		 * relationships: links, cascades and the keys known before any
		 * statement (relate.c); none in a session that never made an
		 * object of a mapper with relationships, whatever the schema has
		 */
		if (round == 0 && s->reg->has_rels && s->rel_objs &&
		    ((rc = calx__rel_prepare(s, p)) != CALX_OK ||
		     /* no many-to-many in the schema: no association rows, and no walk over every object to find none */
		     (s->reg->has_m2m && (rc = calx__assoc_prepare(s, p)) != CALX_OK)))
			break;
		if ((rc = collect(s, p, round == 0, ins0, upd0, del0)) != CALX_OK)
			break;
		if (p->inserts.n == ins0 && p->updates.n == upd0 && p->deletes.n == del0 && !calx__assoc_pending(p))
			break;
		if (!begun) {
			begun = true;   /* on failure the connection may be gone: roll back, as after a write */
			if ((rc = calx__begin(s)) != CALX_OK)
				break;
		}
		if ((rc = run_round(s, p, ins0, upd0, del0)) != CALX_OK)
			break;
		if (s->pending.n == p->pending_from && s->deleted.n == p->deleted_from)
			break;
	}
	if (rc == CALX_OK && (rc = reserve_phase_b(s, p)) == CALX_OK) {
		phase_b(s, p);
		if (p->n_links)
			calx__rel_done(s, p);
		if (s->reg->has_m2m)
			calx__assoc_done(p);
		if (begun)
			rc = calx__fire(s, CALX_EVENT_AFTER_FLUSH, NULL);
		if (rc == CALX_OK && s->flush_watched)
			calx__watch_settle(s, p);
		s->flushing = false;
		if (rc != CALX_OK)
			calx__fail_transaction(s);    /* the objects are persistent now: rollback undoes them */
		return rc;
	}
	s->flushing = false;
	if (p->db_gone.n || p->n_nulled)
		calx__ondelete_clear(p);
	if (p->n_links)
		calx__rel_undo(s, p);   /* the foreign keys the links set, as they were */
	if (s->reg->has_m2m)
		calx__assoc_reset(p);   /* the lists' snapshots stay: the next flush writes the same rows */
	if (!begun)
		return rc;      /* nothing was written: the session stays usable */
	calx__undo_flush(s, p);
	calx__fail_transaction(s);
	return rc;
}
