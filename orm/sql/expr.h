/*
 * Internal: the public where-clause expressions, and their syntax trees.
 */
#ifndef CALX_ORM_EXPR_H
#define CALX_ORM_EXPR_H

#include "calx/select.h"
#include "session/session.h"
#include "sql/ast.h"

struct calx_expr {
	calx_op op;
	const calx_field_desc *col;     /* comparisons and null tests */
	calx_value v;                   /* text owned by the node */
	calx_expr *a, *b;               /* and/or/not */
	const char *bad;                /* set: a condition built from bad arguments, refused when the select runs */
};

/*
 * The syntax tree of e for a select of m whose table is from, in a's
 * arena; text values stay e's (borrowed until the select is freed). The
 * select's builder errors come from here: a column of another table, a
 * value of the wrong type, a comparison with NULL.
 */
int calx__expr_lower(const calx_expr *e, calx__ast *a, const calx__node *from, const calx_mapper_desc *m,
                     calx__node **out, calx_error *err);

#endif
