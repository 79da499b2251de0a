struct CALX_TABLE("users") user {
	char code[8] CALX(primary_key, autoincrement);
};
