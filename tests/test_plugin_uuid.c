/*
 * plugins/uuid_keys.c: nil keys get a version 4 or 7 UUID before their
 * INSERT, children linked through relationships get it in the same flush,
 * a key the program gave is kept; refused fields. Both dialects.
 */
#include <string.h>
#include <calx/plugins/uuid_keys.h>
#include "plugin_fixture.h"

static struct pl_user *keyless(calx_session *s, const char *name)
{
	struct pl_user *u = pl_user_new(s, .name = "");
	assert_non_null(u);
	assert_ok(s, calx_field_set_text(s, u, PL_USER_NAME, name));
	calx_timestamptz_now(&u->ts.created_at);
	u->ts.updated_at = u->ts.created_at;
	return u;
}

static void nil_keys_get_uuids_before_the_insert(void **state)
{
	for (int version = 4; version <= 7; version += 3) {
		fixture *fx = *state;
		assert_int_equal(calx_uuid_keys_enable(fx->reg, &pl_user_mapper, PL_USER_ID, (calx_uuid_keys_version)version),
		                 CALX_OK);
		calx_session *s = fixture_session(fx);
		struct pl_user *a = keyless(s, version == 4 ? "a4" : "a7"), *b = keyless(s, version == 4 ? "b4" : "b7");
		struct pl_invoice *inv = pl_invoice_new(s, .amount_cents = 1);
		inv->audit.created_by = calx_strdup(s, "t");
		inv->ts = a->ts;
		inv->user = a;          /* linked before any key exists */
		assert_true(calx_uuid_is_nil(&a->id));
		assert_ok(s, calx_session_add(s, a));
		assert_ok(s, calx_session_add(s, b));
		assert_ok(s, calx_session_add(s, inv));
		assert_ok(s, calx_session_commit(s));
		assert_false(calx_uuid_is_nil(&a->id));
		assert_false(calx_uuid_equal(&a->id, &b->id));
		/* the version nibble: the 13th hex digit */
		char text[CALX_UUID_TEXT_SIZE];
		calx_uuid_format(&a->id, text);
		assert_int_equal(text[14], '0' + version);
		assert_true(calx_uuid_equal(&inv->user_id, &a->id));
		calx_session *s2 = fixture_session(fx);
		struct pl_invoice *again;
		assert_ok(s2, pl_invoice_get(s2, inv->id, &again));
		assert_ok(s2, calx_related_load(s2, again, PL_INVOICE_REL_USER));
		assert_non_null(again->user);
		assert_string_equal(again->user->name, a->name);
		calx_session_free(s2);
		calx_session_free(s);
		if (version == 4) {
			/* a fresh fixture for version 7: listeners stay on a registry */
			fixture_teardown(state);
			assert_int_equal(plugin_setup(state), 0);
		}
	}
}

static void a_key_given_is_kept(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_uuid_keys_enable(fx->reg, &pl_user_mapper, PL_USER_ID, CALX_UUID_KEYS_V7), CALX_OK);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = keyless(s, "given");
	assert_int_equal(calx_uuid_parse(&u->id, "0192f1c4-7d2a-7c3e-9b1a-5f0e2d4c6b8a"), CALX_OK);
	calx_uuid given = u->id;
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_true(calx_uuid_equal(&u->id, &given));
	calx_session_free(s);
}

static void refused_fields(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_uuid_keys_enable(fx->reg, &pl_user_mapper, PL_USER_NAME, CALX_UUID_KEYS_V4), CALX_EINVAL);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "calx_uuid primary key"));
	assert_int_equal(calx_uuid_keys_enable(fx->reg, &pl_invoice_mapper, PL_INVOICE_USER_ID, CALX_UUID_KEYS_V4),
	                 CALX_EINVAL);
	assert_int_equal(calx_uuid_keys_enable(fx->reg, &pl_user_mapper, PL_USER_ID, (calx_uuid_keys_version)5),
	                 CALX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, plugin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(nil_keys_get_uuids_before_the_insert),
		T(a_key_given_is_kept),
		T(refused_fields),
	};
	return RUN_ON_ALL_DIALECTS("plugin_uuid", tests);
}
