/*
 * Internal: the SQL compiler. One compiler turns a syntax tree (sql/ast.h)
 * into text for a dialect; what differs between databases comes from the
 * dialect's members (calx/sys/dialect.h, version 2): identifier quotes,
 * placeholders (? or $n), RETURNING, LIMIT/OFFSET syntax, type names and
 * the most parameters one statement may have.
 */
#ifndef CALX_ORM_SQL_COMPILE_H
#define CALX_ORM_SQL_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/sys/dialect.h"
#include "sql/ast.h"
#include "sql/keyed.h"

/* Trees nested deeper than this are refused (SQLite's own limit is 1000). */
#define CALX__MAX_DEPTH 1000

/*
 * A compiled statement. Placeholder i (0-based, in text order) takes the
 * value of bind number map[i] in canonical order (calx__ast_binds): the
 * same for every tree of this shape, whatever the values.
 */
typedef struct calx__compiled {
	char *text;
	size_t len;
	unsigned n_params;
	unsigned n_binds;               /* bind nodes in the tree (a bind may be written once only) */
	unsigned *map;
	/* bookkeeping of the cache that owns it (sql/cache.c); 0 when owned by the caller */
	unsigned refs;
	calx__keyed key;                /* its entry in the cache; key.words is allocated with it */
} calx__compiled;

/*
 * Compile stmt for d. max_params 0 means the dialect's limit; a statement
 * that needs more is refused with CALX_ERANGE (split it: calx__chunks).
 * The caller owns *out: calx__compiled_free.
 */
int calx__compile(const calx_dialect *d, calx__node *stmt, unsigned max_params, calx__compiled **out,
                  calx_error *err);
void calx__compiled_free(calx__compiled *c);

/* Write name as a quoted identifier of d into buf (the closing quote doubled inside); its length, or 0 if cap is short. */
size_t calx__quote_ident(const calx_dialect *d, const char *name, char *buf, size_t cap);

/*
 * The bind nodes of stmt in canonical order (a walk the compiler and the
 * shape key share). Numbers them (node->ordinal) and, when vals is not
 * NULL, stores each value's address there (vals holds cap entries). Returns
 * how many there are.
 */
size_t calx__ast_binds(calx__node *stmt, const calx_value **vals, size_t cap);

/*
 * Splitting a statement that has more parameters than a dialect allows.
 * owner is the IN node (its value list) or the INSERT (its rows) inside
 * stmt whose list is cut into windows: every window but the last holds
 * `per` items, and each statement stays within max_params counting the
 * parameters outside the list. Loop:
 *   calx__chunks ch;
 *   if (calx__chunks_init(&ch, stmt, insert, d->max_params, err) != CALX_OK) ...
 *   while (calx__chunks_next(&ch)) { compile or prepare stmt, run it }
 * Each window is a statement of its own (two shapes at most: full windows
 * and the last); combining their results is the caller's business.
 */
typedef struct calx__chunks {
	calx__node *owner;
	size_t total, per, next;
} calx__chunks;
int calx__chunks_init(calx__chunks *ch, calx__node *stmt, calx__node *owner, unsigned max_params, calx_error *err);
/* Set the next window; false when every item has had its turn (the window is then the whole list again). */
bool calx__chunks_next(calx__chunks *ch);

#endif
