/*
 * The drift story of tests/test_schema_diff.c: version 2 of a struct, with
 * a field (country) that the table made from version 1 does not have.
 */
#ifndef CALX_TEST_LIVE_DRIFT_H
#define CALX_TEST_LIVE_DRIFT_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("lsd_authors") lsd_author {
	int64_t id CALX(primary_key);
	char name[64] CALX(not_null);
	char country[3];
};

#endif
