/*
 * UUID keys: before_insert gives a nil calx_uuid key a new v4 or v7 UUID.
 */
#include <calx/plugins/uuid_keys.h>
#include "clock.h"

static int make_key(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	const calx_plugin_cols *c = payload;
	if (!calx_plugin_is_a(m, c->m))
		return CALX_OK;
	const calx_field_desc *key = calx_plugin_field(m, c->a);
	calx_uuid *id = (calx_uuid *)(void *)((char *)obj + key->offset);
	if (!calx_uuid_is_nil(id))
		return CALX_OK;
	calx_uuid fresh;
	int rc = c->option == CALX_UUID_KEYS_V7 ? calx_uuid_v7(&fresh) : calx_uuid_v4(&fresh);
	if (rc != CALX_OK)
		return calx_session_set_error(s, rc, "uuid_keys: no random bytes for the key of a new %s", m->name);
	return calx_field_set_value(s, obj, key, calx_uuid_value(&fresh));
}

int (calx_uuid_keys_enable)(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *key,
                            calx_uuid_keys_version version)
{
	if (!reg || !m || !key || key->owner != m || key->ctype != CALX_CTYPE_USER || key->user_type != &calx_uuid_type ||
	    !(key->flags & CALX_FIELD_PRIMARY_KEY))
		return calx_registry_set_error(reg, CALX_EINVAL, "calx_uuid_keys_enable: the key must be a calx_uuid primary key of the struct");
	if (version != CALX_UUID_KEYS_V4 && version != CALX_UUID_KEYS_V7)
		return calx_registry_set_error(reg, CALX_EINVAL, "calx_uuid_keys_enable on %s: version %d (4 or 7)", m->name,
		                               (int)version);
	calx_plugin_cols *c = calx_plugin_cols_keep(reg, (calx_plugin_cols){ m, key, NULL, (int)version });
	if (!c)
		return CALX_ENOMEM;
	return calx_registry_listen(reg, CALX_EVENT_BEFORE_INSERT, NULL, make_key, c);
}
