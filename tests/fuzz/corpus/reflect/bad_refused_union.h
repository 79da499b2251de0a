union number { int64_t i; double d; };

struct CALX_TABLE("rt_users") user {
	int64_t id CALX(primary_key);
	union number amount;
};
