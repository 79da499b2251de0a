/*
 * Select-in loading: a relationship loaded for a whole result with one
 * more statement instead of one per object (the N+1 of lazy loading).
 *
 * One-to-many and one-to-one: SELECT child WHERE fk IN (the parents'
 * keys), in selectin_children.c. Many-to-one:
 * parents already in the identity map are taken from it; the rest by
 * SELECT parent WHERE key IN (their distinct keys). A composite key is an
 * OR of ANDs. A list of keys over the dialect's parameter limit is cut
 * into several statements (sql/split.c for one column).
 *
 * Keys are compared as values read from the objects (text borrowed from
 * them), sorted so each row finds its objects by binary search; the rows
 * come ordered by the key they are looked up by, so a one-to-many search
 * runs once a parent, not once a child.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/ast.h"
#include "sql/compile.h"
#include "sql/statements.h"
#include "loading/selectin.h"
#include "loading/selectin_keys.h"
#include "loading/secondary_load.h"

/* ---- many-to-one ---- */

typedef struct parents_ctx {
	const calx__rel *x;
	unsigned ri;
	calx__sin_keyed *wanting;                 /* children whose parent is not in the identity map, sorted by key */
	size_t n_wanting;
	calx__objvec *next;
	calx_value key[CALX__SIN_MAX_COLS];
} parents_ctx;

static void link_parent(calx__obj *c, unsigned ri, void *p)
{
	calx__rel_put_ptr(c, ri, p);
	*calx__obj_rel_snap(c, ri) = p;
	calx__rel_set_loaded(c, ri);
}

