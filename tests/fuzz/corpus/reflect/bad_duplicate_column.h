struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char *name;
	char *nick CALX(name("Name"));
};
