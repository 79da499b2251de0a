#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("people", polymorphic_on("type"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
};

struct CALX_TABLE("robots", polymorphic_on("kind"), polymorphic_identity("a-very-long-identity")) robot {
	int64_t id CALX(primary_key);
	char kind[8];
};

struct CALX_TABLE("cars", polymorphic_on("wheels"), polymorphic_identity("four")) car {
	int64_t id CALX(primary_key);
	int32_t wheels;
};

struct CALX_TABLE("boats", polymorphic_identity("boat")) boat {
	int64_t id CALX(primary_key);
};
