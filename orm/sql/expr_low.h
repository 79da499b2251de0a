/*
 * Internal to orm/sql/expr_*.c: lowering the query language's
 * expressions. A value expression has a kind (a number of three sorts,
 * text, bytes, or any for NULL), checked as it is lowered; `low` carries
 * the tree being built, the scope its columns are found in and the error.
 */
#ifndef CALX_ORM_SQL_EXPR_LOW_H
#define CALX_ORM_SQL_EXPR_LOW_H

#include <stdbool.h>
#include <strings.h>
#include "sql/expr.h"

/* Numbers come in three kinds, which mix: the result of sum and avg depends on them. */
typedef enum kind { K_ANY, K_INT, K_REAL, K_DEC, K_TEXT, K_BYTES } kind;

static const char *const calx__kind_names[] = { "NULL", "a number", "a number", "a number", "text", "bytes" };

static inline bool is_num(kind k)
{
	return k == K_INT || k == K_REAL || k == K_DEC;
}

/* The kind of a OP b for numbers: integers stay integers; a real makes a real; a decimal a decimal. */
static inline kind num_result(kind a, kind b)
{
	if (a == K_ANY)
		return b == K_ANY ? K_INT : b;
	if (b == K_ANY)
		return a;
	if (a == K_REAL || b == K_REAL)
		return K_REAL;
	return a == K_DEC || b == K_DEC ? K_DEC : K_INT;
}

typedef struct low {
	calx__ast *a;
	const calx__scope *sc;
	const calx_mapper_desc *m;      /* the select's own, for messages */
	calx_error *err;
	unsigned flags;         /* CALX__EXPR_AGGREGATES */
	bool saw_aggregate;
	bool in_aggregate;      /* lowering an aggregate's operand: no aggregate inside another */
} low;

static inline bool is_numeric_type(const char *t)
{
	return t && (!strncasecmp(t, "NUMERIC", 7) || !strncasecmp(t, "DECIMAL", 7));
}

static inline kind kind_of_column(const calx_field_desc *f)
{
	switch (f->ctype) {
	case CALX_CTYPE_STRING:
	case CALX_CTYPE_CHARARRAY:
		/* a char * holding a decimal: a number to SQL */
		return is_numeric_type(f->sql_type) ? K_DEC : K_TEXT;
	case CALX_CTYPE_CHAR:
		return K_TEXT;
	case CALX_CTYPE_DECIMAL:
		return K_DEC;
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
		return K_BYTES;
	case CALX_CTYPE_FLOAT:
	case CALX_CTYPE_DOUBLE:
		return K_REAL;
	default:
		return K_INT;
	}
}

static inline int fail(low *l, int code, const char *what)
{
	return calx_error_set(l->err, code, "select %s: %s", l->m->name, what);
}


static inline bool calx__kinds_fit(kind a, kind b)
{
	return a == K_ANY || b == K_ANY || a == b || (is_num(a) && is_num(b));
}

/* expr_value.c: a value expression's tree, its kind, whether a column (or an aggregate) is in it. */
int calx__low_value(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth);

/* expr_case.c: CAST, CASE and date parts: their tree and kind. */
int calx__low_case(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth);

/* expr_cond.c: the conditions: calx_cmp over expressions, IN, BETWEEN, ILIKE. */
int calx__low_cmp(low *l, const calx_expr *e, calx__node **out, unsigned depth);
int calx__low_in(low *l, const calx_expr *e, calx__node **out);
int calx__low_between(low *l, const calx_expr *e, calx__node **out);
int calx__low_ilike(low *l, const calx_expr *e, calx__node **out);

#endif
