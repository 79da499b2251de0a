struct CALX_TABLE("lines", uniq("a")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
