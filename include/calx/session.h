/*
 * calx/session.h - a unit of work with an identity map.
 *
 * Ownership: every object a session creates (the generated *_new
 * constructors, calx_object_new) or loads (get, select) lives in the
 * session's memory and goes with calx_session_free(). Strings the session
 * loads are owned by it too; treat them as read-only and assign a new
 * pointer to change a value. A char * you store in a session object must
 * stay valid until the session is freed: calx_strdup() gives you a copy the
 * session owns. A session belongs to one thread at a time.
 *
 * States follow SQLAlchemy: an object is transient after *_new, pending
 * after calx_session_add, persistent after a flush or a load, deleted after
 * calx_session_delete and a flush, detached after calx_session_expunge of a
 * persistent object (its memory stays the session's until it is freed).
 */
#ifndef CALX_SESSION_H
#define CALX_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"
#include "calx/bytes.h"
#include "calx/engine.h"
#include "calx/registry.h"

typedef struct calx_session calx_session;

/* Caller owns *out; free with calx_session_free() (accepts NULL). */
int calx_session_open(calx_session **out, calx_engine *eng, const calx_registry *reg);
/* Rolls back an open transaction and frees every object of the session. */
void calx_session_free(calx_session *s);

/* The status and message of the session's last failed call. */
int calx_session_errcode(const calx_session *s);
const char *calx_session_errmsg(const calx_session *s);

/*
 * A new transient object with every default(...) applied (the generated
 * constructors, user_new(s, .name = "Alice"), also start from the defaults).
 * NULL on failure, with the error kept on the session.
 */
void *calx_object_new(calx_session *s, const calx_mapper_desc *m);

/*
 * Mark an object created or loaded by this session for insert; for a
 * persistent object, note it for the next flush's change check.
 */
int calx_session_add(calx_session *s, void *obj);
/*
 * Mark a persistent object for delete; a pending one is simply dropped.
 * Its relationships follow SQLAlchemy's cascades: with "delete", the
 * related objects are deleted too (an unloaded list is loaded first,
 * unless passive_deletes); without it, a persistent object's children get
 * NULL foreign keys, and a NOT NULL one refuses with CALX_ENOTNULL before
 * anything changes. After the flush, objects whose rows the database's
 * ON DELETE CASCADE removed are not handed out (README, Relationships).
 */
int calx_session_delete(calx_session *s, void *obj);
/*
 * Remove an object from the session without touching the database: a
 * persistent (or delete-requested) object becomes detached, keeping its
 * fields, and calx_session_add attaches it again as persistent under its
 * key (CALX_EUNIQUE if the session has loaded another object for that row
 * since: calx_session_merge copies it onto that one); a pending object
 * becomes transient. The object's memory stays the session's.
 */
int calx_session_expunge(calx_session *s, void *obj);
/*
 * calx_session_expunge for every object of the session: the identity map is
 * emptied, pending adds and deletes are dropped, and a later rollback
 * leaves the detached objects alone. The transaction stays open.
 */
int calx_session_expunge_all(calx_session *s);

/*
 * SQLAlchemy's merge, for an object of this session that is detached
 * (calx_session_expunge, _expunge_all, a refresh that found its row gone)
 * or transient: its mapped fields and NULL marks are copied onto the
 * session's instance for the same primary key (the identity map's, or the
 * row loaded with calx_session_get, autoflush included), and *out is that
 * instance; the next flush writes what differs from the row. With no row
 * for the key (or an autoincrement key still 0) the copy is a new pending
 * object. obj itself is not attached. A persistent or pending obj is
 * returned as it is; an instance deleted in this session is CALX_ESTATE.
 * String pointers are copied, not the strings (they stay the session's or
 * the program's, as before). CALX_ESTATE inside a listener.
 */
int calx_session_merge(calx_session *s, void *obj, void **out);

/*
 * Get by primary key: the identity map first (no SQL), then the database.
 * CALX_OK with *out set, CALX_ENOTFOUND with *out NULL, or an error.
 * The generated user_get(s, id, &u) is a typed wrapper.
 */
