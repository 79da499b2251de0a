struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t parent_id CALX(foreign_key("users.uid"));
};
