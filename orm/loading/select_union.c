/*
 * UNION and UNION ALL of selects of values (SQLAlchemy's union and
 * union_all): calx_union(a, b, all) is itself a select, read with
 * calx_select_next_values, with its own ORDER BY, LIMIT and OFFSET.
 *
 * A union's rows have no table: its ORDER BY names values of its first
 * select (a column or an expression equal to one of them), written as
 * their positions (ORDER BY 2), which both dialects read the same way.
 * Where and grouping belong to the selects inside it, so a union refuses
 * them. The selects must have the same number of values, and values of
 * the same place must be of one kind (numbers, text or bytes) where the
 * kind is known before running: PostgreSQL refuses "UNION types text and
 * bigint cannot be matched", aborting the transaction, and SQLite returns
 * the mix; neither is what the program meant.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "loading/select_int.h"

/* The first select of a union (of unions): its values name the union's. */
static const calx_select *leftmost(const calx_select *q)
{
	while (q->set_left)
		q = q->set_left;
	return q;
}

/* What a value is, as far as it is known before running. */
typedef enum vkind { V_UNKNOWN, V_NUMBER, V_TEXT, V_BYTES } vkind;

static const char *const vkind_names[] = { "unknown", "a number", "text", "bytes" };

static vkind column_kind(const calx_field_desc *f)
{
	switch (f->ctype) {
	case CALX_CTYPE_STRING:
	case CALX_CTYPE_CHARARRAY:
		/* a char * holding a decimal is a number to SQL */
		return f->sql_type && (!strncmp(f->sql_type, "NUMERIC", 7) || !strncmp(f->sql_type, "numeric", 7) ||
		                       !strncmp(f->sql_type, "DECIMAL", 7) || !strncmp(f->sql_type, "decimal", 7))
		               ? V_NUMBER
		               : V_TEXT;
	case CALX_CTYPE_CHAR:
		return V_TEXT;
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
		return V_BYTES;
	default:
		return V_NUMBER;
	}
}

static vkind expr_kind(const calx_expr *e)
{
	if (!e)
		return V_UNKNOWN;
	switch (e->op) {
	case CALX_OP_COLUMN: return column_kind(e->col);
	case CALX_OP_VALUE:
		return e->v.kind == CALX_VALUE_TEXT ? V_TEXT
		       : e->v.kind == CALX_VALUE_BLOB ? V_BYTES
		       : e->v.kind == CALX_VALUE_NULL ? V_UNKNOWN
		                                      : V_NUMBER;
	case CALX_OP_ADD: case CALX_OP_SUB: case CALX_OP_MUL: case CALX_OP_DIV:
	case CALX_OP_LENGTH: case CALX_OP_COUNT_STAR: case CALX_OP_COUNT: case CALX_OP_SUM: case CALX_OP_AVG:
		return V_NUMBER;
	case CALX_OP_CONCAT: case CALX_OP_LOWER: case CALX_OP_UPPER: return V_TEXT;
	case CALX_OP_MIN: case CALX_OP_MAX: return expr_kind(e->a);
	case CALX_OP_EXTRACT: return V_NUMBER;
	case CALX_OP_CAST: return e->arg == CALX_VALUE_TEXT ? V_TEXT : V_NUMBER;
	default: return V_UNKNOWN;          /* coalesce, a subquery: known only to the server */
	}
}

/* The kind of value i of q (a select of values or a union). */
static vkind value_kind(const calx_select *q, size_t i)
{
	q = leftmost(q);
	return q->exprs ? expr_kind(q->exprs[i]) : column_kind(q->cols[i]);
}

/* Why a can not be an operand of a union, or NULL. */
static const char *unfit(const calx_select *a)
{
	if (!calx__select_width(a))
		return "a select of objects: a union is of selects of values (calx_select_exprs or calx_select_columns)";
	if (a->started)
		return "a select that ran already";
	if (a->n_loads)
		return "a select that loads relationships";
	return NULL;
}

static calx_select *set_operation(calx_select *a, calx_select *b, int op, const char *name)
{
	if (!a || !b) {
		calx_select_free(a);
		calx_select_free(b);
		return NULL;
	}
	calx_select *u = calx__calloc(1, sizeof *u);
	if (!u) {
		calx__fail(a->s, CALX_ENOMEM, "out of memory creating a union of selects of %s", a->m->desc->name);
		calx_select_free(a);
		calx_select_free(b);
		return NULL;
	}
	u->s = a->s;
	u->m = a->m;
	u->limit = -1;
	u->set_left = a;
	u->set_right = b;
	u->set_op = op;
	char msg[192];
	const char *bad = unfit(a), *side = "first";
	if (!bad && (bad = unfit(b)))
		side = "second";
	if (bad) {
		snprintf(msg, sizeof msg, "%s: its %s select is %s", name, side, bad);
		calx__select_builder_error(u, CALX_EINVAL, msg);
		return u;
	}
	if (a->s != b->s) {
		snprintf(msg, sizeof msg, "%s of selects of two sessions", name);
		calx__select_builder_error(u, CALX_EINVAL, msg);
		return u;
	}
	size_t n = calx__select_width(a), nb = calx__select_width(b);
	if (n != nb) {
		snprintf(msg, sizeof msg, "%s of a select of %zu values and one of %zu: they must have as many", name,
		         n, nb);
		calx__select_builder_error(u, CALX_EINVAL, msg);
		return u;
	}
	for (size_t i = 0; i < n; i++) {
		vkind ka = value_kind(a, i), kb = value_kind(b, i);
		if (ka != V_UNKNOWN && kb != V_UNKNOWN && ka != kb) {
			snprintf(msg, sizeof msg, "%s: value %zu is %s in the first select and %s in the second", name,
			         i + 1, vkind_names[ka], vkind_names[kb]);
			calx__select_builder_error(u, CALX_ETYPE, msg);
			return u;
		}
	}
	return u;
}

