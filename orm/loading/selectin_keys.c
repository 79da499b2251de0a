/*
 * Select-in loading's keys (selectin_keys.h): objects with the values of
 * their key columns, compared as values read from the objects (text
 * borrowed from them), sorted so each row finds its objects by binary
 * search; and the SELECT that loads rows by a list of keys.
 */
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/ast.h"
#include "sql/compile.h"
#include "sql/expr.h"
#include "sql/statements.h"
#include "sql/concrete_union.h"
#include "loading/polymorphic.h"
#include "loading/selectin_keys.h"
static int value_cmp(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case CALX_VALUE_NULL:
		return 0;
	case CALX_VALUE_INT:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	case CALX_VALUE_REAL:
		return a->u.d < b->u.d ? -1 : a->u.d > b->u.d;
	default: {
		size_t n = a->u.s.n < b->u.s.n ? a->u.s.n : b->u.s.n;
		int c = n ? memcmp(a->u.s.p, b->u.s.p, n) : 0;
		return c ? c : a->u.s.n < b->u.s.n ? -1 : a->u.s.n > b->u.s.n;
	}
	}
}

int calx__sin_key_cmp(const calx_value *a, const calx_value *b, unsigned nc)
{
	for (unsigned k = 0; k < nc; k++) {
		int c = value_cmp(&a[k], &b[k]);
		if (c)
			return c;
	}
	return 0;
}

/*
 * calx__sin_key_cmp, inline for the usual key, one integer column: each
 * row's binary search compares this way (about 14 times a row for 10,000
 * parents), and a call per step cost more than the comparison.
 */
static inline int cmp_keys(const calx_value *a, const calx_value *b, unsigned nc)
{
	if (nc == 1 && a->kind == CALX_VALUE_INT && b->kind == CALX_VALUE_INT)
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	return calx__sin_key_cmp(a, b, nc);
}

static int keyed_cmp(const void *a, const void *b)
{
	return cmp_keys(((const calx__sin_keyed *)a)->key, ((const calx__sin_keyed *)b)->key, ((const calx__sin_keyed *)a)->nc);
}

int calx__sin_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (calx__obj *const *)a, y = (uintptr_t) * (calx__obj *const *)b;
	return x < y ? -1 : x > y;
}

/* The first of v[0..n) (sorted) whose key equals key, or n. */
size_t calx__sin_find_first(const calx__sin_keyed *v, size_t n, const calx_value *key, unsigned nc)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_keys(v[mid].key, key, nc) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !cmp_keys(v[lo].key, key, nc) ? lo : n;
}

/* Columns cols of h into out; false when one is NULL (the key names no row). */
bool calx__sin_key_read(calx_session *s, const calx__obj *h, const unsigned *cols, unsigned nc, calx_value *out,
                        int *rc)
{
	*rc = CALX_OK;
	for (unsigned k = 0; k < nc; k++) {
		const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[cols[k]];
		bool null;
		if (calx__sin_plain_int(h, f, &out[k], &null)) {
			if (null)
				return false;
			continue;
		}
		if (calx__field_null(h, f))
			return false;
		if ((*rc = calx__field_get(f, calx__obj_ptr(h), false, &out[k], &s->err)) != CALX_OK)
			return false;
	}
	return true;
}

/* A balanced OR of (c1 = ? AND c2 = ? ...) over keys lo..hi: no deep nesting for the compiler. */
static calx__node *or_of_ands(calx__ast *a, const calx__node *t, const calx__mapper *m, const unsigned *cols,
                              unsigned nc, const calx__sin_keyed *keys, size_t lo, size_t hi)
{
	if (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		return calx__ast_binary(a, CALX__OP_OR, or_of_ands(a, t, m, cols, nc, keys, lo, mid),
		                        or_of_ands(a, t, m, cols, nc, keys, mid, hi));
	}
	calx__node *all = NULL;
	for (unsigned k = 0; k < nc; k++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, t, &m->desc->fields[cols[k]]),
		                                  calx__ast_bind(a, keys[lo].key[k]));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}


