#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("people") person {
	int64_t id CALX(primary_key);
	char *name;
};

struct CALX_INHERIT(single, polymorphic_identity("engineer")) engineer {
	struct person base;
	char *language;
};
