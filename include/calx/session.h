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
#include "calx/column.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_session calx_session;

/*
 * Caller owns *out; free with calx_session_free() (accepts NULL). On
 * failure *out is NULL and the reason is the engine's, on this thread:
 * calx_engine_errmsg(eng), calx_engine_error_detail(eng) (a session
 * without a connection would be an object every call must refuse).
 */
int calx_session_open(calx_session **out, calx_engine *eng, const calx_registry *reg);
/* Rolls back an open transaction and frees every object of the session. */
void calx_session_free(calx_session *s);

/* The status and message of the session's last failed call. */
int calx_session_errcode(const calx_session *s);
const char *calx_session_errmsg(const calx_session *s);
/*
 * What the driver said about the session's last failure (calx/errors.h):
 * SQLSTATE or SQLite's code and its name, constraint, table, column,
 * statement. A refusal of a session that must be rolled back first keeps
 * the detail of the flush that failed. Never NULL.
 */
const calx_driver_error *calx_session_error_detail(const calx_session *s);

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
 * Relationships with the expunge cascade (cascade("all") or "expunge"; not
 * SQLAlchemy's default "save-update, merge") take the objects they hold,
 * when loaded, out of the session too, and so on from those.
 */
int calx_session_expunge(calx_session *s, void *obj);
/*
 * calx_session_expunge for every object of the session: the identity map is
 * emptied, pending adds and deletes are dropped, and a later rollback
 * leaves the detached objects alone. The transaction stays open.
 */
int calx_session_expunge_all(calx_session *s);

/*
 * SQLAlchemy's merge (load=True): the session's instance for the given
 * object's row, with the given object's state on it. The given object is
 * never attached; *out is the instance to go on with:
 *   - the given object itself when it is this session's persistent or
 *     pending object;
 *   - otherwise its primary key picks the instance: the identity map's, or
 *     the row loaded by a get (an expired instance is reloaded first); its
 *     mapped fields and NULL marks are copied onto that instance, and the
 *     next flush writes what differs from the row;
 *   - with no row for the key, or an autoincrement key still 0, a new
 *     pending object with those fields (inserted by the next flush).
 * Merge cascade: along every relationship with the merge cascade (in the
 * default "save-update, merge", and in "all") that the given object gives,
 * the related objects are merged the same way, each once, and the
 * instance's pointer or list then holds the session's objects: a list
 * becomes exactly the merged items in the given order (an item the
 * instance's list had and the given one has not is removed as
 * calx_related_remove removes it: delete-orphan deletes it, otherwise its
 * foreign key goes NULL); the instance's list is loaded first if it is not.
 * An object that had a row (persistent or detached in its session) gives
 * the relationships loaded there; one the program created (transient,
 * pending) and a plain struct give a pointer that is set and a list that
 * is not empty (C cannot tell "never assigned" from NULL or empty: an empty
 * list, like a NULL pointer, leaves the instance's side as it is).
 * Autoflush is off while a merge runs (SQLAlchemy's too).
 *
 * Three sources, as C can tell them apart:
 *   calx_session_merge: an object of this session, detached
 *     (calx_session_expunge, _expunge_all, a refresh that found its row
 *     gone) or transient. String pointers are copied, not the strings
 *     (they are the session's or the program's, as before).
 *   calx_session_merge_from: an object of another session `from`, in any
 *     state there but deleted (its NULL marks and loaded relationships
 *     come with it). Text and blobs are copied into this session's memory,
 *     so from may be freed afterwards. from must not be used by another
 *     thread meanwhile; from == s is calx_session_merge.
 *   calx_session_merge_value: a plain struct of mapper m that the program
 *     filled (on the stack, from malloc, from a file); the pointers and
 *     lists of its relationships point at plain structs too. Text and
 *     blobs are copied into the session; a char[N] field is text, never
 *     NULL (a plain struct has no NULL marks: use a char * or a wrapper).
 * Errors: CALX_ESTATE when the given object's row is deleted (in this
 * session, or in from), or the key's row is deleted in this session (the
 * delete requested, or flushed in the open transaction: a merge would bring
 * it back behind the delete), inside a listener, or after a failed flush
 * (roll back first); CALX_EINVAL for a mapper this session's registry does not map,
 * or an object not of the session named as its origin. Objects merged
 * before a failure keep what was copied onto them (as in SQLAlchemy, a
 * failed merge is not undone): roll back to drop it.
 * Not provided: SQLAlchemy's load=False (the given state taken for the
 * row's, without a SELECT, for objects kept in a cache): the snapshot a
 * flush compares with would be the caller's claim, not the row, and a
 * stale claim would make later flushes skip or misjudge writes without an
 * error. The get per object is the price of knowing what the row holds.
 * Cost: a get per object whose key the identity map lacks; a SELECT per
 * merged list of a persistent instance not loaded yet.
 */
int calx_session_merge(calx_session *s, void *obj, void **out);
int calx_session_merge_from(calx_session *s, calx_session *from, const void *obj, void **out);
int calx_session_merge_value(calx_session *s, const calx_mapper_desc *m, const void *value, void **out);

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
 * Roll the transaction back (SQLAlchemy's rollback). Objects inserted in it
 * become transient again (generated keys reset), pending objects are
 * expunged (transient again), objects deleted in it are persistent again,
 * and changed objects get back the values they had when it began. Then
 * every persistent object is expired (see calx_session_expire: the next get
 * or select that hands it out reloads it) and its relationships are
 * forgotten: pointers NULL, lists empty, not loaded, so the next accessor
 * (user_addresses, calx_related_load) loads them from the database.
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
 * added become transient). Objects flushed before it stay flushed. As in
 * SQLAlchemy (1.4 on), the objects whose rows the savepoint changed are
 * expired (the rest keep their state), and the relationships of every
 * persistent object are forgotten as after calx_session_rollback (links
 * made before the savepoint were flushed by begin_nested: the next
 * accessor loads them back).
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
 * one: CALX_EINVAL otherwise); calx_session_refresh reloads now. Both
 * follow relationships with the refresh-expire cascade (cascade("all") or
 * "refresh-expire"; not the default), where loaded: the persistent objects
 * reached are expired or refreshed too (a refresh runs one SELECT per
 * object; when some reached object's row is gone, the others are still
 * refreshed and the first failure is returned). A relationship itself is
 * not expired (its pointer or list stays as loaded). A row that
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
 * The statement caches' counts (orm/sql/stmtcache.h, orm/sql/cache.h), since
 * the session's connection, resp. its engine, was opened. A statement of a
 * shape the connection has prepared before (the same tree with other
 * values) is a stmt_hit: nothing is built, compiled or prepared; a
 * stmt_miss is prepared, from the engine's compiled SQL when another
 * connection compiled the shape (sql_hit) or compiled now (sql_miss). The
 * engine's counts cover all its connections. calx_text's statements are
 * not cached, and not counted.
 */
