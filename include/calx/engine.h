/*
 * calx/engine.h - a database reached through a URL.
 *
 *   sqlite:app.db          a file (created if missing)
 *   sqlite::memory:        a private in-memory database (one connection)
 *   postgresql://user@host:port/db?opt=v   a libpq URI (also postgres://)
 *   postgresql:host=h port=p dbname=d      a libpq connection string
 */
#ifndef CALX_ENGINE_H
#define CALX_ENGINE_H

#include "calx/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_engine calx_engine;

/*
 * Open an engine. The first connection is made here, so a bad URL or an
 * unreachable database fails now. On failure *out is still set, unless
 * memory ran out, to an engine whose calx_engine_errmsg() says why: free it
 * either way with calx_engine_free(), which accepts NULL.
 */
int calx_engine_open(calx_engine **out, const char *url);
void calx_engine_free(calx_engine *eng);

/*
 * The connection pool, as SQLAlchemy's QueuePool. At most pool_size +
 * max_overflow connections are open at once (max_overflow < 0: no limit).
 * A checkout when all are in use waits up to pool_timeout seconds for one
 * to come back, then fails with CALX_ETIMEOUT ("pool exhausted"). A
 * connection given back while pool_size are already idle (an overflow
 * connection) is closed. pool_recycle > 0: a connection older than that many
 * seconds is closed and replaced at checkout (<= 0: never). pool_pre_ping:
 * each checkout first runs a cheap statement on the connection; a dead one
 * is discarded and a new one made, so a server restart or a terminated
 * backend is not seen by the session (off by default, as in SQLAlchemy).
 * sqlite::memory: has one connection whatever the options: a second
 * session fails at once with CALX_EBUSY (waiting would deadlock the thread
 * that holds the first), and is never recycled.
 */
#define CALX_ENGINE_OPTS_V1 1
typedef struct calx_engine_opts {
	unsigned version;       /* CALX_ENGINE_OPTS_V1 */
	int pool_size;          /* 5 */
	int max_overflow;       /* 10; < 0: no limit */
	double pool_timeout;    /* 30 seconds */
	double pool_recycle;    /* -1: never */
	int pool_pre_ping;      /* 0 */
} calx_engine_opts;

#define CALX_ENGINE_OPTS_INIT { CALX_ENGINE_OPTS_V1, 5, 10, 30.0, -1.0, 0 }

/*
 * calx_engine_open with pool options (NULL: the defaults above, as
 * calx_engine_open). A bad version or a pool_size < 1 or a negative timeout
 * is CALX_EINVAL.
 */
int calx_engine_open_opts(calx_engine **out, const char *url, const calx_engine_opts *opts);

/* The pool's counts now: checked out, idle, open beyond pool_size. */
typedef struct calx_pool_status {
	unsigned size;          /* pool_size */
	unsigned checked_out;
	unsigned idle;
	unsigned overflow;      /* open connections beyond pool_size (0 when fewer are open) */
	unsigned long long opened;      /* connections made since the engine opened */
} calx_pool_status;
int calx_engine_pool_status(calx_engine *eng, calx_pool_status *out);

/*
 * Run SQL text as it is, outside any session, on a pooled connection, in
 * autocommit: for schema chores and tests. It takes no parameters: never
 * build its text from values (use a session and bound parameters).
 */
int calx_engine_exec(calx_engine *eng, const char *sql);

/* The dialect's name: "sqlite" or "postgresql". Borrowed from the engine. */
const char *calx_engine_dialect_name(const calx_engine *eng);

/*
 * The last error of calls made on the engine itself (open, exec,
 * create_all, and a calx_session_open that could not get a connection),
 * as seen by the calling thread: each thread reads its own last failure on
 * this engine, so several threads may fail and read at once. A failure of
 * calx_engine_open is readable from any thread. The message stays valid
 * until the thread's next engine call.
 */
int calx_engine_errcode(const calx_engine *eng);
const char *calx_engine_errmsg(const calx_engine *eng);
/* What the driver said about that failure (calx/errors.h); fields it did not give are "". Never NULL. */
const calx_driver_error *calx_engine_error_detail(const calx_engine *eng);

#ifdef __cplusplus
}
#endif

#endif /* CALX_ENGINE_H */
