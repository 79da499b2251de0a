/*
 * Test models for the registry's criteria (tests/test_criteria.c): authors
 * with books (one-to-many and its many-to-one), books with tags through a
 * secondary (many-to-many), pets with a single-table subclass; each with a
 * nullable deleted_at that a soft-delete criterion tests. Table names
 * start with sd_: every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_SOFTDEL_H
#define CALX_TEST_SOFTDEL_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("sd_authors") sd_author {
	int64_t id CALX(primary_key);
	char name[32];
	calx_opt_int64 deleted_at;
	CALX_LIST(struct sd_book) books;
};

struct CALX_TABLE("sd_books") sd_book {
	int64_t id CALX(primary_key);
	char title[32];
	calx_opt_int64 deleted_at;
	calx_opt_int64 author_id CALX(foreign_key("sd_authors.id"));
	struct sd_author *author;
	CALX_LIST(struct sd_tag) tags CALX(secondary("sd_book_tags"));
};

struct CALX_TABLE("sd_tags") sd_tag {
	int64_t id CALX(primary_key);
	char label[16];
	calx_opt_int64 deleted_at;
};

struct CALX_TABLE("sd_book_tags", table_only) sd_book_tag {
	int64_t book_id CALX(primary_key, foreign_key("sd_books.id"));
	int64_t tag_id CALX(primary_key, foreign_key("sd_tags.id"));
};

struct CALX_TABLE("sd_pets", polymorphic_on("kind"), polymorphic_identity("pet")) sd_pet {
	int64_t id CALX(primary_key);
	char kind[8];
	char name[16];
	calx_opt_int64 deleted_at;
};

struct CALX_INHERIT(single, polymorphic_identity("dog")) sd_dog {
	struct sd_pet base;
	calx_opt_int32 barks;
};

#endif
