/*
 * Many-to-many lists loaded through the secondary table, for one object
 * (lazy, calx_related_load) or a whole result (select-in) alike:
 *
 *   SELECT target's columns, secondary's fk columns
 *   FROM target JOIN secondary ON target.key = secondary.secondary_fk
 *   WHERE secondary.fk IN (the parents' keys) ORDER BY target's key
 *
 * (a composite key: an OR of ANDs), one statement per window under the
 * dialect's parameter limit. Each row goes through the identity map, so
 * a member shared by two parents is one object in both lists; the fk
 * columns read after the target's say whose list it joins. The lists,
 * and their snapshots (what the flush compares them with), are set only
 * once every allocation has worked: a failure leaves them unloaded.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/ast.h"
#include "sql/expr.h"
#include "sql/compile.h"
#include "sql/statements.h"
#include "loading/selectin_keys.h"
#include "loading/secondary_load.h"

/* Per parent: its key's values, its place among the sorted parents, the list and snapshot being made. */
typedef struct parent {
	calx__sin_keyed keyed;
	calx_list list;                 /* cap counts the members found, then the array is filled to it */
	calx__m2m_snap *snap;
	calx_value key[CALX__SIN_MAX_COLS];
} parent;

typedef struct load {
	const calx__rel *x;
	calx__sin_keyed *sorted;        /* the parents' keys, sorted */
	size_t n_sorted;
	calx__sin_pair *pairs;          /* member, parent: in row order */
	size_t n_pairs, cap_pairs;
} load;

/* One row: the member through the identity map, and the parents whose key its fk columns hold. */
static int row(calx_session *s, load *ld, calx__stmt *st)
{
	const calx__rel *x = ld->x;
	unsigned nc = x->fk->n_columns, first = x->target->desc->n_fields;
	calx_value key[CALX__SIN_MAX_COLS];
	calx__obj *h;
	int rc = calx__load_row(s, x->target, st, &h);
	if (rc != CALX_OK)
		return rc;
	for (unsigned k = 0; k < nc; k++)
		s->d->column(st->st, first + k, &key[k]);
	for (size_t i = calx__sin_find_first(ld->sorted, ld->n_sorted, key, nc);
	     i < ld->n_sorted && !calx__sin_key_cmp(ld->sorted[i].key, key, nc); i++) {
		if (calx__grow((void **)&ld->pairs, &ld->cap_pairs, ld->n_pairs + 1, sizeof *ld->pairs) != 0)
			return calx__fail(s, CALX_ENOMEM, "out of memory loading %s", x->desc->name);
		ld->pairs[ld->n_pairs].h = h;
		ld->pairs[ld->n_pairs++].parent = i;
	}
	return CALX_OK;
}

/* "sec.c1 = ? AND sec.c2 = ?" for the keys lo..hi, OR-ed in a balanced tree. */
static calx__node *any_key(calx__ast *a, const calx__node *sec, const calx__rel *x, const calx__sin_keyed *keys,
                           size_t lo, size_t hi)
{
	if (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		return calx__ast_binary(a, CALX__OP_OR, any_key(a, sec, x, keys, lo, mid), any_key(a, sec, x, keys, mid, hi));
	}
	calx__node *all = NULL;
	for (unsigned k = 0; k < x->fk->n_columns; k++) {
		const calx_field_desc *f = &x->desc->secondary->columns[x->fk->columns[k]];
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, sec, f), calx__ast_bind(a, keys[lo].key[k]));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}

