#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char *s CALX(type("TEXT", "CITEXT"));
};
