struct CALX_MIXIN stamp {
	int64_t at;
};

struct CALX_TABLE("rt_tickets") ticket {
	int64_t id CALX(primary_key);
	struct stamp opened CALX(prefix("opened-"));
	struct stamp closed CALX(prefix(""));
};
