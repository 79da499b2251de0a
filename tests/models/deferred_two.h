/*
 * Deferred mappings, second group (tests/test_prepare.c): prepared
 * against another engine than the first group, as SQLAlchemy's
 * DeferredReflection example prepares ReflectedOne and ReflectedTwo.
 */
#ifndef CALX_TEST_DEFERRED_TWO_H
#define CALX_TEST_DEFERRED_TWO_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("dfr_tracks", deferred) dfr_track {
	int64_t id CALX(primary_key);
	char *name CALX(not_null);
	calx_opt_int32 seconds;
};

#endif
