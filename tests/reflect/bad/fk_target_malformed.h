#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t a CALX(foreign_key("users"));
	int64_t b CALX(foreign_key("a.b.c.d"));
	int64_t c CALX(foreign_key("users.i d"));
};
