#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("users") user {
	char code[8] CALX(primary_key, autoincrement);
};
