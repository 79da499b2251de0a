/*
 * The session's side of UPDATE and DELETE by criteria (calx/bulk.h).
 *
 * Evaluation in C follows SQL's three-valued logic: a comparison with NULL
 * is unknown, NOT unknown is unknown, and only a true where matches. What
 * C cannot decide the way the database would is refused before the
 * statement is sent (SQLAlchemy's evaluator raises the same way): LIKE and
 * ILIKE (case rules), arithmetic and functions, subqueries, an order
 * comparison of text or bytes (the database's collation), decimals
 * (NUMERIC columns and values), columns of another table.
 *
 * Applying the change: the values go into the field and its snapshot (the
 * row has them now, so the next flush sees no change), after the object's
 * state is kept for a rollback (calx__undo_keep) and, inside a savepoint,
 * noted for a rollback to it. Where that cannot be done -- a value that is
 * an expression, a text too long for a char[N], memory running out -- the
 * object is expired instead: its next handing out reloads the row, which
 * is always right.
 */
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/value.h"
#include "session/bulk_sync.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"

#define EVAL_DEPTH 1000

typedef enum tri { T_FALSE, T_TRUE, T_UNKNOWN } tri;

typedef struct ev {
	calx_session *s;
	const calx__mapper *m;
	calx__obj *h;           /* NULL: check only */
	const char *what;
} ev;

static int cannot(ev *x, const char *why)
{
	return calx__fail(x->s, CALX_EINVAL,
	                  "%s: the where clause cannot be evaluated in C (%s): use CALX_SYNC_FETCH or CALX_SYNC_NONE",
	                  x->what, why);
}

static bool decimal_column(const calx_field_desc *f)
{
	return f->sql_type && (!strncasecmp(f->sql_type, "NUMERIC", 7) || !strncasecmp(f->sql_type, "DECIMAL", 7));
}

static bool ordered_only_by_db(const calx_field_desc *f)
{
	return f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY || f->ctype == CALX_CTYPE_CHAR ||
	       f->ctype == CALX_CTYPE_BYTEARRAY || f->ctype == CALX_CTYPE_BYTES;
}

/* A column of the statement's table that C can read as the database would. */
static int column_ok(ev *x, const calx_field_desc *col)
{
	const calx_mapper_desc *md = x->m->desc;
	if (!col || col->owner != md || col < md->fields || col >= md->fields + md->n_fields)
		return cannot(x, "a column of another table");
	if (decimal_column(col))
		return cannot(x, "a decimal column");
	return CALX_OK;
}

/* Column col's value in the object (x->h); NULL as a NULL value. */
static int column_value(ev *x, const calx_field_desc *col, calx_value *out)
{
	out->kind = CALX_VALUE_NULL;
	if (!x->h)
		return CALX_OK;
	unsigned i = (unsigned)(col - x->m->desc->fields);
	return calx__field_get(col, calx__obj_ptr(x->h), calx__bit(calx__obj_nulls(x->h), i), out, &x->s->err);
}

static bool is_number(const calx_value *v)
{
	return v->kind == CALX_VALUE_INT || v->kind == CALX_VALUE_REAL;
}

/* a op b, SQL's way; kinds that do not compare are unknown (the statement's lowering refused them already) */
static tri compare(calx_op op, const calx_value *a, const calx_value *b)
{
	if (a->kind == CALX_VALUE_NULL || b->kind == CALX_VALUE_NULL)
		return T_UNKNOWN;
	int c;
	if (is_number(a) && is_number(b)) {
		if (a->kind == CALX_VALUE_INT && b->kind == CALX_VALUE_INT) {
			c = (a->u.i > b->u.i) - (a->u.i < b->u.i);
		} else {
			double p = a->kind == CALX_VALUE_INT ? (double)a->u.i : a->u.d;
			double q = b->kind == CALX_VALUE_INT ? (double)b->u.i : b->u.d;
			c = (p > q) - (p < q);
		}
	} else if (a->kind == b->kind && (a->kind == CALX_VALUE_TEXT || a->kind == CALX_VALUE_BLOB)) {
		size_t n = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
		c = n ? memcmp(a->u.s.p, b->u.s.p, n) : 0;
		if (!c)
			c = (a->u.s.n > b->u.s.n) - (a->u.s.n < b->u.s.n);
	} else {
		return T_UNKNOWN;
	}
	switch (op) {
	case CALX_OP_EQ: return c == 0 ? T_TRUE : T_FALSE;
	case CALX_OP_NE: return c != 0 ? T_TRUE : T_FALSE;
	case CALX_OP_LT: return c < 0 ? T_TRUE : T_FALSE;
	case CALX_OP_LE: return c <= 0 ? T_TRUE : T_FALSE;
	case CALX_OP_GT: return c > 0 ? T_TRUE : T_FALSE;
	default: return c >= 0 ? T_TRUE : T_FALSE;
	}
}

