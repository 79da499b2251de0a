struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	__int128 big;
	unsigned __int128 ubig;
};
