/*
 * Savepoints: calx_session_begin_nested / _commit_nested / _rollback_nested.
 *
 * The database does the rows (SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO
 * SAVEPOINT); the session does the objects. While a savepoint is open,
 * every flush notes, before it writes, each object whose row it inserts,
 * updates or deletes, with what it was (s->sp.log, see session.h). Rolling
 * back to the savepoint walks its entries newest first, so an object noted
 * twice ends with its oldest entry: its state when the savepoint began.
 * Releasing one leaves its entries to the enclosing savepoint, which needs
 * the same oldest states; with none left open the log is dropped (the
 * transaction's own log, undo.c, covers a full rollback).
 *
 * begin_nested flushes first (as SQLAlchemy does), so nothing is pending
 * when the savepoint begins: whatever is pending or deleted at a rollback to
 * it was asked for inside it, and is dropped. A rollback to it also expires
 * the objects whose rows it wrote, and forgets relationships (see
 * restore_objects).
 */
#include <stdalign.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static void savepoint_name(char *buf, size_t cap, size_t depth)
{
	snprintf(buf, cap, "calx_sp_%zu", depth);
}

void calx__savepoints_forget(calx_session *s)
{
	s->sp.n = 0;
	s->sp.log_n = 0;
	s->sp.failed = false;
}

