/*
 * The keyed table of the two statement caches (keyed.h): growth, unlinking,
 * eviction by recency.
 */
#include "base/alloc.h"
#include "sql/cache.h"

void calx__keyed_set_key(calx__keyed *e, const calx__shape_key *k, uint64_t *words)
{
	calx__shape_key_flatten(k, words);
	e->words = words;
	e->n_words = k->n[0] + k->n[1];
	e->head[0] = k->head[0];
	e->head[1] = k->head[1];
	e->hash = k->hash;
}

static int grow(calx__keyed_table *t)
{
	size_t n = t->n_buckets ? t->n_buckets * 2 : 64;
	calx__keyed **b = calx__calloc(n, sizeof *b);
	if (!b)
		return -1;
	for (size_t i = 0; i < t->n_buckets; i++) {
		calx__keyed *e = t->buckets[i];
		while (e) {
			calx__keyed *next = e->chain;
			e->chain = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
			e = next;
		}
	}
	calx__free(t->buckets);
	t->buckets = b;
	t->n_buckets = n;
	return 0;
}

int calx__keyed_insert(calx__keyed_table *t, calx__keyed *e)
{
	if (t->n + 1 > t->n_buckets && grow(t) != 0)
		return -1;
	e->chain = t->buckets[e->hash & (t->n_buckets - 1)];
	t->buckets[e->hash & (t->n_buckets - 1)] = e;
	t->n++;
	return 0;
}

void calx__keyed_unlink(calx__keyed_table *t, calx__keyed *e)
{
	calx__keyed **p = &t->buckets[e->hash & (t->n_buckets - 1)];
	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	t->n--;
}

calx__keyed *calx__keyed_oldest(const calx__keyed_table *t, bool (*may_go)(const calx__keyed *e))
{
	calx__keyed *victim = NULL;
	for (size_t i = 0; i < t->n_buckets; i++)
		for (calx__keyed *e = t->buckets[i]; e; e = e->chain)
			if (may_go(e) && (!victim || e->used < victim->used))
				victim = e;
	return victim;
}

void calx__keyed_clear(calx__keyed_table *t, void (*drop)(calx__keyed *e, void *payload), void *payload)
{
	for (size_t i = 0; i < t->n_buckets; i++) {
		calx__keyed *e = t->buckets[i];
		while (e) {
			calx__keyed *next = e->chain;
			drop(e, payload);
			e = next;
		}
	}
	calx__free(t->buckets);
	t->buckets = NULL;
	t->n_buckets = t->n = 0;
}
