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

/*
 * Cascades on delete. A folder's files go with it and when removed from
 * its list (cascade("all, delete-orphan"), a NOT NULL key); its tags are
 * left to the database (passive_deletes over ON DELETE CASCADE), and so
 * are the stamps of a tag (no relationship at all); its memos and pins
 * keep SQLAlchemy's default: the key goes NULL, refused when NOT NULL.
 */
struct CALX_TABLE("rel_folders") rel_folder {
	int64_t id CALX(primary_key);
	char name[16];
	CALX_LIST(struct rel_file) files CALX(cascade("all, delete-orphan"));
	CALX_LIST(struct rel_tag) tags CALX(passive_deletes);
	CALX_LIST(struct rel_memo) memos;
	CALX_LIST(struct rel_pin) pins;
};

struct CALX_TABLE("rel_files") rel_file {
	int64_t id CALX(primary_key);
	char name[16];
	int64_t folder_id CALX(foreign_key("rel_folders.id"));
	struct rel_folder *folder;
};

struct CALX_TABLE("rel_tags") rel_tag {
	int64_t id CALX(primary_key);
	char label[16];
	calx_opt_int64 folder_id CALX(foreign_key("rel_folders.id", ondelete="CASCADE"));
};

struct CALX_TABLE("rel_stamps") rel_stamp {
	int64_t id CALX(primary_key);
	int64_t tag_id CALX(foreign_key("rel_tags.id", ondelete="CASCADE"));
};

struct CALX_TABLE("rel_memos") rel_memo {
	int64_t id CALX(primary_key);
	calx_opt_int64 folder_id CALX(foreign_key("rel_folders.id"));
};

struct CALX_TABLE("rel_pins") rel_pin {
	int64_t id CALX(primary_key);
	int64_t folder_id CALX(foreign_key("rel_folders.id"));
};

#endif
