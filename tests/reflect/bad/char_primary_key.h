#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("rt_grades") grade {
	char code CALX(primary_key, char_as(text));
};
