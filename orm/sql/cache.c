/*
 * The compiled-SQL cache: compiled statements by shape key, shared by the
 * connections of an engine (hence the lock), at most `bound` of them; the
 * least recently used one that nobody holds goes first (sql/keyed.h).
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

static void drop(calx__keyed *e, void *payload)
{
	(void)payload;
	calx__compiled_free(calx__keyed_entry(e, calx__compiled));
}

void calx__sqlcache_free(calx__sqlcache *c)
{
	calx__keyed_clear(&c->entries, drop, NULL);
	pthread_mutex_destroy(&c->lock);
}

static calx__compiled *find(calx__sqlcache *c, const calx__shape_key *k)
{
	calx__keyed *e = calx__keyed_find(&c->entries, k);
	return e ? calx__keyed_entry(e, calx__compiled) : NULL;
}

static bool unheld(const calx__keyed *e)
{
	return !calx__keyed_entry(e, const calx__compiled)->refs;
}

/* Make room for one more: drop the least recently used unheld entry while over the bound. */
static void evict(calx__sqlcache *c)
{
	while (c->entries.n >= c->bound) {
		calx__keyed *victim = calx__keyed_oldest(&c->entries, unheld);
		if (!victim)
			return;         /* everything is held: go over the bound for now */
		calx__keyed_unlink(&c->entries, victim);
		drop(victim, NULL);
	}
}

/* Take a reference on e and stamp its use; called with the lock held. */
static calx__compiled *hold(calx__sqlcache *c, calx__compiled *e)
{
	e->refs++;
	e->key.used = ++c->entries.clock;
	return e;
}

int calx__sqlcache_get(calx__sqlcache *c, const calx__shape_key *k, calx__node *stmt, calx__compiled **out,
                       calx_error *err)
{
	*out = NULL;
	pthread_mutex_lock(&c->lock);
	calx__compiled *e = find(c, k);
	if (e) {
		c->hits++;
		*out = hold(c, e);
		pthread_mutex_unlock(&c->lock);
		return CALX_OK;
	}
	if (stmt)
		c->misses++;    /* a probe without a tree (to build one) is not a miss yet */
	pthread_mutex_unlock(&c->lock);
	if (!stmt)
		return CALX_OK;
	/* compile outside the lock; another thread may add the same shape meanwhile */
	calx__compiled *fresh;
	int rc = calx__compile(c->d, stmt, 0, &fresh, err);
	if (rc != CALX_OK)
		return rc;
	size_t n = k->n[0] + k->n[1];
	uint64_t *words = calx__malloc((n ? n : 1) * sizeof *words);
	if (!words) {
		calx__compiled_free(fresh);
		return calx_error_set(err, CALX_ENOMEM, "out of memory caching a statement");
	}
	calx__keyed_set_key(&fresh->key, k, words);
	pthread_mutex_lock(&c->lock);
	if ((e = find(c, k)) != NULL) {
		calx__compiled_free(fresh);
	} else {
		evict(c);
		if (calx__keyed_insert(&c->entries, &fresh->key) != 0) {
			pthread_mutex_unlock(&c->lock);
			calx__compiled_free(fresh);
			return calx_error_set(err, CALX_ENOMEM, "out of memory caching a statement");
		}
		e = fresh;
	}
	*out = hold(c, e);
	pthread_mutex_unlock(&c->lock);
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
