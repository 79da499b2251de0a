struct CALX_TABLE("rr_members") member {
	int64_t id CALX(primary_key);
	char *name;
};

struct CALX_TABLE("rr_calx") calx {
	int64_t id CALX(primary_key);
};

bool member_eq(const struct member *a, const struct member *b);
extern int member_table;
enum { MEMBER_NAME = 1 };
typedef int generated_name_clash_schema;
