/*
 * Test models for many-to-many relationships (tests/test_many_to_many.c):
 * posts and tags through m2m_post_tags (both directions, back_populates),
 * a self-referential many-to-many (a person's friends, foreign_keys(...)
 * saying which side is which), composite keys on both sides, and
 * passive_deletes over ON DELETE CASCADE. Table names start with m2m_:
 * every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_M2M_H
#define CALX_TEST_M2M_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>

struct CALX_TABLE("m2m_posts") m2m_post {
	int64_t id CALX(primary_key);
	char title[32];
	CALX_LIST(struct m2m_tag) tags CALX(secondary("m2m_post_tags"), back_populates("posts"));
};

struct CALX_TABLE("m2m_tags") m2m_tag {
	int64_t id CALX(primary_key);
	char name[32] CALX(unique);
	CALX_LIST(struct m2m_post) posts CALX(secondary("m2m_post_tags"), back_populates("tags"));
};

/* The association table: a table, no mapper. */
struct CALX_TABLE("m2m_post_tags", table_only) m2m_post_tag {
	int64_t post_id CALX(primary_key, foreign_key("m2m_posts.id"));
	int64_t tag_id CALX(primary_key, foreign_key("m2m_tags.id"));
};

/* Self-referential: friends (this side is left_id) and friend_of (right_id). */
struct CALX_TABLE("m2m_people") m2m_person {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct m2m_person) friends CALX(secondary("m2m_friendships"), foreign_keys("left_id"),
	                                          back_populates("friend_of"));
	CALX_LIST(struct m2m_person) friend_of CALX(secondary("m2m_friendships"), foreign_keys("right_id"),
	                                            back_populates("friends"));
};

struct CALX_TABLE("m2m_friendships", table_only) m2m_friendship {
	int64_t left_id CALX(primary_key, foreign_key("m2m_people.id"));
	int64_t right_id CALX(primary_key, foreign_key("m2m_people.id"));
};

/* Composite keys on both sides; shelves' association rows go with the shelf (passive_deletes). */
struct CALX_TABLE("m2m_shelves") m2m_shelf {
	int32_t site CALX(primary_key, autoincrement(false));
	int32_t no CALX(primary_key, autoincrement(false));
	char label[32];
	CALX_LIST(struct m2m_book) books CALX(secondary("m2m_shelf_books"), back_populates("shelves"),
	                                      passive_deletes);
};

struct CALX_TABLE("m2m_books") m2m_book {
	char isbn[16] CALX(primary_key);
	int32_t edition CALX(primary_key, autoincrement(false));
	char title[32];
	CALX_LIST(struct m2m_shelf) shelves CALX(secondary("m2m_shelf_books"), back_populates("books"));
	/* the same rows, read only through the strategies that never load lazily */
	CALX_LIST(struct m2m_shelf) raised CALX(secondary("m2m_shelf_books"), lazy("raise"));
	CALX_LIST(struct m2m_shelf) never CALX(secondary("m2m_shelf_books"), lazy("noload"));
};

struct CALX_TABLE("m2m_shelf_books",
                  foreign_key("shelf_site, shelf_no", "m2m_shelves(site, no)", ondelete="CASCADE"),
                  foreign_key("book_isbn, book_edition", "m2m_books(isbn, edition)"),
                  table_only) m2m_shelf_book {
	int32_t shelf_site CALX(primary_key, autoincrement(false));
	int32_t shelf_no CALX(primary_key, autoincrement(false));
	char book_isbn[16] CALX(primary_key);
	int32_t book_edition CALX(primary_key, autoincrement(false));
};

/* What the tests count rows of the association tables into, by a raw statement (a table has no mapper to select). */
struct CALX_TABLE("m2m_counts") m2m_count {
	int64_t id CALX(primary_key, autoincrement(false));
	int64_t n;
};

#endif
