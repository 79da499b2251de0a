#include <stdint.h>
#include <calx/annotate.h>

CALX_NAMING(table = snake_plurals, tables = tag);

struct CALX_TABLE() thing {
	int64_t id CALX(primary_key);
};
