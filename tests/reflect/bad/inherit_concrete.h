/*
 * Concrete-table inheritance: what its polymorphic UNION ALL cannot do.
 * Two structs of the hierarchy, neither an ancestor of the other, with an
 * own column of one name but two C types (one column of the union); a key of a subclass's own; version() in the
 * hierarchy; a concrete subclass beside a joined one.
 */
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
	char *name;
	int32_t version CALX(version);
};

struct CALX_INHERIT(concrete, table("managers"), polymorphic_identity("manager")) manager {
	struct person base;
	char *office;
	int64_t badge CALX(primary_key);
};

struct CALX_INHERIT(concrete, table("engineers"), polymorphic_identity("engineer")) engineer {
	struct person base;
	int32_t office;
};

struct CALX_INHERIT(joined, table("interns"), polymorphic_identity("intern")) intern {
	struct person base;
	char *school;
};
