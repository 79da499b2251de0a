#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("rr_flags") flag {
	int64_t id CALX(primary_key);
	char empty[1];
	char one[2];
};
