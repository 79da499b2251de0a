/*
 * The query language's first expressions: IN over a list, BETWEEN, ILIKE,
 * and value expressions (a column, a bound value, arithmetic, ||, lower,
 * upper, length, coalesce) compared with calx_cmp. expr.c builds and
 * lowers the conditions of a column against a value; this file builds
 * the rest and lowers them into the same syntax tree.
 *
 * Kinds. Every value expression has a kind (a number, text, bytes, or any
 * for NULL), checked when the select runs, so a comparison that could only
 * fail on the server, or match nothing on SQLite, is refused on the
 * client: CALX_ETYPE. A bound value inside an expression is cast to its
 * kind's type (bigint, float8, numeric, text): PostgreSQL types a
 * parameter from its neighbour, so an unadorned 2.5 added to an integer
 * column would be read as an integer and fail the statement (aborting the
 * transaction); SQLite reads the same names as type affinities (INTEGER,
 * REAL, NUMERIC, TEXT), so the text is one for both dialects.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "sql/compile.h"
#include "sql/expr.h"
#include "mapping/value.h"

/* Numbers come in three kinds, which mix: the result of sum and avg depends on them. */
typedef enum kind { K_ANY, K_INT, K_REAL, K_DEC, K_TEXT, K_BYTES } kind;

static const char *const kind_names[] = { "NULL", "a number", "a number", "a number", "text", "bytes" };

static bool is_num(kind k)
{
	return k == K_INT || k == K_REAL || k == K_DEC;
}

/* The kind of a OP b for numbers: integers stay integers; a real makes a real; a decimal a decimal. */
static kind num_result(kind a, kind b)
{
	if (a == K_ANY)
		return b == K_ANY ? K_INT : b;
	if (b == K_ANY)
		return a;
	if (a == K_REAL || b == K_REAL)
		return K_REAL;
	return a == K_DEC || b == K_DEC ? K_DEC : K_INT;
}

static calx_expr *node(calx_op op)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (e)
		e->op = op;
	return e;
}

/* --- building ------------------------------------------------------------ */

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

calx_expr *calx_in(const calx_field_desc *col, const calx_value *vals, size_t n)
{
	return in_list(CALX_OP_IN, col, vals, NULL, n);
}

calx_expr *calx_not_in(const calx_field_desc *col, const calx_value *vals, size_t n)
{
	return in_list(CALX_OP_NOT_IN, col, vals, NULL, n);
}

calx_expr *calx_in_int64(const calx_field_desc *col, const int64_t *vals, size_t n)
{
	return in_list(CALX_OP_IN, col, NULL, vals, n);
}

/* A node owning value v (and v2): NULL when memory ran out. */
static calx_expr *with_values(calx_op op, const calx_field_desc *col, calx_value v, const calx_value *v2)
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

calx_expr *calx_between_values(const calx_field_desc *col, calx_value lo, calx_value hi)
{
	return with_values(CALX_OP_BETWEEN, col, lo, &hi);
}

calx_expr *calx_ilike(const calx_field_desc *col, const char *pattern)
{
	return with_values(CALX_OP_ILIKE, col, calx_value_text(pattern), NULL);
}

calx_expr *calx_col(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_COLUMN);
	if (e)
		e->col = col;
	return e;
}

calx_expr *calx_value_expr(calx_value v)
{
	return with_values(CALX_OP_VALUE, NULL, v, NULL);
}

/* A node over operands a and b (b NULL: one operand); the operands are freed when it cannot be made. */
static calx_expr *over(calx_op op, calx_expr *a, calx_expr *b, bool two)
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
	calx_expr *e = over(op, a, b, true);
	if (e && (op < CALX_OP_EQ || op > CALX_OP_GE))
		e->bad = "calx_cmp with an operator that is not a comparison";
	return e;
}

