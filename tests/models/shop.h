/*
 * Test models: ordinary C, annotated. calx-reflect turns this header into
 * build/gen/tests/models/shop.calx.{c,h} in the build.
 */
#ifndef CALX_TEST_SHOP_H
#define CALX_TEST_SHOP_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

typedef char *email_t;
CALX_TYPE(email_t, "VARCHAR(255)", "postgresql:VARCHAR(255)");

enum color { COLOR_RED = 1, COLOR_GREEN = 2, COLOR_BLUE = 3 };

struct CALX_TABLE("users") user {
	int64_t id CALX(primary_key);
	char name[16] CALX(not_null, unique);
	email_t email CALX(unique);
	bool active CALX(default(true));
	int32_t age CALX(check("age >= 0"));
	double score;
	calx_opt_int64 created CALX(server_default("42"), init(false));
	enum color color CALX(default(COLOR_GREEN));
	char *note;
};

struct CALX_TABLE("addresses") address {
	int64_t id CALX(primary_key);
	int64_t user_id CALX(not_null, foreign_key("users.id", ondelete="CASCADE"), index);
	char *street CALX(not_null);
	char *city;
};

/*
 * One column per mapped C type, for round trips: plain scalars (NOT NULL),
 * then the nullable wrapper of each, then text.
 */
struct CALX_TABLE("samples") sample {
	int64_t id CALX(primary_key, autoincrement(false));
	int8_t i8;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	bool b;
	float f;
	double d;
	char *s;
	char fixed[8];
	enum color c;
	calx_opt_int8 oi8;
	calx_opt_int16 oi16;
	calx_opt_int32 oi32;
	calx_opt_int64 oi64;
	calx_opt_uint8 ou8;
	calx_opt_uint16 ou16;
	calx_opt_uint32 ou32;
	calx_opt_uint64 ou64;
	calx_opt_bool ob;
	calx_opt_float of;
	calx_opt_double od;
};

struct CALX_MIXIN stamps {
	int64_t created_at CALX(default(7));
	int64_t updated_at;
};

/* A text primary key and an embedded mixin. */
struct CALX_TABLE() tag {
	char code[8] CALX(primary_key);
	char *label CALX(name("label_text"));
	struct stamps ts;
	void *cache CALX(transient);
};

/* Self-referential: a child row refers to its parent in the same table. */
struct CALX_TABLE("nodes") node {
	int64_t id CALX(primary_key);
	calx_opt_int64 parent_id CALX(foreign_key("nodes.id"));   /* a root has none */
	char name[32];
};

/* Optimistic locking: the flush bumps and checks the version. */
struct CALX_TABLE("accounts") account {
	int64_t id CALX(primary_key);
	int64_t balance;
	int32_t version CALX(version);
};

/*
 * Server defaults and the C type: a plain scalar always sends its value
 * (false and 0 too); an unset wrapper or a NULL char * is left to the
 * database, whose value comes back into the struct.
 */
struct CALX_TABLE("settings") setting {
	int64_t id CALX(primary_key);
	bool enabled CALX(server_default("true"));
	int32_t level CALX(server_default("5"));
	calx_opt_bool shown CALX(server_default("true"));
	calx_opt_int32 lim CALX(server_default("7"));
	calx_opt_double ratio CALX(not_null, server_default("0.5"));
	char *label CALX(server_default("'none'"));
};

#endif
