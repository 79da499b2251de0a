/*
 * The seed models (tests/models/seeds.h: SQLAlchemy's ORM Quick Start
 * users and addresses, the Adjacency List document's Node tree and the
 * adjacency-list example's TreeNode) through one fixed scenario, on SQLite
 * and PostgreSQL: users with addresses linked through the generated
 * helpers, an address appended and one changed, an address moved to
 * another user, one removed (delete-orphan), a user deleted with its
 * addresses (cascade "all, delete-orphan"); the document's tree, a node
 * deleted under the default cascade (its children stay, parent NULL); the
 * example's tree, a subtree deleted, a node removed from its parent, the
 * root deleted with the rest; the Many To Many pattern's posts and tags
 * (an association table, seed_post_tags): tags added, posts linked to
 * them from both sides, a tag removed from a post, a post deleted, a tag
 * deleted, each leaving the association rows SQLAlchemy leaves.
 *
 * After every commit each table's rows are read in key order with the
 * driver itself (tests/seeds/raw_query.c) and written as text. The same
 * scenario on the SQLAlchemy models, run by SQLAlchemy
 * (tests/seeds/seeds_sqla.py, in the build), wrote its text to
 * SEEDS_SQLA_DUMP; any difference fails the test, with the first
 * differing line and both texts printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "seeds.calx.h"
#include "seeds/raw_query.h"

/* Written by tests/seeds/seeds_sqla.py in the build; relative to the top of the tree. */
#ifndef SEEDS_SQLA_DUMP
#define SEEDS_SQLA_DUMP "build/seeds/sqlalchemy.txt"
#endif

/* The same statements as seeds_sqla.py's DUMP. */
static const char *const dump_queries[][2] = {
	{ "seed_user_account", "SELECT id, name, fullname FROM seed_user_account ORDER BY id" },
	{ "seed_address", "SELECT id, email_address, user_id FROM seed_address ORDER BY id" },
	{ "seed_node", "SELECT id, parent_id, data FROM seed_node ORDER BY id" },
	{ "seed_tree", "SELECT id, parent_id, name FROM seed_tree ORDER BY id" },
	{ "seed_post", "SELECT id, title FROM seed_post ORDER BY id" },
	{ "seed_tag", "SELECT id, name FROM seed_tag ORDER BY id" },
	{ "seed_post_tags", "SELECT post_id, tag_id FROM seed_post_tags ORDER BY post_id, tag_id" },
};

struct dump {
	char *text;
	size_t len;
};

static void dump_put(struct dump *d, const char *s)
{
	size_t n = strlen(s);
	char *grown = realloc(d->text, d->len + n + 1);
	assert_non_null(grown);
	memcpy(grown + d->len, s, n + 1);
	d->text = grown;
	d->len += n;
}

/* Commit, then every table's rows as the database has them. */
static void commit_and_dump(fixture *fx, struct dump *d, const char *step)
{
	assert_ok(fx->s, calx_session_commit(fx->s));
	dump_put(d, "== ");
	dump_put(d, step);
	dump_put(d, "\n");
	for (size_t i = 0; i < sizeof dump_queries / sizeof dump_queries[0]; i++) {
		char *rows;
		dump_put(d, "-- ");
		dump_put(d, dump_queries[i][0]);
		dump_put(d, "\n");
		assert_int_equal(raw_query(fx, dump_queries[i][1], &rows), 0);
		dump_put(d, rows);
		free(rows);
	}
}

static struct seed_user *new_user(fixture *fx, const char *name, const char *fullname)
{
	struct seed_user *u = seed_user_new(fx->s, .name = (char *)name, .fullname = (char *)fullname);
	assert_non_null(u);
	return u;
}

static struct seed_address *add_address(fixture *fx, struct seed_user *u, const char *email)
{
	struct seed_address *a = seed_address_new(fx->s, .email_address = (char *)email);
	assert_non_null(a);
	assert_ok(fx->s, seed_user_addresses_append(fx->s, u, a));
	return a;
}

/* The user's address with that email, through the list (loaded again after a commit expired it). */
static struct seed_address *by_email(fixture *fx, struct seed_user *u, const char *email)
{
	struct seed_address **items;
	size_t n;
	assert_ok(fx->s, seed_user_addresses(fx->s, u, &items, &n));
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i]->email_address, email) == 0)
			return items[i];
	fail_msg("no address %s", email);
	return NULL;
}

