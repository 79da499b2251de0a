/*
 * Test models for the flush's set statements, on PostgreSQL and SQLite
 * (tests/test_set_flush.c): a table with a column of every kind calx maps,
 * a unique column, a check, a foreign key and a version counter; a table
 * with a composite key of an integer and a text; one keyed by a UUID, one
 * by text; one
 * in a schema of its own (PostgreSQL; on SQLite the schema is folded into
 * the name) and one named as the set statements name their rows.
 */
#ifndef CALX_TEST_SET_FLUSH_H
#define CALX_TEST_SET_FLUSH_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/bytes.h>
#include <calx/decimal.h>
#include <calx/nullable.h>
#include <calx/time.h>
#include <calx/uuid.h>

enum sfl_mood { SFL_MOOD_CALM, SFL_MOOD_ODD_ONE, SFL_MOOD_LOUD };

struct CALX_TABLE("sfl_owners") sfl_owner {
	int64_t id CALX(primary_key);
	char *name;
};

struct CALX_TABLE("sfl_items") sfl_item {
	int64_t id CALX(primary_key);
	char *code CALX(unique);
	char *title CALX(not_null);
	char *note;
	char label[24];
	int32_t qty CALX(check("qty >= 0"));
	int64_t big;
	double ratio;
	float small;
	bool flag;
	calx_opt_int32 maybe;
	calx_bytes blob;
	calx_decimal amount CALX(numeric(30, 8));
	char *doc CALX(json);
	enum sfl_mood mood CALX(enum_as(text));
	calx_uuid tag;
	calx_opt_uuid other;
	calx_timestamp at;
	calx_date day;
	calx_opt_int64 owner_id CALX(foreign_key("sfl_owners.id"));
	int32_t version CALX(version);
};

/* A composite key whose text part is hostile too. */
struct CALX_TABLE("sfl_pairs") sfl_pair {
	int32_t a CALX(primary_key, autoincrement(false));
	char k[32] CALX(primary_key);
	char *val;
};

struct CALX_TABLE("sfl_gadgets") sfl_gadget {
	calx_uuid id CALX(primary_key);
	int32_t level;
};

struct CALX_TABLE("calx_setflush.sfl_ledger") sfl_entry {
	int64_t id CALX(primary_key);
	int32_t cents;
	int32_t version CALX(version);
};

/* Keyed by text: a set delete sends the keys as an array literal (tests/test_set_delete.c). */
struct CALX_TABLE("sfl_words") sfl_word {
	char *word CALX(primary_key);
	int32_t n;
};

/* The alias the set statements give their rows (sql/set_rows.c): they take another for this table. */
struct CALX_TABLE("calx_rows") sfl_row {
	int64_t id CALX(primary_key);
	char *val;
};

#endif
