/*
 * Select-in loading of a one-to-many or one-to-one (selectin.c has the
 * levels and the many-to-one): SELECT child WHERE fk IN (the parents'
 * keys), the rows handed to their parents' lists as they come, grouped
 * by key (in primary-key order, as a lazy load gives them); every list
 * marked loaded, empty or not, only once every row is in. A one-to-one
 * likewise, its pointer the one child or NULL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "loading/selectin_keys.h"

typedef struct children_ctx {
	const calx__rel *x;
	calx__sin_keyed *parents;                 /* sorted by key */
	size_t n_parents;
	calx_list *lists;               /* each parent's children so far, in the arena: set on the parents at the end */
	calx__objvec *next;             /* the objects the next level loads for, or NULL */
	/* the rows of one parent key, as they come: handed to its parents when the next key starts */
	calx__obj **run;
	size_t n_run, cap_run;
	size_t group;                   /* the parent of the rows in run (rows come grouped by key); SIZE_MAX: none */
	size_t rows;                    /* the rows so far that found a parent */
	calx_value key[CALX__SIN_MAX_COLS];
} children_ctx;

/*
 * The rows in run to the parent cx->group and each parent after it with
 * the same key (a non-unique referenced column): each its own exact array
 * in the arena, after what it has (rows of one key come together, but a
 * collation that calls different bytes equal could bring a key back). The
 * run's objects go on to the next level once.
 */
