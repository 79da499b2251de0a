#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") CALX_TABLE("people") user {
	int64_t id CALX(primary_key);
};
