struct CALX_TABLE("addresses") address {
	int64_t id CALX(primary_key);
	int64_t user_id CALX(foreign_key("users.id"));
};
