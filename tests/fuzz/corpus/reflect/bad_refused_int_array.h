struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	int32_t scores[4];
	int8_t signed_bytes[4];
	bool flags[8];
};
