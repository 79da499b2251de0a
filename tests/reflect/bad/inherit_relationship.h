#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("teams") team {
	int64_t id CALX(primary_key);
	CALX_LIST(struct engineer) engineers;
};

struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person {
	int64_t id CALX(primary_key);
	char kind[16];
	calx_opt_int64 team_id CALX(foreign_key("teams.id"));
	struct team *team;
};

struct CALX_INHERIT(single, polymorphic_identity("engineer")) engineer {
	struct person base;
	char *language;
};
