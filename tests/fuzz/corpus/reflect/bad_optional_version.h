struct CALX_TABLE("accounts") account {
	int64_t id CALX(primary_key);
	calx_opt_int32 version CALX(version);
};
