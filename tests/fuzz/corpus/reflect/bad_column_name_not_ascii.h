struct CALX_TABLE("rr_people") person {
	int64_t id CALX(primary_key);
	char *prénom;
	char *nom CALX(name("prénom"));
};
