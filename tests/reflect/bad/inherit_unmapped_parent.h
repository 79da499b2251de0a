#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct thing {
	int64_t id;
};

struct CALX_INHERIT(single, polymorphic_identity("gadget")) gadget {
	struct thing base;
	char *label;
};
