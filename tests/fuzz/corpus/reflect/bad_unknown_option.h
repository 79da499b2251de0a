struct CALX_TABLE("users") user {
	int64_t id CALX(primry_key);
};
