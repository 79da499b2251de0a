/*
 * Test model for the write-watch (tests/test_write_watch.c): a row of
 * every kind of field a change can hide in (an integer, a pointer to text,
 * a fixed array written in place, a nullable double), a second table
 * so that blocks of two sizes share the pages, and a struct aligned to 16. Table names start with ww_:
 * every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_WATCH_H
#define CALX_TEST_WATCH_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("ww_items") ww_item {
	int64_t id CALX(primary_key);
	char *name;
	int64_t qty;
	char code[12];
	calx_opt_double price;
};

struct CALX_TABLE("ww_notes") ww_note {
	int64_t id CALX(primary_key);
	int32_t rank;
	char text[40];
};

/*
 * A struct aligned to 16: its header sits 8 bytes into its block, after a
 * gap word the watch's walk steps over (orm/base/blocks.h).
 */
struct CALX_TABLE("ww_aligned") ww_aligned {
	int64_t id CALX(primary_key);
	_Alignas(16) int64_t weight;
	char *label;
};

#endif
