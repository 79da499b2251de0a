struct CALX_TABLE("user table") user {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE() a123456789b123456789c123456789d123456789e123456789f123456789g1234 {
	int64_t id CALX(primary_key);
};