calx_expr *calx_add(calx_expr *a, calx_expr *b) { return over(CALX_OP_ADD, a, b, true); }
calx_expr *calx_sub(calx_expr *a, calx_expr *b) { return over(CALX_OP_SUB, a, b, true); }
calx_expr *calx_mul(calx_expr *a, calx_expr *b) { return over(CALX_OP_MUL, a, b, true); }
calx_expr *calx_div(calx_expr *a, calx_expr *b) { return over(CALX_OP_DIV, a, b, true); }
calx_expr *calx_concat(calx_expr *a, calx_expr *b) { return over(CALX_OP_CONCAT, a, b, true); }
calx_expr *calx_coalesce(calx_expr *a, calx_expr *b) { return over(CALX_OP_COALESCE, a, b, true); }
calx_expr *calx_lower(calx_expr *a) { return over(CALX_OP_LOWER, a, NULL, false); }
calx_expr *calx_upper(calx_expr *a) { return over(CALX_OP_UPPER, a, NULL, false); }
calx_expr *calx_length(calx_expr *a) { return over(CALX_OP_LENGTH, a, NULL, false); }
calx_expr *calx_count(calx_expr *a) { return over(CALX_OP_COUNT, a, NULL, false); }
calx_expr *calx_sum(calx_expr *a) { return over(CALX_OP_SUM, a, NULL, false); }
calx_expr *calx_avg(calx_expr *a) { return over(CALX_OP_AVG, a, NULL, false); }
calx_expr *calx_min(calx_expr *a) { return over(CALX_OP_MIN, a, NULL, false); }
calx_expr *calx_max(calx_expr *a) { return over(CALX_OP_MAX, a, NULL, false); }

calx_expr *calx_count_star(void)
{
	return node(CALX_OP_COUNT_STAR);
}

/* --- lowering ------------------------------------------------------------ */

typedef struct low {
	calx__ast *a;
	const calx__scope *sc;
	const calx_mapper_desc *m;      /* the select's own, for messages */
	calx_error *err;
	unsigned flags;         /* CALX__EXPR_AGGREGATES */
	bool saw_aggregate;
	bool in_aggregate;      /* lowering an aggregate's operand: no aggregate inside another */
} low;

static bool is_numeric_type(const char *t)
{
	return t && (!strncasecmp(t, "NUMERIC", 7) || !strncasecmp(t, "DECIMAL", 7));
}

