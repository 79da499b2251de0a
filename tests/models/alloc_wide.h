/*
 * Test model for the allocation-failure suites: a table of more than 32
 * columns. A row of up to 32 values is loaded through a buffer on the
 * stack; a wider one takes its buffer from the allocator, and that path
 * must fail cleanly too. The column types vary so that the load converts
 * integers, reals, text and bytes into the arena, fixed text, fixed bytes
 * and NULLs.
 */
#ifndef CALX_TEST_ALLOC_WIDE_H
#define CALX_TEST_ALLOC_WIDE_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/bytes.h>
#include <calx/nullable.h>

struct CALX_TABLE("alloc_wide_rows") wide_row {
	int64_t id CALX(primary_key, autoincrement(false));
	int32_t c01;
	int32_t c02;
	int32_t c03;
	int32_t c04;
	int64_t c05;
	int64_t c06;
	int64_t c07;
	int64_t c08;
	double c09;
	double c10;
	double c11;
	double c12;
	bool c13;
	bool c14;
	bool c15;
	bool c16;
	char *c17;
	char *c18;
	char *c19;
	char *c20;
	char c21[8];
	char c22[8];
	char c23[8];
	char c24[8];
	calx_opt_int32 c25;
	calx_opt_int32 c26;
	calx_opt_int64 c27;
	calx_opt_int64 c28;
	calx_opt_double c29;
	calx_opt_double c30;
	calx_opt_bool c31;
	calx_opt_bool c32;
	int16_t c33;
	uint16_t c34;
	char *c35;
	double c36 CALX(type("NUMERIC"));
	calx_bytes c37;                 /* BLOB / BYTEA */
	unsigned char c38[4];
};

/*
 * Rows of 4 KiB: a few of them fill a chunk of a session's arena, so a
 * copy of one (an undo snapshot, a savepoint's note) soon needs a new chunk.
 */
struct CALX_TABLE("alloc_big_rows") big_row {
	int64_t id CALX(primary_key, autoincrement(false));
	int32_t n;
	char text[4096];
};

#endif
