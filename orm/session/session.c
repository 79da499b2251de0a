#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/watch.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "session/related.h"
#include "unitofwork/uow.h"

int calx_session_open(calx_session **out, calx_engine *eng, const calx_registry *reg)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	if (!eng || !reg)
		return CALX_EINVAL;
	if (reg->err.code)
		return CALX_EINVAL;     /* a registry that failed to open maps nothing */
	if (reg->has_deferred && !reg->prepared)
		return calx_error_set(calx__engine_err(eng), CALX_ESTATE,
		                      "session: schema %s maps deferred tables: call calx_prepare(registry, engine) first",
		                      reg->schema->name);
	/*
	 * The unit of work's plan and the first chunks of the arena and of the
	 * blocks ride in the session's block: one allocation per session.
	 */
	size_t head = (sizeof(calx_session) + alignof(max_align_t) - 1) / alignof(max_align_t) * alignof(max_align_t);
	size_t uow = calx__uow_size(reg);
	size_t at_arena = (head + uow + 63) & ~(size_t)63, arena = calx__arena_embed_size();
	size_t at_blocks = (at_arena + arena + 63) & ~(size_t)63, blocks = calx__blocks_embed_size();
	calx_session *s = calx__malloc(at_blocks + blocks);
	if (!s)
		return CALX_ENOMEM;
	/*
	 * Zero all but the error's text (a kilobyte: its message and the
	 * driver's detail, written before they are read), which comes last in
	 * the struct: a session a commit, as a web request opens, would
	 * otherwise spend most of its opening clearing it.
	 */
	memset(s, 0, offsetof(calx_session, err));
	s->err.code = 0;
	s->err.msg[0] = '\0';
	memset(&s->err.driver, 0, offsetof(calx_driver_error, statement) + 1);
	memset((unsigned char *)s + head, 0, uow);
	s->eng = eng;
	s->reg = reg;
	s->first_id = reg->first_id;
	s->n_ids = (uint16_t)reg->n_mappers;   /* the numbers run ends below 2^16 (mapper_ids.c) */
	s->d = eng->d;
	s->autoflush = true;
	s->keep = s->keep_small;    /* a transaction of a few rows keeps them in the session's own block */
	s->keep_cap = CALX__KEEP_SMALL_N;
	s->objs = (calx__objvec){ s->first_objs, 0, CALX__FIRST_ENTRIES, true };
	s->pending = (calx__objvec){ s->first_pending, 0, CALX__FIRST_ENTRIES, true };
	s->txn_log = (calx__objvec){ s->first_txn, 0, CALX__FIRST_ENTRIES, true };
	s->idmap = s->first_idmap;
	s->idmap_cap = CALX__FIRST_IDMAP;
	calx__uow_open(s, (unsigned char *)s + head);
	/* 64-byte aligned within a block malloc aligns to 16: the chunks' own alignment is relative to that */
	calx__arena_embed(&s->arena, (unsigned char *)s + at_arena, arena);
	calx__blocks_embed(&s->blocks, (unsigned char *)s + at_blocks, blocks);
	int rc = calx__listeners_inherit(s, reg);
	if (rc == CALX_OK)
		rc = calx__engine_acquire(eng, &s->conn, &s->err);
	if (rc != CALX_OK) {
		/* keep the reason where the caller can read it */
		*calx__engine_err(eng) = s->err;
		calx__uow_close(s);
		calx__free(s->listeners.v);
		calx__free(s);
		return rc;
	}
	s->d = s->conn->d;      /* the connection's: a traced connection's calls are wrapped (engine/trace.c) */
	*out = s;
	return CALX_OK;
}

void calx_session_free(calx_session *s)
{
	if (!s)
		return;
	/* the flush or load that called the listener still uses the session: free it after that returns */
	if (calx__refuse_in_listener(s, "calx_session_free", "ignored: the session is in use by the operation "
	                             "that called the listener; free it after that returns") != CALX_OK)
		return;
	bool broken = false;
	if (s->in_txn && calx__txn(s->conn, CALX__TXN_ROLLBACK, &s->err) != CALX_OK)
		broken = true;
	calx__forget_transaction(s);
	calx__watch_stop(s);    /* before the blocks go: their pages are registered with it */
	calx__engine_release(s->eng, s->conn, broken);
	calx__objvec_release(&s->objs);
	calx__free(s->marked.v);
	calx__objvec_release(&s->pending);
	calx__free(s->deleted.v);
	calx__objvec_release(&s->txn_log);
	if (s->keep != s->keep_small)
		calx__free(s->keep);
	calx__free(s->keep_ix);
	calx__free(s->kept);
	if (s->idmap != s->first_idmap)
		calx__free(s->idmap);
	calx__free(s->listeners.v);
	calx__free(s->info);
	calx__free(s->sp.start);
	calx__free(s->sp.log);
	calx__free(s->flush_err);
	calx__uow_close(s);
	calx__blocks_free(&s->blocks);
	calx__arena_free(&s->arena);
	calx__free(s);
}

