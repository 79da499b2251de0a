struct CALX_TABLE("orders") order {
	int64_t id CALX(primary_key);
	int32_t no CALX(primary_key);
	char code[8];
};

struct CALX_TABLE("lines", unique("a", name="uq_code"), check("a > 0", name="UQ_CODE")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
