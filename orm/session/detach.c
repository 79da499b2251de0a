/*
 * Objects leaving the session and coming back: expunge, expunge_all, and
 * calx_session_add of a detached object.
 *
 * An expunged object that had a row is detached (SQLAlchemy's word): it
 * keeps its fields and its snapshot, so adding it back makes it persistent
 * again under the same key, and a flush then writes only what changed
 * since; calx_session_merge copies one onto the session's own instance. A
 * pending one is transient again (it never had a row).
 */
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/cascade_walk.h"
#include "unitofwork/uow.h"

void calx__detach(calx_session *s, calx__obj *h)
{
	calx__idmap_remove(s, h);
	if (h->state == CALX__PERSISTENT || h->state == CALX__DELETED)
		h->state = CALX__DETACHED;
	else if (h->state == CALX__PENDING)
		h->state = CALX__TRANSIENT;
	/* a rollback, or a rollback to a savepoint, must not bring it back into the session */
	h->flags &= (uint16_t)~(CALX__NEW_IN_TXN | CALX__GONE_IN_TXN);
	for (size_t i = 0; i < s->sp.log_n; i++)
		if (s->sp.log[i].h == h)
			s->sp.log[i].h = NULL;
}

/*
 * The expunge cascade (SQLAlchemy's "expunge", in cascade("all"), not in
 * the default): the objects h reaches through loaded relationships with it
 * leave the session too, if they are in it. Nothing changes unless the
 * walk worked (it is the only step that can fail).
 */
int calx__expunge(calx_session *s, calx__obj *h)
{
	if (!calx__obj_mapper(h)->n_rels) {
		calx__detach(s, h);
		return CALX_OK;
	}
	calx__objvec reached = { NULL, 0, 0, false };
	int rc = calx__cascade_walk(s, h, CALX_CASCADE_EXPUNGE, &reached);
	for (size_t k = 0; k < reached.n && rc == CALX_OK; k++) {
		calx__obj *x = reached.v[k];
		if (x == h || x->state == CALX__PERSISTENT || x->state == CALX__PENDING || x->state == CALX__DELETED)
			calx__detach(s, x);
	}
	calx__free(reached.v);
	return rc;
}

int calx__reattach(calx_session *s, calx__obj *h)
{
	calx_value key[CALX__MAX_PK];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	if (rc != CALX_OK)
		return rc;
	calx__obj *other = calx__idmap_find(s, calx__obj_mapper(h), key, calx__key_hash(calx__obj_mapper(h), key));
	if (other && other != h)
		return calx__fail(s, CALX_EUNIQUE, "add %s: the session already has another object for the same row "
		                  "(calx_session_merge copies a detached object onto it)", calx__obj_mapper(h)->desc->name);
	if (!(h->flags & CALX__IN_OBJS)) {
		if (calx__objvec_push(&s->objs, h) != CALX_OK)
			return calx__fail(s, CALX_ENOMEM, "out of memory adding a struct %s", calx__obj_mapper(h)->desc->name);
		h->flags |= CALX__IN_OBJS;
	}
	if ((rc = calx__idmap_insert(s, h)) != CALX_OK)
		return rc;
	h->state = CALX__PERSISTENT;
	return calx__mark(s, h);
}

int calx_session_expunge_all(calx_session *s)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__refuse_in_listener(s, "calx_session_expunge_all",
	                                  "not allowed: the running flush or load may be writing its objects");
	if (rc != CALX_OK)
		return rc;
	for (size_t i = 0; i < s->objs.n; i++)
		calx__detach(s, s->objs.v[i]);
	for (size_t i = 0; i < s->pending.n; i++) {
		calx__detach(s, s->pending.v[i]);
		s->pending.v[i]->flags &= (uint16_t)~CALX__IN_PENDING;
	}
	for (size_t i = 0; i < s->deleted.n; i++)
		s->deleted.v[i]->flags &= (uint16_t)~CALX__IN_DELETED;
	for (size_t i = 0; i < s->marked.n; i++)
		s->marked.v[i]->flags &= (uint16_t)~CALX__IN_MARKED;
	s->pending.n = s->deleted.n = s->marked.n = 0;
	/* what rollback would restore concerns objects the session no longer has */
	calx__forget_transaction(s);
	s->sp.log_n = 0;
	for (size_t i = 0; i < s->sp.n; i++)
		s->sp.start[i] = 0;
	return CALX_OK;
}