/* A bound value as the column compares with it (calx_eq's conversions); decimals refused. */
static int bound(ev *x, const calx_field_desc *col, const calx_value *v, calx_value *out)
{
	if (v->kind == CALX_VALUE_NUMERIC)
		return cannot(x, "a decimal value");
	if (v->kind == CALX_VALUE_NULL) {
		*out = *v;
		return CALX_OK;
	}
	return calx__expr_check_value(col, v, out, &x->s->err);
}

/* An operand of calx_cmp: a column or a bound value. */
static int operand(ev *x, const calx_expr *e, const calx_field_desc **col, calx_value *out)
{
	int rc;
	*col = NULL;
	if (e && e->op == CALX_OP_COLUMN) {
		if (e->src)
			return cannot(x, "a column of a joined table");
		if ((rc = column_ok(x, e->col)) != CALX_OK)
			return rc;
		*col = e->col;
		return column_value(x, e->col, out);
	}
	if (e && e->op == CALX_OP_VALUE) {
		if (e->v.kind == CALX_VALUE_NUMERIC)
			return cannot(x, "a decimal value");
		*out = e->v;
		return CALX_OK;
	}
	return cannot(x, "arithmetic, a function or a subquery");
}

static int eval(ev *x, const calx_expr *e, unsigned depth, tri *out);

static int junction(ev *x, const calx_expr *e, unsigned depth, tri *out)
{
	tri a, b = T_FALSE;
	int rc = eval(x, e->a, depth + 1, &a);
	if (rc == CALX_OK && e->op != CALX_OP_NOT)
		rc = eval(x, e->b, depth + 1, &b);
	if (rc != CALX_OK)
		return rc;
	if (e->op == CALX_OP_NOT)
		*out = a == T_UNKNOWN ? T_UNKNOWN : a == T_TRUE ? T_FALSE : T_TRUE;
	else if (e->op == CALX_OP_AND)
		*out = a == T_FALSE || b == T_FALSE ? T_FALSE : a == T_UNKNOWN || b == T_UNKNOWN ? T_UNKNOWN : T_TRUE;
	else
		*out = a == T_TRUE || b == T_TRUE ? T_TRUE : a == T_UNKNOWN || b == T_UNKNOWN ? T_UNKNOWN : T_FALSE;
	return CALX_OK;
}

/* col IN (list): true on a match; else unknown if col or an item is NULL */
static int in_list(ev *x, const calx_expr *e, tri *out)
{
	calx_value v, item;
	int rc = column_value(x, e->col, &v);
	bool saw_null = v.kind == CALX_VALUE_NULL;
	*out = T_FALSE;
	for (size_t i = 0; rc == CALX_OK && i < e->n_list && *out != T_TRUE; i++) {
		if ((rc = bound(x, e->col, &e->list[i], &item)) != CALX_OK)
			break;
		tri t = compare(CALX_OP_EQ, &v, &item);
		if (t == T_TRUE)
			*out = T_TRUE;
		saw_null = saw_null || t == T_UNKNOWN;
	}
	if (rc == CALX_OK && *out == T_FALSE && saw_null)
		*out = T_UNKNOWN;
	if (rc == CALX_OK && e->op == CALX_OP_NOT_IN && *out != T_UNKNOWN)
		*out = *out == T_TRUE ? T_FALSE : T_TRUE;
	return rc;
}