calx__node *calx__sin_key_array(calx__ast *a, const calx__sin_keyed *keys, size_t lo, size_t hi)
{
	calx_value *vals;
	calx__node *items = calx__ast_bind_array(a, hi - lo, &vals);
	for (size_t k = lo; items && k < hi; k++)
		vals[k - lo] = keys[k].key[0];
	return items;
}

/* Run a prepared statement to its end, each row an object of m through the identity map. */
static int run_rows(calx_session *s, const calx__mapper *m, calx__ast *a, calx__node *sel, bool wide,
                    calx__sin_row_fn fn, void *ctx)
{
	calx__stmt *st = NULL;
	int rc = calx__sql_prepare(s->conn, a, sel, &st, &s->err);
	while (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
		calx__obj *h;
		if ((rc = wide ? calx__poly_load_row(s, m, st, 0, true, &h) : calx__load_row(s, m, st, &h)) == CALX_OK)
			rc = fn(s, h, ctx);
	}
	calx__stmt_release(st);
	return rc == CALX_DONE ? CALX_OK : rc;
}

/*
 * SELECT m's columns WHERE cols IN (keys[0..n)'s values) ORDER BY cols,
 * then m's key, as few statements as the parameter limit allows; fn sees
 * each row (rows with equal cols come one after another).
 */
int calx__sin_select_in(calx_session *s, const calx__mapper *m, const unsigned *cols, unsigned nc, const calx__sin_keyed *keys,
                     size_t n, calx__sin_row_fn fn, void *ctx)
{
	unsigned max = s->d->max_params ? s->d->max_params : 32766;
	size_t per = max / nc;
	int rc = CALX_OK;
	/* a joined-table hierarchy's root: its subclasses' tables joined in, each row its struct (polymorphic_joined.c) */
	bool wide = s->reg->has_joined && calx__poly_wide_target(m);
	/* a concrete-table hierarchy's struct: the union of its tables, its wide row (polymorphic_concrete.c) */
	bool concrete = m->concrete;
	/* one column: one IN list, windowed by sql/split.c; composite: groups of OR-ed ANDs */
	for (size_t lo = 0; lo < n && rc == CALX_OK; lo += nc == 1 ? n : per) {
		size_t hi = nc == 1 ? n : (n - lo < per ? n : lo + per);
		calx__ast a;
		calx__ast_init(&a);
		calx__node *sel = calx__ast_select(&a), *in = NULL;
		calx__node *t = concrete ? calx__concrete_from(&a, m, NULL) : calx__ast_mapper_table(&a, m->desc, NULL);
		if (sel && t) {
			sel->kid[CALX__SEL_FROM] = t;
			calx__node **wide_tail = &sel->kid[CALX__SEL_COLS];
			if (concrete && !calx__concrete_cols(&a, m, t, &wide_tail))
				a.oom = true;
			for (unsigned i = 0; i < m->desc->n_fields && !concrete; i++)
				calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(&a, t, &m->desc->fields[i]));
			if (wide && calx__poly_join_subclasses(&a, m, t, sel) != CALX_OK)
				a.oom = true;
			if (nc == 1) {
				/* one node for the keys, windowed by sql/split.c */
				calx__node *items = calx__sin_key_array(&a, keys, lo, hi);
				in = calx__ast_in_list(&a, calx__ast_field(&a, t, &m->desc->fields[cols[0]]), items, false);
				sel->kid[CALX__SEL_WHERE] = in;
			} else {
				sel->kid[CALX__SEL_WHERE] = or_of_ands(&a, t, m, cols, nc, keys, lo, hi);
			}
			/* the registry's criteria (calx/criteria.h): rows they leave out load for no object */
			if (m->n_crit && rc == CALX_OK)
				rc = calx__sql_criteria(&a, m->crit, m->n_crit, t, NULL, &sel->kid[CALX__SEL_WHERE], &s->err);
			/*
			 * The key columns first: rows come grouped by the object they
			 * load for, which then finds its objects once a group (and the
			 * database walks an index on them in order instead of sorting);
			 * within a group by primary key, as a lazy load orders them.
			 */
			calx__node **order = &sel->kid[CALX__SEL_ORDER];
			for (unsigned k = 0; k < nc; k++) {
				calx__node *o = calx__ast_order(&a, calx__ast_field(&a, t, &m->desc->fields[cols[k]]), CALX__ASC);
				if (o) {
					*order = o;
					order = &o->next;
				}
			}
			for (unsigned k = 0; k < m->n_pk; k++) {
				bool listed = false;
				for (unsigned j = 0; j < nc && !listed; j++)
					listed = cols[j] == m->pk[k];
				calx__node *o = listed ? NULL
				                       : calx__ast_order(&a, calx__ast_field(&a, t, &m->desc->fields[m->pk[k]]),
				                                         CALX__ASC);
				if (o) {
					*order = o;
					order = &o->next;
				}
			}
		}
		if (a.oom)
			rc = calx__fail(s, CALX_ENOMEM, "out of memory building a select-in of %s", m->desc->name);
		else if (nc == 1) {
			calx__chunks ch;
			if ((rc = calx__chunks_init(&ch, sel, in, max, &s->err)) == CALX_OK)
				while (rc == CALX_OK && calx__chunks_next(&ch))
					rc = run_rows(s, m, &a, sel, wide, fn, ctx);
		} else {
			rc = run_rows(s, m, &a, sel, wide, fn, ctx);
		}
		calx__ast_free(&a);
		if (nc == 1)
			break;
	}
	return rc;
}

