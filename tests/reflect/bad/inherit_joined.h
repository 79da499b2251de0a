#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("orders") order {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
	char *name;
	int32_t version CALX(version);
};

/* its table's name is another struct's table */
struct CALX_INHERIT(joined, table("orders"), polymorphic_identity("engineer")) engineer {
	struct person base;
	char *language;
};

/* a key of its own; a column named as the key it shares; a constraint of its own */
struct CALX_INHERIT(joined, table("managers"), polymorphic_identity("manager")) manager {
	struct person base;
	int64_t badge CALX(primary_key);
	int64_t id_ CALX(name("id"));
	char *office CALX(unique);
};

/* single-table beside joined in one hierarchy; table(...) on a single-table subclass */
struct CALX_INHERIT(single, polymorphic_identity("intern")) intern {
	struct person base;
	char *school;
};

struct CALX_INHERIT(single, table("temps"), polymorphic_identity("temp")) temp {
	struct person base;
	char *agency;
};
