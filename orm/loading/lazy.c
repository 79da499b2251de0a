/*
 * Relationships loaded on an explicit call (calx/related.h): C cannot
 * intercept a field read, so nothing loads behind the program's back.
 * A many-to-one goes through the identity map first (a get by the
 * parent's key), a one-to-many is one SELECT of the children by the
 * foreign key, each row through the identity map; either is loaded once,
 * and loading the children sets their pointers back to the parent.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "loading/secondary_load.h"

/* The values of columns cols[0..n) of h; false when one is NULL (the key names no row). */
static bool values_of(calx_session *s, const calx__obj *h, const unsigned *cols, unsigned n, calx_value *out,
                      int *rc)
{
	*rc = CALX_OK;
	for (unsigned k = 0; k < n; k++) {
		const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[cols[k]];
		if (calx__field_null(h, f))
			return false;
		if ((*rc = calx__field_get(f, calx__obj_ptr(h), false, &out[k], &s->err)) != CALX_OK)
			return false;
	}
	return true;
}

/* A SELECT of m's rows whose columns cols equal vals, ordered by primary key. */
static calx_select *select_where(calx_session *s, const calx__mapper *m, const unsigned *cols, unsigned n,
                                 const calx_value *vals)
{
	calx_select *q = calx_select_new(s, m->desc);
	for (unsigned k = 0; q && k < n; k++)
		calx_where(q, calx_compare(CALX_OP_EQ, &m->desc->fields[cols[k]], vals[k]));
	for (unsigned k = 0; q && k < m->n_pk; k++)
		calx_order_by(q, &m->desc->fields[m->pk[k]], CALX_ASC);
	return q;
}

/* Many-to-one: the parent through the identity map first (a get), or by its referenced columns. */
static int load_parent(calx_session *s, calx__obj *h, unsigned i)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	calx_value key[CALX__MAX_PK > 16 ? CALX__MAX_PK : 16];
	void *p = NULL;
	int rc;
	if (x->fk->n_columns > sizeof key / sizeof key[0])
		return calx__fail(s, CALX_EINVAL, "relationship '%s.%s': foreign key too wide", calx__obj_mapper(h)->desc->name,
		                  x->desc->name);
	if (values_of(s, h, x->fk->columns, x->fk->n_columns, key, &rc)) {
		if (x->ref_is_pk) {
			rc = calx_session_get_key(s, x->target->desc, key, x->fk->n_columns, &p);
		} else {
			calx_select *q = select_where(s, x->target, x->fk->ref_columns, x->fk->n_columns, key);
			rc = q ? calx_select_one(q, &p) : s->err.code;
			calx_select_free(q);
		}
		/* a parent the registry's criteria leave out (calx/criteria.h) loads as NULL */
		if (x->target->n_crit && rc == CALX_ENOTFOUND) {
			s->err.code = CALX_OK;      /* not a failure: the message goes */
			s->err.msg[0] = '\0';
			p = NULL;
			rc = CALX_OK;
		}
	}
	if (rc != CALX_OK)
		return rc;
	calx__rel_put_ptr(h, i, p);
	*calx__obj_rel_snap(h, i) = p;
	calx__rel_set_loaded(h, i);
	return CALX_OK;
}

/*
 * The rows of x's target whose foreign key holds h's key, through the
 * identity map (*q owns items; the caller frees it). A parent not in the
 * database (or with a NULL key) has none there: *n is 0.
 */
static int select_children(calx_session *s, calx__obj *h, const calx__rel *x, calx_select **q, void ***items,
                           size_t *n)
{
	calx_value key[16];
	int rc = CALX_OK;
	*q = NULL;
	*n = 0;
	if (x->fk->n_columns > sizeof key / sizeof key[0])
		return calx__fail(s, CALX_EINVAL, "relationship '%s.%s': foreign key too wide", calx__obj_mapper(h)->desc->name,
		                  x->desc->name);
	if (h->state == CALX__PERSISTENT && values_of(s, h, x->fk->ref_columns, x->fk->n_columns, key, &rc)) {
		if (!(*q = select_where(s, x->target, x->fk->columns, x->fk->n_columns, key)))
			return s->err.code;
		rc = calx_select_all(*q, items, n);
	}
	return rc;
}

