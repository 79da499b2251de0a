#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

/* The documented rule: [A-Za-z_][A-Za-z0-9_]*. A C identifier may be wider. */
struct CALX_TABLE("rr_people") person {
	int64_t id CALX(primary_key);
	char *prénom;
	char *nom CALX(name("prénom"));
};
