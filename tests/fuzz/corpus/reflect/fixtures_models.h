typedef char *email_t;
typedef email_t work_email_t;
CALX_TYPE(email_t, "VARCHAR(255)", "postgresql:CITEXT");

typedef calx_opt_int64 maybe_id;

enum role { ROLE_USER, ROLE_ADMIN };

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char name[64] CALX(not_null);
	bool active CALX(default(true));
	email_t email CALX(unique);
	work_email_t work_email;
	char *nick CALX(not_null);
	enum role role CALX(default(ROLE_ADMIN), index);
	calx_opt_double score CALX(name("rating"), check("rating >= 0"));
	struct timestamps ts;
	void *cache CALX(transient);
};

struct CALX_TABLE("addresses") address {
	int64_t id CALX(primary_key);
	maybe_id user_id CALX(foreign_key("users.id", ondelete = "cascade"), index);
	const char *email_address CALX(type("TEXT", "postgresql:VARCHAR(320)"));
	char *note CALX(not_null, server_default("'none'"), init(false));
	calx_opt_uint16 floor CALX(default(1), nullable);
	calx_opt_bool verified CALX(not_null, server_default("false"), init(false));
	float lat, lon;
};

struct CALX_TABLE() tag {
	char code[8] CALX(primary_key);
	signed char weight;
	unsigned char flags;
	short s;
	unsigned long long big;
	char *label CALX(name("text"), default("a \"quoted\" \\ label\n"));
};

struct CALX_TABLE("memberships") membership {
	int64_t user_id CALX(primary_key, foreign_key("users.id"));
	int64_t group_id CALX(primary_key, autoincrement(false));
};
