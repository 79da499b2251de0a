#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("lines", foreign_key("a")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};