static int note(calx_session *s, calx__obj *h, bool keep_snap)
{
	if (calx__grow((void **)&s->sp.log, &s->sp.log_cap, s->sp.log_n + 1, sizeof *s->sp.log) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory noting a struct %s for the savepoint", calx__obj_mapper(h)->desc->name);
	calx__sp_entry *e = &s->sp.log[s->sp.log_n];
	e->h = h;
	e->state = h->state;
	e->flags = h->flags & (CALX__NEW_IN_TXN | CALX__GONE_IN_TXN);
	e->snap = NULL;
	if (keep_snap) {
		const calx__mapper *m = calx__obj_mapper(h);
		size_t words = m->null_words * sizeof(uint64_t);
		/* the transaction's arena: a savepoint never outlives its transaction */
		unsigned char *to = calx__arena_alloc(&s->txn_arena, words + m->mapped_bytes, alignof(uint64_t));
		if (!to)
			return calx__fail(s, CALX_ENOMEM, "out of memory saving a struct %s for the savepoint",
			                  m->desc->name);
		e->snap = to;
		memcpy(to, calx__obj_snap_nulls(h), words);
		to += words;
		for (unsigned i = 0; i < m->n_spans; i++) {
			memcpy(to, calx__obj_snap(h) + m->spans[i].off, m->spans[i].len);
			to += m->spans[i].len;
		}
	}
	s->sp.log_n++;
	return CALX_OK;
}

int calx__savepoint_note(calx_session *s, const calx__plan *p, size_t ins0, size_t upd0, size_t del0)
{
	int rc = CALX_OK;
	for (size_t i = ins0; i < p->inserts.n && rc == CALX_OK; i++)
		rc = note(s, p->inserts.v[i], false);
	for (size_t i = upd0; i < p->updates.n && rc == CALX_OK; i++)
		rc = note(s, p->updates.v[i], true);
	for (size_t i = del0; i < p->deletes.n && rc == CALX_OK; i++)
		rc = note(s, p->deletes.v[i], false);
	return rc;
}

int calx__savepoint_note_changed(calx_session *s, calx__obj *h)
{
	return note(s, h, true);
}

static void restore_snap(calx__obj *h, const unsigned char *from)
{
	const calx__mapper *m = calx__obj_mapper(h);
	size_t words = m->null_words * sizeof(uint64_t);
	memcpy(calx__obj_snap_nulls(h), from, words);
	from += words;
	for (unsigned i = 0; i < m->n_spans; i++) {
		memcpy(calx__obj_snap(h) + m->spans[i].off, from, m->spans[i].len);
		from += m->spans[i].len;
	}
}

/* Put one object back as the entry says it was; the identity map has room (reserved). */
static void restore(calx_session *s, const calx__sp_entry *e)
{
	calx__obj *h = e->h;
	if (!h)
		return;         /* expunged since: no longer the session's business */
	const uint16_t txn_flags = CALX__NEW_IN_TXN | CALX__GONE_IN_TXN;
	h->flags = (uint16_t)((h->flags & ~txn_flags) | e->flags);
	switch (e->state) {
	case CALX__PENDING:
		/* inserted inside the savepoint: no row any more, database-made values cleared */
		calx__idmap_remove(s, h);
		calx__state_clear_generated(s, h);
		h->state = CALX__TRANSIENT;
		break;
	case CALX__PERSISTENT:
		/* the row as it was, in the snapshot and the fields; keyed by that row's key */
		restore_snap(h, e->snap);
		calx__state_revert(h);
		if (h->state == CALX__PERSISTENT && (h->flags & CALX__KEYED)) {
			calx__idmap_remove(s, h);
			calx__idmap_insert(s, h);       /* one out, one in: no growth */
		}
		break;
	case CALX__DELETED:
		h->state = CALX__PERSISTENT;
		calx__idmap_insert(s, h);
		break;
	default:
		break;
	}
}

/* Objects back to what they were when the innermost savepoint began; requests made inside it dropped. */
static int restore_objects(calx_session *s)
{
	size_t start = s->sp.start[s->sp.n - 1];
	size_t deletes = 0;
	for (size_t i = start; i < s->sp.log_n; i++)
		deletes += s->sp.log[i].state == CALX__DELETED;
	int rc = calx__idmap_reserve(s, deletes);
	if (rc != CALX_OK)
		return rc;
	for (size_t i = s->sp.log_n; i-- > start;)
		restore(s, &s->sp.log[i]);
	/*
	 * SQLAlchemy (1.4 on) expires, at a rollback to a savepoint, only the
	 * objects changed inside it: here those whose rows it wrote, persistent
	 * again (their next get or select reloads them). Relationships of every
	 * persistent object are forgotten (the next accessor loads them): a
	 * list may hold an object the rollback made transient, and links made
	 * inside the savepoint are dropped with it; everything linked before it
	 * began was flushed by calx_session_begin_nested, so nothing else is lost.
	 */
	for (size_t i = start; i < s->sp.log_n; i++)
		if (s->sp.log[i].h && s->sp.log[i].h->state == CALX__PERSISTENT)
			s->sp.log[i].h->flags |= CALX__EXPIRED;
	for (size_t i = 0; s->reg->has_rels && i < s->objs.n; i++)
		if (s->objs.v[i]->state == CALX__PERSISTENT)
			calx__expire_relations(s->objs.v[i]);
	s->sp.log_n = start;
	for (size_t i = 0; i < s->pending.n; i++) {
		calx__obj *h = s->pending.v[i];
		if (h->state == CALX__PENDING)
			h->state = CALX__TRANSIENT;
		h->flags &= (uint16_t)~CALX__IN_PENDING;
	}
	s->pending.n = 0;
	for (size_t i = 0; i < s->deleted.n; i++) {
		calx__obj *h = s->deleted.v[i];
		if (h->state == CALX__DELETED)
			h->state = CALX__PERSISTENT;
		h->flags &= (uint16_t)~CALX__IN_DELETED;
	}
	s->deleted.n = 0;
	return CALX_OK;
}

static void full_rollback(calx_session *s)
{
	calx_error keep = s->err;
	calx__txn(s->conn, CALX__TXN_ROLLBACK, &s->err);
	s->err = keep;
	s->in_txn = false;
	s->failed = true;
	calx__keep_flush_error(s, &keep);      /* quoted by every refusal until the rollback */
	calx__savepoints_forget(s);
}

void calx__fail_transaction(calx_session *s)
{
	if (s->sp.n && s->in_txn) {
		char name[32];
		calx_error keep = s->err, ignored;
		savepoint_name(name, sizeof name, s->sp.n);
		if (calx__savepoint(s->conn, CALX__ROLLBACK_TO, name, &ignored) == CALX_OK) {
			s->err = keep;
			s->failed = true;
			s->sp.failed = true;
			calx__keep_flush_error(s, &keep);
			return;
		}
		s->err = keep;  /* the savepoint is gone with the connection or the transaction: all of it */
	}
	full_rollback(s);
}

/* Flush until nothing is pending (after_flush listeners may add), as commit does. */
static int flush_all(calx_session *s, const char *call)
{
	int rc = CALX_OK;
	for (unsigned i = 0; rc == CALX_OK; i++) {
		if ((rc = calx__flush(s)) != CALX_OK || (!s->pending.n && !s->deleted.n))
			break;
		if (i + 1 == CALX__MAX_ROUNDS)
			rc = calx__fail(s, CALX_ESTATE, "%s: listeners kept adding objects: %u flushes, and still new "
			                "objects to write", call, i + 1);
	}
	return rc;
}

static int enter(calx_session *s, const char *call, bool need_open)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_not_flushing(s, call);
	if (rc != CALX_OK)
		return rc;
	if (need_open && !s->sp.n)
		return calx__fail(s, CALX_ESTATE, "%s: no savepoint is open (calx_session_begin_nested opens one)", call);
	return CALX_OK;
}

