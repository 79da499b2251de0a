/*
 * Test models for inserts of many rows in one flush (tests/test_many_rows.c):
 * on PostgreSQL a run of rows goes many rows a statement with its keys
 * reserved from the column's sequence first (orm/unitofwork/insert_multi.c).
 * Table names start with mr_: every PostgreSQL test of a run shares one
 * database.
 */
#ifndef CALX_TEST_MANY_ROWS_H
#define CALX_TEST_MANY_ROWS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/bytes.h>
#include <calx/list.h>
#include <calx/nullable.h>

/* A generated key and nothing else left to the database: no RETURNING. */
struct CALX_TABLE("mr_items") mr_item {
	int64_t id CALX(primary_key);
	char name[24] CALX(unique);
	int64_t value;
};

/*
 * A server default besides the key: it comes back by RETURNING, matched to
 * its row by the key (a PostgreSQL trigger sets it from the row's value).
 */
struct CALX_TABLE("mr_stamped") mr_stamped {
	int64_t id CALX(primary_key);
	int64_t value;
	calx_opt_int64 stamp CALX(server_default("7"), init(false));
};

/* Parents and children: the children's keys name parents inserted in the same flush. */
struct CALX_TABLE("mr_parents") mr_parent {
	int64_t id CALX(primary_key);
	int32_t value;
	CALX_LIST(struct mr_child) children CALX(back_populates("parent"));
};

struct CALX_TABLE("mr_children") mr_child {
	int64_t id CALX(primary_key);
	int64_t parent_id CALX(foreign_key("mr_parents.id"), index);
	int32_t value;
	struct mr_parent *parent CALX(back_populates("children"));
};

/*
 * On PostgreSQL the test creates this table itself, its key's default a
 * sequence the column does not own: there is no sequence to reserve from,
 * and rows go a statement each with RETURNING.
 */
struct CALX_TABLE("mr_loose") mr_loose {
	int64_t id CALX(primary_key);
	int64_t value;
};

/*
 * On PostgreSQL the test creates this table itself with types calx would
 * not write: an enum, a domain over VARCHAR(5) with a check, and an
 * INTEGER for the int64_t. A run of rows goes as one array a column of the
 * table's own column types, read as a row-at-a-time parameter is.
 */
struct CALX_TABLE("mr_moods") mr_mood {
	int64_t id CALX(primary_key);
	char *feeling;
	char *code;
	int64_t small;
};

/*
 * Bytes in a column of a type that is not bytea by its name: on
 * PostgreSQL a domain over bytea with a check (the test's setup makes
 * it). calx sends bytes as bytea's binary and knows no other type's, so
 * a run of these rows keeps the multi-row VALUES form, each value a
 * binary parameter the server reads as the column's type; SQLite keeps
 * them as blobs.
 */
struct CALX_TABLE("mr_prints") mr_print {
	int64_t id CALX(primary_key);
	calx_bytes digest CALX(type("mr_digest", "sqlite:BLOB"));
	char *note;
};

#endif
