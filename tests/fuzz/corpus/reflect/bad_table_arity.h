struct CALX_TABLE("users", "people") user {
	int64_t id CALX(primary_key);
};
