#include <stdint.h>
#include <calx/annotate.h>

CALX_NAMING(table = snake_plural);

/* both become "order_items" */
struct CALX_TABLE() OrderItem {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE() order_item {
	int64_t id CALX(primary_key);
};
