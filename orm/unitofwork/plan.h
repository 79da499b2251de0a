/*
 * Internal to orm/unitofwork/: the flush's plan and what its parts share.
 *
 * A flush runs in rounds. Round one takes what the session has pending,
 * changed and deleted; a later round takes what listeners added or deleted
 * while the previous round's statements ran. Each round runs its inserts,
 * updates and deletes (phase A); once every round worked, phase B makes
 * the states, identity map and lists agree, and cannot fail: the memory it
 * needs is reserved just before it, after the last statement.
 */
#ifndef CALX_ORM_UOW_PLAN_H
#define CALX_ORM_UOW_PLAN_H

#include <string.h>
#include "session/session.h"

/* Scratch bitsets of the flush, each reg->max_field_words words. */
enum calx__plan_bits {
	CALX__BITS_RUN,         /* omitted columns of the current insert run */
	CALX__BITS_ROW,         /* omitted columns of one row */
	CALX__BITS_SENT,        /* columns an insert sends */
	CALX__BITS_RETURNING,   /* columns an insert reads back */
	CALX__BITS_SET,         /* columns an update sets */
	CALX__BITS_COUNT
};

/*
 * Rows of each list, and statement parameters, the plan holds itself: a
 * session that writes one object (SQLAlchemy's single_inserts) then
 * allocates nothing for its flush. Longer lists move to the heap.
 */
#define CALX__PLAN_ROWS 4
#define CALX__PLAN_PARAMS 16

typedef struct calx__plan {
	calx__objvec inserts;   /* every round's, each round parents first */
	calx__objvec updates;
	calx__objvec deletes;   /* each round children first */
	size_t n_inserted;      /* inserts sent so far (phase A), for the undo */
	size_t pending_from;    /* s->pending, s->deleted, s->marked before these were taken */
	size_t deleted_from;
	size_t marked_seen;
	unsigned char *explicit_keys;   /* per mapper: an autoincrement key was given (sync the sequence) */
	uint64_t *bits;         /* CALX__BITS_COUNT bitsets */
	calx_value *params;     /* statement parameters, kept for their capacity */
	size_t params_cap;
	calx__obj *small_rows[3][CALX__PLAN_ROWS];     /* inserts, updates, deletes while short */
	calx_value small_params[CALX__PLAN_PARAMS];
} calx__plan;

static inline uint64_t *calx__plan_bits(const calx_session *s, enum calx__plan_bits which)
{
	return s->plan->bits + (size_t)which * s->reg->max_field_words;
}

/* Room for n parameters in p->params. */
int calx__plan_params(calx_session *s, size_t n);

/*
 * Is field f of h NULL, right after calx__state_normalize_nulls(h)? Then a
 * set null bit is the NULL of any field (normalizing dropped the bit of
 * each field assigned a value since), and calx__field_get reads a wrapper's
 * or a char *'s NULL from the bytes itself: a bit test per column, where
 * calx__field_null costs three calls (the insert and update binds).
 */
static inline bool calx__null_bit_normalized(const calx__obj *h, unsigned f)
{
	return calx__obj_nulls(h)[f / 64] >> (f % 64) & 1;
}

/* changes.c: what changed since the snapshot. */
bool calx__state_unchanged_spans(const calx__obj *h);
/*
 * Same mapped bytes and null bits as the snapshot: nothing to compare field
 * by field. Inline, with the common struct's case (one span, up to 64
 * fields) a word compare and one memcmp: in the default tracking mode every
 * flush asks it of every object the session holds.
 */
static inline bool calx__state_unchanged(const calx__obj *h)
{
	const calx__mapper *m = h->m;
	const uint64_t *nulls = calx__obj_nulls(h);     /* the snapshot's follow them */
	if (m->n_spans != 1 || m->field_words != 1)
		return calx__state_unchanged_spans(h);
	const size_t off = m->spans[0].off;
	return nulls[0] == nulls[1] &&
	       memcmp((const char *)calx__obj_ptr(h) + off, calx__obj_snap(h) + off, m->spans[0].len) == 0;
}
void calx__state_normalize_nulls(calx__obj *h);
bool calx__state_dirty(const calx__obj *h);
/* The changed fields as a bitset; false when none. */
bool calx__state_dirty_set(const calx__obj *h, uint64_t *set);
/* The fields the database fills at this object's insert, as a bitset. */
void calx__state_left_to_db(const calx__obj *h, uint64_t *out);
/* Zero the fields the database filled at insert and forget them. */
void calx__state_clear_generated(calx__obj *h);

/* execute.c: phase A's statements for one round. */
int calx__exec_inserts(calx_session *s, calx__plan *p, size_t from);
int calx__exec_sync_keys(calx_session *s, calx__plan *p);
int calx__exec_updates(calx_session *s, calx__plan *p, size_t from);
int calx__exec_deletes(calx_session *s, calx__plan *p, size_t from);
/* Wrap the session's error with the statement and row it came from. */
int calx__exec_failed(calx_session *s, const char *what, const calx__obj *h, size_t i, size_t n);

/* undo.c */
/* Keep what rollback needs of a persistent object before its first change in the transaction. */
int calx__undo_keep(calx_session *s, calx__obj *h);
/* Phase A failed: the inserts sent lose what the database generated for them. */
void calx__undo_flush(calx_session *s, calx__plan *p);

#endif