int calx_session_get(calx_session *s, const calx_mapper_desc *m, calx_value key, void **out);
/* The same for a composite key: one value per primary key column, in field order. */
int calx_session_get_key(calx_session *s, const calx_mapper_desc *m, const calx_value *key, size_t n_key,
                         void **out);

/*
 * Write pending inserts, detected changes and deletes in foreign-key order,
 * inside the session's transaction (begun on first use). On failure the
 * transaction is rolled back, the database is as it was before it began,
 * and every call but calx_session_rollback / calx_session_free returns
 * CALX_ESTATE until the session is rolled back.
 */
int calx_session_flush(calx_session *s);
/*
 * Flush, then commit. Then every persistent object is expired (as
 * SQLAlchemy's expire_on_commit, on by default): see calx_session_expire.
 */
int calx_session_commit(calx_session *s);
/*
 * Roll the transaction back. Objects inserted in it become transient again
 * (generated keys reset), objects deleted in it are persistent again, and
 * changed objects get back the values they had when it began.
 */
int calx_session_rollback(calx_session *s);

/*
 * Savepoints (SQLAlchemy's begin_nested). calx_session_begin_nested
 * flushes, begins the transaction if none is open and sends SAVEPOINT;
 * savepoints nest. calx_session_commit_nested flushes and releases the
 * innermost (its work becomes part of the enclosing savepoint or
 * transaction); calx_session_rollback_nested rolls the database back to it
 * and the objects with it: objects inserted inside it are transient again
 * (generated keys cleared), objects updated or deleted inside it get the
 * row and the state they had when it began, and objects added or deleted
 * inside it but not flushed are dropped from the session's lists (the
 * added become transient). Objects flushed before it stay flushed.
 *
 * A flush that fails inside a savepoint (an explicit flush, the autoflush
 * of a get or select, commit_nested's) rolls the database back to the
 * savepoint only; every call but calx_session_rollback_nested,
 * calx_session_rollback and calx_session_free then returns CALX_ESTATE
 * until calx_session_rollback_nested restores the objects and leaves the
 * enclosing transaction usable. calx_session_commit commits the whole
 * transaction, open savepoints included; calx_session_rollback rolls it
 * all back. Without an open savepoint, commit_nested and rollback_nested
 * are CALX_ESTATE. None of the three may be called from a listener.
 */
int calx_session_begin_nested(calx_session *s);
int calx_session_commit_nested(calx_session *s);
int calx_session_rollback_nested(calx_session *s);

/*
 * Expiry. C cannot catch a field read, so an expired object is reloaded
 * where the session hands it out: the next calx_session_get that finds it
 * in the identity map runs SELECT ... WHERE key = ? first (one statement
 * per object), and the next select that returns its row reloads it from
 * that row (no extra statement). In between, the struct keeps the values it
 * had; calx_object_is_expired says whether they may be stale.
 *
 * A reload sets the snapshot to the row, and each mapped field to the row's
 * value except fields the program changed since the object was last loaded
 * or flushed: those keep the program's value and the next flush writes
 * them, so a change to an expired object is never dropped (SQLAlchemy's
 * refresh discards it; here the program writes fields directly, so keeping
 * them is the only safe default). To drop such changes, roll back.
 *
 * calx_session_commit expires every persistent object unless
 * calx_session_set_expire_on_commit(s, false) (it returns the setting it
 * replaces). calx_session_expire / _expire_all mark objects (a persistent
 * one: CALX_EINVAL otherwise); calx_session_refresh reloads now. A row that
 * another transaction deleted: the get or refresh returns CALX_ENOTFOUND and
 * the object is detached. Inside a listener, gets and selects hand expired
 * objects out as they are (the running flush or load uses them), and
 * expire, expire_all and refresh are CALX_ESTATE.
 */
bool calx_session_set_expire_on_commit(calx_session *s, bool on);
int calx_session_expire(calx_session *s, void *obj);
int calx_session_expire_all(calx_session *s);
int calx_session_refresh(calx_session *s, void *obj);
bool calx_object_is_expired(const calx_session *s, const void *obj);

/*
 * Statements the session's connection has executed and round trips it made
 * to the server, since it was opened (SQLite is in-process: one per statement).
 */
