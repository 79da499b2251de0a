/*
 * Each connection's prepared statements by shape key: chained buckets,
 * compared word for word; recency is a clock stamped at checkout, so a
 * hit costs a hash, a compare and two stores, and eviction (only when a
 * statement is prepared anyway) scans for the oldest stamp.
 */
#include <string.h>
#include "calx/errors.h"
#include "base/alloc.h"
#include "sql/stmtcache.h"

static void finalize(calx__conn *c, calx__stmt *e)
{
	c->d->finalize(e->st);
	calx__sqlcache_put(c->sql, e->sql);
	calx__free(e);
}

static void unlink_stmt(calx__conn *c, calx__stmt *x)
{
	calx__stmt **p = &c->buckets[x->hash & (c->n_buckets - 1)];
	while (*p != x)
		p = &(*p)->chain;
	*p = x->chain;
	c->n_stmts--;
}

/* Finalize least recently used idle statements until fewer than limit remain. */
static void evict_to(calx__conn *c, size_t limit)
{
	while (c->n_stmts >= limit) {
		calx__stmt *victim = NULL;
		for (size_t i = 0; i < c->n_buckets; i++)
			for (calx__stmt *e = c->buckets[i]; e; e = e->chain)
				if (!e->busy && (!victim || e->used < victim->used))
					victim = e;
		if (!victim)
			return;
		unlink_stmt(c, victim);
		finalize(c, victim);
	}
}

static int grow(calx__conn *c)
{
	size_t n = c->n_buckets ? c->n_buckets * 2 : 64;
	calx__stmt **b = calx__calloc(n, sizeof *b);
	if (!b)
		return -1;
	for (size_t i = 0; i < c->n_buckets; i++) {
		calx__stmt *e = c->buckets[i];
		while (e) {
			calx__stmt *next = e->chain;
			e->chain = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
			e = next;
		}
	}
	calx__free(c->buckets);
	c->buckets = b;
	c->n_buckets = n;
	return 0;
}

int calx__stmt_prepare(calx__conn *c, const calx__shape_key *k, calx__compiled *sql, calx__stmt **out, calx_error *err)
{
	*out = NULL;
	size_t n = k->n[0] + k->n[1];
	calx__stmt *e = calx__malloc(sizeof *e + n * sizeof e->words[0]);
	if (!e) {
		calx__sqlcache_put(c->sql, sql);
		return calx_error_set(err, CALX_ENOMEM, "out of memory preparing %.200s", sql->text);
	}
	memset(e, 0, sizeof *e);
	int rc = c->d->prepare(c->raw, sql->text, &e->st, err);
	if (rc != CALX_OK) {
		calx__sqlcache_put(c->sql, sql);
		calx__free(e);
		return rc;
	}
	e->conn = c;
	e->sql = sql;
	e->busy = true;
	e->used = ++c->clock;
	e->hash = k->hash;
	e->head[0] = k->head[0];
	e->head[1] = k->head[1];
	e->n_words = n;
	calx__shape_key_flatten(k, e->words);
	bool twin = false;
	for (calx__stmt *x = c->n_buckets ? c->buckets[k->hash & (c->n_buckets - 1)] : NULL; x && !twin; x = x->chain)
		twin = x->hash == k->hash && calx__shape_key_equal(k, x->head, x->words, x->n_words);
	/* keep it unless a busy twin holds the key, or memory is short (it then works uncached) */
	if (!twin && (c->n_stmts + 1 <= c->n_buckets || grow(c) == 0)) {
		evict_to(c, c->bound ? c->bound : CALX__STMT_BOUND);
		e->chain = c->buckets[e->hash & (c->n_buckets - 1)];
		c->buckets[e->hash & (c->n_buckets - 1)] = e;
		c->n_stmts++;
		e->cached = true;
	}
	*out = e;
	return CALX_OK;
}

void calx__stmt_release(calx__stmt *st)
{
	if (!st)
		return;
	calx__conn *c = st->conn;
	c->d->reset(st->st);
	st->busy = false;
	if (!st->cached)
		finalize(c, st);
}

void calx__stmtcache_clear(calx__conn *c)
{
	for (size_t i = 0; i < c->n_buckets; i++) {
		calx__stmt *e = c->buckets[i];
		while (e) {
			calx__stmt *next = e->chain;
			finalize(c, e);
			e = next;
		}
	}
	calx__free(c->buckets);
	c->buckets = NULL;
	c->n_buckets = c->n_stmts = 0;
}

void calx__stmtcache_set_bound(calx__conn *c, size_t bound)
{
	c->bound = bound ? bound : 1;
	evict_to(c, c->bound + 1);
}
