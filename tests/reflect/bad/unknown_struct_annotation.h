#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct __attribute__((annotate("calx:tabel(\"users\")"))) user {
	int64_t id;
};
