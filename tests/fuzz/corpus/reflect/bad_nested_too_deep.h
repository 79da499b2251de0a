struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	int64_t n __attribute__((annotate("calx:field(default(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))")));
};
