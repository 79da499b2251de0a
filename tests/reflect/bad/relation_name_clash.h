#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("rr_teams") team {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("rr_players") player {
	int64_t id CALX(primary_key);
	int64_t team_id CALX(foreign_key("rr_teams.id"));
	struct team *team;
};

/* The program's own names, spelled like the relationship's helpers. */
int player_team(void);
int player_set_team(int x);
enum { PLAYER_REL_TEAM = 1 };
