/*
 * Internal: where-clause expressions and their SQL.
 */
#ifndef CALX_ORM_EXPR_H
#define CALX_ORM_EXPR_H

#include "calx/select.h"
#include "base/buf.h"
#include "session/session.h"

struct calx_expr {
	calx_op op;
	const calx_field_desc *col;     /* comparisons and null tests */
	calx_value v;                   /* text owned by the node */
	calx_expr *a, *b;               /* and/or/not */
};

/* The values bound by a rendered where clause, in placeholder order. */
typedef struct calx__binds {
	calx_value *v;
	size_t n;
	size_t cap;
} calx__binds;

/*
 * Append the SQL of e to b, and its values to binds. *nparam counts
 * placeholders for dialects that number them. Errors (a column of another
 * table, a value of the wrong type) are set in err.
 */
int calx__expr_render(const calx_expr *e, const calx_dialect *d, const calx_mapper_desc *m, calx__buf *b,
                      calx__binds *binds, unsigned *nparam, calx_error *err);

#endif