typedef struct calx_cache_stats {
	uint64_t stmt_hits, stmt_misses;        /* the session's connection: prepared statements by shape */
	uint64_t sql_hits, sql_misses;          /* the engine: compiled SQL text by shape */
} calx_cache_stats;
void calx_session_cache_stats(const calx_session *s, calx_cache_stats *out);

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
 * The write-watch (CALX_TRACK_ALL only). On Linux 6.7 or later a session
 * that holds many objects asks the kernel which memory pages of its
 * objects the program wrote since the last flush (userfaultfd's
 * asynchronous write-protect and the PAGEMAP_SCAN ioctl: no signal
 * handler, nothing process-wide), and compares only the objects on those
 * pages; a flush then costs time in proportion to what changed, not to the
 * objects the session holds, and still writes a change to any object
 * without it being marked. Where the kernel offers no such thing (older
 * kernels, other systems, a seccomp filter, valgrind), every object is
 * compared, as before.
 * CALX_WATCH_AUTO (the default): start at the second flush that finds the
 * session holding 1,024 objects or more (a session that flushes once
 * never pays for it); CALX_WATCH_ON: start at the next flush, whatever the size;
 * CALX_WATCH_OFF: never (stops a running watch). Returns CALX_ESTATE
 * inside a listener (see events.h), CALX_EINVAL for another mode.
 */
typedef enum calx_watch_mode { CALX_WATCH_AUTO = 0, CALX_WATCH_ON = 1, CALX_WATCH_OFF = 2 } calx_watch_mode;
int calx_session_set_write_watch(calx_session *s, calx_watch_mode mode);

/* What the last flush's change detection did. */
typedef struct calx_flush_stats {
	uint64_t compared;      /* persistent objects it compared with their snapshots */
	uint64_t held;          /* objects the session listed then */
	bool watching;          /* the write-watch chose them (else every persistent object, or the marked ones) */
} calx_flush_stats;
void calx_session_flush_stats(const calx_session *s, calx_flush_stats *out);

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

/*
 * A field's history since its object was loaded or last flushed
 * (SQLAlchemy's attribute history): changed says whether its value
 * differs from what the database has; old is that value (has_old), SQL
 * NULL as a NULL value. An object without a row (new, pending) has every
 * field changed and no old value. Text and bytes of old are borrowed until
 * the next flush, commit or rollback. A before_update listener reads it to
 * tell a real change (an audit row, updated_at) from none.
 */
typedef struct calx_history {
	bool changed;
	bool has_old;
	calx_value old;
} calx_history;
int calx_field_history(calx_session *s, const void *obj, const calx_field_desc *col, calx_history *out);

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
/*
 * A deep copy of src (a struct of m's type, in any session or none) as a
 * new transient object of s: every mapped column copied, text and bytes
 * into s's memory (nothing shared with src), but an autoincrement key left
 * 0, so that adding the copy writes a new row; relationships are not
 * copied (the copy's are empty). The generated user_copy(s, u) calls it.
 * NULL on failure, with the error on s.
 */
void *calx_object_copy(calx_session *s, const calx_mapper_desc *m, const void *src);
int calx_object_repr(const calx_mapper_desc *m, const void *obj, char *buf, size_t cap);
bool calx_object_eq(const calx_mapper_desc *m, const void *a, const void *b);

/* The calx_field_* calls take a typed column handle too (calx/column.h). */
#define calx_field_set_null(s, obj, col, ...) (calx_field_set_null)((s), (obj), calx_field(col), __VA_ARGS__)
#define calx_field_is_null(s, obj, col) (calx_field_is_null)((s), (obj), calx_field(col))
#define calx_field_set_text(s, obj, col, ...) (calx_field_set_text)((s), (obj), calx_field(col), __VA_ARGS__)
#define calx_field_history(s, obj, col, ...) (calx_field_history)((s), (obj), calx_field(col), __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* CALX_SESSION_H */
