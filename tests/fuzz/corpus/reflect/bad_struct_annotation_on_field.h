struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t n CALX_MIXIN;
};
