struct CALX_TABLE("users") {
	int64_t id CALX(primary_key);
} the_users;