void calx_session_counters(const calx_session *s, uint64_t *statements, uint64_t *round_trips);

/*
 * How a flush finds changed objects.
 * CALX_TRACK_ALL (the default): every persistent object of the session is
 * compared with its snapshot (a memcmp when nothing changed), so a flush
 * costs time in proportion to the objects the session holds.
 * CALX_TRACK_MARKED: only objects passed to calx_session_add (or changed
 * through calx_field_set_text / calx_field_set_null) since the last flush
 * are compared: a flush costs time in proportion to the changes, for
 * sessions that hold very many objects (bulk loads). A change to an object
 * that was not marked is not written.
 * Returns CALX_ESTATE inside a listener (see events.h).
 */
typedef enum calx_tracking { CALX_TRACK_ALL = 0, CALX_TRACK_MARKED = 1 } calx_tracking;
int calx_session_set_tracking(calx_session *s, calx_tracking mode);

/*
 * Autoflush (default on): a select flushes everything first; a get that
 * goes to the database flushes first when inserts or deletes are pending
 * (changed fields of loaded objects cannot change which row has a key).
 * Returns the setting it replaces, so a block without autoflush (SQLAlchemy's
 * no_autoflush) is
 *     bool was = calx_session_set_autoflush(s, false);
 *     ... selects and gets that must not flush half-built objects ...
 *     calx_session_set_autoflush(s, was);
 * and blocks nest: each puts back what it found. false for a NULL session.
 */
bool calx_session_set_autoflush(calx_session *s, bool on);

/*
 * NULL from the session's side. Most fields say NULL themselves: a
 * calx_opt_* wrapper (calx/nullable.h) when has_value is false, a char *
 * when the pointer is NULL; a plain scalar is NOT NULL and cannot be NULL
 * (CALX_ENOTNULL). calx_field_set_null(..., true) clears a wrapper or a
 * char * and marks the field, so that an INSERT sends NULL rather than the
 * column's server default; on a char[N], whose bytes cannot say NULL, it
 * empties the array and the mark is what makes it NULL (non-empty text or
 * calx_field_set_text clears it). With false, a wrapper gets has_value
 * (its value kept) and the mark is cleared. calx_field_is_null answers from
 * the struct for wrappers and char *, from the mark for char[N].
 */
int calx_field_set_null(calx_session *s, void *obj, const calx_field_desc *col, bool is_null);
bool calx_field_is_null(const calx_session *s, const void *obj, const calx_field_desc *col);

/*
 * Set a string column from a C string, copied into the session: for char *
 * fields the copy is owned by the session; for char[N] fields a value of N
 * bytes or more is CALX_ERANGE and the field is left unchanged; a
 * char_as(text) char takes "" ('\0') or one ASCII character (longer text
 * CALX_ERANGE, a byte above 127 CALX_ETYPE, NULL CALX_ENOTNULL; unchanged).
 */
int calx_field_set_text(calx_session *s, void *obj, const calx_field_desc *col, const char *text);

/* A copy of str owned by the session; NULL if str is NULL or memory ran out. */
char *calx_strdup(calx_session *s, const char *str);

/*
 * A copy of n bytes at p owned by the session, in *out (calx/bytes.h): what
 * a calx_bytes field may point to until the session is freed. n == 0 gives
 * the empty blob (data not NULL). CALX_EINVAL for a NULL p with n > 0,
 * CALX_ENOMEM when memory ran out (*out is then NULL, 0).
 */
int calx_bytes_dup(calx_session *s, calx_bytes *out, const void *p, size_t n);

/*
 * repr and eq over the mapped fields (the generated user_repr / user_eq).
 * calx_object_repr writes like snprintf and returns the length it needed;
 * -1 when m or obj is NULL or memory ran out (buf, if any, gets "").
 * calx_object_eq: true for the same pointer, false when m or either object is NULL.
 */
int calx_object_repr(const calx_mapper_desc *m, const void *obj, char *buf, size_t cap);
bool calx_object_eq(const calx_mapper_desc *m, const void *a, const void *b);

#endif /* CALX_SESSION_H */
