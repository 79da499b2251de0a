struct point {
	int32_t x CALX(primary_key);
	int32_t y;
};

union either {
	int64_t i CALX(unique);
	double d;
};

struct CALX_TABLE("rr_places") place {
	int64_t id CALX(primary_key);
	struct point where CALX(transient);
};
