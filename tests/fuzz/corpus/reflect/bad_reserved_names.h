struct CALX_TABLE("sqlite_things") thing {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("rr_rows", unique("code", name="sqlite_autoindex_x")) row {
	int64_t id CALX(primary_key);
	int64_t xmin;
	int64_t n CALX(name("CTID"));
	int64_t oid; 
	int64_t code;
};
