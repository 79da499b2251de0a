struct CALX_TABLE("users") CALX_TABLE("people") user {
	int64_t id CALX(primary_key);
};
