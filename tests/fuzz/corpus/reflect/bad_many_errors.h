struct CALX_TABLE("users") user {
	int64_t id CALX(primry_key);
	char *name CALX(nullable, not_null);
	int *p;
	int64_t team_id CALX(foreign_key("teams.id"));
};