void calx_session_counters(const calx_session *s, uint64_t *statements, uint64_t *round_trips)
{
	uint64_t a = 0, b = 0;
	if (s)
		s->d->counters(s->conn->raw, &a, &b);
	if (statements)
		*statements = a;
	if (round_trips)
		*round_trips = b;
}

int calx_session_set_tracking(calx_session *s, calx_tracking mode)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__refuse_in_listener(s, "calx_session_set_tracking",
	                                  "not allowed: the running flush chose its objects by the current mode");
	if (rc == CALX_OK)
		s->tracking = mode == CALX_TRACK_MARKED ? CALX_TRACK_MARKED : CALX_TRACK_ALL;
	return rc;
}

int calx__mark(calx_session *s, calx__obj *h)
{
	if (s->tracking != CALX_TRACK_MARKED || h->state != CALX__PERSISTENT || (h->flags & CALX__IN_MARKED))
		return CALX_OK;
	if (calx__objvec_push(&s->marked, h) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory marking a struct %s", calx__obj_mapper(h)->desc->name);
	h->flags |= CALX__IN_MARKED;
	return CALX_OK;
}

bool calx_session_set_autoflush(calx_session *s, bool on)
{
	if (!s)
		return false;
	bool was = s->autoflush;
	s->autoflush = on;
	return was;
}

/* Flush, commit and rollback from a listener would end the unit of work (or the load) that called it. */
int calx__check_not_flushing(calx_session *s, const char *call)
{
	int rc = calx__refuse_in_listener(s, call, "not allowed: it would end the unit of work or the load that "
	                                  "called the listener (a listener may add, delete, get and select)");
	if (rc == CALX_OK && s->flushing)
		rc = calx__fail(s, CALX_ESTATE, "%s called while the session flushes: not allowed", call);
	return rc;
}

int calx__begin(calx_session *s)
{
	if (s->in_txn)
		return CALX_OK;
	int rc = calx__txn(s->conn, CALX__TXN_BEGIN, &s->err);
	if (rc != CALX_OK)
		return rc;
	s->in_txn = true;
	return CALX_OK;
}

int calx_session_add(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	switch (h->state) {
	case CALX__TRANSIENT:
		if (!(h->flags & CALX__IN_PENDING)) {
			if (calx__objvec_push(&s->pending, h) != CALX_OK)
				return calx__fail(s, CALX_ENOMEM, "out of memory adding a struct %s", calx__obj_mapper(h)->desc->name);
			h->flags |= CALX__IN_PENDING;
		}
		h->state = CALX__PENDING;
		/* save-update: what it reaches through relationships is added too */
		return calx__obj_mapper(h)->n_rels ? calx__rel_cascade_add(s, h) : CALX_OK;
	case CALX__DELETED:
		if (calx__in_running_flush(s, h, true))
			return calx__refuse_in_listener(s, "calx_session_add",
			                                "the object's row is deleted by the running flush; add a new object "
			                                "instead");
		h->state = CALX__PERSISTENT;    /* undo the delete request */
		return CALX_OK;
	case CALX__GONE:
		return calx__fail(s, CALX_EINVAL, "struct %s: its row was deleted; create a new object to insert it again",
		                  calx__obj_mapper(h)->desc->name);
	case CALX__PERSISTENT:
		rc = calx__mark(s, h);
		return rc == CALX_OK && calx__obj_mapper(h)->n_rels ? calx__rel_cascade_add(s, h) : rc;
	case CALX__DETACHED:
		return calx__reattach(s, h);
	default:
		return CALX_OK;
	}
}

/* A pending object becomes transient; a persistent one is listed for the flush's delete. */
static int mark_deleted(calx_session *s, calx__obj *h)
{
	if (h->state == CALX__PENDING) {
		h->state = CALX__TRANSIENT;
		return CALX_OK;
	}
	if (!(h->flags & CALX__IN_DELETED)) {
		if (calx__objvec_push(&s->deleted, h) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory deleting a struct %s", calx__obj_mapper(h)->desc->name);
		h->flags |= CALX__IN_DELETED;
	}
	h->state = CALX__DELETED;
	return CALX_OK;
}

int calx_session_delete(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	switch (h->state) {
	case CALX__PENDING:
		/* its insert is a statement of the running flush: dropping it here would lose the delete */
		if (calx__in_running_flush(s, h, false))
			return calx__refuse_in_listener(s, "calx_session_delete",
			                                "the object is inserted by the running flush; delete it after the "
			                                "flush (or in before_flush)");
		if (!calx__obj_mapper(h)->n_rels) {
			h->state = CALX__TRANSIENT;
			return CALX_OK;
		}
		if ((rc = calx__rel_cascade_delete(s, h, mark_deleted)) != CALX_OK)
			h->state = CALX__PENDING;
		return rc;
	case CALX__PERSISTENT:
		if (!calx__obj_mapper(h)->n_rels)
			return mark_deleted(s, h);
		/* marked before the walk: the walk stops at it, and the flush links nothing to it */
		if ((rc = calx__rel_cascade_delete(s, h, mark_deleted)) != CALX_OK && h->state == CALX__DELETED)
			h->state = CALX__PERSISTENT;    /* s->deleted skips it (as after calx_session_add) */
		return rc;
	case CALX__TRANSIENT:
	case CALX__DETACHED:
		return calx__fail(s, CALX_EINVAL, "struct %s is not in the session: add it before deleting it",
		                  calx__obj_mapper(h)->desc->name);
	default:
		return CALX_OK;
	}
}

int calx_session_expunge(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__refuse_in_listener(s, "calx_session_expunge",
	                                  "not allowed: the running flush or load may be writing the object");
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	return calx__expunge(s, h);
}

int calx_session_flush(calx_session *s)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_not_flushing(s, "calx_session_flush");
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	return rc != CALX_OK ? rc : calx__flush(s);
}

static void fail_commit(calx_session *s)
{
	calx_error keep = s->err;
	calx__txn(s->conn, CALX__TXN_ROLLBACK, &s->err);
	s->err = keep;
	s->in_txn = false;
	s->failed = true;
	calx__keep_flush_error(s, &keep);      /* quoted by every refusal until the rollback */
	calx__savepoints_forget(s);
}

int calx_session_commit(calx_session *s)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_not_flushing(s, "calx_session_commit");
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	/* again while after_flush listeners leave new objects to write (SQLAlchemy does the same) */
	for (unsigned i = 0; rc == CALX_OK; i++) {
		if ((rc = calx__flush(s)) != CALX_OK || (!s->pending.n && !s->deleted.n))
			break;
		if (i + 1 == CALX__MAX_ROUNDS) {
			rc = calx__fail(s, CALX_ESTATE, "commit: listeners kept adding objects: %u flushes, and still "
			                "new objects to write (does an after_flush listener add one every time?)", i + 1);
			fail_commit(s);
		}
	}
	if (rc != CALX_OK || !s->in_txn)
		return rc;
	rc = calx__txn(s->conn, CALX__TXN_COMMIT, &s->err);
	if (rc != CALX_OK) {
		calx_error keep = s->err;
		fail_commit(s);
		return calx__fail_wrap(s, "commit failed, %s: %.400s",
		                  rc == CALX_EUNKNOWN ? "it may or may not have taken effect"
		                                      : "the transaction was rolled back",
		                  keep.msg);
	}
	s->in_txn = false;
	calx__savepoints_forget(s);     /* COMMIT released them */
	/* another transaction may change the rows now: the next get or select of each reloads it */
	if (s->keep_on_commit) {
		calx__forget_transaction(s);
	} else {
		calx__watch_unprotect(s);       /* the expiry writes every header */
		calx__forget_transaction_expire(s);
	}
	return calx__fire(s, CALX_EVENT_AFTER_COMMIT, NULL);
}

