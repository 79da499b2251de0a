struct CALX_TABLE("accounts") account {
	int64_t id CALX(primary_key, version);
	char *label CALX(version);
	int32_t v1 CALX(version);
	int64_t v2 CALX(version);
};
