/*
 * Internal: is a text one JSON value (RFC 8259)? For CALX(json) fields,
 * checked before a value is written, so that malformed JSON is refused on
 * the client on both dialects (SQLite's TEXT column would take anything).
 */
#ifndef CALX_ORM_JSON_H
#define CALX_ORM_JSON_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Containers nest at most this deep: deeper text is refused (as too deep)
 * instead of walking an unbounded stack. PostgreSQL's own parser stops
 * where its stack depth limit does; 512 is far beyond any document a row
 * holds and well within that.
 */
#define CALX__JSON_MAX_DEPTH 512

/*
 * p[0..n) (UTF-8 already checked) is one JSON value with optional white
 * space around it: true. Else false, *at the byte offset of the first
 * error and *why a static phrase ("unexpected character", ...).
 */
bool calx__json_valid(const char *p, size_t n, size_t *at, const char **why);

#endif