static int eval(ev *x, const calx_expr *e, unsigned depth, tri *out)
{
	int rc;
	calx_value v, w, hi;
	*out = T_UNKNOWN;
	if (!e)
		return calx__fail(x->s, CALX_ENOMEM, "%s: out of memory building the where clause", x->what);
	if (e->bad)
		return calx__fail(x->s, CALX_EINVAL, "%s: %s", x->what, e->bad);
	if (depth > EVAL_DEPTH)
		return cannot(x, "nested deeper than 1000 levels");
	switch (e->op) {
	case CALX_OP_AND:
	case CALX_OP_OR:
	case CALX_OP_NOT:
		return junction(x, e, depth, out);
	case CALX_OP_IS_NULL:
	case CALX_OP_IS_NOT_NULL:
		if ((rc = column_ok(x, e->col)) != CALX_OK || (rc = column_value(x, e->col, &v)) != CALX_OK)
			return rc;
		*out = (v.kind == CALX_VALUE_NULL) == (e->op == CALX_OP_IS_NULL) ? T_TRUE : T_FALSE;
		return CALX_OK;
	case CALX_OP_IN:
	case CALX_OP_NOT_IN:
		if ((rc = column_ok(x, e->col)) != CALX_OK)
			return rc;
		return in_list(x, e, out);
	case CALX_OP_BETWEEN:
		if ((rc = column_ok(x, e->col)) != CALX_OK)
			return rc;
		if (ordered_only_by_db(e->col))
			return cannot(x, "BETWEEN on text or bytes, ordered by the database's collation");
		if ((rc = column_value(x, e->col, &v)) != CALX_OK || (rc = bound(x, e->col, &e->v, &w)) != CALX_OK ||
		    (rc = bound(x, e->col, &e->v2, &hi)) != CALX_OK)
			return rc;
		{
			tri lo_ok = compare(CALX_OP_GE, &v, &w), hi_ok = compare(CALX_OP_LE, &v, &hi);
			*out = lo_ok == T_FALSE || hi_ok == T_FALSE       ? T_FALSE
			       : lo_ok == T_UNKNOWN || hi_ok == T_UNKNOWN ? T_UNKNOWN
			                                                  : T_TRUE;
		}
		return CALX_OK;
	case CALX_OP_EQ: case CALX_OP_NE: case CALX_OP_LT: case CALX_OP_LE: case CALX_OP_GT: case CALX_OP_GE:
		break;
	case CALX_OP_LIKE:
	case CALX_OP_ILIKE:
		return cannot(x, "LIKE / ILIKE");
	default:
		return cannot(x, "a subquery, EXISTS, any / has, or a value where a condition was expected");
	}
	bool ordering = e->op != CALX_OP_EQ && e->op != CALX_OP_NE;
	if (e->col) {
		/* calx_compare: a column against a value */
		if ((rc = column_ok(x, e->col)) != CALX_OK)
			return rc;
		if (ordering && ordered_only_by_db(e->col))
			return cannot(x, "an order comparison of text or bytes, decided by the database's collation");
		if ((rc = column_value(x, e->col, &v)) != CALX_OK || (rc = bound(x, e->col, &e->v, &w)) != CALX_OK)
			return rc;
		*out = compare(e->op, &v, &w);
		return CALX_OK;
	}
	/* calx_cmp: columns and values */
	const calx_field_desc *ca, *cb;
	if ((rc = operand(x, e->a, &ca, &v)) != CALX_OK || (rc = operand(x, e->b, &cb, &w)) != CALX_OK)
		return rc;
	if (!ca && !cb)
		return cannot(x, "a comparison of values only");
	if (ordering && ((ca && ordered_only_by_db(ca)) || (cb && ordered_only_by_db(cb)) ||
	                 v.kind == CALX_VALUE_TEXT || v.kind == CALX_VALUE_BLOB || w.kind == CALX_VALUE_TEXT ||
	                 w.kind == CALX_VALUE_BLOB))
		return cannot(x, "an order comparison of text or bytes, decided by the database's collation");
	/* a value against a column converts as calx_eq would */
	calx_value conv;
	if (ca && !cb && (rc = bound(x, ca, &w, &conv)) == CALX_OK)
		w = conv;
	else if (cb && !ca && (rc = bound(x, cb, &v, &conv)) == CALX_OK)
		v = conv;
	if (rc != CALX_OK)
		return rc;
	*out = compare(e->op, &v, &w);
	return CALX_OK;
}

