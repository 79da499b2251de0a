#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
	char *name;
};

struct CALX_INHERIT(concrete, polymorphic_identity("manager")) manager {
	struct person base;
	char *office;
};
