/*
 * The public where-clause expressions of the first version (a column
 * against a value, IS NULL, LIKE, AND/OR/NOT), the values every node owns,
 * the scope columns are found in, and lowering conditions to the AST; the
 * query language's other expressions are in expr_build.c (building),
 * expr_value.c and expr_cond.c (lowering), expr_sub.c (subqueries) and
 * expr_check.c (values against columns).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/compile.h"
#include "sql/expr.h"
#include "base/decimal.h"
#include "mapping/value.h"

static calx_expr *node(calx_op op)
{
	calx_expr *e = calx__calloc(1, sizeof *e);
	if (e)
		e->op = op;
	return e;
}

bool calx__expr_own(calx_value *v)
{
	if (v->kind != CALX_VALUE_TEXT && v->kind != CALX_VALUE_BLOB && v->kind != CALX_VALUE_NUMERIC)
		return true;
	/* the node owns a copy: the caller's string may be gone when the select runs */
	char *copy = calx__strndup(v->u.s.p ? v->u.s.p : "", v->u.s.n);
	if (!copy) {
		v->kind = CALX_VALUE_NULL;
		return false;
	}
	v->u.s.p = copy;
	return true;
}

void calx__expr_disown(calx_value *v)
{
	if (v->kind == CALX_VALUE_TEXT || v->kind == CALX_VALUE_BLOB || v->kind == CALX_VALUE_NUMERIC)
		calx__free((void *)v->u.s.p);
	v->kind = CALX_VALUE_NULL;
}

void calx__expr_free_own(calx_expr *e)
{
	calx__expr_disown(&e->v);
	calx__expr_disown(&e->v2);
	for (size_t i = 0; i < e->n_list; i++)
		calx__expr_disown(&e->list[i]);
	calx__free(e->list);
	calx_select_free(e->sub);
}

calx_expr *(calx_compare)(calx_op op, const calx_field_desc *col, calx_value v)
{
	if (op >= CALX_OP_EQ && op <= CALX_OP_GE)
		return calx__expr_with_values(op, col, v, NULL);
	calx_expr *e = node(op);
	if (e) {
		e->col = col;
		e->bad = "calx_compare with an operator that is not a comparison";
	}
	return e;
}

calx_expr *(calx_like)(const calx_field_desc *col, const char *pattern)
{
	calx_expr *e = calx_compare(CALX_OP_EQ, col, calx_value_text(pattern));
	if (e)
		e->op = CALX_OP_LIKE;
	return e;
}

size_t calx_like_escape(char *buf, size_t cap, const char *text)
{
	size_t n = 0;
	if (!buf)
		cap = 0;
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

calx_expr *(calx_is_null_expr)(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_IS_NULL);
	if (e)
		e->col = col;
	return e;
}

calx_expr *(calx_is_not_null_expr)(const calx_field_desc *col)
{
	calx_expr *e = node(CALX_OP_IS_NOT_NULL);
	if (e)
		e->col = col;
	return e;
}

calx_expr *calx_and(calx_expr *a, calx_expr *b)
{
	return calx__expr_over(CALX_OP_AND, a, b, true);
}

calx_expr *calx_or(calx_expr *a, calx_expr *b)
{
	return calx__expr_over(CALX_OP_OR, a, b, true);
}

calx_expr *calx_not(calx_expr *a)
{
	return calx__expr_over(CALX_OP_NOT, a, NULL, false);
}

/*
 * Iterative, in constant space, so a tree of any depth frees: while the
 * node has a left child, rotate right (the child takes its place, the node
 * becomes the child's right subtree); a node without one is freed and its
 * right subtree comes next.
 */
void calx_expr_free(calx_expr *e)
{
	while (e) {
		calx_expr *l = e->a;
		if (l) {
			e->a = l->b;
			l->b = e;
			e = l;
			continue;
		}
		calx_expr *next = e->b;
		calx__expr_free_own(e);
		calx__free(e);
		e = next;
	}
}

const char *calx__scope_alias(const calx__scope *sc, calx__ast *a, const char *suffix)
{
	char name[40];
	snprintf(name, sizeof name, "calx_t%u%s", sc->aliases ? ++*sc->aliases : 0, suffix ? suffix : "");
	return calx__ast_strndup(a, name, strlen(name));
}

