/* Refers to core.h's table: fine when core.h is an input too. */
#pragma once
#include <stdint.h>
#include <calx/annotate.h>
#include "core.h"

struct CALX_TABLE("mc_pets") mc_pet {
	int64_t id CALX(primary_key);
	int64_t owner_id CALX(foreign_key("mc_owners.id"));
	struct mc_owner *owner;
};
