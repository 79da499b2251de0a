/*
 * The query language's conditions, lowered: calx_cmp over two value
 * expressions (a column against a value checked exactly as calx_eq checks
 * it, anything else by kinds), IN over a list, BETWEEN, ILIKE.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/utf8.h"
#include "sql/expr_low.h"
#include "sql/in_json.h"
#include "mapping/value.h"

static bool null_value(const calx_expr *e)
{
	return e && e->op == CALX_OP_VALUE && e->v.kind == CALX_VALUE_NULL;
}

/* calx_cmp: a column against a value is checked as calx_eq checks it; anything else by kinds. */
int calx__low_cmp(low *l, const calx_expr *e, calx__node **out, unsigned depth)
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
	if ((rc = calx__low_value(l, a, &x, &ka, &ca, depth + 1)) != CALX_OK ||
	    (rc = calx__low_value(l, b, &y, &kb, &cb, depth + 1)) != CALX_OK)
		return rc;
	if (!ca && !cb)
		return fail(l, CALX_EINVAL, "a comparison of values only: compute it in C");
	if (!calx__kinds_fit(ka, kb))
		return calx_error_set(l->err, CALX_ETYPE, "select %s: %s compared with %s", l->m->name, calx__kind_names[ka],
		                      calx__kind_names[kb]);
	*out = calx__ast_binary(l->a, (calx__op)e->op, x, y);
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* col IN (...): every value checked as calx_eq checks one; an empty list a false condition. */
int calx__low_in(low *l, const calx_expr *e, calx__node **out)
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
	bool as_json = e->n_list > CALX__IN_JSON_MIN;
	calx_value *binds = as_json ? calx__ast_alloc(l->a, e->n_list * sizeof *binds) : NULL;
	if (as_json && !binds)
		return fail(l, CALX_ENOMEM, "out of memory building a select");
	calx__node *items = NULL, **tail = &items;
	for (size_t i = 0; i < e->n_list; i++) {
		calx_value bind;
		if ((rc = calx__expr_check_value(e->col, &e->list[i], &bind, l->err)) != CALX_OK)
			return rc;
		if (as_json) {
			binds[i] = bind;
			continue;
		}
		if (!(*tail = calx__ast_bind(l->a, bind)))
			return fail(l, CALX_ENOMEM, "out of memory building a select");
		tail = &(*tail)->next;
	}
	if (as_json) {
		/* one parameter, a JSON array (sql/in_json.c), unless a value has no exact JSON form */
		calx_value json;
		rc = calx__in_json(l->a, binds, e->n_list, &json);
		if (rc == CALX_ENOMEM)
			return fail(l, CALX_ENOMEM, "out of memory building a select");
		for (size_t i = 0; i < e->n_list && rc != CALX_OK; i++) {
			if (!(*tail = calx__ast_bind(l->a, binds[i])))
				return fail(l, CALX_ENOMEM, "out of memory building a select");
			tail = &(*tail)->next;
		}
		if (rc == CALX_OK && !(items = calx__ast_bind(l->a, json)))
			return fail(l, CALX_ENOMEM, "out of memory building a select");
		as_json = rc == CALX_OK;
	}
	*out = calx__ast_in_list(l->a, c, items, e->op == CALX_OP_NOT_IN);
	if (*out && as_json)
		(*out)->flags |= CALX__F_JSON;
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* lo <= col AND col <= hi. */
int calx__low_between(low *l, const calx_expr *e, calx__node **out)
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
int calx__low_ilike(low *l, const calx_expr *e, calx__node **out)
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
