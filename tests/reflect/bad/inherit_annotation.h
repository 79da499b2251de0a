#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
	char *name;
};

struct CALX_INHERIT(single) engineer {
	struct person base;
	char *language;
};

struct CALX_INHERIT(sideways, polymorphic_identity("x")) x {
	struct person base;
};

struct CALX_INHERIT(single, identity("y")) y {
	struct person base;
};
