#include <stdint.h>
#include <calx/annotate.h>
#include <calx/time.h>

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char *kind;
	calx_timestamp changed CALX(onupdate(calx_timestamp_new_now));
};

struct CALX_INHERIT(joined, polymorphic_identity("engineer")) engineer {
	struct person base;
	char *language;
};
