/*
 * Audit columns: the session's actor (kept under a key of calx_session_info)
 * goes into created_by and updated_by from before_insert and before_update.
 */
#include <calx/plugins/audit.h>
#include "clock.h"

static const char actor_key = 0;

int calx_audit_set_actor(calx_session *s, const char *actor)
{
	if (!s)
		return CALX_EINVAL;
	char *copy = NULL;
	if (actor && !(copy = calx_strdup(s, actor)))
		return calx_session_errcode(s) ? calx_session_errcode(s) : CALX_ENOMEM;
	return calx_session_set_info(s, &actor_key, copy);
}

const char *calx_audit_actor(const calx_session *s)
{
	return calx_session_info(s, &actor_key);
}

static int fill(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	const calx_plugin_cols *c = payload;
	if (!calx_plugin_is_a(m, c->m))
		return CALX_OK;
	const char *actor = calx_audit_actor(s);
	if (!actor)
		return c->option ? calx_session_set_error(s, CALX_ESTATE,
		                                            "audit: a %s to write, and the session has no actor: call "
		                                            "calx_audit_set_actor first", m->name)
		                   : CALX_OK;
	const calx_field_desc *created = calx_plugin_field(m, c->a), *updated = calx_plugin_field(m, c->b);
	int rc = CALX_OK;
	if (ev == CALX_EVENT_BEFORE_INSERT && created)
		rc = calx_field_set_value(s, obj, created, calx_value_text(actor));
	if (rc == CALX_OK && updated)
		rc = calx_field_set_value(s, obj, updated, calx_value_text(actor));
	return rc;
}

int (calx_audit_enable)(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *created_by,
                        const calx_field_desc *updated_by, bool required)
{
	if (!reg || !m || (!created_by && !updated_by))
		return calx_registry_set_error(reg, CALX_EINVAL, "calx_audit_enable: NULL registry, struct or both fields");
	const calx_field_desc *f[2] = { created_by, updated_by };
	for (int i = 0; i < 2; i++)
		if (f[i] && (f[i]->owner != m || (f[i]->ctype != CALX_CTYPE_STRING && f[i]->ctype != CALX_CTYPE_CHARARRAY)))
			return calx_registry_set_error(reg, CALX_EINVAL,
			                               "calx_audit_enable on %s: %s is not a text field of it (char * or char[N])",
			                               m->name, f[i]->name);
	calx_plugin_cols *c = calx_plugin_cols_keep(reg, (calx_plugin_cols){ m, created_by, updated_by, required });
	if (!c)
		return CALX_ENOMEM;
	int rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_INSERT, NULL, fill, c);
	if (rc == CALX_OK)
		rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_UPDATE, NULL, fill, c);
	return rc;
}
