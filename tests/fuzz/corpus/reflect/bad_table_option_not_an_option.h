struct CALX_TABLE("lines", "a") line {
	int64_t id CALX(primary_key);
	int64_t a;
};
