#include <stdint.h>
#include <calx/annotate.h>
#include <calx/uuid.h>

struct CALX_TABLE("devices") device {
	calx_opt_uuid id CALX(primary_key);
};
