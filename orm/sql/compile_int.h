/*
 * Private to the compiler's files (compile.c, compile_ddl.c): the state of
 * one compilation and the helpers both use.
 */
#ifndef CALX_ORM_SQL_COMPILE_INT_H
#define CALX_ORM_SQL_COMPILE_INT_H

#include <stdbool.h>
#include <string.h>
#include "base/buf.h"
#include "sql/compile.h"

typedef struct calx__cc {
	const calx_dialect *d;
	calx__buf b;
	unsigned n_params;
	unsigned *map;
	size_t map_cap;
	unsigned wraps;                 /* set-operation operands wrapped in a subquery so far */
	int rc;                         /* the first error; err holds its message */
	calx_error *err;
} calx__cc;

/*
 * Is the dialect PostgreSQL? The vtable has no member for how a function
 * is spelled (a date part, a truncating cast), so the few spellings that
 * differ go by the dialect's name; every other dialect takes SQLite's.
 */
static inline bool calx__cc_postgresql(const calx__cc *c)
{
	return c->d->name && !strcmp(c->d->name, "postgresql");
}

/* Record the first error; later ones are dropped. Returns rc. */
int calx__cc_fail(calx__cc *c, int rc, const char *what);
void calx__cc_ident(calx__cc *c, const char *name);
/* An expression; top: no parentheses around an AND/OR chain (a whole WHERE). */
void calx__cc_expr(calx__cc *c, const calx__node *n, bool top, unsigned depth);
/* A select or set operation; and one in parentheses. */
void calx__cc_query(calx__cc *c, const calx__node *n, unsigned depth);
void calx__cc_subquery(calx__cc *c, const calx__node *q, unsigned depth);
/* A comma-separated list of expressions. */
void calx__cc_list(calx__cc *c, const calx__node *head, unsigned depth);
/* DDL statements (compile_ddl.c). */
void calx__cc_ddl(calx__cc *c, const calx__node *n);

#endif
