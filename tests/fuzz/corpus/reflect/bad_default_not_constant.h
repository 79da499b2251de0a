int64_t next_number(void);
extern const int64_t start;

struct CALX_TABLE("rr_counters") counter {
	int64_t id CALX(primary_key);
	int64_t a CALX(default(next_number()));
	int64_t b CALX(default(start));
	int64_t c CALX(default(no_such_name));
	int64_t d CALX(default(3 * 4));
};
