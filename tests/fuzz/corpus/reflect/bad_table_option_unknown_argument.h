struct CALX_TABLE("lines", unique("a", nme="uq_a")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
