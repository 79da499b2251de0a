/*
 * Deferred mappings, first group (tests/test_prepare.c): two tables the
 * database already has, each struct declaring only the columns the
 * program uses. dfr_albums has more columns, all nullable or with a
 * default, so inserts work; dfr_labels has a NOT NULL column without a
 * default that the struct leaves out, so its inserts are refused.
 */
#ifndef CALX_TEST_DEFERRED_ONE_H
#define CALX_TEST_DEFERRED_ONE_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("dfr_albums", deferred) dfr_album {
	int64_t id CALX(primary_key);
	char title[201] CALX(not_null);
};

struct CALX_TABLE("dfr_labels", deferred) dfr_label {
	int64_t id CALX(primary_key);
	char *name CALX(not_null);
};

#endif
