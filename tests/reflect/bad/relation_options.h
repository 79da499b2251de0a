#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

struct CALX_TABLE("rr_owners") owner {
	int64_t id CALX(primary_key);
	int64_t rank CALX(back_populates("x"));
	CALX_LIST(struct pet) pets CALX(back_populates("keeper"));
	CALX_LIST(struct pet) others CALX(lazy("joinedload"));
	CALX_LIST(struct pet) more CALX(cascade("save-update, everything"));
	CALX_LIST(struct pet) sorted CALX(lazy("sometimes"));
};

struct CALX_TABLE("rr_pets") pet {
	int64_t id CALX(primary_key);
	int64_t owner_id CALX(foreign_key("rr_owners.id"));
	struct owner *owner CALX(not_null);
};
