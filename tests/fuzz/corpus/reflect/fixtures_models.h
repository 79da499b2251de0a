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


struct CALX_TABLE("orders", unique("code", name="uq_order_code")) order {
	int64_t id CALX(primary_key);
	int32_t no CALX(primary_key);
	char code[8];
};

struct CALX_TABLE("order_lines", unique("order_id", "line_no"), index("sku", "qty"),
		  index("sku", unique=true, name="ix_line_sku"), check("qty > 0", name="qty_positive"),
		  foreign_key("order_id, order_no", "orders(id, no)", ondelete="cascade", onupdate="CASCADE"),
		  foreign_key("order_code", "orders.code", name="fk_line_code"))
order_line {
	int64_t id CALX(primary_key);
	int64_t order_id;
	int32_t order_no;
	int16_t line_no;
	char *sku;
	int32_t qty CALX(check("qty < 1000"));
	char order_code[8];
};
