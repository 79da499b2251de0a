/*
 * What changed in an object since it was loaded (SQLAlchemy's
 * inspect(obj).attrs.x.history): per field, whether its value differs
 * from the snapshot the session took when the row was loaded or last
 * flushed, and that old value. Plugins (an audit log, updated_at only on
 * a real change) read it in before_update.
 */
#include "calx/calx.h"
#include "mapping/value.h"
#include "session/session.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"

int (calx_field_history)(calx_session *s, const void *obj, const calx_field_desc *col, calx_history *out)
{
	if (!s)
		return CALX_EINVAL;
	if (!out)
		return calx__fail(s, CALX_EINVAL, "calx_field_history: out is NULL");
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return s->err.code;
	if (!col || col->owner != calx__obj_mapper(h)->desc)
		return calx__fail(s, CALX_EINVAL, "calx_field_history: column %s is not a column of struct %s",
		                  col ? col->name : "NULL", calx__obj_mapper(h)->desc->name);
	out->old = calx_value_null();
	if (h->state == CALX__TRANSIENT || h->state == CALX__PENDING) {
		out->changed = true;    /* no row yet: every value is new, none is old */
		out->has_old = false;
		return CALX_OK;
	}
	out->changed = calx__state_field_dirty(h, col);
	out->has_old = true;
	const unsigned char *snap = calx__obj_snap(h);
	bool was_null = calx__field_is_null(col, snap, calx__bit(calx__obj_snap_nulls(h), col->index));
	if (!was_null)
		return calx__field_get(col, snap, false, &out->old, &s->err);
	return CALX_OK;
}
