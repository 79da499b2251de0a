/*
 * calx_session_cache_stats: the hit counts of the session's connection's
 * prepared statements and of its engine's compiled SQL, read where the
 * caches keep them (orm/sql/stmtcache.h, orm/sql/cache.c).
 */
#include <pthread.h>
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "sql/cache.h"

void calx_session_cache_stats(const calx_session *s, calx_cache_stats *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof *out);
	if (!s || !s->conn)
		return;
	out->stmt_hits = s->conn->stmt_hits;
	out->stmt_misses = s->conn->stmt_misses;
	calx__sqlcache *sql = s->conn->sql;
	pthread_mutex_lock(&sql->lock);
	out->sql_hits = sql->hits;
	out->sql_misses = sql->misses;
	pthread_mutex_unlock(&sql->lock);
}
