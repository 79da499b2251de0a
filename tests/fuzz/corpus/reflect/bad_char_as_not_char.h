struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	int32_t age CALX(char_as(integer));
	unsigned char level CALX(char_as(text));
};
