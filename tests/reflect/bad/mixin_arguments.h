#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct __attribute__((annotate("calx:mixin(x)"))) stamps {
	int64_t created_at;
};
