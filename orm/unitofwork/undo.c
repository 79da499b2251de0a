/*
 * Taking things back: what a failed flush wrote into objects (phase A's
 * undo), and what a transaction changed (rollback). Objects keep, from the
 * first change in a transaction, a copy of their snapshot's mapped bytes
 * and null bits (in the session's transaction arena, found through
 * calx__txn_keep: txn_keep.c); rollback puts it back, commit forgets it.
 */
#include <stdalign.h>
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* The kept snapshot: its null bits, then its mapped bytes span after span. */
int calx__undo_keep(calx_session *s, calx__obj *h)
{
	if (h->flags & (CALX__NEW_IN_TXN | CALX__TXN_KEPT))
		return CALX_OK;
	const calx__mapper *m = h->m;
	size_t words = m->null_words * sizeof(uint64_t);
	if (!(h->flags & CALX__IN_LOG)) {
		if (calx__objvec_push(&s->txn_log, h) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory saving the state of a struct %s", m->desc->name);
		h->flags |= CALX__IN_LOG;
	}
	unsigned char *keep = calx__arena_alloc(&s->txn_arena, words + m->mapped_bytes, alignof(uint64_t));
	if (!keep)
		return calx__fail(s, CALX_ENOMEM, "out of memory saving the state of a struct %s", m->desc->name);
	memcpy(keep, calx__obj_snap_nulls(h), words);
	unsigned char *to = keep + words;
	for (unsigned i = 0; i < m->n_spans; i++) {
		memcpy(to, calx__obj_snap(h) + m->spans[i].off, m->spans[i].len);
		to += m->spans[i].len;
	}
	return calx__txn_keep_snap(s, h, keep);
}

static void restore_kept(calx__obj *h, const unsigned char *kept)
{
	const calx__mapper *m = h->m;
	size_t words = m->null_words * sizeof(uint64_t);
	const unsigned char *from = kept + words;
	memcpy(calx__obj_snap_nulls(h), kept, words);
	for (unsigned i = 0; i < m->n_spans; i++) {
		memcpy(calx__obj_snap(h) + m->spans[i].off, from, m->spans[i].len);
		from += m->spans[i].len;
	}
}

void calx__undo_flush(calx_session *s, calx__plan *p)
{
	/* sequences are synced after each round's inserts: flags of a round that failed remain */
	memset(p->explicit_keys, 0, s->reg->n_mappers);
	for (size_t i = 0; i < p->n_inserted; i++)
		calx__state_clear_generated(s, p->inserts.v[i]);
	for (size_t i = 0; i < p->updates.n; i++)
		p->updates.v[i]->flags &= (uint16_t)~CALX__REKEY;
}

void calx__forget_transaction(calx_session *s)
{
	for (size_t i = 0; i < s->txn_log.n; i++) {
		calx__obj *h = s->txn_log.v[i];
		h->flags &= (uint16_t)~(CALX__IN_LOG | CALX__NEW_IN_TXN | CALX__GONE_IN_TXN);
	}
	s->txn_log.n = 0;
	calx__txn_keep_clear(s);
	calx__arena_free(&s->txn_arena);
	if (s->plan && s->reg->has_m2m)
		calx__assoc_forget_transaction(s->plan);
}

int calx__undo_transaction(calx_session *s)
{
	int rc = CALX_OK;
	if (s->plan && s->reg->has_m2m)
		calx__assoc_undo_transaction(s->plan);      /* many-to-many lists: their rows are gone again */
	/* the kept snapshots back, each object's once (CALX__TXN_KEPT) */
	for (size_t i = 0; i < s->keep_n; i++)
		if (s->keep[i].snap)
			restore_kept(s->keep[i].h, s->keep[i].snap);
	for (size_t i = 0; i < s->txn_log.n; i++) {
		calx__obj *h = s->txn_log.v[i];
		if (h->flags & CALX__NEW_IN_TXN) {
			/* the row never existed: back to transient, database-made values cleared */
			calx__idmap_remove(s, h);
			calx__state_clear_generated(s, h);
			h->state = CALX__TRANSIENT;
		} else if (h->flags & CALX__GONE_IN_TXN) {
			h->state = CALX__PERSISTENT;
			if (calx__idmap_insert(s, h) != CALX_OK)
				rc = s->err.code;
		}
	}
	calx__forget_transaction(s);
	return rc;
}
