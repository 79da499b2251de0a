#include <stdint.h>
#include <calx/annotate.h>

CALX_NAMING(table = snake);
CALX_NAMING(table = snake_plural);

struct CALX_TABLE() thing {
	int64_t id CALX(primary_key);
};
