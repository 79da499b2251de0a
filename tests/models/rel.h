/*
 * Test models for relationships (many-to-one and one-to-many): users with
 * addresses (the pair inferred from the one foreign key between them), a
 * self-referential tree of nodes, and a note whose author must never be
 * loaded lazily. calx-reflect turns this header into
 * build/gen/tests/models/rel.calx.{c,h} in the build. Table names start
 * with rel_: every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_REL_H
#define CALX_TEST_REL_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("rel_users") rel_user {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct rel_address) addresses;        /* back_populates("user"), inferred */
	int scratch CALX(transient);                     /* the program's own: never read */
};

struct CALX_TABLE("rel_addresses") rel_address {
	int64_t id CALX(primary_key);
	char *email CALX(not_null, unique);
	calx_opt_int64 user_id CALX(foreign_key("rel_users.id"));
	struct rel_user *user;
};

/* An adjacency list: parents and children in one table. */
struct CALX_TABLE("rel_nodes") rel_node {
	int64_t id CALX(primary_key);
	char name[16];
	calx_opt_int64 parent_id CALX(foreign_key("rel_nodes.id"));
	struct rel_node *parent CALX(back_populates("children"));
	CALX_LIST(struct rel_node) children CALX(back_populates("parent"));
};

/* A NOT NULL foreign key, and a relationship that must be loaded explicitly. */
struct CALX_TABLE("rel_notes") rel_note {
	int64_t id CALX(primary_key);
	char text[32];
	int64_t user_id CALX(foreign_key("rel_users.id"));
	struct rel_user *author CALX(lazy("raise"), cascade("save-update"));
};

/* A composite key: a book's shelf joins on both columns of the shelf's key. */
struct CALX_TABLE("rel_shelves") rel_shelf {
	int32_t room CALX(primary_key);
	int32_t slot CALX(primary_key);
	CALX_LIST(struct rel_book) books;
};

struct CALX_TABLE("rel_books", foreign_key("room, slot", "rel_shelves(room, slot)")) rel_book {
	int64_t id CALX(primary_key);
	char title[32];
	calx_opt_int32 room;
	calx_opt_int32 slot;
	struct rel_shelf *shelf;
};

#endif