static kind kind_of_column(const calx_field_desc *f)
{
	switch (f->ctype) {
	case CALX_CTYPE_STRING:
	case CALX_CTYPE_CHARARRAY:
		/* a char * holding a decimal: a number to SQL */
		return is_numeric_type(f->sql_type) ? K_DEC : K_TEXT;
	case CALX_CTYPE_CHAR:
		return K_TEXT;
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

static int fail(low *l, int code, const char *what)
{
	return calx_error_set(l->err, code, "select %s: %s", l->m->name, what);
}

/* A bound value inside an expression, cast to its kind's type (see the top of the file). */
static int lower_bound(low *l, const calx_value *v, calx__node **out, kind *k)
{
	static const char *const casts[] = { NULL, "bigint", "float8", "text", NULL, "numeric" };
	_Static_assert(CALX_VALUE_INT == 1 && CALX_VALUE_REAL == 2 && CALX_VALUE_TEXT == 3 && CALX_VALUE_BLOB == 4 &&
	                       CALX_VALUE_NUMERIC == 5,
	               "casts[] follows calx_value_kind");
	switch (v->kind) {
	case CALX_VALUE_TEXT:
		if (!calx__text_valid(v->u.s.p, v->u.s.n))
			return fail(l, CALX_ETYPE, "text that is not valid UTF-8 or holds a NUL byte");
		*k = K_TEXT;
		break;
	case CALX_VALUE_BLOB:
		*k = K_BYTES;
		break;
	case CALX_VALUE_NULL:
		*k = K_ANY;
		break;
	case CALX_VALUE_REAL:
		*k = K_REAL;
		break;
	case CALX_VALUE_NUMERIC:
		*k = K_DEC;
		break;
	default:
		*k = K_INT;
		break;
	}
	calx__node *b = calx__ast_bind(l->a, *v);
	const char *cast = (unsigned)v->kind < sizeof casts / sizeof casts[0] ? casts[v->kind] : NULL;
	*out = cast ? calx__ast_cast(l->a, b, cast) : b;
	return CALX_OK;
}

static bool fits(kind a, kind b)
{
	return a == K_ANY || b == K_ANY || a == b || (is_num(a) && is_num(b));
}

static int lower_value(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth);

/*
 * count(*), count(x), sum, avg, min, max. sum of integers and avg of
 * integers or reals are cast (bigint, float8), so both dialects hand back
 * the same kind: PostgreSQL's sum(bigint) and avg are NUMERIC, SQLite's
 * avg a REAL.
 */
static int lower_aggregate(low *l, const calx_expr *e, calx__node **out, kind *k, unsigned depth)
{
	static const char *const names[] = { "count", "count", "sum", "avg", "min", "max" };
	if (!(l->flags & CALX__EXPR_AGGREGATES))
		return fail(l, CALX_EINVAL, "an aggregate in WHERE or GROUP BY: use calx_having");
	if (l->in_aggregate)
		return fail(l, CALX_EINVAL, "an aggregate inside an aggregate");
	l->saw_aggregate = true;
	const char *name = names[e->op - CALX_OP_COUNT_STAR];
	if (e->op == CALX_OP_COUNT_STAR) {
		*k = K_INT;
		*out = calx__ast_count_star(l->a);
		return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
	}
	calx__node *x;
	kind ka;
	bool ca;
	l->in_aggregate = true;
	int rc = lower_value(l, e->a, &x, &ka, &ca, depth + 1);
	l->in_aggregate = false;
	if (rc != CALX_OK)
		return rc;
	if (!ca)
		return fail(l, CALX_EINVAL, "an aggregate of values only: compute it in C");
	const char *cast = NULL;
	switch (e->op) {
	case CALX_OP_COUNT:
		*k = K_INT;
		break;
	case CALX_OP_SUM:
	case CALX_OP_AVG:
		if (!is_num(ka))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: %s of %s", l->m->name, name, kind_names[ka]);
		*k = e->op == CALX_OP_SUM ? ka : ka == K_DEC ? K_DEC : K_REAL;
		cast = *k == K_INT ? "bigint" : *k == K_REAL ? "float8" : NULL;
		break;
	default:
		*k = ka;
		break;
	}
	*out = calx__ast_func(l->a, name, x);
	if (cast && *out)
		*out = calx__ast_cast(l->a, *out, cast);
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* A value expression: its tree, its kind, whether a column is in it. */
static int lower_value(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
{
	static const struct { calx_op op; calx__op sql; const char *func; } ops[] = {
		{ CALX_OP_ADD, CALX__OP_ADD, NULL }, { CALX_OP_SUB, CALX__OP_SUB, NULL },
		{ CALX_OP_MUL, CALX__OP_MUL, NULL }, { CALX_OP_DIV, CALX__OP_DIV, NULL },
		{ CALX_OP_CONCAT, CALX__OP_CONCAT, NULL }, { CALX_OP_COALESCE, 0, "coalesce" },
		{ CALX_OP_LOWER, 0, "lower" }, { CALX_OP_UPPER, 0, "upper" }, { CALX_OP_LENGTH, 0, "length" },
	};
	int rc;
	*out = NULL;
	*col = false;
	if (depth > CALX__MAX_DEPTH)
		return calx_error_set(l->err, CALX_EINVAL, "select %s: an expression nested deeper than %d levels",
		                      l->m->name, CALX__MAX_DEPTH);
	if (!e)
		return fail(l, CALX_ENOMEM, "out of memory building an expression");
	if (e->bad)
		return fail(l, CALX_EINVAL, e->bad);
	if (e->op == CALX_OP_COLUMN) {
		if ((rc = calx__expr_field(l->sc, l->a, e->col, e->src, out, l->err)) != CALX_OK)
			return rc;
		*k = kind_of_column(e->col);
		*col = true;
		return CALX_OK;
	}
	if (e->op == CALX_OP_VALUE) {
		if ((rc = lower_bound(l, &e->v, out, k)) != CALX_OK)
			return rc;
		return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
	}
	if (e->op >= CALX_OP_COUNT_STAR && e->op <= CALX_OP_MAX) {
		*col = true;    /* an aggregate reads rows: not a value to compute in C */
		return lower_aggregate(l, e, out, k, depth);
	}
	if (e->op == CALX_OP_SUBQUERY) {
		*col = true;    /* so does a subquery; its value may be of any kind */
		*k = K_ANY;
		return calx__expr_lower_sub_value(e, l->a, l->sc, out, l->err);
	}
	size_t i = 0;
	while (i < sizeof ops / sizeof ops[0] && ops[i].op != e->op)
		i++;
	if (i == sizeof ops / sizeof ops[0])
		return fail(l, CALX_EINVAL, "a condition where a value was expected (calx_col, calx_lit, calx_add, ...)");
	if (!e->a || (e->op != CALX_OP_LOWER && e->op != CALX_OP_UPPER && e->op != CALX_OP_LENGTH && !e->b))
		return fail(l, CALX_EINVAL, "an expression without its operands");
	calx__node *x, *y = NULL;
	kind ka, kb = K_ANY;
	bool ca, cb = false;
	if ((rc = lower_value(l, e->a, &x, &ka, &ca, depth + 1)) != CALX_OK ||
	    (e->b && (rc = lower_value(l, e->b, &y, &kb, &cb, depth + 1)) != CALX_OK))
		return rc;
	*col = ca || cb;
	if (!*col)
		return fail(l, CALX_EINVAL, "an expression of values only: compute it in C");
	switch (e->op) {
	case CALX_OP_CONCAT:
	case CALX_OP_LOWER:
	case CALX_OP_UPPER:
		if (ka != K_TEXT && ka != K_ANY)
			return calx_error_set(l->err, CALX_ETYPE, "select %s: %s of %s", l->m->name,
			                      e->op == CALX_OP_CONCAT ? "|| (calx_concat)" : "lower/upper", kind_names[ka]);
		if (e->b && kb != K_TEXT && kb != K_ANY)
			return calx_error_set(l->err, CALX_ETYPE, "select %s: || (calx_concat) of %s", l->m->name,
			                      kind_names[kb]);
		*k = K_TEXT;
		break;
	case CALX_OP_LENGTH:
		if (ka != K_TEXT && ka != K_BYTES)
			return calx_error_set(l->err, CALX_ETYPE, "select %s: length of %s", l->m->name, kind_names[ka]);
		*k = K_INT;
		break;
	case CALX_OP_COALESCE:
		if (!fits(ka, kb))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: coalesce of %s and %s", l->m->name,
			                      kind_names[ka], kind_names[kb]);
		*k = ka != K_ANY ? ka : kb;
		if (is_num(ka) && is_num(kb))
			*k = num_result(ka, kb);
		break;
	default:
		if ((!is_num(ka) && ka != K_ANY) || (!is_num(kb) && kb != K_ANY))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: arithmetic on %s", l->m->name,
			                      kind_names[!is_num(ka) && ka != K_ANY ? ka : kb]);
		*k = num_result(ka, kb);
		break;
	}
	if (ops[i].func) {
		x->next = y;
		*out = calx__ast_func(l->a, ops[i].func, x);
	} else {
		*out = calx__ast_binary(l->a, ops[i].sql, x, y);
	}
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

static bool null_value(const calx_expr *e)
{
	return e && e->op == CALX_OP_VALUE && e->v.kind == CALX_VALUE_NULL;
}

/* calx_cmp: a column against a value is checked as calx_eq checks it; anything else by kinds. */
static int lower_cmp(low *l, const calx_expr *e, calx__node **out, unsigned depth)
{
	const calx_expr *a = e->a, *b = e->b;
	if (null_value(a) || null_value(b))
		return fail(l, CALX_EINVAL, "a comparison with NULL never matches in SQL: use calx_is_null()");
	if (a && b && !a->bad && !b->bad && (a->op == CALX_OP_COLUMN) != (b->op == CALX_OP_COLUMN) &&
	    (a->op == CALX_OP_VALUE || b->op == CALX_OP_VALUE)) {
		/* a column and a value, either side: the exact checks (range, decimals) of calx_eq */
		const calx_expr *c = a->op == CALX_OP_COLUMN ? a : b, *v = a->op == CALX_OP_COLUMN ? b : a;
		calx_value bind;
		int rc;
		calx__node *cn;
		if ((rc = calx__expr_field(l->sc, l->a, c->col, c->src, &cn, l->err)) != CALX_OK ||
		    (rc = calx__expr_check_value(c->col, &v->v, &bind, l->err)) != CALX_OK)
			return rc;
		calx__node *vn = calx__ast_bind(l->a, bind);
		*out = calx__ast_binary(l->a, (calx__op)e->op, c == a ? cn : vn, c == a ? vn : cn);
		return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
	}
	calx__node *x, *y;
	kind ka, kb;
	bool ca, cb;
	int rc;
	if ((rc = lower_value(l, a, &x, &ka, &ca, depth + 1)) != CALX_OK ||
	    (rc = lower_value(l, b, &y, &kb, &cb, depth + 1)) != CALX_OK)
		return rc;
	if (!ca && !cb)
		return fail(l, CALX_EINVAL, "a comparison of values only: compute it in C");
	if (!fits(ka, kb))
		return calx_error_set(l->err, CALX_ETYPE, "select %s: %s compared with %s", l->m->name, kind_names[ka],
		                      kind_names[kb]);
	*out = calx__ast_binary(l->a, (calx__op)e->op, x, y);
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* col IN (...): every value checked as calx_eq checks one; an empty list a false condition. */
static int lower_in(low *l, const calx_expr *e, calx__node **out)
{
	calx__node *c;
	int rc = calx__expr_field(l->sc, l->a, e->col, NULL, &c, l->err);
	if (rc != CALX_OK)
		return rc;
	if (!e->n_list) {
		/* CAST(1 AS bigint) = CAST(0 AS bigint): false; NOT IN of nothing is true (1 = 1) */
		calx__node *one = calx__ast_cast(l->a, calx__ast_bind(l->a, calx_value_int(1)), "bigint");
		calx__node *other = calx__ast_cast(
			l->a, calx__ast_bind(l->a, calx_value_int(e->op == CALX_OP_NOT_IN ? 1 : 0)), "bigint");
		*out = calx__ast_binary(l->a, CALX__OP_EQ, one, other);
		return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
	}
	calx__node *items = NULL, **tail = &items;
	for (size_t i = 0; i < e->n_list; i++) {
		calx_value bind;
		if ((rc = calx__expr_check_value(e->col, &e->list[i], &bind, l->err)) != CALX_OK)
			return rc;
		if (!(*tail = calx__ast_bind(l->a, bind)))
			return fail(l, CALX_ENOMEM, "out of memory building a select");
		tail = &(*tail)->next;
	}
	*out = calx__ast_in_list(l->a, c, items, e->op == CALX_OP_NOT_IN);
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* lo <= col AND col <= hi. */
static int lower_between(low *l, const calx_expr *e, calx__node **out)
{
	calx_value lo, hi;
	calx__node *c1, *c2;
	int rc;
	if ((rc = calx__expr_field(l->sc, l->a, e->col, NULL, &c1, l->err)) != CALX_OK ||
	    (rc = calx__expr_field(l->sc, l->a, e->col, NULL, &c2, l->err)) != CALX_OK ||
	    (rc = calx__expr_check_value(e->col, &e->v, &lo, l->err)) != CALX_OK ||
	    (rc = calx__expr_check_value(e->col, &e->v2, &hi, l->err)) != CALX_OK)
		return rc;
	calx__node *ge = calx__ast_binary(l->a, CALX__OP_GE, c1, calx__ast_bind(l->a, lo));
	calx__node *le = calx__ast_binary(l->a, CALX__OP_LE, c2, calx__ast_bind(l->a, hi));
	*out = calx__ast_binary(l->a, CALX__OP_AND, ge, le);
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* lower(col) LIKE lower(pattern) ESCAPE '\': the same text on both dialects. */
static int lower_ilike(low *l, const calx_expr *e, calx__node **out)
{
	static const calx_value escape = { CALX_VALUE_TEXT, { .s = { "\\", 1 } } };
	calx__node *col;
	int rc = calx__expr_field(l->sc, l->a, e->col, NULL, &col, l->err);
	if (rc != CALX_OK)
		return rc;
	if (kind_of_column(e->col) != K_TEXT)
		return calx_error_set(l->err, CALX_ETYPE, "%s.%s ILIKE: not a text column", e->col->owner->name,
		                      e->col->name);
	if (e->v.kind != CALX_VALUE_TEXT)
		return calx_error_set(l->err, CALX_ETYPE, "%s.%s ILIKE needs a text pattern (not NULL)",
		                      e->col->owner->name, e->col->name);
	if (!calx__text_valid(e->v.u.s.p, e->v.u.s.n))
		return calx_error_set(l->err, CALX_ETYPE, "%s.%s ILIKE: a pattern that is not valid UTF-8",
		                      e->col->owner->name, e->col->name);
	calx__node *c = calx__ast_func(l->a, "lower", col);
	calx__node *p = calx__ast_func(l->a, "lower", calx__ast_cast(l->a, calx__ast_bind(l->a, e->v), "text"));
	*out = calx__ast_like(l->a, c, p, calx__ast_bind(l->a, escape));
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

int calx__expr_lower_value(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                           unsigned flags, calx__node **out, bool *aggregate, calx_error *err)
{
	low l = { a, sc, sc->m, err, flags, false, false };
	kind k;
	bool col;
	int rc = lower_value(&l, e, out, &k, &col, 0);
	if (rc == CALX_OK && !col)
		rc = fail(&l, CALX_EINVAL, "a select of values only: compute it in C");
	*aggregate = l.saw_aggregate;
	return rc;
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

int calx__expr_lower_more(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                          calx__node **out, unsigned depth, unsigned flags, calx_error *err)
{
	low l = { a, sc, sc->m, err, flags, false, false };
	*out = NULL;
	switch (e->op) {
	case CALX_OP_IN:
	case CALX_OP_NOT_IN:
		return lower_in(&l, e, out);
	case CALX_OP_BETWEEN:
		return lower_between(&l, e, out);
	case CALX_OP_ILIKE:
		return lower_ilike(&l, e, out);
	case CALX_OP_EQ:
	case CALX_OP_NE:
	case CALX_OP_LT:
	case CALX_OP_LE:
	case CALX_OP_GT:
	case CALX_OP_GE:
		return lower_cmp(&l, e, out, depth);
	case CALX_OP_EXISTS:
	case CALX_OP_IN_SELECT:
	case CALX_OP_NOT_IN_SELECT:
	case CALX_OP_ANY:
	case CALX_OP_HAS:
		return calx__expr_lower_sub_cond(e, a, sc, out, depth, err);
	default:
		return fail(&l, CALX_EINVAL, "a value expression where a condition was expected (compare it: calx_cmp)");
	}
}
