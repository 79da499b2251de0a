struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("Users") person {
	int64_t id CALX(primary_key);
};
