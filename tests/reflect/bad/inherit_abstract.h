/*
 * abstract (SQLAlchemy's AbstractConcreteBase) where it cannot work: on a
 * struct outside a hierarchy, with an identity of its own, with no
 * subclass to hold its rows, and over a joined subclass (which would
 * need the root's table).
 */
#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("plain", abstract) plain {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("named", polymorphic_on("kind"), polymorphic_identity("named"), abstract) named {
	int64_t id CALX(primary_key);
	char kind[16];
};

struct CALX_INHERIT(concrete, table("named_sub"), polymorphic_identity("sub")) named_sub {
	struct named base;
};

struct CALX_TABLE("lonely", polymorphic_on("kind"), abstract) lonely {
	int64_t id CALX(primary_key);
	char kind[16];
};

struct CALX_TABLE("base_j", polymorphic_on("kind"), abstract) base_j {
	int64_t id CALX(primary_key);
	char kind[16];
};

struct CALX_INHERIT(joined, table("sub_j"), polymorphic_identity("j")) sub_j {
	struct base_j base;
	char *extra;
};
