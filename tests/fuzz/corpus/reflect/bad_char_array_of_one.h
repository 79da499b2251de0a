struct CALX_TABLE("rr_flags") flag {
	int64_t id CALX(primary_key);
	char empty[1];
	char one[2];
};
