/*
 * Test models for live schemas (tests/test_inspect.c,
 * tests/test_schema_diff.c): every kind of constraint calx writes, read
 * back through the database's catalog. A primary key of one generated
 * column and one of two columns; foreign keys of one and two columns with
 * each referential action; unique constraints of one and two columns;
 * plain, composite and unique indexes; named and field checks; a server
 * default; nullable and NOT NULL columns of each SQL type calx maps.
 */
#ifndef CALX_TEST_LIVE_H
#define CALX_TEST_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("lsx_authors") lsx_author {
	int64_t id CALX(primary_key);
	char name[64] CALX(not_null, index);
	char *bio;
	double rating CALX(server_default("0"));
	bool active;
	int16_t born;
};

struct CALX_TABLE("lsx_books",
		  unique("author_id", "title"),
		  index("published", "pages"),
		  check("pages > 0", name="pages_positive"),
		  foreign_key("author_id", "lsx_authors(id)", ondelete="CASCADE", onupdate="CASCADE"))
lsx_book {
	int64_t id CALX(primary_key);
	int64_t author_id CALX(not_null);
	char title[128] CALX(not_null);
	int32_t pages;
	calx_opt_int64 published;
	char isbn[20] CALX(unique);
	float weight;
};

/* Two columns of key, the first a foreign key of its own. */
struct CALX_TABLE("lsx_editions") lsx_edition {
	int64_t book_id CALX(primary_key, foreign_key("lsx_books.id", ondelete="RESTRICT"));
	int32_t no CALX(primary_key);
	char *format CALX(not_null);
};

/* A foreign key of two columns to a key of two columns; a unique index of two columns. */
struct CALX_TABLE("lsx_reviews",
		  foreign_key("book_id, edition_no", "lsx_editions(book_id, no)", ondelete="SET NULL",
		              name="review_edition"),
		  index("reviewer", "stars", unique=true))
lsx_review {
	int64_t id CALX(primary_key);
	calx_opt_int64 book_id;
	calx_opt_int32 edition_no;
	char reviewer[32];
	int32_t stars CALX(check("stars >= 1 AND stars <= 5"));
};

#endif
