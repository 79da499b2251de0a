/* Several inputs, one schema (test_reflect.c): the core table. */
#pragma once
#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("mc_owners") mc_owner {
	int64_t id CALX(primary_key);
};