int calx__bulk_check_evaluable(calx_session *s, const calx__mapper *m, const calx_expr *where, const char *what)
{
	ev x = { s, m, NULL, what };
	if (m->poly || m->parent)
		return cannot(&x, "a struct of an inheritance hierarchy");
	tri t;
	return where ? eval(&x, where, 0, &t) : CALX_OK;
}

int calx__bulk_evaluate(calx_session *s, const calx__mapper *m, const calx_expr *where, calx__objvec *out)
{
	for (size_t i = 0; i < s->objs.n; i++) {
		calx__obj *h = s->objs.v[i];
		if (calx__obj_mapper(h) != m || h->state != CALX__PERSISTENT || (h->flags & CALX__EXPIRED))
			continue;
		ev x = { s, m, h, "" };
		tri t = T_TRUE;
		int rc = where ? eval(&x, where, 0, &t) : CALX_OK;
		if (rc != CALX_OK)
			return rc;
		if (t == T_TRUE && calx__objvec_push(out, h) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory evaluating the where clause on struct %s objects",
			                  m->desc->name);
	}
	return CALX_OK;
}

/*
 * Keep h's state for a rollback of the transaction and of the savepoint
 * (gone: its row deleted, so in the transaction's log too, which a
 * rollback takes back); false if that failed.
 */
static bool keep_state(calx_session *s, calx__obj *h, bool gone)
{
	calx_error keep = s->err;
	bool ok = (!s->sp.n || calx__savepoint_note_changed(s, h) == CALX_OK) && calx__undo_keep(s, h) == CALX_OK &&
	          (!gone || calx__undo_log(s, h) == CALX_OK);
	s->err = keep;
	return ok;
}

int calx__bulk_sync_update(calx_session *s, calx__obj *h, const calx__bulk_set *sets, size_t n)
{
	if (h->state != CALX__PERSISTENT)
		return CALX_OK;
	bool expire = false;
	for (size_t i = 0; i < n; i++)
		expire = expire || !sets[i].literal;
	if (expire || !keep_state(s, h, false)) {
		h->flags |= CALX__EXPIRED;
		return CALX_OK;
	}
	unsigned char *obj = calx__obj_ptr(h), *snap = calx__obj_snap(h);
	const calx_field_desc *fields = calx__obj_mapper(h)->desc->fields;
	for (size_t i = 0; i < n; i++) {
		const calx_field_desc *f = sets[i].col;
		unsigned k = (unsigned)(f - fields);
		bool isnull;
		calx_error err;
		if (calx__field_set(f, obj, &sets[i].bind, &s->arena, &isnull, &err) != CALX_OK) {
			/* the row has the value, memory cannot hold it: the next handing out reloads the row */
			h->flags |= CALX__EXPIRED;
			return CALX_OK;
		}
		memcpy(snap + f->offset, obj + f->offset, f->size);
		calx__obj_mark_null(h, k, isnull);
		calx__obj_mark_snap_null(h, k, isnull);
	}
	return CALX_OK;
}

int calx__bulk_sync_delete(calx_session *s, calx__obj *h)
{
	if (h->state != CALX__PERSISTENT)
		return CALX_OK;
	/* in a savepoint the row may come back at a rollback to it: the next handing out finds it gone, or not */
	if (s->sp.n || !keep_state(s, h, true)) {
		h->flags |= CALX__EXPIRED;
		return CALX_OK;
	}
	h->state = CALX__GONE;
	h->flags |= CALX__GONE_IN_TXN;
	calx__idmap_remove(s, h);
	return CALX_OK;
}
