/*
 * Building the public expressions (calx/select.h): IN lists, BETWEEN,
 * ILIKE, columns and values, calx_cmp, arithmetic, functions and
 * aggregates, each a heap node that owns its values and operands; and the
 * tree comparisons GROUP BY needs (the same expression, a value inside).
 * Lowering them to SQL is expr_value.c's.
 */
#include <stdbool.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "mapping/value.h"

static calx_expr *node(calx_op op)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (e)
		e->op = op;
	return e;
}

static calx_expr *in_list(calx_op op, const calx_field_desc *col, const calx_value *vals, const int64_t *ints,
                          size_t n)
{
	calx_expr *e = node(op);
	if (!e)
		return NULL;
	e->col = col;
	if (n && !vals && !ints) {
		e->bad = "an IN list of values with a NULL array";
		return e;
	}
	if (n && !(e->list = calx__calloc(n, sizeof *e->list))) {
		calx__free(e);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		calx_value v = ints ? calx_value_int(ints[i]) : vals[i];
		if (calx__value_span_bad(&v)) {
			e->bad = "invalid text value in an IN list (a NULL pointer with a length, or a length beyond any string)";
			break;
		}
		e->list[i] = v;
		e->n_list = i + 1;
		if (!calx__expr_own(&e->list[i])) {
			calx_expr_free(e);
			return NULL;
		}
	}
	return e;
}

calx_expr *(calx_in)(const calx_field_desc *col, const calx_value *vals, size_t n)
{
	return in_list(CALX_OP_IN, col, vals, NULL, n);
}

calx_expr *(calx_not_in)(const calx_field_desc *col, const calx_value *vals, size_t n)
{
	return in_list(CALX_OP_NOT_IN, col, vals, NULL, n);
}

calx_expr *(calx_in_int64)(const calx_field_desc *col, const int64_t *vals, size_t n)
{
	return in_list(CALX_OP_IN, col, NULL, vals, n);
}

calx_expr *calx__expr_with_values(calx_op op, const calx_field_desc *col, calx_value v, const calx_value *v2)
{
	calx_expr *e = node(op);
	if (!e)
		return NULL;
	e->col = col;
	if (calx__value_span_bad(&v) || (v2 && calx__value_span_bad(v2))) {
		e->bad = "invalid text value (a NULL pointer with a length, or a length beyond any string)";
		return e;
	}
	e->v = v;
	if (v2)
		e->v2 = *v2;
	if (!calx__expr_own(&e->v) || (v2 && !calx__expr_own(&e->v2))) {
		calx_expr_free(e);
		return NULL;
	}
	return e;
}

calx_expr *(calx_between_values)(const calx_field_desc *col, calx_value lo, calx_value hi)
{
	return calx__expr_with_values(CALX_OP_BETWEEN, col, lo, &hi);
}

calx_expr *(calx_ilike)(const calx_field_desc *col, const char *pattern)
{
	return calx__expr_with_values(CALX_OP_ILIKE, col, calx_value_text(pattern), NULL);
}

calx_expr *(calx_col)(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_COLUMN);
	if (e)
		e->col = col;
	return e;
}

calx_expr *calx_value_expr(calx_value v)
{
	return calx__expr_with_values(CALX_OP_VALUE, NULL, v, NULL);
}

calx_expr *calx__expr_over(calx_op op, calx_expr *a, calx_expr *b, bool two)
{
	calx_expr *e = a && (b || !two) ? node(op) : NULL;
	if (!e) {
		calx_expr_free(a);
		calx_expr_free(b);
		return NULL;
	}
	e->a = a;
	e->b = b;
	return e;
}

calx_expr *calx_cmp(calx_op op, calx_expr *a, calx_expr *b)
{
	calx_expr *e = calx__expr_over(op, a, b, true);
	if (e && (op < CALX_OP_EQ || op > CALX_OP_GE))
		e->bad = "calx_cmp with an operator that is not a comparison";
	return e;
}

