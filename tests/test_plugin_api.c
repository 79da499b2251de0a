/*
 * calx/plugin.h: a field's value set and read as a calx_value with the
 * loader's checks (and written by the next flush), a session's own data by
 * key, memory that lives as long as the session. Both dialects.
 */
#include <string.h>
#include "helpers.h"

static void set_value_checks_and_marks_the_field(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct user *u = user_new(s, .name = "ann", .age = 3);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));

	assert_ok(s, calx_field_set_value(s, u, USER_AGE, calx_value_int(41)));
	assert_int_equal(u->age, 41);
	assert_ok(s, calx_field_set_value(s, u, USER_NOTE, calx_value_text("a note")));
	assert_string_equal(u->note, "a note");
	/* refused values leave the field as it was */
	assert_calx(s, calx_field_set_value(s, u, USER_AGE, calx_value_int(INT64_C(1) << 40)), CALX_ERANGE);
	assert_non_null(strstr(calx_session_errmsg(s), "user.age"));
	assert_int_equal(u->age, 41);
	assert_calx(s, calx_field_set_value(s, u, USER_NAME, calx_value_text("a name far too long")), CALX_ERANGE);
	assert_string_equal(u->name, "ann");
	assert_calx(s, calx_field_set_value(s, u, USER_AGE, calx_value_text("x")), CALX_ETYPE);
	assert_calx(s, calx_field_set_value(s, u, USER_AGE, calx_value_null()), CALX_ENOTNULL);
	assert_int_equal(u->age, 41);
	assert_calx(s, calx_field_set_value(s, u, USER_AGE, calx_value_textn(NULL, 3)), CALX_EINVAL);
	/* a column of another struct */
	assert_calx(s, calx_field_set_value(s, u, ADDRESS_CITY, calx_value_text("x")), CALX_EINVAL);
	assert_ok(s, calx_session_commit(s));

	calx_session *s2 = fixture_session(fx);
	struct user *again;
	assert_ok(s2, user_get(s2, u->id, &again));
	assert_int_equal(again->age, 41);
	assert_string_equal(again->note, "a note");
	calx_value v;
	assert_ok(s2, calx_field_get_value(s2, again, USER_NOTE, &v));
	assert_int_equal(v.kind, CALX_VALUE_TEXT);
	assert_int_equal(v.u.s.n, 6);
	assert_memory_equal(v.u.s.p, "a note", 6);
	assert_ok(s2, calx_field_set_value(s2, again, USER_NOTE, calx_value_null()));
	assert_null(again->note);
	assert_ok(s2, calx_field_get_value(s2, again, USER_NOTE, &v));
	assert_int_equal(v.kind, CALX_VALUE_NULL);
	assert_ok(s2, calx_field_get_value(s2, again, USER_AGE, &v));
	assert_int_equal(v.kind, CALX_VALUE_INT);
	assert_int_equal(v.u.i, 41);
	assert_calx(s2, calx_field_get_value(s2, again, USER_AGE, NULL), CALX_EINVAL);
	calx_session_free(s2);
}

static void sessions_keep_data_by_key(void **state)
{
	fixture *fx = *state;
	static const char key_a = 0, key_b = 0;
	int x = 1, y = 2;
	assert_null(calx_session_info(fx->s, &key_a));
	assert_ok(fx->s, calx_session_set_info(fx->s, &key_a, &x));
	assert_ok(fx->s, calx_session_set_info(fx->s, &key_b, &y));
	assert_ptr_equal(calx_session_info(fx->s, &key_a), &x);
	assert_ptr_equal(calx_session_info(fx->s, &key_b), &y);
	assert_ok(fx->s, calx_session_set_info(fx->s, &key_a, &y));
	assert_ptr_equal(calx_session_info(fx->s, &key_a), &y);
	assert_ok(fx->s, calx_session_set_info(fx->s, &key_a, NULL));
	assert_null(calx_session_info(fx->s, &key_a));
	assert_ptr_equal(calx_session_info(fx->s, &key_b), &y);
	/* another session has its own */
	calx_session *s2 = fixture_session(fx);
	assert_null(calx_session_info(s2, &key_b));
	calx_session_free(s2);
	assert_int_equal(calx_session_set_info(NULL, &key_a, &x), CALX_EINVAL);
	assert_int_equal(calx_session_set_info(fx->s, NULL, &x), CALX_EINVAL);

	/* a registry keeps its own the same way */
	assert_null(calx_registry_info(fx->reg, &key_a));
	assert_int_equal(calx_registry_set_info(fx->reg, &key_a, &x), CALX_OK);
	assert_ptr_equal(calx_registry_info(fx->reg, &key_a), &x);
	assert_int_equal(calx_registry_set_info(fx->reg, &key_a, NULL), CALX_OK);
	assert_null(calx_registry_info(fx->reg, &key_a));
	assert_int_equal(calx_registry_set_info(NULL, &key_a, &x), CALX_EINVAL);

	unsigned char *p = calx_session_alloc(fx->s, 100);
	assert_non_null(p);
	for (int i = 0; i < 100; i++)
		assert_int_equal(p[i], 0);
	assert_true((uintptr_t)p % _Alignof(max_align_t) == 0);
	assert_null(calx_session_alloc(fx->s, 0));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(set_value_checks_and_marks_the_field),
		T(sessions_keep_data_by_key),
	};
	return RUN_ON_ALL_DIALECTS("plugin_api", tests);
}
