struct CALX_TABLE("rr_notes", check("n < 10 ", name="n_small")) note {
	int64_t id CALX(primary_key);
	int32_t n CALX(check("n > 0 -- note"));
	int32_t m CALX(server_default("1; DROP TABLE x"));
	char *s CALX(check("s <> '--' AND s <> \"a--b\""));
	char *t CALX(type("TEXT -- words"));
	char *u CALX(check("u <> 'it''s -- fine'"));
	char *v CALX(check("v <> 'open"));
	int32_t w CALX(check("w > 0) OR (1 = 1"));
	char *x CALX(type("VARCHAR(10"));
	int32_t y CALX(server_default("(1 + 2)"));
};
