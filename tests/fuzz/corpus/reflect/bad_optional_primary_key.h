struct CALX_TABLE("users") user {
	calx_opt_int64 id CALX(primary_key);
};
