/*
 * A delete a before_delete listener turns into an UPDATE (soft delete:
 * the listener sets deleted_at and calls calx_session_delete_as_update).
 *
 * Every before_delete of a round fires here, before post_update keys are
 * cleared and before any DELETE, so a kept row is never touched by the
 * delete's preparations. A kept object leaves the round's deletes (so ON
 * DELETE predictions, phase B and after_delete do not see it) and joins
 * its updates: what the listeners changed is written by one UPDATE, with
 * the snapshot kept first for a rollback and a savepoint, and the object
 * stays persistent. No before_update or after_update fires for it: it is
 * the delete's listeners' doing.
 */
#include "calx/calx.h"
#include "session/events.h"
#include "session/session.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static int keep_row(calx_session *s, calx__plan *p, calx__obj *h, size_t i, size_t total)
{
	int rc = calx__undo_keep(s, h);
	if (rc == CALX_OK && s->sp.n)
		rc = calx__savepoint_note_changed(s, h);
	if (rc == CALX_OK)
		rc = calx__plan_push(s, &p->updates, h);
	if (rc == CALX_OK)
		rc = calx__exec_update_one(s, h, i, total);
	return rc;
}

int calx__exec_before_deletes(calx_session *s, calx__plan *p, size_t from)
{
	size_t n = p->deletes.n, kept = 0;
	int rc = CALX_OK;
	for (size_t i = from; i < n; i++)
		p->deletes.v[i]->flags &= (uint16_t)~CALX__KEEP_ROW;
	for (size_t i = from; i < n && rc == CALX_OK; i++) {
		rc = calx__fire(s, CALX_EVENT_BEFORE_DELETE, p->deletes.v[i]);
		kept += (p->deletes.v[i]->flags & CALX__KEEP_ROW) != 0;
	}
	if (rc != CALX_OK || !kept)
		return rc;
	for (size_t i = from; i < n && rc == CALX_OK; i++)
		if (p->deletes.v[i]->flags & CALX__KEEP_ROW)
			rc = keep_row(s, p, p->deletes.v[i], i - from, n - from);
	if (rc != CALX_OK)
		return rc;
	/* the kept leave the deletes, in order; the rest close up */
	size_t w = from;
	for (size_t i = from; i < n; i++) {
		calx__obj *h = p->deletes.v[i];
		if (h->flags & CALX__KEEP_ROW)
			h->flags &= (uint16_t)~CALX__KEEP_ROW;
		else
			p->deletes.v[w++] = h;
	}
	p->deletes.n = w;
	return CALX_OK;
}
