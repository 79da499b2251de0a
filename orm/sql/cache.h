/*
 * Internal: statements by shape.
 *
 * A shape key stands for a syntax tree without its bind values: two trees
 * with equal keys compile to the same text. It is two head words (what kind
 * of key, and of what) and up to two runs of words. Trees in general are
 * keyed by their canonical serialization (calx__shape_of); the unit of
 * work's statements have a compact key instead -- (kind, mapper, column
 * bitsets), which determines their tree -- so a cache hit builds nothing.
 * Lookups hash the key, then compare it word for word: never a hash-only
 * match.
 *
 * The compiled-SQL cache (one per engine, locked: connections on several
 * threads share it) maps keys to compiled text; each connection caches its
 * prepared statements by the same keys (sql/stmtcache.h).
 */
#ifndef CALX_ORM_SQL_CACHE_H
#define CALX_ORM_SQL_CACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sql/compile.h"

/* Head word 0: what the key describes. */
enum {
	CALX__KEY_TREE = 1,     /* a serialized tree; head[1] is 0 */
	CALX__KEY_INSERT,       /* head[1]: the mapper descriptor; runs: sent, returned columns */
	CALX__KEY_UPDATE,       /* run: set columns */
	CALX__KEY_DELETE,
	CALX__KEY_GET,
	CALX__KEY_SETVAL,       /* PostgreSQL identity sync of a mapper's table */
	CALX__KEY_TXN,          /* head[1]: the calx__TX_ op; run: the savepoint name's bytes */
	CALX__KEY_INSERT_ROWS,  /* as INSERT; the second run ends with the number of rows */
	CALX__KEY_RESERVE,      /* PostgreSQL: keys of a mapper's identity column, reserved ahead */
	CALX__KEY_UPDATE_SET,   /* PostgreSQL: UPDATE ... FROM rows of a JSON parameter; run: set columns */
	CALX__KEY_DELETE_SET,   /* PostgreSQL: DELETE ... USING rows of a JSON parameter */
	CALX__KEY_DELETE_ANY,   /* PostgreSQL: DELETE ... WHERE key = ANY(an array parameter) */
	CALX__KEY_UPDATE_VALUES, /* SQLite: UPDATE ... FROM a VALUES list of binds; runs: set columns, the number of rows */
	CALX__KEY_INSERT_ARRAYS, /* PostgreSQL: INSERT ... SELECT * FROM unnest(an array a column); runs as INSERT */
	CALX__KEY_ROWID_MAX     /* SQLite: a rowid table's largest key, and whether any trigger exists */
};

typedef struct calx__shape_key {
	uint64_t head[2];
	const uint64_t *run[2];
	size_t n[2];
	uint64_t hash;
} calx__shape_key;

/* Set k->hash from the rest. Inline: the unit of work hashes a key per row. */
static inline void calx__shape_key_hash(calx__shape_key *k)
{
	uint64_t h = (k->head[0] * 0x243f6a8885a308d3ull) ^ k->head[1];
	for (size_t i = 0; i < k->n[0]; i++)
		h = (h ^ k->run[0][i]) * 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < k->n[1]; i++)
		h = (h ^ k->run[1][i]) * 0x9e3779b97f4a7c15ull;
	h *= 0x9e3779b97f4a7c15ull;
	k->hash = h ^ (h >> 29);        /* buckets take the low bits: bring the well-mixed high ones down */
}

/* Does the stored key (head, words[n]) equal k? Word for word, never by hash alone. */
static inline bool calx__shape_key_equal(const calx__shape_key *k, const uint64_t head[2], const uint64_t *words,
                                         size_t n)
{
	if (head[0] != k->head[0] || head[1] != k->head[1] || n != k->n[0] + k->n[1])
		return false;
	for (size_t i = 0; i < k->n[0]; i++)
		if (words[i] != k->run[0][i])
			return false;
	for (size_t i = 0; i < k->n[1]; i++)
		if (words[k->n[0] + i] != k->run[1][i])
			return false;
	return true;
}

/* The entry of key k, or NULL. Inline: the hot path of every statement. */
static inline calx__keyed *calx__keyed_find(const calx__keyed_table *t, const calx__shape_key *k)
{
	if (!t->n_buckets)
		return NULL;
	for (calx__keyed *e = t->buckets[k->hash & (t->n_buckets - 1)]; e; e = e->chain)
		if (e->hash == k->hash && calx__shape_key_equal(k, e->head, e->words, e->n_words))
			return e;
	return NULL;
}

/* Copy k's runs into words (k->n[0] + k->n[1] of them). */
void calx__shape_key_flatten(const calx__shape_key *k, uint64_t *words);

/*
 * The shape key of a tree (CALX__KEY_TREE), its words in a's arena. Errors:
 * a tree deeper than CALX__MAX_DEPTH, out of memory.
 */
int calx__shape_of(calx__ast *a, calx__node *stmt, calx__shape_key *out, calx_error *err);

/* A bounded cache of compiled statements, least recently used out first (never one in use). */
#define CALX__SQLCACHE_BOUND 1024
typedef struct calx__sqlcache {
	const calx_dialect *d;
	pthread_mutex_t lock;
	calx__keyed_table entries;      /* of calx__compiled, by their key member */
	size_t bound;
	uint64_t hits, misses;          /* shapes found compiled / compiled (under lock; calx_session_cache_stats) */
} calx__sqlcache;

void calx__sqlcache_init(calx__sqlcache *c, const calx_dialect *d);
void calx__sqlcache_free(calx__sqlcache *c);

/*
 * The compiled statement of key k, with a reference the caller gives back
 * with calx__sqlcache_put. On a miss, stmt is compiled (it must be the
 * tree k stands for; a NULL stmt makes a miss return NULL with *out NULL
 * and CALX_OK, so the caller can build the tree and ask again).
 */
int calx__sqlcache_get(calx__sqlcache *c, const calx__shape_key *k, calx__node *stmt, calx__compiled **out,
                       calx_error *err);
void calx__sqlcache_put(calx__sqlcache *c, calx__compiled *sql);

#endif
