/*
 * calx/engine.h - a database reached through a URL.
 *
 *   sqlite:app.db          a file (created if missing)
 *   sqlite::memory:        a private in-memory database (one connection)
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

/* The dialect's name: "sqlite". Borrowed from the engine. */
const char *calx_engine_dialect_name(const calx_engine *eng);

/* The last error of calls made on the engine itself (open, create_all). */
int calx_engine_errcode(const calx_engine *eng);
const char *calx_engine_errmsg(const calx_engine *eng);

#endif /* CALX_ENGINE_H */