static int close_run(calx_session *s, children_ctx *cx)
{
	const unsigned nc = cx->x->fk->n_columns;
	size_t k = cx->n_run, g = cx->group;
	cx->n_run = 0;
	if (!k)
		return CALX_OK;
	for (size_t i = g; i < cx->n_parents && (i == g || calx__sin_key_eq(cx->parents[i].key, cx->parents[g].key, nc));
	     i++) {
		calx_list *l = &cx->lists[i];
		void **items = calx__arena_alloc(&s->arena, (l->n + k) * sizeof(void *), alignof(void *));
		if (!items)
			return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", cx->x->desc->name);
		if (l->n)
			memcpy(items, l->items, l->n * sizeof(void *));
		for (size_t j = 0; j < k; j++)
			items[l->n + j] = calx__obj_ptr(cx->run[j]);
		l->items = items;
		l->n += k;
		l->cap = l->n;
	}
	for (size_t j = 0; j < k; j++)
		if (calx__sin_keep_next(cx->next, cx->run[j]) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", cx->x->desc->name);
	return CALX_OK;
}

static int child_row(calx_session *s, calx__obj *c, void *vctx)
{
	children_ctx *cx = vctx;
	const unsigned nc = cx->x->fk->n_columns;
	const size_t n = cx->n_parents;
	int rc;
	if (!calx__sin_key_of(s, c, cx->x->fk->columns, nc, cx->key, &rc))
		return rc;
	/*
	 * Rows come ordered by the foreign key: one search a parent, not one a
	 * row; and mostly not even that, since the parents are sorted by the
	 * same key: a new group is usually the next parent. That one is the
	 * first of its key when the previous parent's key differs (it does: it
	 * is not this row's), as calx__sin_find_first would give; the start
	 * (group SIZE_MAX) tries parent 0.
	 */
	size_t i = cx->group;
	if (i >= n || !calx__sin_key_eq(cx->parents[i].key, cx->key, nc)) {
		if ((rc = close_run(s, cx)) != CALX_OK)
			return rc;
		i++;
		if (i >= n || !calx__sin_key_eq(cx->parents[i].key, cx->key, nc))
			i = calx__sin_find_first(cx->parents, n, cx->key, nc);
		cx->group = i;
		if (i >= n)
			return CALX_OK;         /* no parent has its key */
	}
	/* the parents are sorted by the rows' order: i + 1 of n keys reached, room for the rest's rows at once */
	if ((rc = calx__idmap_reserve_ahead(s, ++cx->rows, i + 1, n)) != CALX_OK)
		return rc;
	if (cx->n_run == cx->cap_run &&
	    calx__grow((void **)&cx->run, &cx->cap_run, cx->n_run + 1, sizeof *cx->run) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", cx->x->desc->name);
	cx->run[cx->n_run++] = c;
	return CALX_OK;
}

/* Give each parent its children (cx->lists: exact arrays in the arena), mark the lists loaded, set back-pointers. */
static void distribute(unsigned ri, children_ctx *cx)
{
	const calx__rel *x = cx->x;
	for (size_t i = 0; i < cx->n_parents; i++) {
		calx__obj *h = cx->parents[i].h;
		memcpy((char *)calx__obj_ptr(h) + x->desc->offset, &cx->lists[i], sizeof cx->lists[i]);
		calx__rel_set_loaded(h, ri);
		for (size_t k = 0; x->back >= 0 && k < cx->lists[i].n; k++) {
			/* an object this load made or found (the rows): its header, no ownership check needed */
			calx__obj *c = (calx__obj *)((char *)calx__list_item(&cx->lists[i], k) - CALX__HDR_SIZE);
			if (!calx__rel_is_loaded(c, (unsigned)x->back)) {
				calx__rel_put_ptr(c, (unsigned)x->back, calx__obj_ptr(h));
				*calx__obj_rel_snap(c, (unsigned)x->back) = calx__obj_ptr(h);
				calx__rel_set_loaded(c, (unsigned)x->back);
			}
		}
	}
}

/*
 * One-to-one: as a one-to-many, each parent's pointer takes its one
 * child or NULL; two children of one parent refuse the whole load before
 * anything is set (lazy.c says why).
 */
static int distribute_one(calx_session *s, unsigned ri, children_ctx *cx)
{
	const calx__rel *x = cx->x;
	for (size_t i = 0; i < cx->n_parents; i++)
		if (cx->lists[i].n > 1)
			return calx__rel_one_found(s, cx->parents[i].h, ri, cx->lists[i].n);
	for (size_t i = 0; i < cx->n_parents; i++) {
		calx__obj *h = cx->parents[i].h;
		void *p = cx->lists[i].n ? calx__list_item(&cx->lists[i], 0) : NULL;
		calx__rel_put_ptr(h, ri, p);
		calx__rel_set_loaded(h, ri);
		calx__obj *c = p ? (calx__obj *)((char *)p - CALX__HDR_SIZE) : NULL;
		if (c && x->back >= 0 && !calx__rel_is_loaded(c, (unsigned)x->back)) {
			calx__rel_put_ptr(c, (unsigned)x->back, calx__obj_ptr(h));
			*calx__obj_rel_snap(c, (unsigned)x->back) = calx__obj_ptr(h);
			calx__rel_set_loaded(c, (unsigned)x->back);
		}
	}
	return CALX_OK;
}

int calx__sin_load_children(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next)
{
	const calx__rel *x = calx__sin_rel(s, objs[0], ri);
	if (!x)
		return s->err.code;
	unsigned nc = x->fk->n_columns;
	children_ctx cx = { .x = x, .next = next, .group = SIZE_MAX };
	calx_value *keys = calx__malloc(n * nc * sizeof *keys);
	cx.parents = calx__malloc(n * sizeof *cx.parents);
	cx.lists = calx__calloc(n, sizeof *cx.lists);
	int rc = keys && cx.parents && cx.lists ? CALX_OK : calx__sin_oom(s, objs[0], x);
	for (size_t k = 0; k < n && rc == CALX_OK; k++) {
		calx__obj *h = objs[k];
		bool one = x->desc->kind == CALX_REL_ONE_TO_ONE;
		if (one && calx__rel_is_loaded(h, ri)) {
			void *ptr = calx__rel_get_ptr(h, ri);
			calx__obj *c = ptr ? calx__rel_owned(s, ptr) : NULL;
			if (c && calx__sin_keep_next(next, c) != CALX_OK)
				rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", x->desc->name);
			continue;
		}
		if (calx__rel_is_loaded(h, ri)) {
			/* loaded already (or set by the program): as it is, but its items go on to the next level */
			calx_list l = calx__rel_get_list(h, ri);
			for (size_t j = 0; j < l.n && rc == CALX_OK; j++) {
				calx__obj *c = calx__rel_owned(s, calx__list_item(&l, j));
				if (c && calx__sin_keep_next(next, c) != CALX_OK)
					rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", x->desc->name);
			}
			continue;
		}
		if (h->state != CALX__PERSISTENT)
			continue;       /* not in the database: the accessor decides, as without select-in */
		bool has = calx__sin_key_of(s, h, x->fk->ref_columns, nc, &keys[cx.n_parents * nc], &rc);
		if (rc != CALX_OK)
			break;
		if (!has) {
			/* a NULL key: no child can point at it */
			calx_list empty = { NULL, 0, 0 };
			if (one)
				calx__rel_put_ptr(h, ri, NULL);
			else
				memcpy((char *)calx__obj_ptr(h) + x->desc->offset, &empty, sizeof empty);
			calx__rel_set_loaded(h, ri);
			continue;
		}
		cx.parents[cx.n_parents].h = h;
		cx.parents[cx.n_parents].key = &keys[cx.n_parents * nc];
		cx.n_parents++;
	}
	if (rc == CALX_OK && cx.n_parents) {
		rc = calx__sin_select_distinct(s, x->target, x->fk->columns, nc, cx.parents, cx.n_parents, child_row, &cx,
		                               x->desc->name);
		if (rc == CALX_OK)
			rc = close_run(s, &cx);
		/* nothing is set until every row is in: a failure leaves every list unloaded */
		if (rc == CALX_OK && x->desc->kind == CALX_REL_ONE_TO_ONE)
			rc = distribute_one(s, ri, &cx);
		else if (rc == CALX_OK)
			distribute(ri, &cx);
	}
	calx__free(cx.run);
	calx__free(cx.lists);
	calx__free(cx.parents);
	calx__free(keys);
	return rc;
}