calx_expr *calx_add(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_ADD, a, b, true); }
calx_expr *calx_sub(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_SUB, a, b, true); }
calx_expr *calx_mul(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_MUL, a, b, true); }
calx_expr *calx_div(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_DIV, a, b, true); }
calx_expr *calx_concat(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_CONCAT, a, b, true); }
calx_expr *calx_coalesce(calx_expr *a, calx_expr *b) { return calx__expr_over(CALX_OP_COALESCE, a, b, true); }
calx_expr *calx_lower(calx_expr *a) { return calx__expr_over(CALX_OP_LOWER, a, NULL, false); }
calx_expr *calx_upper(calx_expr *a) { return calx__expr_over(CALX_OP_UPPER, a, NULL, false); }
calx_expr *calx_length(calx_expr *a) { return calx__expr_over(CALX_OP_LENGTH, a, NULL, false); }
calx_expr *calx_count(calx_expr *a) { return calx__expr_over(CALX_OP_COUNT, a, NULL, false); }
calx_expr *calx_sum(calx_expr *a) { return calx__expr_over(CALX_OP_SUM, a, NULL, false); }
calx_expr *calx_avg(calx_expr *a) { return calx__expr_over(CALX_OP_AVG, a, NULL, false); }
calx_expr *calx_min(calx_expr *a) { return calx__expr_over(CALX_OP_MIN, a, NULL, false); }
calx_expr *calx_max(calx_expr *a) { return calx__expr_over(CALX_OP_MAX, a, NULL, false); }

calx_expr *calx_count_star(void)
{
	return node(CALX_OP_COUNT_STAR);
}

/* Same tree: operator, column, value, operands. */
static bool same_expr(const calx_expr *x, const calx_expr *y)
{
	if (x == y)
		return true;
	if (!x || !y || x->op != y->op || x->col != y->col || x->src != y->src || x->n_list || y->n_list || x->sub ||
	    y->sub || x->rel != y->rel)
		return false;
	if (x->op == CALX_OP_VALUE) {
		if (x->v.kind != y->v.kind)
			return false;
		switch (x->v.kind) {
		case CALX_VALUE_INT: if (x->v.u.i != y->v.u.i) return false; break;
		case CALX_VALUE_REAL: if (x->v.u.d != y->v.u.d) return false; break;
		case CALX_VALUE_NULL: break;
		default:
			if (x->v.u.s.n != y->v.u.s.n || memcmp(x->v.u.s.p, y->v.u.s.p, x->v.u.s.n))
				return false;
		}
	}
	return same_expr(x->a, y->a) && same_expr(x->b, y->b);
}

bool calx__expr_has_value(const calx_expr *e)
{
	if (!e)
		return false;
	if (e->op == CALX_OP_VALUE || e->n_list || e->sub || (e->col && e->op != CALX_OP_COLUMN))
		return true;    /* a bound value, a condition of a column against one, a subquery */
	return calx__expr_has_value(e->a) || calx__expr_has_value(e->b);
}

static bool grouped_at(const calx_expr *e, calx_expr *const *groups, size_t n, bool top)
{
	if (!e || e->op == CALX_OP_VALUE || e->sub || (e->op >= CALX_OP_COUNT_STAR && e->op <= CALX_OP_MAX))
		return true;
	for (size_t i = 0; i < n; i++)
		if (same_expr(e, groups[i]))
			return top || !calx__expr_has_value(groups[i]);
	if (e->op == CALX_OP_COLUMN || e->col)
		return false;   /* a column (or a condition on one) no GROUP BY item covers */
	return grouped_at(e->a, groups, n, false) && grouped_at(e->b, groups, n, false);
}

bool calx__expr_grouped(const calx_expr *e, calx_expr *const *groups, size_t n, bool top_ok)
{
	return grouped_at(e, groups, n, top_ok);
}

bool calx__expr_same(const calx_expr *x, const calx_expr *y)
{
	return same_expr(x, y);
}
