/*
 * Each connection's prepared statements by shape key, in a keyed table
 * (sql/keyed.h): a hit costs a hash, a compare and two stores; eviction
 * (only when a statement is prepared anyway) scans for the oldest stamp
 * among the statements not checked out.
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

static bool idle(const calx__keyed *e)
{
	return !calx__keyed_entry(e, const calx__stmt)->busy;
}

/* Finalize least recently used idle statements until fewer than limit remain. */
static void evict_to(calx__conn *c, size_t limit)
{
	while (c->stmts.n >= limit) {
		calx__keyed *victim = calx__keyed_oldest(&c->stmts, idle);
		if (!victim)
			return;
		calx__keyed_unlink(&c->stmts, victim);
		finalize(c, calx__keyed_entry(victim, calx__stmt));
	}
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
	calx__keyed_set_key(&e->key, k, e->words);
	e->key.used = ++c->stmts.clock;
	/* keep it unless a busy twin holds the key, or memory is short (it then works uncached) */
	if (!calx__keyed_find(&c->stmts, k)) {
		evict_to(c, c->bound ? c->bound : CALX__STMT_BOUND);
		e->cached = calx__keyed_insert(&c->stmts, &e->key) == 0;
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

static void drop(calx__keyed *e, void *conn)
{
	finalize(conn, calx__keyed_entry(e, calx__stmt));
}

void calx__stmtcache_clear(calx__conn *c)
{
	calx__keyed_clear(&c->stmts, drop, c);
}

void calx__stmtcache_set_bound(calx__conn *c, size_t bound)
{
	c->bound = bound ? bound : 1;
	evict_to(c, c->bound + 1);
}