calx_select *calx_union(calx_select *a, calx_select *b, bool all)
{
	return set_operation(a, b, all ? CALX__SET_UNION_ALL : CALX__SET_UNION, "calx_union");
}

calx_select *calx_intersect(calx_select *a, calx_select *b, bool all)
{
	return set_operation(a, b, all ? CALX__SET_INTERSECT_ALL : CALX__SET_INTERSECT, "calx_intersect");
}

calx_select *calx_except(calx_select *a, calx_select *b, bool all)
{
	return set_operation(a, b, all ? CALX__SET_EXCEPT_ALL : CALX__SET_EXCEPT, "calx_except");
}

/* The calx kind of value i of q (a select of values or a set operation), as far as it is known; NULL: unknown. */
calx_value_kind calx__select_value_kind(const calx_select *q, size_t i)
{
	q = leftmost(q);
	const calx_expr *e = q->exprs ? q->exprs[i] : NULL;
	const calx_field_desc *f = q->cols ? q->cols[i] : e && e->op == CALX_OP_COLUMN ? e->col : NULL;
	if (f) {
		switch (column_kind(f)) {
		case V_TEXT: return CALX_VALUE_TEXT;
		case V_BYTES: return CALX_VALUE_BLOB;
		default:
			if (f->ctype == CALX_CTYPE_FLOAT || f->ctype == CALX_CTYPE_DOUBLE)
				return CALX_VALUE_REAL;
			return f->ctype <= CALX_CTYPE_BOOL ? CALX_VALUE_INT : CALX_VALUE_NUMERIC;
		}
	}
	if (!e)
		return CALX_VALUE_NULL;
	switch (e->op) {
	case CALX_OP_VALUE: return e->v.kind;
	case CALX_OP_COUNT_STAR: case CALX_OP_COUNT: case CALX_OP_LENGTH: case CALX_OP_EXTRACT: return CALX_VALUE_INT;
	case CALX_OP_AVG: return CALX_VALUE_REAL;
	case CALX_OP_CAST: return (calx_value_kind)e->arg;
	case CALX_OP_CONCAT: case CALX_OP_LOWER: case CALX_OP_UPPER: return CALX_VALUE_TEXT;
	default: return CALX_VALUE_NULL;   /* arithmetic, sum, min, max, coalesce, case: known to the server */
	}
}

/* 1 + the place among the first select's values of order item o, or 0. */
static size_t order_position(const calx_select *u, const order_item *o)
{
	const calx_select *first = leftmost(u);
	size_t n = calx__select_width(first);
	for (size_t i = 0; i < n && i < UINT16_MAX; i++) {
		if (first->cols) {
			if (o->col && first->cols[i] == o->col)
				return i + 1;
			if (o->expr && o->expr->op == CALX_OP_COLUMN && !o->expr->src && o->expr->col == first->cols[i])
				return i + 1;
			continue;
		}
		const calx_expr *x = first->exprs[i];
		if (o->expr ? calx__expr_same(x, o->expr) : x->op == CALX_OP_COLUMN && !x->src && x->col == o->col)
			return i + 1;
	}
	return 0;
}

static int refuse(calx_select *u, int code, const char *what)
{
	return calx_error_set(&u->s->err, code, "select %s: %s", u->m->desc->name, what);
}

int calx__union_build(calx_select *u, calx__ast *a, const calx__scope *outer, unsigned *aliases, calx__node **out)
{
	if (u->where || u->n_group || u->having || u->distinct || u->n_joins || u->n_loads || u->exprs || u->cols)
		return refuse(u, CALX_EINVAL,
		              "a set operation (union, intersect, except) takes calx_order_by, calx_limit and "
		              "calx_offset; filter, group, join or choose values in the selects inside it");
	calx_select *sides[2] = { u->set_left, u->set_right };
	calx__node *operand[2];
	int rc;
	for (int i = 0; i < 2; i++) {
		calx_select *q = sides[i];
		if (q->err.code) {
			u->s->err = q->err;
			return q->err.code;
		}
		if ((rc = calx__select_build_in(q, a, outer, aliases, &operand[i])) != CALX_OK)
			return rc;
	}
	calx__node *n = calx__ast_setop(a, u->set_op, operand[0], operand[1]);
	if (!n)
		return refuse(u, CALX_ENOMEM, "out of memory building a union");
	calx__node **tail = &n->kid[CALX__SETOP_ORDER];
	for (size_t i = 0; i < u->n_order; i++) {
		const order_item *o = &u->order[i];
		size_t at = order_position(u, o);
		if (!at)
			return refuse(u, CALX_EINVAL,
			              "a union is ordered by its values: an order_by item must be one of its first "
			              "select's values");
		calx__node *item = calx__ast_order(a, calx__ast_position(a, (unsigned)at),
		                                   o->dir & CALX_DESC ? CALX__DESC : CALX__ASC);
		if (!item)
			return refuse(u, CALX_ENOMEM, "out of memory building a union");
		item->flags |= o->dir & CALX_NULLS_FIRST ? CALX__NULLS_FIRST : o->dir & CALX_NULLS_LAST ? CALX__NULLS_LAST : 0;
		*tail = item;
		tail = &item->next;
	}
	if (u->limit >= 0)
		n->kid[CALX__SETOP_LIMIT] = calx__ast_bind(a, calx_value_int(u->limit));
	if (u->offset > 0)
		n->kid[CALX__SETOP_OFFSET] = calx__ast_bind(a, calx_value_int(u->offset));
	if (a->oom)
		return refuse(u, CALX_ENOMEM, "out of memory building a union");
	*out = n;
	return CALX_OK;
}
