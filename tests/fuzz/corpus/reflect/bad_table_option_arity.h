struct CALX_TABLE("lines", foreign_key("a")) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
