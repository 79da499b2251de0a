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
 * Run SQL text as it is, outside any session, on a pooled connection, in
 * autocommit: for schema chores and tests. It takes no parameters: never
 * build its text from values (use a session and bound parameters).
 */
int calx_engine_exec(calx_engine *eng, const char *sql);

/* The dialect's name: "sqlite" or "postgresql". Borrowed from the engine. */
const char *calx_engine_dialect_name(const calx_engine *eng);

/* The last error of calls made on the engine itself (open, create_all). */
int calx_engine_errcode(const calx_engine *eng);
const char *calx_engine_errmsg(const calx_engine *eng);

#endif /* CALX_ENGINE_H */
