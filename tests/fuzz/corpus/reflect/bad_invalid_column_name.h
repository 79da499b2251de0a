struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key, name("user id"));
	int64_t x CALX(name("a123456789b123456789c123456789d123456789e123456789f123456789g123"));
	int64_t y CALX(name("x\"; DROP TABLE users; --"));
};
