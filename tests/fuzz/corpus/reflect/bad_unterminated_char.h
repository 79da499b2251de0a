struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int32_t c __attribute__((annotate("calx:field(default('x))")));
};
