struct CALX_TABLE("lines", check("a > 0")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
