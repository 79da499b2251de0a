#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("users") user {
	calx_opt_int64 id CALX(primary_key);
};
