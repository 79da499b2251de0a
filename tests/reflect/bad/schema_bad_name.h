#include <stdint.h>
#include <calx/annotate.h>

/* one schema, one table: a third part is not a name */
struct CALX_TABLE("a.b.c") thing {
	int64_t id CALX(primary_key);
};
