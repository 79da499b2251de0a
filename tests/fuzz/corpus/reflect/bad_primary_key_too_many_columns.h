struct CALX_TABLE("rr_wide_keys") wide_key {
	int32_t k1 CALX(primary_key);
	int32_t k2 CALX(primary_key);
	int32_t k3 CALX(primary_key);
	int32_t k4 CALX(primary_key);
	int32_t k5 CALX(primary_key);
	int32_t k6 CALX(primary_key);
	int32_t k7 CALX(primary_key);
	int32_t k8 CALX(primary_key);
	int32_t k9 CALX(primary_key);
};
