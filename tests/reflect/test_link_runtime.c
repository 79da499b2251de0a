/*
 * reflect/ and libcalx in one program: a tool that reflects a header and
 * then opens a registry links both. reflect/'s internals use the calxr__
 * prefix and the runtime's calx__, so no symbol is defined twice; this test
 * links every reflect object with the whole of libcalx.a (--whole-archive,
 * so a clash in any member fails the link, not only in members it needs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <calx/errors.h>

#include "reflect.h"

static void reflect_and_runtime_link_into_one_program(void **state)
{
	(void)state;
	assert_true(calx_reflect_valid_name("models"));
	assert_string_equal(calx_status_name(CALX_OK), "CALX_OK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reflect_and_runtime_link_into_one_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
