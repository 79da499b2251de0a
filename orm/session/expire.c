/*
 * Expiry and refresh. C cannot catch a field read, so "expired" is a flag
 * the session checks where it hands an object out: the next get that finds
 * it in the identity map, or the next select row for it, reloads its
 * columns from the database first. In between, the struct holds the values
 * it had (nothing is cleared: a program that reads a field reads the last
 * known value, calx_object_is_expired says whether it is stale).
 *
 * A reload overwrites the snapshot with the row, and each mapped field
 * with the row's value unless the program changed that field since the
 * last load or flush (the field differs from the snapshot): such a change
 * is kept, and the next flush writes it. So a change made to an expired
 * object is never lost silently, which SQLAlchemy, whose refresh discards
 * it, cannot promise a program that writes fields directly.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/cascade_walk.h"
#include "session/related.h"
#include "session/watch.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static int refuse_in_listener(calx_session *s, const char *call)
{
	return calx__refuse_in_listener(s, call, "not allowed: the running flush or load may be using the "
	                                "object's snapshot (expire or refresh after the operation returns)");
}

void calx__expire_all(calx_session *s)
{
	for (size_t i = 0; i < s->objs.n; i++)
		if (s->objs.v[i]->state == CALX__PERSISTENT)
			s->objs.v[i]->flags |= CALX__EXPIRED;
}

bool calx_session_set_expire_on_commit(calx_session *s, bool on)
{
	if (!s)
		return false;
	bool was = !s->keep_on_commit;
	s->keep_on_commit = !on;
	return was;
}

void calx__expire_relations(calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	if (!m->n_rels)
		return;
	static const calx_list empty = { NULL, 0, 0 };
	for (unsigned i = 0; i < m->n_rels; i++) {
		if (calx__rel_is_pointer(m->rels[i].desc)) {
			calx__rel_put_ptr(h, i, NULL);
			*calx__obj_rel_snap(h, i) = NULL;
		} else {
			memcpy((char *)calx__obj_ptr(h) + m->rels[i].desc->offset, &empty, sizeof empty);
		}
	}
	*calx__obj_rel_loaded(h) = 0;
}

/*
 * The objects a refresh-expire cascade reaches from h (cascade("all") or
 * "refresh-expire"; not the default): h alone when its mapper has no
 * relationships, without allocating.
 */
static int refresh_expire_walk(calx_session *s, calx__obj *h, calx__objvec *reached, calx__obj **one)
{
	if (!calx__obj_mapper(h)->n_rels) {
		*one = h;
		*reached = (calx__objvec){ one, 1, 1, false };
		return CALX_OK;
	}
	*reached = (calx__objvec){ NULL, 0, 0, false };
	return calx__cascade_walk(s, h, CALX_CASCADE_REFRESH_EXPIRE, reached);
}

static void walk_free(calx__objvec *reached, calx__obj **one)
{
	if (reached->v != one)
		calx__free(reached->v);
}

int calx_session_expire(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	int rc = refuse_in_listener(s, "calx_session_expire");
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	if (h->state != CALX__PERSISTENT)
		return calx__fail(s, CALX_EINVAL, "expire %s: the object has no row in this session (only a persistent "
		                  "object can be expired)", calx__obj_mapper(h)->desc->name);
	calx__obj *one;
	calx__objvec reached;
	if ((rc = refresh_expire_walk(s, h, &reached, &one)) == CALX_OK)
		for (size_t k = 0; k < reached.n; k++)
			if (reached.v[k]->state == CALX__PERSISTENT)
				reached.v[k]->flags |= CALX__EXPIRED;
	walk_free(&reached, &one);
	return rc;
}

int calx_session_expire_all(calx_session *s)
{
	if (!s)
		return CALX_EINVAL;
	int rc = refuse_in_listener(s, "calx_session_expire_all");
	if (rc == CALX_OK) {
		calx__watch_unprotect(s);       /* every persistent header is written */
		calx__expire_all(s);
	}
	return rc;
}

bool calx_object_is_expired(const calx_session *s, const void *obj)
{
	if (!s || !obj)
		return false;
	calx__obj *h = calx__obj_of((calx_session *)s, obj);
	return h && (h->flags & CALX__EXPIRED);
}

/* The row's values, field by field, into a scratch snapshot; the object is untouched if one fails. */
static int row_to_scratch(calx_session *s, calx__obj *h, const calx_value *row, unsigned char *scratch,
                          uint64_t *nulls)
{
	const calx_mapper_desc *d = calx__obj_mapper(h)->desc;
	memset(nulls, 0, calx__obj_mapper(h)->field_words * sizeof *nulls);
	for (unsigned f = 0; f < d->n_fields; f++) {
		bool isnull;
		int rc = calx__field_set(&d->fields[f], scratch, &row[f], &s->arena, &isnull, &s->err);
		if (rc != CALX_OK)
			return rc;
		if (isnull)
			calx__bit_set(nulls, f, true);
	}
	return CALX_OK;
}

