struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	unsigned char *avatar;
	void *opaque;
};
