#include <stdint.h>
#include <calx/annotate.h>

typedef struct { char text[16]; } calx_decimal;

struct CALX_TABLE("dl") dl {
	int64_t id CALX(primary_key);
	calx_decimal amount CALX(numeric(10, 2));
};
