struct CALX_TABLE("lines", index("a", unique=true, unique=false)) line {
	int64_t id CALX(primary_key);
	int64_t a;
};