int calx__reload(calx_session *s, calx__obj *h, const calx_value *row)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const calx_mapper_desc *d = m->desc;
	/*
	 * One block: the scratch snapshot, then its null bits and the dirty
	 * bits, aligned (calloc's block is aligned for any type).
	 */
	size_t words = m->field_words;
	size_t snap_size = (m->nulls_off - m->snap_off + sizeof(uint64_t) - 1) / sizeof(uint64_t) * sizeof(uint64_t);
	unsigned char *scratch = calx__calloc(1, snap_size + 2 * words * sizeof(uint64_t));
	if (!scratch)
		return calx__fail(s, CALX_ENOMEM, "out of memory reloading a struct %s", d->name);
	uint64_t *nulls = (uint64_t *)(scratch + snap_size), *dirty = nulls + words;
	int rc = row_to_scratch(s, h, row, scratch, nulls);
	if (rc == CALX_OK) {
		/* changes the program made since the last load or flush: kept, written by the next flush */
		calx__state_normalize_nulls(h);
		bool any = calx__state_dirty_set(h, dirty);
		unsigned char *snap = calx__obj_snap(h), *obj = calx__obj_ptr(h);
		for (unsigned i = 0; i < m->n_spans; i++)
			memcpy(snap + m->spans[i].off, scratch + m->spans[i].off, m->spans[i].len);
		memcpy(calx__obj_snap_nulls(h), nulls, m->null_words * sizeof *nulls);
		if (!any) {
			calx__state_revert(h);
		} else {
			for (unsigned f = 0; f < d->n_fields; f++) {
				if (calx__bit(dirty, f))
					continue;
				const calx_field_desc *fd = &d->fields[f];
				memcpy(obj + fd->offset, snap + fd->offset, fd->size);
				calx__obj_mark_null(h, f, calx__bit(nulls, f));
			}
		}
		h->flags &= (uint16_t)~CALX__EXPIRED;
	}
	calx__free(scratch);
	return rc;
}

int calx__refresh(calx_session *s, calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const calx_mapper_desc *d = m->desc;
	calx_value key[CALX__MAX_PK];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	if (rc != CALX_OK || (rc = calx__begin(s)) != CALX_OK)
		return rc;
	calx__stmt *st;
	if ((rc = calx__get_step(s, m, key, &st)) == CALX_ROW) {
		calx_value stack_row[32], *row = stack_row;
		if (d->n_fields > 32 && !(row = calx__malloc(d->n_fields * sizeof *row))) {
			rc = calx__fail(s, CALX_ENOMEM, "out of memory reloading a struct %s", d->name);
		} else {
			for (unsigned f = 0; f < d->n_fields; f++)
				s->d->column(st->st, f, &row[f]);
			rc = calx__reload(s, h, row);
			if (row != stack_row)
				calx__free(row);
		}
	} else if (rc == CALX_DONE) {
		/* deleted by another connection: the object leaves the session, as SQLAlchemy's refresh does */
		calx__detach(s, h);
		h->flags &= (uint16_t)~CALX__EXPIRED;
		rc = calx__fail(s, CALX_ENOTFOUND, "refresh %s: the row is no longer in \"%s\" (deleted by another "
		                "transaction); the object is detached", d->name, d->table);
	}
	if (st)
		calx__stmt_release(st);
	return rc;
}

int calx_session_refresh(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	int rc = refuse_in_listener(s, "calx_session_refresh");
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	if (rc != CALX_OK)
		return rc;
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	if (h->state != CALX__PERSISTENT)
		return calx__fail(s, CALX_EINVAL, "refresh %s: the object has no row in this session (only a persistent "
		                  "object can be refreshed)", calx__obj_mapper(h)->desc->name);
	/* who the cascade reaches is decided before any reload (a reload may detach an object whose row is gone) */
	calx__obj *one;
	calx__objvec reached;
	if ((rc = refresh_expire_walk(s, h, &reached, &one)) == CALX_OK)
		rc = calx__refresh(s, h);
	/* the others all get their turn; the first that failed says why */
	int first = CALX_OK;
	calx_error kept = { 0 };
	for (size_t k = 1; k < reached.n && rc == CALX_OK; k++) {
		calx__obj *x = reached.v[k];
		if (x->state != CALX__PERSISTENT)
			continue;
		int r = calx__refresh(s, x);
		if (r != CALX_OK && first == CALX_OK) {
			first = r;
			kept = s->err;
		}
		if (r != CALX_OK && r != CALX_ENOTFOUND)
			rc = r;         /* the connection's error: the rest would fail alike */
	}
	walk_free(&reached, &one);
	if (rc == CALX_OK && first != CALX_OK) {
		s->err = kept;
		rc = first;
	}
	return rc;
}
