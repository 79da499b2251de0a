#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	double parent_id CALX(foreign_key("users.id"));
};