static void users_and_addresses(fixture *fx, struct dump *d)
{
	struct seed_user *spongebob = new_user(fx, "spongebob", "Spongebob Squarepants");
	struct seed_user *sandy = new_user(fx, "sandy", "Sandy Cheeks");
	struct seed_user *patrick = new_user(fx, "patrick", "Patrick Star");
	add_address(fx, spongebob, "spongebob@sqlalchemy.org");
	add_address(fx, sandy, "sandy@sqlalchemy.org");
	add_address(fx, sandy, "sandy@squirrelpower.org");
	assert_ok(fx->s, calx_session_add(fx->s, spongebob));
	assert_ok(fx->s, calx_session_add(fx->s, sandy));
	assert_ok(fx->s, calx_session_add(fx->s, patrick));
	commit_and_dump(fx, d, "users added with their addresses");

	add_address(fx, patrick, "patrickstar@sqlalchemy.org");
	assert_ok(fx->s, calx_field_set_text(fx->s, by_email(fx, sandy, "sandy@sqlalchemy.org"),
	                                     SEED_ADDRESS_EMAIL_ADDRESS, "sandy_cheeks@sqlalchemy.org"));
	commit_and_dump(fx, d, "an address appended, another changed");

	/* it leaves sandy's list for patrick's: no orphan, not deleted */
	assert_ok(fx->s, seed_user_addresses_append(fx->s, patrick,
	                                            by_email(fx, sandy, "sandy@squirrelpower.org")));
	commit_and_dump(fx, d, "an address moved to another user");

	assert_ok(fx->s, seed_user_addresses_remove(fx->s, sandy,
	                                            by_email(fx, sandy, "sandy_cheeks@sqlalchemy.org")));
	commit_and_dump(fx, d, "an address removed (delete-orphan)");

	assert_ok(fx->s, calx_session_delete(fx->s, patrick));
	commit_and_dump(fx, d, "a user deleted with its addresses");
}

static struct seed_node *node_under(fixture *fx, struct seed_node *parent, const char *data)
{
	struct seed_node *n = seed_node_new(fx->s, .data = (char *)data);
	assert_non_null(n);
	if (parent)
		assert_ok(fx->s, seed_node_children_append(fx->s, parent, n));
	return n;
}

/* The Adjacency List document's Node, with the default cascade. */
static void document_node_tree(fixture *fx, struct dump *d)
{
	struct seed_node *root = node_under(fx, NULL, "root");
	node_under(fx, root, "child1");
	struct seed_node *child2 = node_under(fx, root, "child2");
	node_under(fx, root, "child3");
	node_under(fx, child2, "subchild1");
	node_under(fx, child2, "subchild2");
	assert_ok(fx->s, calx_session_add(fx->s, root));
	commit_and_dump(fx, d, "the document's node tree");

	assert_ok(fx->s, calx_session_delete(fx->s, child2));
	commit_and_dump(fx, d, "a node deleted, its children kept");
}

static struct seed_tree_node *tree_node_under(fixture *fx, struct seed_tree_node *parent,
                                              const char *name)
{
	struct seed_tree_node *n = seed_tree_node_new(fx->s, .name = (char *)name);
	assert_non_null(n);
	if (parent)
		assert_ok(fx->s, seed_tree_node_children_append(fx->s, parent, n));
	return n;
}

/* The ORM Examples' TreeNode: cascade "all, delete-orphan" on children. */
static void example_tree(fixture *fx, struct dump *d)
{
	struct seed_tree_node *rootnode = tree_node_under(fx, NULL, "rootnode");
	struct seed_tree_node *node1 = tree_node_under(fx, rootnode, "node1");
	struct seed_tree_node *node2 = tree_node_under(fx, rootnode, "node2");
	struct seed_tree_node *node3 = tree_node_under(fx, rootnode, "node3");
	tree_node_under(fx, node2, "subnode1");
	tree_node_under(fx, node2, "subnode2");
	struct seed_tree_node *node4 = tree_node_under(fx, node1, "node4");
	tree_node_under(fx, node4, "subnode3");
	assert_ok(fx->s, calx_session_add(fx->s, rootnode));
	commit_and_dump(fx, d, "the example's tree");

	assert_ok(fx->s, calx_session_delete(fx->s, node2));
	commit_and_dump(fx, d, "a subtree deleted");

	assert_ok(fx->s, seed_tree_node_children_remove(fx->s, rootnode, node3));
	commit_and_dump(fx, d, "a node removed from its parent (delete-orphan)");

	assert_ok(fx->s, calx_session_delete(fx->s, rootnode));
	commit_and_dump(fx, d, "the root deleted with its tree");
}

