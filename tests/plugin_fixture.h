/*
 * The plugin tests' fixture: the seed models' tables, and a registry the
 * test enables plugins on before it opens its sessions (a session starts
 * with the registry's listeners: fixture->s, opened before, has none).
 */
#ifndef CALX_TEST_PLUGIN_FIXTURE_H
#define CALX_TEST_PLUGIN_FIXTURE_H

#include "helpers.h"
#include "plugin_seeds.calx.h"

static inline int plugin_setup(void **state)
{
	return fixture_setup_schema(state, &plugin_seeds_schema);
}

/* A user with a key of its own (the uuid plugin's tests give none). */
static inline struct pl_user *plugin_user(calx_session *s, const char *name)
{
	struct pl_user *u = pl_user_new(s, .name = "");
	if (u && (calx_uuid_v4(&u->id) != CALX_OK || calx_field_set_text(s, u, PL_USER_NAME, name) != CALX_OK))
		return NULL;
	return u;
}

/* The same with its timestamps set (where the timestamps plugin is off). */
static inline struct pl_user *stamped_user(calx_session *s, const char *name)
{
	struct pl_user *u = plugin_user(s, name);
	if (u && calx_timestamptz_now(&u->ts.created_at) != CALX_OK)
		return NULL;
	if (u)
		u->ts.updated_at = u->ts.created_at;
	return u;
}

#endif