/* col's from-element in sc alone: 1 found, 0 not there, -1 an error set */
static int field_here(const calx__scope *sc, const calx_field_desc *col, const void *src,
                      const calx__scope_entry **hit, calx_error *err)
{
	const calx_mapper_desc *m = sc->m;
	for (size_t i = 0; i < sc->n; i++) {
		const calx__scope_entry *x = &sc->entries[i];
		if (src ? x->handle != src : x->m != col->owner)
			continue;
		/* the select's own table first; a struct joined twice needs calx_col_of */
		for (size_t j = i + 1; !src && i > 0 && j < sc->n; j++)
			if (sc->entries[j].m == col->owner)
				return calx_error_set(err, CALX_EINVAL,
				                      "select %s: %s.%s names a table joined more than once: use calx_col_of",
				                      m->name, col->owner->name, col->name), -1;
		if (x->m != col->owner)
			return calx_error_set(err, CALX_EINVAL, "select %s: calx_col_of a %s with a column of %s", m->name,
			                      x->m->name, col->owner ? col->owner->name : "?"), -1;
		*hit = x;
		return 1;
	}
	return 0;
}

int calx__expr_field(const calx__scope *sc, calx__ast *a, const calx_field_desc *col, const void *src,
                     calx__node **out, calx_error *err)
{
	const calx_mapper_desc *m = sc->m;
	const calx__scope_entry *hit = NULL;
	*out = NULL;
	if (!col)
		return calx_error_set(err, CALX_EINVAL, "select %s: a condition has a NULL column", m->name);
	int found = 0;
	for (const calx__scope *at = sc; at && !found; at = at->outer)
		if ((found = field_here(at, col, src, &hit, err)) < 0)
			return err->code;
	if (!found)
		return calx_error_set(err, CALX_EINVAL, "select %s: column %s.%s is not a column of \"%s\"%s", m->name,
		                      col->owner ? col->owner->name : "?", col->name, m->table,
		                      sc->n > 1 || sc->outer ? " or of a table joined to it or enclosing it" : "");
	const calx__node *from = hit->node;
	/* a joined-table subclass's own column is in its own table, which the select joins by name */
	if (col->owner && col->owner->parts && from && from->kind == CALX__N_TABLE && col->table &&
	    col->table != col->owner->tables[0])
		from = calx__ast_table(a, col->table->name, NULL);
	*out = from ? calx__ast_field(a, from, col) : NULL;
	return *out ? CALX_OK : calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
}


static int lower(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                 calx__node **out, unsigned depth, unsigned flags, calx_error *err);

typedef struct expr_list {
	const calx_expr **p;
	size_t n, cap;
} expr_list;

static bool list_push(expr_list *l, const calx_expr *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const calx_expr **p = calx__realloc(l->p, cap * sizeof *p);
		if (!p)
			return false;
		l->p = p;
		l->cap = cap;
	}
	l->p[l->n++] = e;
	return true;
}

/*
 * A chain of one operator (an AND of ANDs, however built: left-deep from a
 * loop, right-deep, balanced) is one list of operands, walked without
 * recursion, then joined as a balanced tree: 100,000 ANDed conditions nest
 * 17 levels in the AST and the SQL (SQLite refuses an expression deeper
 * than 1000, SQLITE_MAX_EXPR_DEPTH). AND and OR are associative in SQL's
 * three-valued logic, so the grouping does not change the result.
 */
static int lower_chain(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                       calx__node **out, unsigned depth, unsigned flags, calx_error *err)
{
	expr_list todo = { 0 }, leaves = { 0 };
	calx__node **nodes = NULL;
	calx__op op = e->op == CALX_OP_AND ? CALX__OP_AND : CALX__OP_OR;
	int rc = CALX_OK;
	if (!list_push(&todo, e))
		goto oom;
	while (todo.n) {
		const calx_expr *x = todo.p[--todo.n];
		if (x->op == e->op && !x->bad) {
			if (!list_push(&todo, x->b) || !list_push(&todo, x->a))
				goto oom;
		} else if (!list_push(&leaves, x)) {
			goto oom;
		}
	}
	if (!(nodes = calx__malloc(leaves.n * sizeof *nodes)))
		goto oom;
	for (size_t i = 0; i < leaves.n; i++)
		if ((rc = lower(leaves.p[i], a, sc, &nodes[i], depth + 1, flags, err)) != CALX_OK)
			goto done;
	for (size_t k = leaves.n; k > 1;) {
		size_t j = 0;
		for (size_t i = 0; i + 1 < k; i += 2)
			if (!(nodes[j++] = calx__ast_binary(a, op, nodes[i], nodes[i + 1])))
				goto oom;
		if (k % 2)
			nodes[j++] = nodes[k - 1];
		k = j;
	}
	*out = nodes[0];
	goto done;
oom:
	rc = calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
done:
	calx__free(todo.p);
	calx__free(leaves.p);
	calx__free(nodes);
	return rc;
}

