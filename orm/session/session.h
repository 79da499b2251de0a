/*
 * Internal: the session, and the header every session object carries.
 *
 * An object's block in the arena is [header][object][snapshot][null bits]
 * (and, for tables of more than 64 fields, [omitted bits]): the object is
 * what the application sees; the snapshot is the row as the database last
 * had it (compared field by field to find changes); the null bits say which
 * scalar fields are NULL, now and in the snapshot. Object state covers the
 * bytes of mapped fields only (calx__mapper.spans): the snapshot's other
 * bytes are never written nor read, and neither are the object's.
 */
#ifndef CALX_ORM_SESSION_H
#define CALX_ORM_SESSION_H

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/session.h"
#include "calx/sys/dialect.h"
#include "base/arena.h"
#include "base/blocks.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "session/events.h"
#include "session/object_block.h"
#include "mapping/registry.h"

/*
 * What the running transaction keeps of one object it inserted
 * (txn_keep.c): entries in a list beside the session, in the order they
 * were made, emptied when the transaction ends; the object's
 * CALX__TXN_OMITTED flag says it has one. The snapshots of the objects it
 * updated are kept apart (s->kept, undo.c; CALX__TXN_KEPT).
 */
#define CALX__KEEP_SMALL_N 4
typedef struct calx__txn_keep {
	calx__obj *h;
	/*
	 * Fields the database filled at this object's insert (generated key,
	 * server defaults): cleared again by undo and rollback; 0 once taken.
	 * Tables of more than 64 fields keep a bitset in the block instead
	 * (calx__obj_omitted_wide).
	 */
	uint64_t omitted;
} calx__txn_keep;
/* calx__obj_set_omitted's other cases: a wide table, an entry already kept, a list to grow. */
int calx__obj_set_omitted_slow(calx_session *s, calx__obj *h, const uint64_t *omitted);
/* A narrow table's omitted bits of h's insert, forgotten (0 if none are kept). */
uint64_t calx__txn_take_omitted(calx_session *s, calx__obj *h);
/* calx__txn_keep_clear's memory: a big transaction's list and the index go with it. */
void calx__txn_keep_release(calx_session *s);
/* A big transaction's memory goes with it: the next one starts small, and ending it stays cheap. */
#define CALX__KEEP_BIG 64
#define CALX__KEPT_BIG_WORDS (CALX__KEEP_BIG * 8)

/*
 * An identity-map slot: the object's address, with 16 bits of its hash in
 * the address's unused top bits where the platform leaves them free, so a
 * probe passes other objects' slots without reading their headers
 * (identity.c).
 */
typedef struct calx__idslot {
	uintptr_t v;
} calx__idslot;

/* Entries a session keeps in its own block for each of its first object lists. */
#define CALX__FIRST_ENTRIES 4
/* The identity map's first table (16 slots, 11 objects at 70%), in the session's own block. */
#define CALX__FIRST_IDMAP 16

/* A growable array of object headers. */
typedef struct calx__objvec {
	calx__obj **v;
	size_t n;
	size_t cap;
	/*
	 * v is storage its owner keeps (a session's first entries, below):
	 * growing copies it to the heap, and it is never freed by itself.
	 */
	bool fixed;
} calx__objvec;

/* Append h; CALX_ENOMEM. Inline for the room: a load pushes every object it makes. */
int calx__objvec_push_grow(calx__objvec *vec, calx__obj *h);
/* Room for n entries in all; CALX_ENOMEM. */
int calx__objvec_reserve(calx__objvec *vec, size_t n);
/* Free vec's entries unless they are its owner's (fixed); vec is empty after. */
void calx__objvec_release(calx__objvec *vec);
static inline int calx__objvec_push(calx__objvec *vec, calx__obj *h)
{
	if (vec->n == vec->cap)
		return calx__objvec_push_grow(vec, h);
	vec->v[vec->n++] = h;
	return CALX_OK;
}