/* Sort v by key and drop objects whose key repeats another's (keeping the first). */
size_t calx__sin_sort_keys(calx__sin_keyed *v, size_t n, unsigned nc, bool unique)
{
	bool sorted = true;
	for (size_t k = 0; k < n; k++) {
		v[k].nc = nc;
		/* a select's objects often come in key order already, and the distinct keys are a sorted copy */
		if (k && sorted)
			sorted = cmp_keys(v[k - 1].key, v[k].key, nc) <= 0;
	}
	if (!sorted)
		qsort(v, n, sizeof *v, keyed_cmp);
	if (!unique || !n)
		return n;
	size_t w = 1;
	for (size_t r = 1; r < n; r++)
		if (calx__sin_key_cmp(v[r].key, v[w - 1].key, nc))
			v[w++] = v[r];
	return w;
}

int calx__sin_select_distinct(calx_session *s, const calx__mapper *m, const unsigned *cols, unsigned nc,
                              calx__sin_keyed *v, size_t n, calx__sin_row_fn fn, void *ctx, const char *what)
{
	calx__sin_sort_keys(v, n, nc, false);
	calx__sin_keyed *distinct = calx__malloc(n * sizeof *distinct);
	if (!distinct)
		return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", what);
	memcpy(distinct, v, n * sizeof *distinct);
	size_t nd = calx__sin_sort_keys(distinct, n, nc, true);
	int rc = calx__sin_select_in(s, m, cols, nc, distinct, nd, fn, ctx);
	calx__free(distinct);
	return rc;
}

const calx__rel *calx__sin_rel(calx_session *s, const calx__obj *h, unsigned ri)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[ri];
	if (x->fk->n_columns > CALX__SIN_MAX_COLS) {
		calx__fail(s, CALX_EINVAL, "relationship '%s.%s': foreign key too wide", calx__obj_mapper(h)->desc->name,
		           x->desc->name);
		return NULL;
	}
	return x;
}

int calx__sin_oom(calx_session *s, const calx__obj *h, const calx__rel *x)
{
	return calx__fail(s, CALX_ENOMEM, "out of memory loading %s.%s select-in", calx__obj_mapper(h)->desc->name,
	                  x->desc->name);
}
