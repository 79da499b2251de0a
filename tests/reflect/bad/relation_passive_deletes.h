#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("rr_pd_owners") pd_owner {
	int64_t id CALX(primary_key);
	CALX_LIST(struct pd_pet) pets CALX(passive_deletes);
	CALX_LIST(struct pd_toy) toys CALX(passive_deletes, cascade("all"));
};

struct CALX_TABLE("rr_pd_pets") pd_pet {
	int64_t id CALX(primary_key);
	calx_opt_int64 owner_id CALX(foreign_key("rr_pd_owners.id"));
	struct pd_owner *owner CALX(passive_deletes);
};

struct CALX_TABLE("rr_pd_toys") pd_toy {
	int64_t id CALX(primary_key);
	calx_opt_int64 owner_id CALX(foreign_key("rr_pd_owners.id", ondelete="RESTRICT"));
};
