struct CALX_TABLE("rr_users") user {
	int64_t id CALX(primary_key);
	int64_t abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghi;
	int64_t abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefgh CALX(name("short_enough"));
};
