/*
 * The compiled-SQL cache: compiled statements by shape key, shared by the
 * connections of an engine (hence the lock), at most `bound` of them; the
 * least recently used one that nobody holds goes first.
 */
#include <string.h>
#include "calx/errors.h"
#include "base/alloc.h"
#include "sql/cache.h"

void calx__sqlcache_init(calx__sqlcache *c, const calx_dialect *d)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->bound = CALX__SQLCACHE_BOUND;
	pthread_mutex_init(&c->lock, NULL);
}

void calx__sqlcache_free(calx__sqlcache *c)
{
	for (size_t i = 0; i < c->n_buckets; i++) {
		calx__compiled *e = c->buckets[i];
		while (e) {
			calx__compiled *next = e->chain;
			calx__compiled_free(e);
			e = next;
		}
	}
	calx__free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	c->buckets = NULL;
	c->n_buckets = c->n = 0;
}

static calx__compiled *find(calx__sqlcache *c, const calx__shape_key *k)
{
	if (!c->n_buckets)
		return NULL;
	for (calx__compiled *e = c->buckets[k->hash & (c->n_buckets - 1)]; e; e = e->chain)
		if (e->hash == k->hash && calx__shape_key_equal(k, e->head, e->words, e->n_words))
			return e;
	return NULL;
}

static void unlink_entry(calx__sqlcache *c, calx__compiled *x)
{
	calx__compiled **p = &c->buckets[x->hash & (c->n_buckets - 1)];
	while (*p != x)
		p = &(*p)->chain;
	*p = x->chain;
	c->n--;
}

/* Make room for one more: drop the least recently used unheld entry while over the bound. */
static void evict(calx__sqlcache *c)
{
	while (c->n >= c->bound) {
		calx__compiled *victim = NULL;
		for (size_t i = 0; i < c->n_buckets; i++)
			for (calx__compiled *e = c->buckets[i]; e; e = e->chain)
				if (!e->refs && (!victim || e->used < victim->used))
					victim = e;
		if (!victim)
			return;         /* everything is held: go over the bound for now */
		unlink_entry(c, victim);
		calx__compiled_free(victim);
	}
}

static int grow(calx__sqlcache *c)
{
	size_t n = c->n_buckets ? c->n_buckets * 2 : 64;
	calx__compiled **b = calx__calloc(n, sizeof *b);
	if (!b)
		return -1;
	for (size_t i = 0; i < c->n_buckets; i++) {
		calx__compiled *e = c->buckets[i];
		while (e) {
			calx__compiled *next = e->chain;
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

int calx__sqlcache_get(calx__sqlcache *c, const calx__shape_key *k, calx__node *stmt, calx__compiled **out,
                       calx_error *err)
{
	*out = NULL;
	pthread_mutex_lock(&c->lock);
	calx__compiled *e = find(c, k);
	if (e) {
		e->refs++;
		e->used = ++c->clock;
		pthread_mutex_unlock(&c->lock);
		*out = e;
		return CALX_OK;
	}
	pthread_mutex_unlock(&c->lock);
	if (!stmt)
		return CALX_OK;
	/* compile outside the lock; another thread may add the same shape meanwhile */
	calx__compiled *fresh;
	int rc = calx__compile(c->d, stmt, 0, &fresh, err);
	if (rc != CALX_OK)
		return rc;
	size_t n = k->n[0] + k->n[1];
	fresh->words = calx__malloc((n ? n : 1) * sizeof *fresh->words);
	if (!fresh->words) {
		calx__compiled_free(fresh);
		return calx_error_set(err, CALX_ENOMEM, "out of memory caching a statement");
	}
	calx__shape_key_flatten(k, fresh->words);
	fresh->n_words = n;
	fresh->head[0] = k->head[0];
	fresh->head[1] = k->head[1];
	fresh->hash = k->hash;
	pthread_mutex_lock(&c->lock);
	if ((e = find(c, k)) != NULL) {
		calx__compiled_free(fresh);
	} else if ((c->n + 1 > c->n_buckets && grow(c) != 0) || !c->n_buckets) {
		pthread_mutex_unlock(&c->lock);
		calx__compiled_free(fresh);
		return calx_error_set(err, CALX_ENOMEM, "out of memory caching a statement");
	} else {
		evict(c);
		e = fresh;
		e->chain = c->buckets[e->hash & (c->n_buckets - 1)];
		c->buckets[e->hash & (c->n_buckets - 1)] = e;
		c->n++;
	}
	e->refs++;
	e->used = ++c->clock;
	pthread_mutex_unlock(&c->lock);
	*out = e;
	return CALX_OK;
}

void calx__sqlcache_put(calx__sqlcache *c, calx__compiled *sql)
{
	if (!sql)
		return;
	pthread_mutex_lock(&c->lock);
	sql->refs--;
	pthread_mutex_unlock(&c->lock);
}
