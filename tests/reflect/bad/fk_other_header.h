#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

#include "fk_other_header_dep.inc"

struct CALX_TABLE("addresses") address {
	int64_t id CALX(primary_key);
	int64_t user_id CALX(foreign_key("users.id"));
};