static int lower(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                 calx__node **out, unsigned depth, unsigned flags, calx_error *err)
{
	static const calx_value escape = { CALX_VALUE_TEXT, { .s = { "\\", 1 } } };
	const calx_mapper_desc *m = sc->m;
	int rc;
	calx_value bind;
	calx__node *l = NULL, *r = NULL;
	*out = NULL;
	if (depth > CALX__MAX_DEPTH)
		return calx_error_set(err, CALX_EINVAL, "select %s: a condition nested deeper than %d levels", m->name,
		                      CALX__MAX_DEPTH);
	if (e->bad)
		return calx_error_set(err, CALX_EINVAL, "select %s: %s", m->name, e->bad);
	if (e->op > CALX_OP_LIKE || (e->op >= CALX_OP_EQ && e->op <= CALX_OP_GE && e->a))
		return calx__expr_lower_more(e, a, sc, out, depth, flags, err);
	switch (e->op) {
	case CALX_OP_AND:
	case CALX_OP_OR:
		return lower_chain(e, a, sc, out, depth, flags, err);
	case CALX_OP_NOT:
		if ((rc = lower(e->a, a, sc, &l, depth + 1, flags, err)) != CALX_OK)
			return rc;
		*out = calx__ast_unary(a, CALX__OP_NOT, l);
		break;
	case CALX_OP_IS_NULL:
	case CALX_OP_IS_NOT_NULL:
		if ((rc = calx__expr_field(sc, a, e->col, NULL, &l, err)) != CALX_OK)
			return rc;
		*out = calx__ast_unary(a, e->op == CALX_OP_IS_NULL ? CALX__OP_IS_NULL : CALX__OP_IS_NOT_NULL, l);
		break;
	default:
		if ((rc = calx__expr_field(sc, a, e->col, NULL, &l, err)) != CALX_OK ||
		    (rc = calx__expr_check_value(e->col, &e->v, &bind, err)) != CALX_OK)
			return rc;
		if (e->op == CALX_OP_LIKE && e->v.kind != CALX_VALUE_TEXT)
			return calx_error_set(err, CALX_ETYPE, "%s.%s LIKE needs a text pattern (not NULL)",
			                      e->col->owner->name, e->col->name);
		r = calx__ast_bind(a, bind);
		if (e->op == CALX_OP_LIKE) {
			/* '\\' escapes, as calx_like_escape writes; a value like any other */
			*out = calx__ast_like(a, l, r, calx__ast_bind(a, escape));
			break;
		}
		_Static_assert(CALX_OP_EQ == (int)CALX__OP_EQ && CALX_OP_GE == (int)CALX__OP_GE,
		               "calx_op and calx__op number the comparisons alike");
		*out = calx__ast_binary(a, (calx__op)e->op, l, r);
		break;
	}
	if (!*out)
		return calx_error_set(err, CALX_ENOMEM, "out of memory building a select");
	return CALX_OK;
}

int calx__expr_lower(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                     calx__node **out, calx_error *err)
{
	return lower(e, a, sc, out, 0, 0, err);
}

int calx__expr_lower_having(const calx_expr *e, calx__ast *a, const calx__scope *sc,
                            calx__node **out, calx_error *err)
{
	return lower(e, a, sc, out, 0, CALX__EXPR_AGGREGATES, err);
}


int calx__expr_lower_at(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out, unsigned depth,
                        calx_error *err)
{
	return lower(e, a, sc, out, depth, 0, err);
}

int calx__expr_lower_cond(const calx_expr *e, calx__ast *a, const calx__scope *sc, calx__node **out,
                          unsigned depth, unsigned flags, calx_error *err)
{
	return lower(e, a, sc, out, depth, flags, err);
}
