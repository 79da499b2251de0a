/*
 * Taking things back: what a failed flush wrote into objects (phase A's
 * undo), and what a transaction changed (rollback). Objects keep, from the
 * first change in a transaction, a copy of their snapshot's null bits and
 * mapped bytes, one record after another in s->kept (the object, then the
 * copy, in words: 32 bytes for the benchmark's customer, where a list
 * entry, a copy in an arena and a place in the transaction's log were 56);
 * rollback puts each back, commit forgets them.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* Words of a kept record of an object of m: the object, the null words, the mapped bytes rounded up. */
static size_t kept_words(const calx__mapper *m)
{
	return 1 + m->null_words + (m->mapped_bytes + sizeof(uint64_t) - 1) / sizeof(uint64_t);
}

/* The kept snapshot: the object, its null bits, then its mapped bytes span after span. */
int calx__undo_keep(calx_session *s, calx__obj *h)
{
	if (h->flags & (CALX__NEW_IN_TXN | CALX__TXN_KEPT))
		return CALX_OK;
	const calx__mapper *m = calx__obj_mapper(h);
	size_t n = kept_words(m);
	if (s->kept_n + n > s->kept_cap &&
	    calx__grow((void **)&s->kept, &s->kept_cap, s->kept_n + n, sizeof *s->kept) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory saving the state of a struct %s", m->desc->name);
	uint64_t *rec = s->kept + s->kept_n;
	s->kept_n += n;
	s->kept_objs++;
	memcpy(rec, &h, sizeof h);
	if (m->null_words)
		memcpy(rec + 1, calx__obj_snap_nulls(h), m->null_words * sizeof *rec);
	unsigned char *to = (unsigned char *)(rec + 1 + m->null_words);
	for (unsigned i = 0; i < m->n_spans; i++) {
		memcpy(to, calx__obj_snap(h) + m->spans[i].off, m->spans[i].len);
		to += m->spans[i].len;
	}
	h->flags |= CALX__TXN_KEPT;
	return CALX_OK;
}

int calx__undo_log(calx_session *s, calx__obj *h)
{
	if (h->flags & CALX__IN_LOG)
		return CALX_OK;
	if (calx__objvec_push(&s->txn_log, h) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory noting a struct %s in the transaction's log",
		                  calx__obj_mapper(h)->desc->name);
	h->flags |= CALX__IN_LOG;
	return CALX_OK;
}

/* The object of the kept record at rec. */
static calx__obj *kept_obj(const uint64_t *rec)
{
	calx__obj *h;
	memcpy(&h, rec, sizeof h);
	return h;
}

static void restore_kept(calx__obj *h, const uint64_t *rec)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const unsigned char *from = (const unsigned char *)(rec + 1 + m->null_words);
	memcpy(calx__obj_snap_nulls(h), rec + 1, m->null_words * sizeof *rec);
	for (unsigned i = 0; i < m->n_spans; i++) {
		memcpy(calx__obj_snap(h) + m->spans[i].off, from, m->spans[i].len);
		from += m->spans[i].len;
	}
}

/* The transaction ended: its kept snapshots go, and (flags) their objects' flags; a big transaction's memory too. */
static void forget_kept(calx_session *s, bool flags)
{
	for (size_t i = 0; flags && i < s->kept_n; i += kept_words(calx__obj_mapper(kept_obj(s->kept + i))))
		kept_obj(s->kept + i)->flags &= (uint16_t)~CALX__TXN_KEPT;
	s->kept_n = 0;
	s->kept_objs = 0;
	if (s->kept_cap > CALX__KEPT_BIG_WORDS) {
		calx__free(s->kept);
		s->kept = NULL;
		s->kept_cap = 0;
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

/* The transaction's lists emptied; flags: and the flags they set cleared on their objects. */
static void forget_lists(calx_session *s, bool flags)
{
	for (size_t i = 0; flags && i < s->txn_log.n; i++) {
		calx__obj *h = s->txn_log.v[i];
		h->flags &= (uint16_t)~(CALX__IN_LOG | CALX__NEW_IN_TXN | CALX__GONE_IN_TXN);
	}
	s->txn_log.n = 0;
	forget_kept(s, flags);
	calx__txn_keep_clear(s, flags);
	calx__arena_free(&s->txn_arena);
	if (s->plan && s->reg->has_m2m)
		calx__assoc_forget_transaction(s->plan);
}

void calx__forget_transaction(calx_session *s)
{
	forget_lists(s, true);
}

/*
 * The commit's end of the transaction when it expires every object: one
 * pass over the object list clears the transaction's flags and sets the
 * expired one, where forgetting and expiring were a pass each over every
 * object's header (a cache line an object, on a big session most of the
 * commit's time outside the database). The lists' own walks are left out
 * when the object list held every object they name (counted here); else
 * they run too, as they would have.
 */
void calx__forget_transaction_expire(calx_session *s)
{
	const uint16_t txn = CALX__IN_LOG | CALX__NEW_IN_TXN | CALX__GONE_IN_TXN | CALX__TXN_KEPT | CALX__TXN_OMITTED;
	size_t logged = 0, kept = 0, omitted = 0;
	for (size_t i = 0; i < s->objs.n; i++) {
		calx__obj *h = s->objs.v[i];
		uint16_t f = h->flags;
		logged += (f & CALX__IN_LOG) != 0;
		kept += (f & CALX__TXN_KEPT) != 0;
		omitted += (f & CALX__TXN_OMITTED) != 0;
		f &= (uint16_t)~txn;
		if (h->state == CALX__PERSISTENT)
			f |= CALX__EXPIRED;
		h->flags = f;
	}
	forget_lists(s, logged != s->txn_log.n || kept != s->kept_objs || omitted != s->keep_n);
}

int calx__undo_transaction(calx_session *s)
{
	int rc = CALX_OK;
	if (s->plan && s->reg->has_m2m)
		calx__assoc_undo_transaction(s->plan);      /* many-to-many lists: their rows are gone again */
	/* the kept snapshots back, each object's once (CALX__TXN_KEPT) */
	for (size_t i = 0; i < s->kept_n;) {
		calx__obj *h = kept_obj(s->kept + i);
		restore_kept(h, s->kept + i);
		i += kept_words(calx__obj_mapper(h));
	}
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
