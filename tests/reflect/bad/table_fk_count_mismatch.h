#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("orders") order {
	int64_t id CALX(primary_key);
	int32_t no CALX(primary_key);
	char code[8];
};

struct CALX_TABLE("lines", foreign_key("order_id", "orders(id, no)")) line {
	int64_t id CALX(primary_key);
	int64_t order_id;
	int32_t order_no;
};