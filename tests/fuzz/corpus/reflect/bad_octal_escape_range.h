struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char *s __attribute__((annotate("calx:field(check(\"\\777\"))")));
};
