struct CALX_TABLE("users") CALX_MIXIN user {
	int64_t id CALX(primary_key);
};