static int parent_row(calx_session *s, calx__obj *p, void *vctx)
{
	parents_ctx *px = vctx;
	unsigned nc = px->x->fk->n_columns;
	int rc;
	if (!calx__sin_key_of(s, p, px->x->fk->ref_columns, nc, px->key, &rc))
		return rc;
	if (calx__sin_keep_next(px->next, p) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", px->x->desc->name);
	for (size_t i = calx__sin_find_first(px->wanting, px->n_wanting, px->key, nc);
	     i < px->n_wanting && calx__sin_key_eq(px->wanting[i].key, px->key, nc); i++)
		link_parent(px->wanting[i].h, px->ri, calx__obj_ptr(p));
	return CALX_OK;
}

static int load_parents(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next)
{
	const calx__rel *x = calx__sin_rel(s, objs[0], ri);
	if (!x)
		return s->err.code;
	unsigned nc = x->fk->n_columns;
	parents_ctx px = { .x = x, .ri = ri, .next = next };
	calx_value *keys = calx__malloc(n * nc * sizeof *keys);
	px.wanting = calx__malloc(n * sizeof *px.wanting);
	int rc = keys && px.wanting ? CALX_OK : calx__sin_oom(s, objs[0], x);
	for (size_t k = 0; k < n && rc == CALX_OK; k++) {
		calx__obj *c = objs[k], *p = NULL;
		if (calx__rel_is_loaded(c, ri)) {
			void *ptr = calx__rel_get_ptr(c, ri);
			if (ptr && (p = calx__rel_owned(s, ptr)) && calx__sin_keep_next(next, p) != CALX_OK)
				rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", x->desc->name);
			continue;
		}
		calx_value *key = &keys[px.n_wanting * nc];
		bool has = calx__sin_key_of(s, c, x->fk->columns, nc, key, &rc);
		if (rc != CALX_OK)
			break;
		if (!has) {
			link_parent(c, ri, NULL);
			continue;
		}
		/* the identity map first: no statement for a parent the session holds */
		if (x->ref_is_pk && (p = calx__idmap_find(s, x->target, key, calx__key_hash(x->target, key))) &&
		    p->state == CALX__PERSISTENT && !(p->flags & CALX__EXPIRED)) {
			link_parent(c, ri, calx__obj_ptr(p));
			if (calx__sin_keep_next(next, p) != CALX_OK)
				rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in", x->desc->name);
			continue;
		}
		px.wanting[px.n_wanting].h = c;
		px.wanting[px.n_wanting++].key = key;
	}
	if (rc == CALX_OK && px.n_wanting) {
		/* a child whose parent row is missing stays unloaded: its accessor reports it */
		rc = calx__sin_select_distinct(s, x->target, x->fk->ref_columns, nc, px.wanting, px.n_wanting, parent_row,
		                               &px, x->desc->name);
	}
	calx__free(px.wanting);
	calx__free(keys);
	return rc;
}

/* ---- levels ---- */

typedef struct walk {
	const calx__load_opt *opts;
	size_t n_opts;
	const calx_relationship_desc *prefix[CALX__LOAD_PATH_MAX];
} walk;

calx_loading calx__load_how(const calx__load_opt *opts, size_t n_opts, const calx_relationship_desc *const *prefix,
                            unsigned depth, const calx_relationship_desc *rel)
{
	calx_loading how = rel->loading == CALX_LOAD_SELECTIN || rel->loading == CALX_LOAD_JOINED ? rel->loading
	                                                                                          : CALX_LOAD_LAZY;
	for (size_t k = 0; k < n_opts; k++) {
		const calx__load_opt *o = &opts[k];
		if (o->n <= depth || o->path[depth] != rel)
			continue;
		bool same = true;
		for (unsigned j = 0; j < depth && same; j++)
			same = o->path[j] == prefix[j];
		/* a longer path loads its prefix its way only where nothing eager is chosen yet */
		if (same)
			how = o->n == depth + 1 ? o->how : how == CALX_LOAD_LAZY && o->how != CALX_LOAD_LAZY ? o->how : how;
	}
	return how;
}

static calx_loading how_at(const walk *w, unsigned depth, const calx_relationship_desc *rel)
{
	return calx__load_how(w->opts, w->n_opts, w->prefix, depth, rel);
}

bool calx__selectin_wanted(const calx__mapper *m, const calx__load_opt *opts, size_t n_opts)
{
	walk w = { opts, n_opts, { NULL } };
	for (unsigned i = 0; i < m->n_rels; i++)
		if (how_at(&w, 0, m->rels[i].desc) == CALX_LOAD_SELECTIN)
			return true;
	return false;
}

/* What a relationship the select's join loaded (orm/loading/joined.c) brings to the next level. */
static int joined_next(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next)
{
	for (size_t k = 0; k < n; k++) {
		if (!calx__rel_is_loaded(objs[k], ri))
			continue;
		calx_list l = { NULL, 0, 0 };
		void *one = NULL;
		calx_relationship_kind kind = calx__obj_mapper(objs[k])->rels[ri].desc->kind;
		if (kind == CALX_REL_MANY_TO_ONE || kind == CALX_REL_ONE_TO_ONE)
			one = calx__rel_get_ptr(objs[k], ri);
		else
			l = calx__rel_get_list(objs[k], ri);
		for (size_t j = 0; j < (one ? 1 : l.n); j++) {
			calx__obj *c = calx__rel_owned(s, one ? one : calx__list_item(&l, j));
			if (c && calx__sin_keep_next(next, c) != CALX_OK)
				return calx__fail(s, CALX_ENOMEM, "out of memory loading %s select-in",
				                  calx__obj_mapper(objs[k])->rels[ri].desc->name);
		}
	}
	return CALX_OK;
}

/*
 * joined: every relationship above is joined too, so the select's own
 * statement loaded this one; below a select-in level it loads select-in.
 */
static int level(calx_session *s, const calx__mapper *m, calx__obj **objs, size_t n, walk *w, unsigned depth,
                 bool joined)
{
	int rc = CALX_OK;
	for (unsigned i = 0; i < m->n_rels && rc == CALX_OK && n && depth < CALX__LOAD_PATH_MAX; i++) {
		const calx_relationship_desc *d = m->rels[i].desc;
		calx_loading how = how_at(w, depth, d);
		bool by_join = how == CALX_LOAD_JOINED && joined;
		if (how != CALX_LOAD_SELECTIN && how != CALX_LOAD_JOINED)
			continue;
		w->prefix[depth] = d;
		/*
		 * a next level only when something loads there: otherwise the
		 * loaded objects are not even collected (sorting 100,000 children
		 * for none cost 5% of a load, collecting them 1%)
		 */
		const calx__mapper *t = m->rels[i].target;
		bool deeper = false;
		for (unsigned j = 0; j < t->n_rels && !deeper && depth + 1 < CALX__LOAD_PATH_MAX; j++) {
			calx_loading below = how_at(w, depth + 1, t->rels[j].desc);
			deeper = below == CALX_LOAD_SELECTIN || below == CALX_LOAD_JOINED;
		}
		calx__objvec next = { NULL, 0, 0, false }, *keep = deeper ? &next : NULL;
		rc = by_join                            ? joined_next(s, objs, n, i, keep)
		     : d->kind == CALX_REL_MANY_TO_ONE  ? load_parents(s, objs, n, i, keep)
		     : d->kind == CALX_REL_MANY_TO_MANY ? calx__m2m_load(s, objs, n, i, keep)
		                                        : calx__sin_load_children(s, objs, n, i, keep);
		if (rc == CALX_OK && deeper && next.n > 1) {
			/* many children share a parent: each object once on the next level */
			qsort(next.v, next.n, sizeof *next.v, calx__sin_ptr_cmp);
			size_t u = 1;
			for (size_t k = 1; k < next.n; k++)
				if (next.v[k] != next.v[u - 1])
					next.v[u++] = next.v[k];
			next.n = u;
		}
		if (rc == CALX_OK && deeper)
			rc = level(s, t, next.v, next.n, w, depth + 1, by_join);
		calx__free(next.v);
	}
	return rc;
}

int calx__selectin_load(calx_session *s, const calx__mapper *m, void *const *objs, size_t n,
                        const calx__load_opt *opts, size_t n_opts)
{
	if (!n)
		return CALX_OK;
	calx__obj **hs = calx__malloc(n * sizeof *hs);
	if (!hs)
		return calx__fail(s, CALX_ENOMEM, "out of memory loading relationships of %s select-in", m->desc->name);
	for (size_t k = 0; k < n; k++)
		hs[k] = (calx__obj *)((char *)objs[k] - CALX__HDR_SIZE);
	walk w = { opts, n_opts, { NULL } };
	int rc = level(s, m, hs, n, &w, 0, true);
	calx__free(hs);
	return rc;
}
