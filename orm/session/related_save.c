/*
 * What saving linked objects needs from calx/related.h's side: the
 * save-update cascade (an object added or linked brings the transient
 * objects it reaches into the session) and the copy of a parent's key
 * into a child's foreign-key columns. The links themselves are in
 * related.c; the flush that calls these, in orm/unitofwork/relate.c.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/statements.h"      /* calx__bit, calx__bit_set */

/* As calx_session_add makes a transient object pending. */
static int make_pending(calx_session *s, calx__obj *t)
{
	if (!(t->flags & CALX__IN_PENDING)) {
		if (calx__objvec_push(&s->pending, t) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory adding a struct %s", calx__obj_mapper(t)->desc->name);
		t->flags |= CALX__IN_PENDING;
	}
	t->state = CALX__PENDING;
	return CALX_OK;
}

/* One related object reached by the cascade: pending if it was transient, and walked from. */
static int reach(calx_session *s, calx__objvec *stack, calx__rel_seen *seen, calx__obj *from, unsigned i, void *p)
{
	calx__obj *t = calx__rel_target_seen(s, from, i, p, seen);
	if (!t)
		return s->err.code;
	if (t->state != CALX__TRANSIENT)
		return CALX_OK;
	int rc = make_pending(s, t);
	if (rc == CALX_OK && calx__obj_mapper(t)->n_rels && calx__objvec_push(stack, t) != CALX_OK)
		rc = calx__fail(s, CALX_ENOMEM, "out of memory cascading the add of a struct %s", calx__obj_mapper(from)->desc->name);
	return rc;
}

/* The relationships of x with save-update: each related object reached (transient ones pushed to walk from). */
static int cascade_from(calx_session *s, calx__objvec *stack, calx__rel_seen *seen, calx__obj *x)
{
	int rc = CALX_OK;
	for (unsigned i = 0; i < calx__obj_mapper(x)->n_rels && rc == CALX_OK; i++) {
		const calx_relationship_desc *d = calx__obj_mapper(x)->rels[i].desc;
		if (!(d->cascade & CALX_CASCADE_SAVE_UPDATE))
			continue;
		if (calx__rel_is_pointer(d)) {
			void *p = calx__rel_get_ptr(x, i);
			if (p)
				rc = reach(s, stack, seen, x, i, p);
			continue;
		}
		calx_list l = calx__rel_get_list(x, i);
		for (size_t k = 0; k < l.n && rc == CALX_OK; k++)
			rc = reach(s, stack, seen, x, i, calx__list_item(&l, k));
	}
	return rc;
}

int calx__rel_cascade_add(calx_session *s, calx__obj *h)
{
	calx__rel_seen seen = { NULL, NULL };
	return calx__rel_cascade_add_seen(s, h, &seen);
}

int calx__rel_cascade_add_seen(calx_session *s, calx__obj *h, calx__rel_seen *seen)
{
	/*
	 * h itself is walked without the stack: the flush walks again from
	 * every pending object, whose related objects are nearly always in
	 * the session already, so the stack is allocated only when the
	 * cascade reaches a transient object to walk on from.
	 */
	calx__objvec stack = { NULL, 0, 0, false };
	int rc = cascade_from(s, &stack, seen, h);
	/* an explicit stack: a long chain of objects cannot overflow the C stack */
	while (stack.n && rc == CALX_OK)
		rc = cascade_from(s, &stack, seen, stack.v[--stack.n]);
	calx__free(stack.v);
	return rc;
}

/* Both fields the same plain integer type (no wrapper, enum or conversion): equal values are equal bytes. */
static bool same_plain_int(const calx_field_desc *a, const calx_field_desc *b)
{
	bool integer = (a->ctype >= CALX_CTYPE_INT8 && a->ctype <= CALX_CTYPE_INT64) ||
	               (a->ctype >= CALX_CTYPE_UINT8 && a->ctype <= CALX_CTYPE_UINT32);
	return integer && a->ctype == b->ctype && a->size == b->size && !a->user_type && !b->user_type &&
	       !((a->flags | b->flags) & (CALX_FIELD_OPTIONAL | CALX_FIELD_ENUM));
}

/* calx__field_null for a same_plain_int field, inline: its null bit, and the value 0 (nulls.c says why both) */
static inline bool plain_int_null(const calx__obj *h, const calx_field_desc *f)
{
	return calx__bit(calx__obj_nulls(h), f->index) && calx__field_zero(f, calx__obj_ptr(h));
}

int calx__rel_copy_key(calx_session *s, calx__obj *child, const calx_fk_desc *fk, const calx__obj *parent,
                       const char *relname, bool *changed)
{
	const calx_mapper_desc *cd = calx__obj_mapper(child)->desc;
	void *obj = calx__obj_ptr(child);
	*changed = false;
	/* refused before any column changes: a composite key is set whole or not at all */
	for (unsigned k = 0; !parent && k < fk->n_columns; k++) {
		const calx_field_desc *cf = &cd->fields[fk->columns[k]];
		if (cf->flags & CALX_FIELD_NOT_NULL)
			return calx__fail(s, CALX_ENOTNULL,
			                  "relationship '%s.%s' is NULL, but its foreign key column \"%s\".\"%s\" is NOT NULL "
			                  "(delete the object, link it to a parent, or give the parent's list cascade(\"delete-orphan\"))",
			                  cd->name, relname, cd->table, cf->column);
	}
	for (unsigned k = 0; k < fk->n_columns; k++) {
		const calx_field_desc *cf = &cd->fields[fk->columns[k]];
		calx_value v = calx_value_null();
		if (parent) {
			const calx_field_desc *pf = &calx__obj_mapper(parent)->desc->fields[fk->ref_columns[k]];
			if (same_plain_int(cf, pf) && !plain_int_null(parent, pf)) {
				/* the value path below, without its conversions: every inserted child comes here */
				const unsigned char *from = (const unsigned char *)calx__obj_ptr(parent) + pf->offset;
				unsigned char *to = (unsigned char *)obj + cf->offset;
				if (!plain_int_null(child, cf) && !memcmp(to, from, cf->size))
					continue;
				memcpy(to, from, cf->size);
				calx__obj_mark_null(child, cf->index, false);
				*changed = true;
				continue;
			}
			int rc = calx__field_get(pf, calx__obj_ptr(parent), calx__field_null(parent, pf), &v, &s->err);
			if (rc != CALX_OK)
				return rc;
		}
		/* compare as values: the bytes of a char * differ for the same text */
		calx_value old;
		bool was_null = calx__field_null(child, cf);
		calx_error ignored;
		if (!was_null && calx__field_get(cf, obj, false, &old, &ignored) == CALX_OK && v.kind != CALX_VALUE_NULL &&
		    old.kind == v.kind &&
		    (v.kind == CALX_VALUE_INT ? old.u.i == v.u.i
		                              : v.kind == CALX_VALUE_REAL ? old.u.d == v.u.d
		                                                          : old.u.s.n == v.u.s.n &&
		                                                                    !memcmp(old.u.s.p, v.u.s.p, v.u.s.n)))
			continue;
		if (was_null && v.kind == CALX_VALUE_NULL)
			continue;
		bool isnull;
		int rc = calx__field_set(cf, obj, &v, &s->arena, &isnull, &s->err);
		if (rc != CALX_OK)
			return rc;
		calx__obj_mark_null(child, cf->index, isnull);
		*changed = true;
	}
	return CALX_OK;
}
