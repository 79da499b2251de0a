#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("items") item {
	int64_t id CALX(primary_key, onupdate("id + 1"));
};
