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

calx_expr *calx_compare(calx_op op, const calx_field_desc *col, calx_value v)
{
	if (op < CALX_OP_EQ || op > CALX_OP_GE)
		return NULL;
	calx_expr *e = node(op);
	if (!e)
		return NULL;
	e->col = col;
	e->v = v;
	if (v.kind == CALX_VALUE_TEXT || v.kind == CALX_VALUE_BLOB) {
		/* the node owns a copy: the caller's string may be gone when the select runs */
		char *copy = calx__strndup(v.u.s.p ? v.u.s.p : "", v.u.s.n);
		if (!copy) {
			calx__free(e);
			return NULL;
		}
		e->v.u.s.p = copy;
	}
	return e;
}

calx_expr *calx_like(const calx_field_desc *col, const char *pattern)
{
	calx_expr *e = calx_compare(CALX_OP_EQ, col, calx_value_text(pattern));
	if (e)
		e->op = CALX_OP_LIKE;
	return e;
}

size_t calx_like_escape(char *buf, size_t cap, const char *text)
{
	size_t n = 0;
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\') {
			if (n + 1 < cap)
				buf[n] = '\\';
			n++;
		}
		if (n + 1 < cap)
			buf[n] = *p;
		n++;
	}
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return n;
}

calx_expr *calx_is_null_expr(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_IS_NULL);
	if (e)
		e->col = col;
	return e;
}

calx_expr *calx_is_not_null_expr(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_IS_NOT_NULL);
	if (e)
		e->col = col;
	return e;
}

static calx_expr *junction(calx_op op, calx_expr *a, calx_expr *b)
{
	calx_expr *e = (a && (b || op == CALX_OP_NOT)) ? node(op) : NULL;
	if (!e) {
		calx_expr_free(a);
		calx_expr_free(b);
		return NULL;
	}
	e->a = a;
	e->b = b;
	return e;
}

calx_expr *calx_and(calx_expr *a, calx_expr *b)
{
	return junction(CALX_OP_AND, a, b);
}

calx_expr *calx_or(calx_expr *a, calx_expr *b)
{
	return junction(CALX_OP_OR, a, b);
}

calx_expr *calx_not(calx_expr *a)
{
	return junction(CALX_OP_NOT, a, NULL);
}

void calx_expr_free(calx_expr *e)
{
	if (!e)
		return;
	calx_expr_free(e->a);
	calx_expr_free(e->b);
	if (e->v.kind == CALX_VALUE_TEXT || e->v.kind == CALX_VALUE_BLOB)
		calx__free((void *)e->v.u.s.p);
	calx__free(e);
}

static int check_column(const calx_expr *e, const calx_mapper_desc *m, calx_error *err)
{
	if (!e->col)
		return calx_error_set(err, CALX_EINVAL, "select %s: a condition has a NULL column", m->name);
	if (e->col->owner != m)
		return calx_error_set(err, CALX_EINVAL, "select %s: column %s.%s is not a column of \"%s\"", m->name,
		                      e->col->owner ? e->col->owner->name : "?", e->col->name, m->table);
	return CALX_OK;
}

static int check_value(const calx_expr *e, calx_error *err)
{
	const calx_field_desc *f = e->col;
	bool text_col = f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY;
	switch (e->v.kind) {
	case CALX_VALUE_NULL:
		return calx_error_set(err, CALX_EINVAL,
		                      "comparison of %s.%s with NULL never matches in SQL: use calx_is_null()",
		                      f->owner->name, f->name);
	case CALX_VALUE_TEXT:
		if (!calx__text_valid(e->v.u.s.p, e->v.u.s.n))
			return calx_error_set(err, CALX_ETYPE,
			                      "%s.%s compared with text that is not valid UTF-8 or holds a NUL byte",
			                      f->owner->name, f->name);
		/* fall through */
	case CALX_VALUE_BLOB:
		if (!text_col)
			return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with a string",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype));
		return CALX_OK;
	default:
		if (text_col)
			return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with a number",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype));
		return CALX_OK;
	}
}

static const char *op_sql(calx_op op)
{
	switch (op) {
	case CALX_OP_EQ: return " = ";
	case CALX_OP_NE: return " <> ";
	case CALX_OP_LT: return " < ";
	case CALX_OP_LE: return " <= ";
	case CALX_OP_GT: return " > ";
	case CALX_OP_GE: return " >= ";
	case CALX_OP_LIKE: return " LIKE ";
	case CALX_OP_AND: return " AND ";
	case CALX_OP_OR: return " OR ";
	default: return " ? ";
	}
}

static void column_sql(calx__buf *b, const calx_field_desc *f)
{
	calx__buf_ident(b, f->owner->table);
	calx__buf_putc(b, '.');
	calx__buf_ident(b, f->column);
}

int calx__expr_render(const calx_expr *e, const calx_dialect *d, const calx_mapper_desc *m, calx__buf *b,
                      calx__binds *binds, unsigned *nparam, calx_error *err)
{
	int rc;
	switch (e->op) {
	case CALX_OP_AND:
	case CALX_OP_OR:
		calx__buf_putc(b, '(');
		if ((rc = calx__expr_render(e->a, d, m, b, binds, nparam, err)) != CALX_OK)
			return rc;
		calx__buf_puts(b, op_sql(e->op));
		if ((rc = calx__expr_render(e->b, d, m, b, binds, nparam, err)) != CALX_OK)
			return rc;
		calx__buf_putc(b, ')');
		return CALX_OK;
	case CALX_OP_NOT:
		calx__buf_puts(b, "NOT (");
		if ((rc = calx__expr_render(e->a, d, m, b, binds, nparam, err)) != CALX_OK)
			return rc;
		calx__buf_putc(b, ')');
		return CALX_OK;
	case CALX_OP_IS_NULL:
	case CALX_OP_IS_NOT_NULL:
		if ((rc = check_column(e, m, err)) != CALX_OK)
			return rc;
		column_sql(b, e->col);
		calx__buf_puts(b, e->op == CALX_OP_IS_NULL ? " IS NULL" : " IS NOT NULL");
		return CALX_OK;
	default:
		if ((rc = check_column(e, m, err)) != CALX_OK || (rc = check_value(e, err)) != CALX_OK)
			return rc;
		if (e->op == CALX_OP_LIKE && e->v.kind != CALX_VALUE_TEXT)
			return calx_error_set(err, CALX_ETYPE, "%s.%s LIKE needs a text pattern (not NULL)",
			                      e->col->owner->name, e->col->name);
		column_sql(b, e->col);
		calx__buf_puts(b, op_sql(e->op));
		if (d->numbered_params)
			calx__buf_printf(b, "$%u", ++*nparam);
		else
			calx__buf_putc(b, '?');
		if (e->op == CALX_OP_LIKE)
			calx__buf_puts(b, " ESCAPE '\\'");
		if (calx__grow((void **)&binds->v, &binds->cap, binds->n + 1, sizeof *binds->v) != 0)
			return calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
		binds->v[binds->n++] = e->v;
		return CALX_OK;
	}
}