/*
 * Savepoints (savepoint.c). While one is open, each flush notes, before it
 * writes, every object whose row it inserts, updates or deletes, with what
 * rolling back to the savepoint must restore: the object's state and
 * transaction flags, and for an update the snapshot. A savepoint's entries
 * start at its log_start; released, they belong to the enclosing one.
 */
typedef struct calx__sp_entry {
	calx__obj *h;           /* NULL once the object is expunged */
	unsigned char *snap;    /* an update's snapshot (null bits, mapped bytes) before it; NULL otherwise */
	uint8_t state;          /* PENDING: an insert; PERSISTENT: an update; DELETED: a delete */
	uint16_t flags;         /* the object's NEW_IN_TXN and GONE_IN_TXN before it */
} calx__sp_entry;

typedef struct calx__savepoints {
	size_t *start;          /* per open savepoint, innermost last: where its log entries begin */
	size_t n;
	size_t cap;
	calx__sp_entry *log;
	size_t log_n;
	size_t log_cap;
	bool failed;            /* a flush failed inside the innermost: rolled back to it, rollback_nested next */
} calx__savepoints;

struct calx_session {
	calx_engine *eng;
	const calx_registry *reg;
	calx__conn *conn;
	const calx_dialect *d;
	bool in_txn;
	bool failed;            /* a flush failed: only rollback and free allowed */
	calx_error *flush_err;  /* failed: the flush's own error, which each refusal quotes (allocated at the first) */
	bool autoflush;
	bool flushing;          /* inside calx__flush: listeners run; no nested flush, commit or rollback */
	calx_event listening;   /* the event whose listener runs now, or 0 (see events.h for what it may call) */
	const struct calx__obj *listening_obj; /* the object that listener runs for, or NULL */
	calx__arena arena;      /* strings and whatever else the session allocates */
	calx__blocks blocks;    /* the objects' blocks (base/blocks.h) */
	calx__arena txn_arena;  /* what savepoints keep of the objects they wrote: freed when the transaction ends */
	/*
	 * The snapshot each object the transaction updated had when the
	 * transaction began (calx__undo_keep, undo.c), one record after
	 * another: the object, its snapshot's null words, its mapped bytes
	 * (in words). kept_n and kept_cap count words.
	 */
	uint64_t *kept;
	size_t kept_n, kept_cap;
	size_t kept_objs;       /* records in kept */
	calx__txn_keep *keep;   /* what the transaction keeps per object it inserted, in order (txn_keep.c) */
	size_t keep_n, keep_cap;
	size_t *keep_ix;        /* an index of keep by object for the undo paths, over keep[0, keep_ix_n) */
	size_t keep_ix_n, keep_ix_cap;
	calx__objvec objs;      /* every object not known to be transient, in creation order */
	calx__objvec marked;    /* CALX_TRACK_MARKED: persistent objects to check at flush */
	calx_tracking tracking;
	calx__objvec pending;
	calx__objvec deleted;
	calx__objvec txn_log;   /* objects whose row this transaction changed */
	/*
	 * The first entries of objs, pending and txn_log (fixed until they
	 * grow): a session a commit, as a web request opens, then makes no
	 * allocation of its own for them.
	 */
	calx__obj *first_objs[CALX__FIRST_ENTRIES], *first_pending[CALX__FIRST_ENTRIES], *first_txn[CALX__FIRST_ENTRIES];
	calx__idslot *idmap;    /* open addressing, linear probing; first_idmap until it grows */
	size_t idmap_cap;
	size_t idmap_n;
	size_t idmap_grows;     /* times the map has grown (identity_grow.c): what a load's growth cost, for tests */
	bool idmap_untagged;    /* an object's address used the tag bits: slots hold bare addresses (identity.c) */
	calx__listeners listeners;
	struct calx__info *info;        /* calx_session_set_info: (key, value) pairs */
	size_t n_info, cap_info;
	struct calx__plan *plan; /* the unit of work's memory, kept between flushes (orm/unitofwork/) */
	calx__savepoints sp;
	bool watching;                  /* the write-watch on the blocks' pages runs (session/watch.c) */
	bool watch_refused;             /* it could not start (or failed): every flush compares every object */
	uint8_t watch_mode;             /* calx_session_set_write_watch's (CALX_WATCH_AUTO by default) */
	uint8_t big_flushes;            /* flushes that found CALX__WATCH_MIN_OBJS objects listed (up to 2) */
	int watch_fd, pagemap_fd;       /* while watching: the userfaultfd, /proc/self/pagemap */
	int watch_pid;                  /* the process that started it (a forked child does not inherit it) */
	size_t rel_objs;                /* blocks of mappers with relationships allocated (never decreases) */
	uint64_t flush_compared;        /* objects the last flush compared with their snapshots */
	bool flush_watched;             /* the write-watch chose them */
	bool set_sp_turn;               /* which of its two savepoint names the next set statement takes (set_send.c) */
	bool keep_on_commit;    /* calx_session_set_expire_on_commit(s, false): commit does not expire */
	uint16_t first_id;      /* the registry's mapper numbers, [first_id, first_id + n_ids): calx__obj_valid */
	uint16_t n_ids;
	/*
	 * The map's first table: a session a commit maps its object without an
	 * allocation (or a resize) of its own. Zeroed at open with the rest.
	 */
	calx__idslot first_idmap[CALX__FIRST_IDMAP];
	calx_error err;         /* calx_session_open zeroes only what comes before it (and its first bytes) */
	/* keep's first entries (no allocation for a small transaction), each written before it is read */
	calx__txn_keep keep_small[CALX__KEEP_SMALL_N];
};

