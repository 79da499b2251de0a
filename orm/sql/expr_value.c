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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/utf8.h"
#include "sql/compile.h"
#include "sql/expr.h"
#include "mapping/value.h"

#include "sql/expr_low.h"

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
	int rc = calx__low_value(l, e->a, &x, &ka, &ca, depth + 1);
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
			return calx_error_set(l->err, CALX_ETYPE, "select %s: %s of %s", l->m->name, name, calx__kind_names[ka]);
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

/*
 * A value of a derived table (calx_set_col): column calx_c<i+1> of the
 * from-element the select reads (orm/loading/select_derived.c names them
 * so), of the kind its first select's value has, when that is known.
 */
static int lower_set_column(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col)
{
	static const kind kinds[] = { K_ANY, K_INT, K_REAL, K_TEXT, K_BYTES, K_DEC };
	const calx__scope_entry *hit = NULL;
	for (const calx__scope *at = l->sc; at && !hit; at = at->outer)
		for (size_t i = 0; i < at->n && !hit; i++)
			if (e->src && at->entries[i].handle == e->src)
				hit = &at->entries[i];
	if (!hit)
		return fail(l, CALX_EINVAL, "calx_set_col of another select than this one or one enclosing it");
	char name[24];
	snprintf(name, sizeof name, "calx_c%d", e->arg + 1);
	*out = calx__ast_column(l->a, hit->node, calx__ast_strndup(l->a, name, strlen(name)));
	*k = (unsigned)e->hint < sizeof kinds / sizeof kinds[0] ? kinds[e->hint] : K_ANY;
	*col = true;
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* A value expression: its tree, its kind, whether a column is in it. */
int calx__low_value(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
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
	if (e->op == CALX_OP_SET_COLUMN)
		return lower_set_column(l, e, out, k, col);
	if (e->op >= CALX_OP_CAST && e->op <= CALX_OP_EXTRACT)
		return calx__low_case(l, e, out, k, col, depth);
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
	if ((rc = calx__low_value(l, e->a, &x, &ka, &ca, depth + 1)) != CALX_OK ||
	    (e->b && (rc = calx__low_value(l, e->b, &y, &kb, &cb, depth + 1)) != CALX_OK))
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
			                      e->op == CALX_OP_CONCAT ? "|| (calx_concat)" : "lower/upper", calx__kind_names[ka]);
		if (e->b && kb != K_TEXT && kb != K_ANY)
			return calx_error_set(l->err, CALX_ETYPE, "select %s: || (calx_concat) of %s", l->m->name,
			                      calx__kind_names[kb]);
		*k = K_TEXT;
		break;
	case CALX_OP_LENGTH:
		if (ka != K_TEXT && ka != K_BYTES)
			return calx_error_set(l->err, CALX_ETYPE, "select %s: length of %s", l->m->name, calx__kind_names[ka]);
		*k = K_INT;
		break;
	case CALX_OP_COALESCE:
		if (!calx__kinds_fit(ka, kb))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: coalesce of %s and %s", l->m->name,
			                      calx__kind_names[ka], calx__kind_names[kb]);
		*k = ka != K_ANY ? ka : kb;
		if (is_num(ka) && is_num(kb))
			*k = num_result(ka, kb);
		break;
	default:
		if ((!is_num(ka) && ka != K_ANY) || (!is_num(kb) && kb != K_ANY))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: arithmetic on %s", l->m->name,
			                      calx__kind_names[!is_num(ka) && ka != K_ANY ? ka : kb]);
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

int calx__expr_lower_value(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                           unsigned flags, calx__node **out, bool *aggregate, calx_error *err)
{
	low l = { a, sc, sc->m, err, flags, false, false };
	kind k;
	bool col;
	int rc = calx__low_value(&l, e, out, &k, &col, 0);
	if (rc == CALX_OK && !col)
		rc = fail(&l, CALX_EINVAL, "a select of values only: compute it in C");
	*aggregate = l.saw_aggregate;
	return rc;
}

int calx__expr_lower_more(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                          calx__node **out, unsigned depth, unsigned flags, calx_error *err)
{
	low l = { a, sc, sc->m, err, flags, false, false };
	*out = NULL;
	switch (e->op) {
	case CALX_OP_IN:
	case CALX_OP_NOT_IN:
		return calx__low_in(&l, e, out);
	case CALX_OP_BETWEEN:
		return calx__low_between(&l, e, out);
	case CALX_OP_ILIKE:
		return calx__low_ilike(&l, e, out);
	case CALX_OP_EQ:
	case CALX_OP_NE:
	case CALX_OP_LT:
	case CALX_OP_LE:
	case CALX_OP_GT:
	case CALX_OP_GE:
		return calx__low_cmp(&l, e, out, depth);
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
