/*
 * The structs of tests/test_imperative.c, mapped twice: declaratively here
 * (tables imp_d_*), and imperatively by the test, with no annotation read
 * (tables imp_i_*), so that one session test runs on both mappings of the
 * same structs. Names start with imp_ (PostgreSQL tests of a run share
 * one database).
 */
#ifndef CALX_TEST_IMPERATIVE_H
#define CALX_TEST_IMPERATIVE_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("imp_d_authors") imp_author {
	int64_t id CALX(primary_key);
	char name[32] CALX(not_null, unique);
	calx_opt_int32 born;
	double rating;
	CALX_LIST(struct imp_book) books CALX(back_populates("author"));
};

struct CALX_TABLE("imp_d_books", index("year")) imp_book {
	int64_t id CALX(primary_key, autoincrement(false));
	int64_t author_id CALX(foreign_key("imp_d_authors.id", ondelete="CASCADE"));
	char *title;
	int32_t year;
	struct imp_author *author CALX(back_populates("books"));
};

#endif
