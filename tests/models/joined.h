/*
 * Test models for joined eager loading (tests/test_joined.c): users with
 * addresses (one-to-many and its many-to-one) whose addresses carry notes
 * (for a select-in level below a joined one); artists -> albums -> tracks
 * (three levels in one statement); a self-referential tree of nodes; a
 * composite key (shelves -> books); teams whose players are declared
 * lazy("joined"); a tree of departments declared lazy("joined"); and
 * posts and tags, many-to-many through jnd_post_tags; people and their
 * friends, a self-referential many-to-many. Table names start
 * with jnd_: every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_JOINED_H
#define CALX_TEST_JOINED_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("jnd_users") jnd_user {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct jnd_address) addresses;
};

struct CALX_TABLE("jnd_addresses") jnd_address {
	int64_t id CALX(primary_key);
	char email[48];
	char *memo;                     /* NULL, or text of any length (tests/test_alloc_fail_joined.c) */
	calx_opt_int64 user_id CALX(foreign_key("jnd_users.id"));
	struct jnd_user *user;
	CALX_LIST(struct jnd_note) notes;
};

struct CALX_TABLE("jnd_notes") jnd_note {
	int64_t id CALX(primary_key);
	char text[32];
	int64_t address_id CALX(foreign_key("jnd_addresses.id"));
	struct jnd_address *address;
};

struct CALX_TABLE("jnd_artists") jnd_artist {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct jnd_album) albums;
};

struct CALX_TABLE("jnd_albums") jnd_album {
	int64_t id CALX(primary_key);
	char title[32];
	int64_t artist_id CALX(foreign_key("jnd_artists.id"));
	struct jnd_artist *artist;
	CALX_LIST(struct jnd_track) tracks;
};

struct CALX_TABLE("jnd_tracks") jnd_track {
	int64_t id CALX(primary_key);
	char title[32];
	int64_t album_id CALX(foreign_key("jnd_albums.id"));
	struct jnd_album *album;
};

/* An adjacency list: a tree in one table. */
struct CALX_TABLE("jnd_nodes") jnd_node {
	int64_t id CALX(primary_key);
	char label[48];
	calx_opt_int64 parent_id CALX(foreign_key("jnd_nodes.id"));
	struct jnd_node *parent CALX(back_populates("children"));
	CALX_LIST(struct jnd_node) children CALX(back_populates("parent"));
};

/* A composite key: a book stands on a shelf's (bay, level). */
struct CALX_TABLE("jnd_shelves") jnd_shelf {
	int32_t bay CALX(primary_key);
	int32_t level CALX(primary_key);
	CALX_LIST(struct jnd_book) books;
};

struct CALX_TABLE("jnd_books", foreign_key("bay, level", "jnd_shelves(bay, level)")) jnd_book {
	int64_t id CALX(primary_key);
	char title[16];
	calx_opt_int32 bay;
	calx_opt_int32 level;
	struct jnd_shelf *shelf;
};

/* Loaded joined in every select of teams, unless the select says otherwise. */
struct CALX_TABLE("jnd_teams") jnd_team {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct jnd_player) players CALX(lazy("joined"));
};

struct CALX_TABLE("jnd_players") jnd_player {
	int64_t id CALX(primary_key);
	char name[32];
	int64_t team_id CALX(foreign_key("jnd_teams.id"));
	struct jnd_team *team;
};

/* A tree whose sub-departments are declared lazy("joined"): the default joins one level, not round the cycle. */
struct CALX_TABLE("jnd_depts") jnd_dept {
	int64_t id CALX(primary_key);
	char name[32];
	calx_opt_int64 parent_id CALX(foreign_key("jnd_depts.id"));
	struct jnd_dept *parent CALX(back_populates("subs"));
	CALX_LIST(struct jnd_dept) subs CALX(back_populates("parent"), lazy("joined"));
};

/* Many-to-many: posts and tags through an association table (a table, no mapper). */
struct CALX_TABLE("jnd_posts") jnd_post {
	int64_t id CALX(primary_key);
	char title[32];
	CALX_LIST(struct jnd_tag) tags CALX(secondary("jnd_post_tags"), back_populates("posts"));
};

struct CALX_TABLE("jnd_tags") jnd_tag {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct jnd_post) posts CALX(secondary("jnd_post_tags"), back_populates("tags"));
};

struct CALX_TABLE("jnd_post_tags", table_only) jnd_post_tag {
	int64_t post_id CALX(primary_key, foreign_key("jnd_posts.id"));
	int64_t tag_id CALX(primary_key, foreign_key("jnd_tags.id"));
};

/* A self-referential many-to-many: one table joined twice in a statement, through two aliases of the secondary. */
struct CALX_TABLE("jnd_people") jnd_person {
	int64_t id CALX(primary_key);
	char name[16];
	CALX_LIST(struct jnd_person) friends CALX(secondary("jnd_friendships"), foreign_keys("left_id"),
	                                          back_populates("friend_of"));
	CALX_LIST(struct jnd_person) friend_of CALX(secondary("jnd_friendships"), foreign_keys("right_id"),
	                                            back_populates("friends"));
};

struct CALX_TABLE("jnd_friendships", table_only) jnd_friendship {
	int64_t left_id CALX(primary_key, foreign_key("jnd_people.id"));
	int64_t right_id CALX(primary_key, foreign_key("jnd_people.id"));
};

#endif