static struct seed_tag *new_tag(fixture *fx, const char *name)
{
	struct seed_tag *t = seed_tag_new(fx->s, .name = (char *)name);
	assert_non_null(t);
	assert_ok(fx->s, calx_session_add(fx->s, t));
	return t;
}

/* The Basic Relationship Patterns document's Many To Many, as posts and tags. */
static void posts_and_tags(fixture *fx, struct dump *d)
{
	struct seed_tag *c = new_tag(fx, "c"), *orm = new_tag(fx, "orm"), *python = new_tag(fx, "python");
	commit_and_dump(fx, d, "tags added");

	struct seed_post *p1 = seed_post_new(fx->s, .title = "Annotated C structs");
	struct seed_post *p2 = seed_post_new(fx->s, .title = "The unit of work");
	assert_non_null(p1);
	assert_non_null(p2);
	/* added first: the posts' keys then follow the order they were added in */
	assert_ok(fx->s, calx_session_add(fx->s, p1));
	assert_ok(fx->s, calx_session_add(fx->s, p2));
	assert_ok(fx->s, seed_post_tags_append(fx->s, p1, c));
	assert_ok(fx->s, seed_post_tags_append(fx->s, p1, orm));
	assert_ok(fx->s, seed_post_tags_append(fx->s, p2, orm));
	/* from the tag's side: python's posts list and p2's tags list both hold the link */
	assert_ok(fx->s, seed_tag_posts_append(fx->s, python, p2));
	assert_int_equal(p2->tags.n, 2);
	commit_and_dump(fx, d, "posts linked to tags, both ways");

	/* its association row goes, the tag stays */
	assert_ok(fx->s, seed_post_tags_remove(fx->s, p1, orm));
	commit_and_dump(fx, d, "a tag removed from a post");

	/* its association rows go, its tags stay */
	assert_ok(fx->s, calx_session_delete(fx->s, p2));
	commit_and_dump(fx, d, "a post deleted");

	/* its association rows go, its posts stay */
	assert_ok(fx->s, calx_session_delete(fx->s, c));
	commit_and_dump(fx, d, "a tag deleted");
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, got;
	if (!f) {
		print_error("%s: cannot open (it is written by tests/seeds/seeds_sqla.py in the build: "
		            "ninja %s)\n", path, path);
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			char *grown = realloc(text, cap);
			assert_non_null(grown);
			text = grown;
		}
		got = fread(text + len, 1, 4096, f);
		len += got;
	} while (got > 0);
	fclose(f);
	text[len] = '\0';
	return text;
}

/* The first line where the two differ, with its number, then both texts. */
static void report_difference(const char *want, const char *got)
{
	unsigned line = 1;
	const char *w = want, *g = got;
	while (*w && *w == *g) {
		if (*w == '\n') {
			line++;
			want = w + 1;
			got = g + 1;
		}
		w++;
		g++;
	}
	print_error("the rows differ from SQLAlchemy's at line %u:\n  SQLAlchemy: %.*s\n  calx:       %.*s\n",
	            line, (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

static void the_scenario_leaves_the_rows_sqlalchemy_leaves(void **state)
{
	fixture *fx = *state;
	struct dump d = { 0 };
	char *want = read_whole(SEEDS_SQLA_DUMP);
	assert_non_null(want);
	dump_put(&d, "");
	users_and_addresses(fx, &d);
	document_node_tree(fx, &d);
	example_tree(fx, &d);
	posts_and_tags(fx, &d);
	if (strcmp(want, d.text) != 0) {
		report_difference(want, d.text);
		print_error("--- SQLAlchemy (%s)\n%s--- calx\n%s", SEEDS_SQLA_DUMP, want, d.text);
	}
	assert_string_equal(want, d.text);
	free(want);
	free(d.text);
}

static int seeds_setup(void **state)
{
	return fixture_setup_schema(state, &seeds_schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_scenario_leaves_the_rows_sqlalchemy_leaves, seeds_setup,
		                                fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("seeds", tests);
}
