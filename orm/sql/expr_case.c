/*
 * Casts, CASE and date parts (calx/select.h): building them, and lowering
 * them with their kinds checked on the client, as expr_value.c checks
 * the other value expressions.
 *
 * A CASE is kept as a chain: a CASE node's a is a WHEN node (a: the
 * condition, b: the value), its b the ELSE, which may be another CASE.
 * calx_expr_free walks a and b without recursion, so a chain of any
 * length frees; lowering walks the chain in a loop and writes one CASE
 * with a WHEN per link.
 */
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/compile.h"
#include "sql/expr.h"

#include "sql/expr_low.h"

calx_expr *calx_cast(calx_expr *x, calx_value_kind to)
{
	calx_expr *e = calx__expr_over(CALX_OP_CAST, x, NULL, false);
	if (!e)
		return NULL;
	e->arg = (int)to;
	if (to != CALX_VALUE_INT && to != CALX_VALUE_REAL && to != CALX_VALUE_NUMERIC && to != CALX_VALUE_TEXT)
		e->bad = "calx_cast to a kind other than CALX_VALUE_INT, _REAL, _NUMERIC or _TEXT";
	return e;
}

calx_expr *calx_case(calx_expr *cond, calx_expr *then, calx_expr *otherwise)
{
	if (!otherwise) {
		calx_expr_free(cond);
		calx_expr_free(then);
		return NULL;
	}
	calx_expr *when = calx__expr_over(CALX_OP_WHEN, cond, then, true);
	return calx__expr_over(CALX_OP_CASE, when, otherwise, true);
}

calx_expr *calx_extract(calx_date_part part, calx_expr *x)
{
	calx_expr *e = calx__expr_over(CALX_OP_EXTRACT, x, NULL, false);
	if (!e)
		return NULL;
	e->arg = (int)part;
	if (part < CALX_YEAR || part > CALX_SECOND)
		e->bad = "calx_extract of a part other than CALX_YEAR ... CALX_SECOND";
	return e;
}

/* Does SQL type t name a date or a time ("DATE", "DATETIME", "TIMESTAMP WITH TIME ZONE", "TIME")? */
static bool date_type(const char *t)
{
	return t && (!strncasecmp(t, "DATE", 4) || !strncasecmp(t, "TIME", 4));
}

/* Is f declared a date or timestamp, by its type or any dialect's variant ("postgresql:TIMESTAMP")? */
static bool date_column(const calx_field_desc *f)
{
	if (date_type(f->sql_type))
		return true;
	for (const char *const *v = f->sql_type_variants; v && *v; v++) {
		const char *colon = strchr(*v, ':');
		if (colon && date_type(colon + 1))
			return true;
	}
	return false;
}

