#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE() first_thing {
	int64_t id CALX(primary_key);
};

CALX_NAMING(table = snake_plural);
