struct CALX_TABLE("rr_authors") author {
	int64_t id CALX(primary_key);
};

struct CALX_TABLE("rr_books") book {
	int64_t id CALX(primary_key);
	struct author *writer;
	struct author *editor CALX(transient);
	int64_t editor_id CALX(foreign_key("rr_authors.id"));
};
