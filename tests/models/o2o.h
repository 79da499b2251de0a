/*
 * Test models for one-to-one relationships, post_update and the flush
 * order's last cases (tests/test_one_to_one.c, tests/test_post_update.c,
 * tests/test_alloc_fail_o2o.c). Table names start with o2o_: every
 * PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_O2O_H
#define CALX_TEST_O2O_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

/*
 * A user has at most one profile (nullable key: a replaced profile keeps
 * its row, key NULL), one passport (delete-orphan: a replaced passport is
 * deleted), one card (NOT NULL key, no delete-orphan: replacing a card is
 * refused at flush) and one badge (no pointer back).
 */
struct CALX_TABLE("o2o_users") o2o_user {
	int64_t id CALX(primary_key);
	char name[32];
	struct o2o_profile *profile CALX(uselist(false), back_populates("user"));
	struct o2o_passport *passport CALX(uselist(false), back_populates("user"), cascade("all, delete-orphan"));
	struct o2o_card *card CALX(uselist(false), back_populates("user"));
	struct o2o_badge *badge CALX(uselist(false));
};

struct CALX_TABLE("o2o_profiles") o2o_profile {
	int64_t id CALX(primary_key);
	char bio[32];
	calx_opt_int64 user_id CALX(foreign_key("o2o_users.id"));
	struct o2o_user *user CALX(back_populates("profile"));
};

struct CALX_TABLE("o2o_passports") o2o_passport {
	int64_t id CALX(primary_key);
	char number[16];
	calx_opt_int64 user_id CALX(foreign_key("o2o_users.id"));
	struct o2o_user *user CALX(back_populates("passport"));
};

struct CALX_TABLE("o2o_cards") o2o_card {
	int64_t id CALX(primary_key);
	char pan[20];
	int64_t user_id CALX(foreign_key("o2o_users.id"));
	struct o2o_user *user CALX(back_populates("card"));
};

struct CALX_TABLE("o2o_badges") o2o_badge {
	int64_t id CALX(primary_key);
	char label[16];
	calx_opt_int64 user_id CALX(foreign_key("o2o_users.id"));
};

/* A locker's key is lazy("raise"): never loaded behind the program's back. */
struct CALX_TABLE("o2o_lockers") o2o_locker {
	int64_t id CALX(primary_key);
	struct o2o_key *key CALX(uselist(false), lazy("raise"));
};

struct CALX_TABLE("o2o_keys") o2o_key {
	int64_t id CALX(primary_key);
	calx_opt_int64 locker_id CALX(foreign_key("o2o_lockers.id"));
};

/*
 * A self-referential tree (parent / children, delete cascades) whose
 * nodes also name a partner by a post_update key: two nodes may be each
 * other's partner.
 */
struct CALX_TABLE("o2o_nodes") o2o_node {
	int64_t id CALX(primary_key);
	char name[16];
	calx_opt_int64 parent_id CALX(foreign_key("o2o_nodes.id"));
	calx_opt_int64 partner_id CALX(foreign_key("o2o_nodes.id"));
	struct o2o_node *parent CALX(foreign_keys("parent_id"), back_populates("children"));
	CALX_LIST(struct o2o_node) children CALX(foreign_keys("parent_id"), back_populates("parent"),
	                                         cascade("all, delete-orphan"));
	struct o2o_node *partner CALX(foreign_keys("partner_id"), post_update);
};

/* Two rows pointing at each other without post_update: a cycle the flush refuses. */
struct CALX_TABLE("o2o_pairs") o2o_pair {
	int64_t id CALX(primary_key);
	char name[16];
	calx_opt_int64 mate_id CALX(foreign_key("o2o_pairs.id"));
	struct o2o_pair *mate;
};

/*
 * SQLAlchemy's post_update example: a user's favourite address is one of
 * the user's own addresses. The tables refer to each other; the
 * favourite's key is post_update, which breaks the cycle for the flush
 * and for CREATE TABLE (added by ALTER TABLE after both tables, where the
 * dialect needs that).
 */
struct CALX_TABLE("o2o_people") o2o_person {
	int64_t id CALX(primary_key);
	char name[32];
	calx_opt_int64 favourite_id CALX(foreign_key("o2o_addresses.id"));
	CALX_LIST(struct o2o_address) addresses CALX(back_populates("person"), cascade("all, delete-orphan"));
	struct o2o_address *favourite CALX(post_update);
};

struct CALX_TABLE("o2o_addresses") o2o_address {
	int64_t id CALX(primary_key);
	char street[32];
	int64_t person_id CALX(foreign_key("o2o_people.id"));
	struct o2o_person *person CALX(back_populates("addresses"));
};

#endif
