/*
 * Timestamps: before_insert fills created_at (when NULL) and updated_at,
 * before_update updates updated_at, from the flush's clock reading.
 * before_update fires only for an object with a changed field, so a flush
 * that changes nothing leaves updated_at alone.
 */
#include <calx/plugins/timestamps.h>
#include "clock.h"

static bool can_hold_time(const calx_field_desc *f)
{
	return f->ctype == CALX_CTYPE_INT64 || f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY ||
	       (f->ctype == CALX_CTYPE_USER && (f->user_type == &calx_timestamp_type || f->user_type == &calx_timestamptz_type));
}

static int stamp(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	const calx_plugin_cols *c = payload;
	if (!calx_plugin_is_a(m, c->m))
		return CALX_OK;
	int64_t now;
	int rc = calx_plugin_clock_now(s, &now);
	const calx_field_desc *created = calx_plugin_field(m, c->a), *updated = calx_plugin_field(m, c->b);
	if (rc == CALX_OK && ev == CALX_EVENT_BEFORE_INSERT && created && calx_field_is_null(s, obj, created))
		rc = calx_plugin_set_time(s, obj, created, now);
	if (rc == CALX_OK && updated)
		rc = calx_plugin_set_time(s, obj, updated, now);
	return rc;
}

int (calx_timestamps_enable)(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *created_at,
                             const calx_field_desc *updated_at)
{
	if (!reg || !m || (!created_at && !updated_at))
		return calx_registry_set_error(reg, CALX_EINVAL, "calx_timestamps_enable: NULL registry, struct or both fields");
	const calx_field_desc *f[2] = { created_at, updated_at };
	for (int i = 0; i < 2; i++)
		if (f[i] && (f[i]->owner != m || !can_hold_time(f[i])))
			return calx_registry_set_error(reg, CALX_EINVAL,
			                               "calx_timestamps_enable on %s: %s is not a field of it that holds a time "
			                               "(calx_timestamp, calx_timestamptz, char *, char[N], int64_t)",
			                               m->name, f[i]->name);
	calx_plugin_cols *c = calx_plugin_cols_keep(reg, (calx_plugin_cols){ m, created_at, updated_at, 0 });
	if (!c)
		return CALX_ENOMEM;
	int rc = calx_plugin_clock_listen(reg);
	if (rc == CALX_OK)
		rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_INSERT, NULL, stamp, c);
	if (rc == CALX_OK)
		rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_UPDATE, NULL, stamp, c);
	return rc;
}
