/* Refers to a table no input declares. */
#pragma once
#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("mc_tags") mc_tag {
	int64_t id CALX(primary_key);
	int64_t owner_id CALX(foreign_key("mc_nowhere.id"));
};
