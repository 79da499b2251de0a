/*
 * One deferred struct whose every field is checked (tests/test_prepare.c):
 * the test makes a table it fits, then tables that differ in one column
 * each (a longer VARCHAR, TEXT for the char[N], a nullable column for the
 * plain int32_t, BIGINT for it, BOOLEAN for the char *, a missing column,
 * another key, no table at all), and reads the mismatch calx_prepare
 * names.
 */
#ifndef CALX_TEST_DEFERRED_CHECK_H
#define CALX_TEST_DEFERRED_CHECK_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("dfr_checked", deferred) dfr_checked {
	int64_t id CALX(primary_key, autoincrement(false));
	char title[64] CALX(not_null);
	int32_t plays;
	char *flag;
};

#endif
