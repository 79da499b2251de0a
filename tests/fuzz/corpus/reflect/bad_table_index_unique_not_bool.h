struct CALX_TABLE("lines", index("a", unique=1)) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
