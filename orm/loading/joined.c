/*
 * Joined eager loading (loading/joined.h): relationships loaded in the
 * select's own statement by LEFT OUTER JOIN, SQLAlchemy's joinedload.
 *
 * The plan (joined_plan.c) is a tree of joins in the order the statement lists them
 * (a join's parent before it), each target's table aliased so a table can
 * join itself (node -> children -> children). A row holds the select's
 * object, then each join's object or NULLs. Rows repeat a parent once per
 * related row, so everything is remembered once, by identity: the
 * select's objects (in the order first seen), each (join, holder) whose
 * relationship is being loaded, and each (join, holder, related object).
 * After the last row the lists are built in the session's arena and set,
 * with the loaded bits, in one pass that cannot fail.
 *
 * A many-to-many relationship is two joins, parent to its association
 * table and that to the target (aliased the same way); its rows are read
 * as a one-to-many's. Its lists also get the snapshot the flush compares
 * them with, and the other side's lists are left alone (they would hold
 * only the parents of this result).
 *
 * A target that is a hierarchy's struct read whole (wide_target: a
 * concrete-table hierarchy's struct, or a joined-table hierarchy's root)
 * brings its hierarchy's wide row, so each related row is its own struct
 * from the one statement, never a get per subclass row after it.
 *
 * The statement's order makes the rows come in runs: a parent's rows
 * together, each child's together below it. A row whose key at a join is
 * the previous one's there is the same object, so its columns are not
 * read again; and where the order guarantees that a run is never resumed
 * later (find_runs), an object, holder or pair unlike the previous row's
 * is new, and nothing is remembered for it. Where it does not (an order by
 * an expression, joins side by side, a holder under a many-to-one), the
 * rows are de-duplicated by identity in a hash table, as above. A list
 * whose holder's rows come in one run is built in the arena when the run
 * ends, from a scratch array, rather than from the pairs after the last row.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "loading/joined_int.h"
#include "loading/polymorphic.h"

static void forget_rows(calx__joined *j)
{
	calx__free(j->seen);
	calx__free(j->holders);
	calx__free(j->pairs);
	j->seen = NULL;
	j->holders = NULL;
	j->pairs = NULL;
	j->seen_cap = j->seen_n = j->n_holders = j->cap_holders = j->n_pairs = j->cap_pairs = 0;
	for (unsigned k = 0; k < j->n; k++)
		calx__free(j->last[k].items);
	memset(&j->root, 0, sizeof j->root);
	memset(j->last, 0, sizeof j->last);
}

void calx__joined_free(calx__joined *j)
{
	if (!j)
		return;
	forget_rows(j);
	calx__free(j);
}

/* ---- rows ---- */

static size_t mix(unsigned node, const void *a, const void *b)
{
	uint64_t x = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15u;
	x ^= ((uint64_t)(uintptr_t)b + node) * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(x ^ x >> 31);
}

