#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("rr_ul_users") ul_user {
	int64_t id CALX(primary_key);
	struct ul_profile *profile CALX(uselist(false), back_populates("user"));
	CALX_LIST(struct ul_profile) all CALX(uselist(false));
	struct ul_profile *other CALX(uselist(true));
	int64_t score CALX(uselist(false));
};

struct CALX_TABLE("rr_ul_profiles") ul_profile {
	int64_t id CALX(primary_key);
	calx_opt_int64 user_id CALX(foreign_key("rr_ul_users.id"));
	struct ul_user *user CALX(uselist(false), back_populates("profile"));
};
