/*
 * The seed models: SQLAlchemy's own documentation examples, written as
 * annotated C, so that tests/test_seeds.c can run one scenario on them
 * and on the SQLAlchemy originals (tests/seeds/seeds_sqla.py) and compare
 * the rows. Table names start with seed_ (every PostgreSQL test of a run
 * shares one database); otherwise the tables are the documents' own.
 *
 * - "ORM Quick Start": users with addresses; User.addresses has
 *   cascade="all, delete-orphan" and Address.user_id is NOT NULL.
 * - "Adjacency List Relationships": Node, a tree in one table with the
 *   default cascade (deleting a node leaves its children, parent NULL).
 * - The adjacency-list example of SQLAlchemy's "ORM Examples" (TreeNode):
 *   the same tree with cascade="all, delete-orphan", so deleting a node
 *   deletes its subtree. The example keys its children by name (a dict);
 *   here they are a list, which holds the same rows.
 * - "Basic Relationship Patterns", Many To Many: posts and tags over an
 *   association Table (secondary=, back_populates both ways): here a
 *   table_only struct, seed_post_tags, which is a table and no mapper.
 */
#ifndef CALX_TEST_SEEDS_H
#define CALX_TEST_SEEDS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

/* The Quick Start's User: String(30) name, String fullname, both nullable. */
struct CALX_TABLE("seed_user_account") seed_user {
	int32_t id CALX(primary_key);
	char *name CALX(type("VARCHAR(30)"));
	char *fullname;
	CALX_LIST(struct seed_address) addresses CALX(cascade("all, delete-orphan"));
};

struct CALX_TABLE("seed_address") seed_address {
	int32_t id CALX(primary_key);
	char *email_address CALX(not_null);
	int32_t user_id CALX(foreign_key("seed_user_account.id"));   /* NOT NULL */
	struct seed_user *user;                                      /* back_populates("addresses") */
};

/* The adjacency list document's Node, with both directions. */
struct CALX_TABLE("seed_node") seed_node {
	int32_t id CALX(primary_key);
	calx_opt_int32 parent_id CALX(foreign_key("seed_node.id"));
	char *data CALX(type("VARCHAR(50)"));
	CALX_LIST(struct seed_node) children CALX(back_populates("parent"));
	struct seed_node *parent CALX(back_populates("children"));
};

/* The ORM Examples' TreeNode: a subtree goes with its node. */
struct CALX_TABLE("seed_tree") seed_tree_node {
	int32_t id CALX(primary_key);
	calx_opt_int32 parent_id CALX(foreign_key("seed_tree.id"));
	char *name CALX(not_null, type("VARCHAR(50)"));
	CALX_LIST(struct seed_tree_node) children CALX(cascade("all, delete-orphan"),
	                                               back_populates("parent"));
	struct seed_tree_node *parent CALX(back_populates("children"));
};

/* The Many To Many pattern: a post's tags and a tag's posts, one association table. */
struct CALX_TABLE("seed_post") seed_post {
	int32_t id CALX(primary_key);
	char *title CALX(type("VARCHAR(50)"));
	CALX_LIST(struct seed_tag) tags CALX(secondary("seed_post_tags"), back_populates("posts"));
};

struct CALX_TABLE("seed_tag") seed_tag {
	int32_t id CALX(primary_key);
	char *name CALX(not_null, type("VARCHAR(30)"));
	CALX_LIST(struct seed_post) posts CALX(secondary("seed_post_tags"), back_populates("tags"));
};

/* The document's association Table: two foreign keys, both the primary key. */
struct CALX_TABLE("seed_post_tags", table_only) seed_post_tag {
	int32_t post_id CALX(primary_key, foreign_key("seed_post.id"));
	int32_t tag_id CALX(primary_key, foreign_key("seed_tag.id"));
};

#endif
