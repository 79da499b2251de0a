struct CALX_TABLE("lines", unique("a", name="uq_a", "id")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
