/*
 * Internal: an object's header (calx__obj), its states and flags, and the
 * parts of its block reached from the header: the struct, the snapshot,
 * the NULL marks, the omitted bits (the block's layout: layout.c). Apart
 * from the session (session.h), which includes it.
 */
#ifndef CALX_ORM_OBJECT_BLOCK_H
#define CALX_ORM_OBJECT_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mapping/mapper_ids.h"
#include "mapping/registry.h"

enum calx__state {
	CALX__TRANSIENT = 0,    /* created, not added (or rolled back) */
	CALX__PENDING,          /* added, insert not flushed */
	CALX__PERSISTENT,       /* has a row */
	CALX__DELETED,          /* delete requested, not flushed */
	CALX__GONE,             /* row deleted and flushed */
	CALX__DETACHED,         /* had a row, expunged: calx_session_add attaches it again (detach.c) */
	CALX__RELEASED          /* let go by a streamed select (select_release.c): no object of the session's any more */
};

enum calx__obj_flags {
	CALX__IN_PENDING = 1u << 0,     /* listed in s->pending */
	CALX__IN_DELETED = 1u << 1,     /* listed in s->deleted */
	CALX__IN_LOG = 1u << 2,         /* listed in s->txn_log */
	CALX__NEW_IN_TXN = 1u << 3,     /* inserted by this transaction */
	CALX__GONE_IN_TXN = 1u << 4,    /* deleted by this transaction */
	CALX__KEYED = 1u << 5,          /* in the identity map */
	CALX__IN_OBJS = 1u << 6,        /* listed in s->objs */
	CALX__IN_MARKED = 1u << 7,      /* listed in s->marked */
	CALX__REKEY = 1u << 8,          /* a flushed update changed the primary key: re-key in phase B */
	CALX__EXPIRED = 1u << 9,        /* reload from the database before handing it out (expire.c) */
	CALX__DB_GONE = 1u << 10,       /* its row goes with a parent's, by ON DELETE CASCADE (unitofwork/ondelete.c) */
	CALX__WALKED = 1u << 11,        /* reached by the running cascade walk (cascade_walk.c); cleared when it ends */
	CALX__UNSENT = 1u << 12,        /* its update in the running run sent nothing: no after_update */
	CALX__KEEP_ROW = 1u << 13,      /* a before_delete listener turned its DELETE into an UPDATE (keep.c) */
	CALX__TXN_KEPT = 1u << 14,      /* the transaction keeps its snapshot (s->kept; undo.c) */
	CALX__TXN_OMITTED = 1u << 15    /* the transaction keeps the fields its insert had filled (calx__txn_keep) */
};

typedef struct calx__obj {
	/*
	 * 8 bytes in all, every loaded row carries one: the header is part of
	 * what calx holds per object beyond the struct (README, "Memory per
	 * object"). What only a running transaction needs of an object it
	 * wrote (the snapshot it began with, the fields the database filled at
	 * its insert) is kept beside the session (calx__txn_keep), not here.
	 * The state takes the low bits of the first word: the hot paths read it
	 * with a byte load and a mask.
	 */
	uint32_t state : 3;             /* enum calx__state */
	uint32_t hash : 29;             /* identity hash's low 29 bits, valid when KEYED: the home slot (map < 2^29 slots), a probe's first test */
	uint16_t flags;
	uint16_t mid;                   /* its mapper's number (mapping/mapper_ids.h): calx__obj_mapper */
} calx__obj;

_Static_assert(sizeof(calx__obj) == 8, "an object's header is 8 bytes");

#define CALX__HASH_BITS 29
/* Blocks and the structs in them are at least 8-aligned (a block starts with an 8-byte word: blocks.h) */
#define CALX__OBJ_ALIGN 8u

static inline const calx__mapper *calx__obj_mapper(const calx__obj *h)
{
	return calx__mapper_by_id[h->mid];
}

/*
 * The struct follows its header directly; a struct aligned to 16 has an
 * 8-byte gap before the header (layout.c), which holds CALX__BLOCK_GAP.
 */
#define CALX__HDR_SIZE sizeof(calx__obj)

static inline void *calx__obj_ptr(const calx__obj *h)
{
	return (char *)h + CALX__HDR_SIZE;
}

static inline unsigned char *calx__obj_snap(const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	return (unsigned char *)h + CALX__HDR_SIZE + (m->snap_off - m->obj_off);
}

/*
 * The object's NULL marks (field_words words), then the snapshot's. A
 * mapper whose fields need none (null_words 0, layout.c) reads zeros from
 * calx__no_nulls, which nothing may write: writes go through
 * calx__obj_mark_null, or copy null_words words.
 */
static inline uint64_t *calx__obj_nulls(const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	if (!m->null_words)
		return (uint64_t *)calx__no_nulls;
	return (uint64_t *)((char *)h + CALX__HDR_SIZE + (m->nulls_off - m->obj_off));
}

static inline uint64_t *calx__obj_snap_nulls(const calx__obj *h)
{
	return calx__obj_nulls(h) + calx__obj_mapper(h)->field_words;
}

/* Set or clear field f's NULL mark, now (calx__obj_nulls) or in the snapshot; nothing if the mapper keeps none. */
static inline void calx__obj_mark_null(calx__obj *h, unsigned f, bool on)
{
	if (!calx__obj_mapper(h)->null_words)
		return;
	uint64_t *w = calx__obj_nulls(h) + f / 64, bit = (uint64_t)1 << (f % 64);
	*w = on ? *w | bit : *w & ~bit;
}

static inline void calx__obj_mark_snap_null(calx__obj *h, unsigned f, bool on)
{
	if (!calx__obj_mapper(h)->null_words)
		return;
	uint64_t *w = calx__obj_snap_nulls(h) + f / 64, bit = (uint64_t)1 << (f % 64);
	*w = on ? *w | bit : *w & ~bit;
}

/* The omitted bits of a table of more than 64 fields, after the null bits (m->omitted_off). */
static inline uint64_t *calx__obj_omitted_wide(calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	return (uint64_t *)((char *)h + CALX__HDR_SIZE + (m->omitted_off - m->obj_off));
}

#endif
