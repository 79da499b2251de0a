struct CALX_TABLE("users") user {
	int64_t id;
	char name[64] CALX(not_null);
};