/* The SELECT ... JOIN for keys[lo..hi); *in is the IN node of a one-column key (to window), else NULL. */
static calx__node *build(calx__ast *a, const calx__rel *x, const calx__sin_keyed *keys, size_t lo, size_t hi,
                         calx__node **in)
{
	const calx_mapper_desc *tm = x->target->desc;
	const calx_table_desc *st = x->desc->secondary;
	calx__node *sel = calx__ast_select(a), *t = calx__ast_mapper_table(a, tm, NULL);
	calx__node *sec = calx__ast_table(a, st->name, NULL), *on = NULL;
	*in = NULL;
	if (!sel || !t || !sec)
		return NULL;
	for (unsigned k = 0; k < x->sfk->n_columns; k++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, t, &tm->fields[x->sfk->ref_columns[k]]),
		                                  calx__ast_field(a, sec, &st->columns[x->sfk->columns[k]]));
		on = on ? calx__ast_binary(a, CALX__OP_AND, on, eq) : eq;
	}
	sel->kid[CALX__SEL_FROM] = calx__ast_join(a, CALX__JOIN_INNER, t, sec, on);
	for (unsigned i = 0; i < tm->n_fields; i++)
		calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(a, t, &tm->fields[i]));
	for (unsigned k = 0; k < x->fk->n_columns; k++)
		calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(a, sec, &st->columns[x->fk->columns[k]]));
	if (x->fk->n_columns == 1) {
		calx__node *items = calx__sin_key_array(a, keys, lo, hi);
		*in = calx__ast_in_list(a, calx__ast_field(a, sec, &st->columns[x->fk->columns[0]]), items, false);
		sel->kid[CALX__SEL_WHERE] = *in;
	} else {
		sel->kid[CALX__SEL_WHERE] = any_key(a, sec, x, keys, lo, hi);
	}
	/* the registry's criteria on the target's rows (calx/criteria.h); checked when added: only memory fails */
	calx_error why;
	if (x->target->n_crit &&
	    calx__sql_criteria(a, x->target->crit, x->target->n_crit, t, NULL, &sel->kid[CALX__SEL_WHERE], &why) != CALX_OK)
		return NULL;
	for (unsigned k = 0; k < x->target->n_pk; k++)
		calx__ast_append(&sel->kid[CALX__SEL_ORDER],
		                 calx__ast_order(a, calx__ast_field(a, t, &tm->fields[x->target->pk[k]]), CALX__ASC));
	return sel;
}

static int run_rows(calx_session *s, load *ld, calx__ast *a, calx__node *sel)
{
	calx__stmt *st = NULL;
	int rc = calx__sql_prepare(s->conn, a, sel, &st, &s->err);
	while (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW)
		rc = row(s, ld, st);
	calx__stmt_release(st);
	return rc == CALX_DONE ? CALX_OK : rc;
}

/* Every row for the distinct keys[0..n): one statement per window of the parameter limit. */
static int select_rows(calx_session *s, load *ld, const calx__sin_keyed *keys, size_t n)
{
	unsigned nc = ld->x->fk->n_columns, max = s->d->max_params ? s->d->max_params : 32766;
	size_t per = nc == 1 ? n : max / nc;
	int rc = CALX_OK;
	for (size_t lo = 0; lo < n && rc == CALX_OK; lo += per) {
		size_t hi = n - lo < per ? n : lo + per;
		calx__ast a;
		calx__node *in;
		calx__ast_init(&a);
		calx__node *sel = build(&a, ld->x, keys, lo, hi, &in);
		if (!sel || a.oom)
			rc = calx__fail(s, CALX_ENOMEM, "out of memory building the load of %s", ld->x->desc->name);
		else if (in) {
			calx__chunks ch;
			if ((rc = calx__chunks_init(&ch, sel, in, max, &s->err)) == CALX_OK)
				while (rc == CALX_OK && calx__chunks_next(&ch))
					rc = run_rows(s, ld, &a, sel);
		} else {
			rc = run_rows(s, ld, &a, sel);
		}
		calx__ast_free(&a);
	}
	return rc;
}

/* The parent whose key this is: keys live in their parent entries. */
static parent *of_key(const calx__sin_keyed *k)
{
	return (parent *)(void *)((char *)(void *)(uintptr_t)k->key - offsetof(parent, key));
}

