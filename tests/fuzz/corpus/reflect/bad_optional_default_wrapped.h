struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	calx_opt_int32 age CALX(default(CALX_SOME(18)));
	calx_opt_bool vip CALX(default(false));
};