/*
 * Is h (readable: inside the session's blocks) one of this session's
 * objects? The blocks are the session's own, so no session pointer is
 * kept in the header: a mapper number of the session's registry, and a
 * state other than let go, tell a header from other bytes of the blocks.
 */
static inline bool calx__obj_valid(const calx_session *s, const calx__obj *h)
{
	return (uint16_t)(h->mid - s->first_id) < s->n_ids && h->state != CALX__RELEASED;
}

/*
 * An insert: note the fields the database filled (omitted, field_words
 * words); CALX_ENOMEM (error set). Inline: every inserted row comes here,
 * and the usual case is a word appended or nothing.
 */
static inline int calx__obj_set_omitted(calx_session *s, calx__obj *h, const uint64_t *omitted)
{
	if (calx__obj_mapper(h)->omitted_off || (h->flags & CALX__TXN_OMITTED) || s->keep_n == s->keep_cap)
		return calx__obj_set_omitted_slow(s, h, omitted);
	if (omitted[0]) {
		s->keep[s->keep_n++] = (calx__txn_keep){ h, omitted[0] };
		h->flags |= CALX__TXN_OMITTED;
	}
	return CALX_OK;
}

/* The transaction ended: forget every entry (flags: and the objects' flags). Inline: every commit comes here. */
static inline void calx__txn_keep_clear(calx_session *s, bool flags)
{
	for (size_t i = 0; flags && i < s->keep_n; i++)
		s->keep[i].h->flags &= (uint16_t)~CALX__TXN_OMITTED;
	s->keep_n = 0;
	if (s->keep_cap > CALX__KEEP_BIG || s->keep_ix_cap)
		calx__txn_keep_release(s);
}

