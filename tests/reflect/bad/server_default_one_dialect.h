#include <stdint.h>
#include <calx/annotate.h>
#include <calx/time.h>

struct CALX_TABLE("events") event {
	int64_t id CALX(primary_key);
	calx_timestamptz at CALX(server_default(postgresql = "now()"));
};