/* Arrays for every parent's members and snapshot, then (nothing can fail after) the lists set. */
static int distribute(calx_session *s, load *ld, parent *ps, size_t np, unsigned ri, calx__objvec *next)
{
	int rc = CALX_OK;
	for (size_t k = 0; k < ld->n_pairs; k++)
		of_key(&ld->sorted[ld->pairs[k].parent])->list.cap++;
	for (size_t i = 0; i < np && rc == CALX_OK; i++) {
		parent *p = &ps[i];
		if (p->list.cap &&
		    !(p->list.items = calx__arena_alloc(&s->arena, p->list.cap * sizeof(void *), alignof(void *))))
			rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s", ld->x->desc->name);
	}
	for (size_t k = 0; k < ld->n_pairs && rc == CALX_OK; k++) {
		parent *p = of_key(&ld->sorted[ld->pairs[k].parent]);
		void *m = calx__obj_ptr(ld->pairs[k].h);
		memcpy((char *)p->list.items + p->list.n++ * sizeof m, &m, sizeof m);
		if (next && calx__objvec_push(next, ld->pairs[k].h) != CALX_OK)
			rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s", ld->x->desc->name);
	}
	for (size_t i = 0; i < np && rc == CALX_OK; i++)
		if (!(ps[i].snap = calx__m2m_snap_new(s, ps[i].list.items, ps[i].list.n, ld->x->desc->name)))
			rc = s->err.code;
	for (size_t i = 0; i < np && rc == CALX_OK; i++) {
		calx__obj *h = ps[i].keyed.h;
		memcpy((char *)calx__obj_ptr(h) + ld->x->desc->offset, &ps[i].list, sizeof ps[i].list);
		*calx__obj_rel_snap(h, ri) = ps[i].snap;
		calx__rel_set_loaded(h, ri);
	}
	return rc;
}

int calx__m2m_load(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next)
{
	const calx__rel *x = calx__sin_rel(s, objs[0], ri);
	if (!x)
		return s->err.code;
	unsigned nc = x->fk->n_columns;
	/* one block: the parents, then their keys sorted (of_key finds a key's parent) */
	parent *ps = calx__malloc(n * (sizeof *ps + sizeof(calx__sin_keyed)));
	if (!ps)
		return calx__sin_oom(s, objs[0], x);
	calx__sin_keyed *sorted = (calx__sin_keyed *)(void *)(ps + n);
	load ld = { .x = x, .sorted = sorted };
	size_t np = 0;
	int rc = CALX_OK;
	for (size_t k = 0; k < n && rc == CALX_OK; k++) {
		calx__obj *h = objs[k];
		if (calx__rel_is_loaded(h, ri)) {
			/* loaded already (or made by the program): as it is, its members on to the next level */
			calx_list l = calx__rel_get_list(h, ri);
			for (size_t j = 0; next && j < l.n && rc == CALX_OK; j++) {
				calx__obj *c = calx__rel_owned(s, calx__list_item(&l, j));
				if (c && calx__objvec_push(next, c) != CALX_OK)
					rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s", x->desc->name);
			}
			continue;
		}
		if (h->state != CALX__PERSISTENT)
			continue;
		parent *p = &ps[np];
		memset(p, 0, sizeof *p);
		p->keyed.h = h;
		p->keyed.key = p->key;
		/* a NULL key names no row: an empty list */
		if (calx__sin_key_of(s, h, x->fk->ref_columns, nc, p->key, &rc))
			sorted[ld.n_sorted++] = (calx__sin_keyed){ h, p->key, nc };
		if (rc == CALX_OK)
			np++;
	}
	/* parents sharing a key (a non-unique reference) are all found for its rows: find_first, then on */
	if (rc == CALX_OK && ld.n_sorted) {
		calx__sin_sort_keys(sorted, ld.n_sorted, nc, false);
		rc = select_rows(s, &ld, sorted, ld.n_sorted);
	}
	if (rc == CALX_OK)
		rc = distribute(s, &ld, ps, np, ri, next);
	calx__free(ld.pairs);
	calx__free(ps);
	return rc;
}