/* The slot of (node, a, b) in t (a power of two of slots, never full): its entry, or where it goes. */
static seen *slot(seen *t, size_t cap, unsigned node, const void *a, const void *b)
{
	size_t i = mix(node, a, b) & (cap - 1);
	while (t[i].used && (t[i].node != node || t[i].a != a || t[i].b != b))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

/* The entry of (node, a, b), *added when this call put it there; NULL when memory ran out. */
static seen *remember(calx__joined *j, unsigned node, const void *a, const void *b, bool *added)
{
	if (2 * (j->seen_n + 1) > j->seen_cap) {
		size_t cap = j->seen_cap ? j->seen_cap * 2 : 256;
		seen *t = calx__calloc(cap, sizeof *t);
		if (!t)
			return NULL;
		for (size_t i = 0; i < j->seen_cap; i++)
			if (j->seen[i].used)
				*slot(t, cap, j->seen[i].node, j->seen[i].a, j->seen[i].b) = j->seen[i];
		calx__free(j->seen);
		j->seen = t;
		j->seen_cap = cap;
	}
	seen *e = slot(j->seen, j->seen_cap, node, a, b);
	*added = !e->used;
	if (!e->used) {
		*e = (seen){ a, b, node, true, 0 };
		j->seen_n++;
	}
	return e;
}

/*
 * The object of m whose columns start at first in this row: r's when the
 * row's key is r's (a run of rows repeats it: one read of its key, no
 * lookup), else through the identity map. With a join, *out is NULL when
 * the row has none (a LEFT JOIN that found none gives NULL for its key).
 */
static int take(calx_session *s, const calx__mapper *m, const calx__mapper *wide, calx__stmt *st, unsigned first,
                bool join, recent *r, calx__obj **out)
{
	calx_value key[CALX__MAX_PK];
	bool ints = true;
	for (unsigned k = 0; k < m->n_pk; k++) {
		s->d->column(st->st, first + m->pk[k], &key[k]);
		if (join && key[k].kind == CALX_VALUE_NULL) {
			*out = NULL;
			return CALX_OK;
		}
		ints = ints && key[k].kind == CALX_VALUE_INT;
	}
	bool same = ints && r->keyed;
	for (unsigned k = 0; k < m->n_pk && same; k++)
		same = key[k].u.i == r->key[k];
	if (same) {
		*out = r->obj;
		return CALX_OK;
	}
	/* an integer key is as the identity map keeps it (load.c), so one key is one object */
	int rc = wide ? calx__poly_load_row(s, m, st, first, true, out) : calx__load_row_keyed(s, m, st, first, key, out);
	if (rc != CALX_OK)
		return rc;
	r->obj = *out;
	r->keyed = ints;
	for (unsigned k = 0; k < m->n_pk && ints; k++)
		r->key[k] = key[k].u.i;
	return CALX_OK;
}

static int out_of_memory(calx_session *s, const calx__joined *j)
{
	return calx__fail(s, CALX_ENOMEM, "out of memory reading the joined rows of %s", j->m->desc->name);
}

/* The list of join k's holder whose run of rows ended, into the session's arena. */
static int end_run(calx_session *s, calx__joined *j, unsigned k)
{
	recent *r = &j->last[k];
	size_t size = r->n_items * sizeof(void *);
	if (!r->holding || !r->n_items)
		return CALX_OK;
	holder *hd = &j->holders[r->holder];
	if (!(hd->items = calx__arena_alloc(&s->arena, size, alignof(void *))))
		return calx__fail(s, CALX_ENOMEM, "out of memory loading the joined lists of %s", j->m->desc->name);
	memcpy(hd->items, r->items, size);
	r->n_items = 0;
	return CALX_OK;
}

/* The holder of join k's relationship in holding: the last row's, a new one, or the one remembered. */
static int holder_of(calx_session *s, calx__joined *j, unsigned k, calx__obj *holding, size_t *hi)
{
	recent *r = &j->last[k];
	if (holding == r->holding) {
		*hi = r->holder;
		return CALX_OK;
	}
	int rc = j->nodes[k].holder_runs && j->nodes[k].list ? end_run(s, j, k) : CALX_OK;
	if (rc != CALX_OK)
		return rc;
	seen *e = NULL;
	bool added = true;
	if (!j->nodes[k].holder_runs && !(e = remember(j, k, holding, NULL, &added)))
		return out_of_memory(s, j);
	if (added) {
		if (calx__grow((void **)&j->holders, &j->cap_holders, j->n_holders + 1, sizeof *j->holders) != 0)
			return out_of_memory(s, j);
		j->holders[j->n_holders] = (holder){ holding, k, 0, 0, NULL, NULL, NULL };
		if (e)
			e->holder = j->n_holders;
		j->n_holders++;
	}
	r->holding = holding;
	r->holder = e ? e->holder : j->n_holders - 1;
	r->paired = NULL;
	*hi = r->holder;
	return CALX_OK;
}

int calx__joined_row(calx_session *s, calx__joined *j, calx__stmt *st, calx__obj **out, bool *first)
{
	calx__obj *h, *objs[CALX__JOINS_MAX], *was = j->root.obj;
	bool added = true;
	int rc = take(s, j->m, NULL, st, 0, false, &j->root, &h);
	if (rc != CALX_OK)
		return rc;
	/* the previous row's object, or one after it: new where the order says so, else as remembered */
	if (h != was && !j->root_runs && !remember(j, ROOT_NODE, h, NULL, &added))
		return out_of_memory(s, j);
	*out = h;
	*first = h != was && added;
	for (unsigned k = 0; k < j->n; k++) {
		const jnode *nd = &j->nodes[k];
		calx__obj *holding = nd->parent < 0 ? h : objs[nd->parent], *c;
		size_t hi = 0;
		objs[k] = NULL;
		if (!holding)
			continue;       /* the join above found nothing: neither does this one */
		if ((rc = holder_of(s, j, k, holding, &hi)) != CALX_OK)
			return rc;
		if ((rc = take(s, nd->to, j->wide[k], st, nd->first, true, &j->last[k], &c)) != CALX_OK)
			return rc;
		if (!c)
			continue;
		objs[k] = c;
		/* a row repeated by another join's rows: the same pair as the row before, or one remembered */
		if (c == j->last[k].paired)
			continue;
		j->last[k].paired = c;
		if (!nd->pair_runs && !remember(j, k, holding, c, &added))
			return out_of_memory(s, j);
		if (!nd->pair_runs && !added)
			continue;
		j->holders[hi].n++;
		recent *r = &j->last[k];
		if (nd->holder_runs && nd->list) {
			if (calx__grow((void **)&r->items, &r->cap_items, r->n_items + 1, sizeof *r->items) != 0)
				return out_of_memory(s, j);
			r->items[r->n_items++] = calx__obj_ptr(c);
			continue;
		}
		if (calx__grow((void **)&j->pairs, &j->cap_pairs, j->n_pairs + 1, sizeof *j->pairs) != 0)
			return out_of_memory(s, j);
		j->pairs[j->n_pairs++] = (pair){ hi, c };
	}
	return CALX_OK;
}

/* ---- setting the relationships ---- */

static void link_one(calx__obj *h, unsigned ri, void *p)
{
	calx__rel_put_ptr(h, ri, p);
	*calx__obj_rel_snap(h, ri) = p;
	calx__rel_set_loaded(h, ri);
}

/* Are the holder's foreign-key columns of x all NULL (the pointer is NULL, not a row that is missing)? */
static bool key_null(const calx__obj *h, const calx__rel *x)
{
	for (unsigned k = 0; k < x->fk->n_columns; k++)
		if (!calx__field_null(h, &calx__obj_mapper(h)->desc->fields[x->fk->columns[k]]))
			return false;
	return true;
}

/* Set one holder's relationship, unless it is loaded already (or the program set it): that one stays. */
static void apply(const calx__joined *j, const holder *hd)
{
	const jnode *nd = &j->nodes[hd->node];
	calx__obj *h = hd->h;
	const calx__rel *x = &calx__obj_mapper(h)->rels[nd->ri];
	if (h->state != CALX__PERSISTENT || calx__rel_is_loaded(h, nd->ri))
		return;
	if (x->desc->kind == CALX_REL_MANY_TO_ONE) {
		/* a key naming a row that is not there stays unloaded: its accessor reports it */
		if (hd->one || key_null(h, x))
			link_one(h, nd->ri, hd->one ? calx__obj_ptr(hd->one) : NULL);
		return;
	}
	if (x->desc->kind == CALX_REL_ONE_TO_ONE) {
		/* no row is a loaded NULL; the child's pointer back is set as a list's items' are */
		link_one(h, nd->ri, hd->one ? calx__obj_ptr(hd->one) : NULL);
		if (hd->one && x->back >= 0 && !calx__rel_is_loaded(hd->one, (unsigned)x->back))
			link_one(hd->one, (unsigned)x->back, calx__obj_ptr(h));
		return;
	}
	calx_list l = { hd->items, hd->n, hd->n };
	memcpy((char *)calx__obj_ptr(h) + x->desc->offset, &l, sizeof l);
	calx__rel_set_loaded(h, nd->ri);
	if (x->desc->kind == CALX_REL_MANY_TO_MANY) {
		/* the other side's lists are not set: this result holds only some of their members */
		*calx__obj_rel_snap(h, nd->ri) = hd->snap;
		return;
	}
	for (size_t k = 0; x->back >= 0 && k < l.n; k++) {
		/* the items are the loaded objects' structs (calx__joined_finish): each one's header is before it */
		calx__obj *c = (calx__obj *)((char *)calx__list_item(&l, k) - CALX__HDR_SIZE);
		if (!calx__rel_is_loaded(c, (unsigned)x->back))
			link_one(c, (unsigned)x->back, calx__obj_ptr(h));
	}
}

int calx__joined_finish(calx_session *s, calx__joined *j)
{
	int rc = CALX_OK;
	/* the lists whose runs are still open, then every other list's array, and every one-to-one checked: a failure sets nothing */
	for (unsigned k = 0; k < j->n && rc == CALX_OK; k++)
		if (j->nodes[k].holder_runs && j->nodes[k].list)
			rc = end_run(s, j, k);
	for (size_t i = 0; i < j->n_holders && rc == CALX_OK; i++) {
		holder *hd = &j->holders[i];
		bool one = calx__obj_mapper(hd->h)->rels[j->nodes[hd->node].ri].desc->kind == CALX_REL_ONE_TO_ONE;
		if (one && hd->n > 1 && hd->h->state == CALX__PERSISTENT && !calx__rel_is_loaded(hd->h, j->nodes[hd->node].ri))
			rc = calx__rel_one_found(s, hd->h, j->nodes[hd->node].ri, hd->n);
		else if (hd->n && !hd->items && !one && j->specs[hd->node].fk_in_target &&
		    !(hd->items = calx__arena_alloc(&s->arena, hd->n * sizeof(void *), alignof(void *))))
			rc = calx__fail(s, CALX_ENOMEM, "out of memory loading the joined lists of %s", j->m->desc->name);
	}
	for (size_t i = 0; i < j->n_pairs && rc == CALX_OK; i++) {
		holder *hd = &j->holders[j->pairs[i].holder];
		void *p = calx__obj_ptr(j->pairs[i].c);
		if (hd->items)
			memcpy((char *)hd->items + hd->placed++ * sizeof p, &p, sizeof p);
		else
			hd->one = j->pairs[i].c;
	}
	/* many-to-many: the snapshot of each list that will be set (the lists are filled now) */
	for (size_t i = 0; i < j->n_holders && rc == CALX_OK; i++) {
		holder *hd = &j->holders[i];
		unsigned ri = j->nodes[hd->node].ri;
		if (calx__obj_mapper(hd->h)->rels[ri].desc->kind == CALX_REL_MANY_TO_MANY && hd->h->state == CALX__PERSISTENT &&
		    !calx__rel_is_loaded(hd->h, ri) &&
		    !(hd->snap = calx__m2m_snap_new(s, hd->items, hd->n, calx__obj_mapper(hd->h)->rels[ri].desc->name)))
			rc = s->err.code;
	}
	/* in holder order: an object holding the same relationship at two joins takes the first */
	for (size_t i = 0; i < j->n_holders && rc == CALX_OK; i++)
		apply(j, &j->holders[i]);
	forget_rows(j);
	return rc;
}