int calx_session_begin_nested(calx_session *s)
{
	int rc = enter(s, "calx_session_begin_nested", false);
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	if (rc == CALX_OK)
		rc = flush_all(s, "calx_session_begin_nested");
	if (rc == CALX_OK)
		rc = calx__begin(s);
	if (rc != CALX_OK)
		return rc;
	if (calx__grow((void **)&s->sp.start, &s->sp.cap, s->sp.n + 1, sizeof *s->sp.start) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory opening a savepoint");
	if ((rc = calx__assoc_savepoint_reserve(s, s->sp.n + 1)) != CALX_OK)
		return rc;
	char name[32];
	savepoint_name(name, sizeof name, s->sp.n + 1);
	if ((rc = calx__savepoint(s->conn, CALX__SAVEPOINT, name, &s->err)) != CALX_OK)
		return rc;
	s->sp.start[s->sp.n++] = s->sp.log_n;
	calx__assoc_savepoint_begin(s->plan, s->sp.n);     /* many-to-many lists' history (secondary.c) */
	return CALX_OK;
}

static void pop(calx_session *s)
{
	s->sp.n--;
	if (!s->sp.n)
		s->sp.log_n = 0;        /* the transaction's log covers the rest */
}

int calx_session_commit_nested(calx_session *s)
{
	int rc = enter(s, "calx_session_commit_nested", true);
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	if (rc == CALX_OK)
		rc = flush_all(s, "calx_session_commit_nested");
	if (rc != CALX_OK)
		return rc;
	char name[32];
	savepoint_name(name, sizeof name, s->sp.n);
	if ((rc = calx__savepoint(s->conn, CALX__RELEASE, name, &s->err)) != CALX_OK) {
		/* the database no longer has it, so the transaction cannot be trusted: roll it all back */
		calx_error keep = s->err;
		full_rollback(s);
		return calx__fail_wrap(s, "calx_session_commit_nested: RELEASE SAVEPOINT failed, the transaction was "
		                  "rolled back: %.400s", keep.msg);
	}
	pop(s);
	return CALX_OK;
}

int calx_session_rollback_nested(calx_session *s)
{
	int rc = enter(s, "calx_session_rollback_nested", true);
	if (rc != CALX_OK)
		return rc;
	char name[32];
	savepoint_name(name, sizeof name, s->sp.n);
	calx_error err;
	/* after a failed flush the database is back at the savepoint already; again is harmless */
	rc = calx__savepoint(s->conn, CALX__ROLLBACK_TO, name, &err);
	if (rc == CALX_OK)
		rc = calx__savepoint(s->conn, CALX__RELEASE, name, &err);
	if (rc != CALX_OK) {
		s->err = err;
		full_rollback(s);
		return calx__fail_wrap(s, "calx_session_rollback_nested: the savepoint could not be rolled back, the "
		                  "transaction was (call calx_session_rollback()): %.400s", err.msg);
	}
	if ((rc = restore_objects(s)) != CALX_OK) {
		calx_error keep = s->err;
		full_rollback(s);
		return calx__fail_wrap(s, "calx_session_rollback_nested: %.400s; the transaction was rolled back "
		                  "(call calx_session_rollback())", keep.msg);
	}
	calx__assoc_savepoint_rollback(s->plan, s->sp.n);  /* the rows its flushes wrote are gone again */
	s->failed = false;
	s->sp.failed = false;
	pop(s);
	s->err.code = CALX_OK;
	return CALX_OK;
}
