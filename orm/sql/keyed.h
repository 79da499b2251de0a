/*
 * Internal: a table of entries keyed by shape key (sql/cache.h), shared by
 * the engine's compiled-SQL cache (cache.c) and each connection's
 * prepared-statement cache (stmtcache.c). Chained buckets, compared word
 * for word, never by hash alone; recency is a clock stamped at use, and
 * eviction (only when an entry is added anyway) scans for the oldest stamp
 * among the entries its owner says may go.
 *
 * An entry embeds a calx__keyed member named key, so the table links
 * entries without knowing their type. The lookup, calx__keyed_find, is
 * inline in sql/cache.h, beside the key comparison it uses.
 */
#ifndef CALX_ORM_SQL_KEYED_H
#define CALX_ORM_SQL_KEYED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calx__shape_key;

typedef struct calx__keyed {
	struct calx__keyed *chain;      /* the next in its bucket */
	uint64_t hash;
	uint64_t used;                  /* the table's clock at the last use */
	uint64_t head[2];               /* the shape key */
	size_t n_words;
	uint64_t *words;
} calx__keyed;

/* The entry (a struct with a calx__keyed member named key) that e is the key of. */
#define calx__keyed_entry(e, type) ((type *)(void *)((char *)(e) - offsetof(type, key)))

typedef struct calx__keyed_table {
	calx__keyed **buckets;
	size_t n_buckets, n;
	uint64_t clock;
} calx__keyed_table;

/* Give e the key k, its words copied into words (k->n[0] + k->n[1] of them, owned by the entry). */
void calx__keyed_set_key(calx__keyed *e, const struct calx__shape_key *k, uint64_t *words);
/* Link e (growing the buckets); -1 when memory ran out (e is then not linked). */
int calx__keyed_insert(calx__keyed_table *t, calx__keyed *e);
void calx__keyed_unlink(calx__keyed_table *t, calx__keyed *e);
/* The least recently used entry that may_go accepts, or NULL. */
calx__keyed *calx__keyed_oldest(const calx__keyed_table *t, bool (*may_go)(const calx__keyed *e));
/* Unlink every entry, handing each to drop; frees the buckets. */
void calx__keyed_clear(calx__keyed_table *t, void (*drop)(calx__keyed *e, void *payload), void *payload);

#endif