static int lower_cast(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
{
	calx__node *x;
	kind ka;
	int rc = calx__low_value(l, e->a, &x, &ka, col, depth + 1);
	if (rc != CALX_OK)
		return rc;
	if (ka == K_BYTES || (ka == K_TEXT && e->arg != CALX_VALUE_TEXT))
		return calx_error_set(l->err, CALX_ETYPE,
		                      "select %s: calx_cast of %s to %s (%s)", l->m->name, calx__kind_names[ka],
		                      e->arg == CALX_VALUE_TEXT ? "text" : "a number",
		                      ka == K_BYTES ? "bytes cast to nothing"
		                                    : "the dialects read text that is no number differently: "
		                                      "PostgreSQL fails, SQLite takes its leading digits");
	static const char *const types[] = { NULL, "bigint", "float8", "text", NULL, "numeric" };
	*k = e->arg == CALX_VALUE_INT ? K_INT : e->arg == CALX_VALUE_REAL ? K_REAL : e->arg == CALX_VALUE_NUMERIC ? K_DEC
	                                                                                                        : K_TEXT;
	*out = calx__ast_cast(l->a, x, types[e->arg]);
	if (*out && e->arg == CALX_VALUE_INT && (ka == K_REAL || ka == K_DEC))
		(*out)->op = CALX__CAST_TRUNC;
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

static int lower_extract(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
{
	calx__node *x;
	kind ka;
	if (!e->a || e->a->op != CALX_OP_COLUMN || !e->a->col || !date_column(e->a->col))
		return fail(l, CALX_ETYPE,
		            "calx_extract of something other than a date or timestamp column (a column whose SQL "
		            "type starts with DATE, TIME or TIMESTAMP)");
	int rc = calx__low_value(l, e->a, &x, &ka, col, depth + 1);
	if (rc != CALX_OK)
		return rc;
	*k = K_INT;
	*out = calx__ast_node_of(l->a, CALX__N_EXTRACT, e->arg, x != NULL);
	if (*out)
		(*out)->kid[0] = x;
	return *out ? CALX_OK : fail(l, CALX_ENOMEM, "out of memory building a select");
}

/* CASE WHEN c THEN v ... ELSE v END: one WHEN per link of the chain, the values of one kind. */
static int lower_case(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
{
	calx__node *node = calx__ast_node(l->a, CALX__N_CASE, 0), **tail = node ? &node->kid[0] : NULL;
	kind acc = K_ANY;
	bool first = true;
	int rc;
	if (!node)
		return fail(l, CALX_ENOMEM, "out of memory building a select");
	*col = true;    /* a condition names a column: no CASE is of values only */
	const calx_expr *x = e;
	for (; x && x->op == CALX_OP_CASE && !x->bad; x = x->b) {
		const calx_expr *w = x->a;
		if (!w || w->op != CALX_OP_WHEN || !w->a || !w->b || !x->b)
			return fail(l, CALX_ENOMEM, "out of memory building an expression");
		calx__node *c, *v;
		kind kv;
		bool cv;
		if ((rc = calx__expr_lower_cond(w->a, l->a, l->sc, &c, depth + 1, l->flags, l->err)) != CALX_OK ||
		    (rc = calx__low_value(l, w->b, &v, &kv, &cv, depth + 1)) != CALX_OK)
			return rc;
		if (!calx__kinds_fit(acc, kv))
			return calx_error_set(l->err, CALX_ETYPE, "select %s: a CASE whose values are %s and %s", l->m->name,
			                      calx__kind_names[acc], calx__kind_names[kv]);
		acc = is_num(acc) && is_num(kv) ? num_result(acc, kv) : acc != K_ANY ? acc : kv;
		calx__node *when = calx__ast_node_of(l->a, CALX__N_WHEN, 0, c && v);
		if (!when)
			return fail(l, CALX_ENOMEM, "out of memory building a select");
		when->kid[0] = c;
		when->kid[1] = v;
		*tail = when;
		tail = &when->next;
		first = false;
	}
	if (first || !x)
		return fail(l, CALX_EINVAL, x && x->bad ? x->bad : "a CASE without its branches");
	calx__node *v;
	kind kv;
	bool cv;
	if ((rc = calx__low_value(l, x, &v, &kv, &cv, depth + 1)) != CALX_OK)
		return rc;
	if (!calx__kinds_fit(acc, kv))
		return calx_error_set(l->err, CALX_ETYPE, "select %s: a CASE whose values are %s and %s (its ELSE)",
		                      l->m->name, calx__kind_names[acc], calx__kind_names[kv]);
	*k = is_num(acc) && is_num(kv) ? num_result(acc, kv) : acc != K_ANY ? acc : kv;
	node->kid[1] = v;
	*out = node;
	return CALX_OK;
}

int calx__low_case(low *l, const calx_expr *e, calx__node **out, kind *k, bool *col, unsigned depth)
{
	switch (e->op) {
	case CALX_OP_CAST:
		return lower_cast(l, e, out, k, col, depth);
	case CALX_OP_EXTRACT:
		return lower_extract(l, e, out, k, col, depth);
	case CALX_OP_CASE:
		return lower_case(l, e, out, k, col, depth);
	default:
		return fail(l, CALX_EINVAL, "a WHEN outside a CASE");
	}
}
