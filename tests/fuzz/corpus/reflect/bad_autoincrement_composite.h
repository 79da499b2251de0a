struct CALX_TABLE("users") user {
	int64_t a CALX(primary_key, autoincrement);
	int64_t b CALX(primary_key);
};