int calx_session_rollback(calx_session *s)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_not_flushing(s, "calx_session_rollback");
	if (rc != CALX_OK)
		return rc;
	if (s->in_txn)
		rc = calx__txn(s->conn, CALX__TXN_ROLLBACK, &s->err);
	s->in_txn = false;
	s->failed = false;
	calx__savepoints_forget(s);     /* the transaction's log restores what they would have */
	calx__watch_unprotect(s);       /* every persistent object is written below */
	int undo = calx__undo_transaction(s);
	if (rc == CALX_OK)
		rc = undo;
	/* pending objects are expunged (SQLAlchemy), delete requests dropped */
	for (size_t i = 0; i < s->pending.n; i++) {
		calx__obj *h = s->pending.v[i];
		if (h->state == CALX__PENDING)
			h->state = CALX__TRANSIENT;
		h->flags &= (uint16_t)~CALX__IN_PENDING;
	}
	for (size_t i = 0; i < s->deleted.n; i++) {
		calx__obj *h = s->deleted.v[i];
		if (h->state == CALX__DELETED)
			h->state = CALX__PERSISTENT;
		h->flags &= (uint16_t)~CALX__IN_DELETED;
	}
	for (size_t i = 0; i < s->marked.n; i++)
		s->marked.v[i]->flags &= (uint16_t)~CALX__IN_MARKED;
	s->marked.n = 0;
	/*
	 * What the transaction found, for every object that has a row (mapped
	 * fields only), and expired, as SQLAlchemy's rollback expires every
	 * instance: other transactions may change the rows from now on, so the
	 * next get or select of each reloads it. Relationships are forgotten
	 * (the next accessor loads them): a list or pointer may name objects
	 * the rollback made transient, or miss rows it brought back.
	 */
	for (size_t i = 0; i < s->objs.n; i++) {
		calx__obj *h = s->objs.v[i];
		if (h->state != CALX__PERSISTENT)
			continue;
		calx__state_revert(h);
		h->flags |= CALX__EXPIRED;
		calx__expire_relations(h);
	}
	s->pending.n = 0;
	s->deleted.n = 0;
	if (rc == CALX_OK)
		s->err.code = CALX_OK;
	return rc == CALX_OK ? calx__fire(s, CALX_EVENT_AFTER_ROLLBACK, NULL) : rc;
}
