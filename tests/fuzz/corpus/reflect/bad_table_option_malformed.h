struct CALX_TABLE("lines", unique("a") "b") line {
	int64_t id CALX(primary_key);
	int64_t a;
};
