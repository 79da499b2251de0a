struct CALX_MIXIN pair {
	int64_t b;
};

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t a_b CALX(name("ab"));
	struct pair a;
};
