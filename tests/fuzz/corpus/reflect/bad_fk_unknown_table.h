struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t team_id CALX(foreign_key("teams.id"));
};
