#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct __attribute__((annotate("calx:field(unique)"))) user {
	int64_t id;
};
