/*
 * Internal: each connection's prepared statements, by shape key.
 *
 * At most c->bound statements (CALX__STMT_BOUND unless changed) stay
 * prepared; adding one more finalizes the least recently used statement
 * that is not checked out. A statement in use is never evicted: when all
 * are, the cache goes over its bound until they come back. A key whose
 * statement is in use (a select nested in a loop over the same select)
 * gets a private statement, finalized on release.
 */
#ifndef CALX_ORM_SQL_STMTCACHE_H
#define CALX_ORM_SQL_STMTCACHE_H

#include "engine/engine.h"

#define CALX__STMT_BOUND 256

/*
 * The cached statement of k, checked out; NULL when there is none or it is
 * in use. Inline: it is the hot path of every insert, update and get.
 */
static inline calx__stmt *calx__stmt_find(calx__conn *c, const calx__shape_key *k)
{
	calx__keyed *e = calx__keyed_find(&c->stmts, k);
	calx__stmt *st = e ? calx__keyed_entry(e, calx__stmt) : NULL;
	if (!st || st->busy) {
		c->stmt_misses++;
		return NULL;
	}
	c->stmt_hits++;
	st->busy = true;
	e->used = ++c->stmts.clock;
	return st;
}
/*
 * Prepare sql for key k and check it out. Takes over the caller's
 * reference on sql (given back even on failure).
 */
int calx__stmt_prepare(calx__conn *c, const calx__shape_key *k, calx__compiled *sql, calx__stmt **out, calx_error *err);
/* Finalize every statement (the connection is closing). */
void calx__stmtcache_clear(calx__conn *c);
/* Change the bound (at least 1), evicting what is over it and not in use. */
void calx__stmtcache_set_bound(calx__conn *c, size_t bound);

#endif
