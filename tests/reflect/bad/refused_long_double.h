#include <stdint.h>
#include <stdbool.h>
#include <calx/annotate.h>

struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	long double balance;
};
