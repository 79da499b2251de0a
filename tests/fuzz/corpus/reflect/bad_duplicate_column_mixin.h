struct CALX_MIXIN stamps {
	int64_t created_at;
};

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t created_at;
	struct stamps ts;
};
