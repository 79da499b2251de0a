struct CALX_TABLE("rr_codes") code {
	int64_t id CALX(primary_key);
	char exact[4] CALX(default("abcd"));
	char longer[4] CALX(default("abcde"));
	char fits[4] CALX(default("abc"));
};
