struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char *email __attribute__((annotate("calx:field(name(\"abc))")));
};
