/*
 * An application built the way a user builds one: headers and libcalx from
 * an installed prefix found with pkg-config, descriptors from the installed
 * calx-reflect. Linked once statically and once against libcalx.so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <calx/calx.h>
#include "pets.calx.h"

static void installed_library_runs_a_session(void **state)
{
	(void)state;
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
	assert_int_equal(calx_engine_open(&eng, "sqlite::memory:"), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &pets_schema, NULL), CALX_OK);
	assert_int_equal(calx_create_all(reg, eng), CALX_OK);
	assert_int_equal(calx_session_open(&s, eng, reg), CALX_OK);
	struct pet *p = pet_new(s, .name = "Rex");
	assert_non_null(p);
	assert_int_equal(p->legs, 4);
	assert_false(p->age.has_value);
	char buf[128];
	pet_repr(p, buf, sizeof buf);
	assert_non_null(strstr(buf, "age=NULL"));
	assert_int_equal(calx_session_add(s, p), CALX_OK);
	assert_int_equal(calx_session_commit(s), CALX_OK);
	assert_true(p->id > 0);
	struct pet *q;
	assert_int_equal(pet_get(s, p->id, &q), CALX_OK);
	assert_ptr_equal(p, q);
	assert_string_equal(calx_version(), CALX_VERSION);
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(installed_library_runs_a_session),
	};
	return cmocka_run_group_tests_name(LINK_KIND, tests, NULL, NULL);
}
