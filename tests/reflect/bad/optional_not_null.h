#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	calx_opt_int32 age CALX(not_null);
	calx_opt_int32 rank CALX(not_null, server_default("0"));
};