/* Set the session's error; returns code. */
int calx__fail(calx_session *s, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Keep e as the failed flush's error that every refusal quotes until the
 * rollback (in a block allocated at the session's first failure and kept;
 * if that allocation fails, the refusals quote the last message instead).
 */
void calx__keep_flush_error(calx_session *s, const calx_error *e);
/* A new message around the current error: its status and the driver's detail stay. */
int calx__fail_wrap(calx_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* CALX_ESTATE with its message: the session must be rolled back first. */
int calx__session_unusable(calx_session *s);
/* CALX_OK, or calx__session_unusable. Inline: every get, add and construct asks. */
static inline int calx__check_usable(calx_session *s)
{
	return s->failed ? calx__session_unusable(s) : CALX_OK;
}
/* CALX_ESTATE inside a listener or while the session flushes (calls that would end its unit of work). */
int calx__check_not_flushing(calx_session *s, const char *call);
/* Begin the transaction if none is open. */
int calx__begin(calx_session *s);
/* The header of an object this session owns, or NULL (error set). */
calx__obj *calx__obj_of(calx_session *s, const void *obj);
/* obj's header when col is a column of obj's own struct, else NULL with the error set (object.c). */
calx__obj *calx__field_owner(calx_session *s, const void *obj, const calx_field_desc *col);
/* Allocate a zeroed object block for m; NULL on ENOMEM (error set). */
calx__obj *calx__obj_alloc(calx_session *s, const calx__mapper *m);

/* Identity map. Key values come from the object's primary key fields. */
uint64_t calx__key_hash(const calx__mapper *m, const calx_value *key);
/* A finalizer of 64 bits (SplitMix64's): the column's hash mixing (object_key.c, identity.c). */
static inline uint64_t calx__key_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}
/* calx__key_hash of one integer key: the mapper only has to tell keys apart, key_index is the hierarchy root's */
static inline uint64_t calx__key_hash_int(const calx__mapper *m, int64_t key)
{
	return calx__key_mix(((uint64_t)m->key_index + 1) * 0x9e3779b97f4a7c15ull ^ (uint64_t)key);
}
calx__obj *calx__idmap_find(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash);
/* calx__idmap_find of the usual key (m->int_key_at set: one INT64 column), in fewer steps. */
calx__obj *calx__idmap_find_int(calx_session *s, const calx__mapper *m, int64_t key);
/* The object in slot j of the map, or NULL (tests look at the layout). */
calx__obj *calx__idmap_at(const calx_session *s, size_t j);
/* Slots hold bare addresses from now on (an object's address used the tag bits; tests force it). */
void calx__idmap_untag_all(calx_session *s);
int calx__idmap_insert(calx_session *s, calx__obj *h);
/* After calx__idmap_reserve(s, n): calx__idmap_insert of each of v[0..n), fetching slots ahead; keys that fail are skipped. */
void calx__idmap_insert_run(calx_session *s, calx__obj *const *v, size_t n);
/*
 * For loads: after calx__idmap_reserve(s, 1), probe for the key; on a miss
 * *slot is where calx__idmap_put may store the new object (nothing else may
 * touch the map in between).
 */
calx__obj *calx__idmap_probe(calx_session *s, const calx__mapper *m, const calx_value *key, uint64_t hash,
                             size_t *slot);
void calx__idmap_put(calx_session *s, size_t slot, calx__obj *h, uint64_t hash);
/* A load of the integer key key: fetch a later key's slot ahead (identity.c); the caller asks only on a map of this many slots or more. */
#define CALX__IDMAP_PREFETCH_CAP 32768
void calx__idmap_prefetch_next(const calx_session *s, const calx__mapper *m, int64_t key);
void calx__idmap_remove(calx_session *s, calx__obj *h);
/* Every slot emptied: the caller takes CALX__KEYED off each object the map held. */
void calx__idmap_clear(calx_session *s);
/* Room for n more keys without growing (so later inserts cannot fail). Inline for the room: every load asks. */
int calx__idmap_reserve_grow(calx_session *s, size_t n);
static inline int calx__idmap_reserve(calx_session *s, size_t n)
{
	if ((s->idmap_n + n) * 10 <= s->idmap_cap * 7)
		return CALX_OK;
	return calx__idmap_reserve_grow(s, n);
}
/*
 * A load whose rows come ordered by the keys it asked for (a select-in's
 * foreign key), done of total keys reached and rows rows so far: when the
 * next row would grow the map, grow it once to what that rate predicts
 * for the rest (identity_grow.c). Inline for the room: every row asks.
 */
int calx__idmap_reserve_ahead_grow(calx_session *s, size_t rows, size_t done, size_t total);
static inline int calx__idmap_reserve_ahead(calx_session *s, size_t rows, size_t done, size_t total)
{
	if ((s->idmap_n + 1) * 10 <= s->idmap_cap * 7)
		return CALX_OK;
	return calx__idmap_reserve_ahead_grow(s, rows, done, total);
}
/* The primary key of an object as values (strings borrowed from the object). */
int calx__obj_key(const calx__obj *h, const unsigned char *from, calx_value *key, calx_error *err);

/* Expunge one object (detach.c): persistent and deleted ones become detached, pending ones transient. */
void calx__detach(calx_session *s, calx__obj *h);
/* calx_session_expunge: h, and what it reaches along relationships with the expunge cascade (detach.c). */
int calx__expunge(calx_session *s, calx__obj *h);
/* calx_session_add of a detached object: persistent again, under its key (CALX_EUNIQUE if taken). */
int calx__reattach(calx_session *s, calx__obj *h);

/* Note a persistent object for the next flush's change check (CALX_TRACK_MARKED). */
int calx__mark(calx_session *s, calx__obj *h);

/* Is field f NULL in the object (current state)? */
bool calx__field_null(const calx__obj *h, const calx_field_desc *f);

/*
 * Write pending inserts, changes and deletes (orm/unitofwork/flush.c; the
 * rest of the unit of work's interface is unitofwork/uow.h). Objects
 * listeners add or delete while it runs are written by the same flush. On
 * failure the transaction is rolled back and s->failed set. Called while a
 * flush runs (an autoflushing select in a listener), it does nothing.
 */
int calx__flush(calx_session *s);

/*
 * A flush failed: inside a savepoint, roll back to it (CALX_OK: the outer
 * transaction goes on, s->failed until calx_session_rollback_nested);
 * otherwise, or if that fails, roll the transaction back. s->err is kept.
 */
void calx__fail_transaction(calx_session *s);
/* The transaction ended (commit, rollback, a failed flush): no savepoint is open. */
void calx__savepoints_forget(calx_session *s);
struct calx__plan;
/* Note the objects of this round of a flush (savepoint.c), when a savepoint is open. */
int calx__savepoint_note(calx_session *s, const struct calx__plan *p, size_t ins0, size_t upd0, size_t del0);
/* The same for one persistent object whose row the database changed on its own (ON DELETE SET NULL). */
int calx__savepoint_note_changed(calx_session *s, calx__obj *h);

/* Expiry (expire.c): mark every persistent object expired (commit does, unless keep_on_commit). */
void calx__expire_all(calx_session *s);
/*
 * Forget h's relationships (rollbacks): pointers NULL, lists empty, none
 * loaded, so the next accessor loads them from the database; a flush
 * leaves the foreign keys as they are.
 */
void calx__expire_relations(calx__obj *h);
/*
 * Reload h from row (every field, field order): the snapshot takes the row;
 * each field too, unless the program changed it since the last load or
 * flush. Clears the expired flag; on failure h is unchanged.
 */
int calx__reload(calx_session *s, calx__obj *h, const calx_value *row);
/* SELECT h's row by its key and reload it; CALX_ENOTFOUND (h detached) if it is gone. */
int calx__refresh(calx_session *s, calx__obj *h);
/* Reload expired objects as they are handed out? Not inside a listener (the running operation uses them). */
static inline bool calx__reload_expired(const calx_session *s, const calx__obj *h)
{
	return (h->flags & CALX__EXPIRED) && !s->listening && !s->flushing;
}

/*
 * Turn the current row of st (columns in field order, from the mapper's
 * every field in field order) into an object, through the identity map.
 */
int calx__load_row(calx_session *s, const calx__mapper *m, calx__stmt *st, calx__obj **out);
/* load.c: m's SELECT by primary key, bound to key and stepped (CALX_ROW / CALX_DONE; *st NULL if never prepared). */
int calx__get_step(calx_session *s, const calx__mapper *m, const calx_value *key, calx__stmt **st);
/* A get for a struct the registry's criteria filter: a select by key with them (loading/criteria.c). */
int calx__get_with_criteria(calx_session *s, const calx__mapper *m, const calx_value *key, void **out);

#endif