/* One-to-many: one SELECT of the children, each row through the identity map. */
static int load_children(calx_session *s, calx__obj *h, unsigned i)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	calx_list l = { NULL, 0, 0 };
	void **items = NULL;
	size_t n;
	calx_select *q;
	int rc = select_children(s, h, x, &q, &items, &n);
	if (!q && rc != CALX_OK)
		return rc;
	if (rc == CALX_OK && n) {
		if (!(l.items = calx__arena_alloc(&s->arena, n * sizeof(void *), alignof(void *))))
			rc = calx__fail(s, CALX_ENOMEM, "out of memory loading %s.%s", calx__obj_mapper(h)->desc->name, x->desc->name);
		else {
			memcpy(l.items, items, n * sizeof(void *));
			l.n = l.cap = n;
		}
	}
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	memcpy((char *)calx__obj_ptr(h) + x->desc->offset, &l, sizeof l);
	calx__rel_set_loaded(h, i);
	/* the children's side is known now too, unless the program set it */
	for (size_t k = 0; x->back >= 0 && k < n; k++) {
		calx__obj *c = calx__rel_owned(s, calx__list_item(&l, k));
		if (c && !calx__rel_is_loaded(c, (unsigned)x->back)) {
			calx__rel_put_ptr(c, (unsigned)x->back, calx__obj_ptr(h));
			*calx__obj_rel_snap(c, (unsigned)x->back) = calx__obj_ptr(h);
			calx__rel_set_loaded(c, (unsigned)x->back);
		}
	}
	return CALX_OK;
}

/*
 * One-to-one (the side without the key): the child rows by the foreign
 * key, as for a one-to-many, and at most one of them. Two rows for one
 * parent are an error that says so (SQLAlchemy warns and picks one; a
 * silent pick would hide a broken invariant).
 */
int calx__rel_one_found(calx_session *s, const calx__obj *h, unsigned i, size_t n)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	return calx__fail(s, CALX_EMULTIPLE,
	                  "relationship '%s.%s' is a one-to-one (uselist(false)), but %zu rows of table \"%s\" refer "
	                  "to this struct %s: make its foreign key unique, or make the relationship a CALX_LIST",
	                  calx__obj_mapper(h)->desc->name, x->desc->name, n, x->target->desc->table, calx__obj_mapper(h)->desc->name);
}

static int load_one(calx_session *s, calx__obj *h, unsigned i)
{
	const calx__rel *x = &calx__obj_mapper(h)->rels[i];
	void **items = NULL;
	size_t n;
	calx_select *q;
	int rc = select_children(s, h, x, &q, &items, &n);
	if (!q && rc != CALX_OK)
		return rc;
	void *child = rc == CALX_OK && n == 1 ? items[0] : NULL;
	calx_select_free(q);
	if (rc == CALX_OK && n > 1)
		rc = calx__rel_one_found(s, h, i, n);
	if (rc != CALX_OK)
		return rc;
	calx__rel_put_ptr(h, i, child);
	calx__rel_set_loaded(h, i);
	calx__obj *c = child ? calx__rel_owned(s, child) : NULL;
	if (c && x->back >= 0 && !calx__rel_is_loaded(c, (unsigned)x->back)) {
		calx__rel_put_ptr(c, (unsigned)x->back, calx__obj_ptr(h));
		*calx__obj_rel_snap(c, (unsigned)x->back) = calx__obj_ptr(h);
		calx__rel_set_loaded(c, (unsigned)x->back);
	}
	return CALX_OK;
}

int calx_related_load(calx_session *s, void *obj, const calx_relationship_desc *rel)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__check_usable(s);
	calx__obj *h = rc == CALX_OK ? calx__obj_of(s, obj) : NULL;
	if (!h)
		return rc != CALX_OK ? rc : s->err.code;
	int i = calx__rel_index(s, h, rel, 0);
	if (i < 0)
		return s->err.code;
	if (calx__rel_is_loaded(h, (unsigned)i))
		return CALX_OK;
	if (rel->loading == CALX_LOAD_RAISE)
		return calx__fail(s, CALX_ESTATE,
		                  "relationship '%s.%s' is lazy(\"raise\"): it is not loaded, and is never loaded lazily "
		                  "(set it with calx_related_set, or load the related object yourself)",
		                  calx__obj_mapper(h)->desc->name, rel->name);
	if (rel->loading == CALX_LOAD_NOLOAD) {
		calx__rel_set_loaded(h, (unsigned)i);
		return CALX_OK;
	}
	if (s->listening)
		return calx__refuse_in_listener(s, "calx_related_load", "loading runs statements");
	if (rel->kind == CALX_REL_ONE_TO_ONE)
		return load_one(s, h, (unsigned)i);
	if (rel->kind == CALX_REL_MANY_TO_MANY)
		return calx__m2m_load(s, &h, 1, (unsigned)i, NULL);
	return rel->kind == CALX_REL_MANY_TO_ONE ? load_parent(s, h, (unsigned)i) : load_children(s, h, (unsigned)i);
}
