#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("lines", index("a", unique=1)) line {
	int64_t id CALX(primary_key);
	int64_t a;
};