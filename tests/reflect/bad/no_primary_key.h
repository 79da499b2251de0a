#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") user {
	int64_t id;
	char name[64] CALX(not_null);
};
