/*
 * Internal: what the session (and the loader) call of the unit of work.
 *
 * The session owns objects, their states and the identity map; the unit of
 * work (orm/unitofwork/) finds what changed, orders and runs the
 * statements, and knows how to take an object's state back. Object state
 * is the bytes of mapped fields and the null bits, never other members of
 * the struct (calx__mapper.spans).
 */
#ifndef CALX_ORM_UOW_H
#define CALX_ORM_UOW_H

#include <string.h>
#include "session/session.h"

/*
 * Rounds of statements one flush runs for objects listeners add while it
 * runs, and flushes one commit runs for objects after_flush listeners add,
 * before giving up with CALX_ESTATE.
 */
#define CALX__MAX_ROUNDS 16

/*
 * The unit of work's memory for a session (s->plan). Its fixed part rides
 * in the session's own block, so opening a session is one allocation:
 * calx_session_open asks calx__uow_size bytes more, zeroed and aligned for
 * any type, and hands them to calx__uow_open. calx__uow_close frees what
 * the plan grew onto the heap since.
 */
size_t calx__uow_size(const calx_registry *reg);
void calx__uow_open(calx_session *s, void *mem);
void calx__uow_close(calx_session *s);

/* calx__flush, the entry point, is declared in session/session.h for the loaders' autoflush. */

/*
 * Object state: the snapshot takes the object's mapped bytes and null bits
 * (inline: every loaded and every written row goes through it), or the
 * object gets the snapshot's back (changes.c).
 */
static inline void calx__state_snapshot(calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const unsigned char *obj = calx__obj_ptr(h);
	unsigned char *snap = calx__obj_snap(h);
	uint64_t *nulls = calx__obj_nulls(h);          /* the snapshot's follow them */
	const calx__span *span = m->spans;
	memcpy(snap + span->off, obj + span->off, span->len);  /* every mapper has a field */
	for (unsigned i = 1; i < m->n_spans; i++)
		memcpy(snap + span[i].off, obj + span[i].off, span[i].len);
	if (m->null_words == 1)
		nulls[1] = nulls[0];    /* up to 64 fields: a word, not a memcpy call */
	else if (m->null_words)
		memcpy(nulls + m->field_words, nulls, m->field_words * sizeof(uint64_t));
}
void calx__state_revert(calx__obj *h);

/*
 * The end of a transaction (undo.c). Rollback: objects get the state the
 * transaction found (inserted ones transient again with generated values
 * cleared, deleted ones persistent); CALX_ENOMEM if re-keying a deleted
 * object failed. Commit: forget what rollback would have needed.
 */
int calx__undo_transaction(calx_session *s);
void calx__forget_transaction(calx_session *s);
/* A commit that expires: forget, and mark every persistent object expired, in one pass over the objects. */
void calx__forget_transaction_expire(calx_session *s);

#endif
