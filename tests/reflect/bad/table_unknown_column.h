#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("lines", unique("a", "b")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};