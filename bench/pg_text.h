/*
 * Text the set-based PostgreSQL contender (bench/set_pg.c) sends in one
 * parameter or one COPY stream instead of a statement a row: array
 * literals in PostgreSQL's text format, and COPY's text format lines. A
 * growing buffer, reused from chunk to chunk.
 */
#ifndef CALX_BENCH_PG_TEXT_H
#define CALX_BENCH_PG_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct pg_text {
	char *p;        /* NUL-terminated after every call */
	size_t n;
	size_t cap;
} pg_text;

void pg_text_reset(pg_text *b);
void pg_text_free(pg_text *b);

/*
 * An array literal: pg_array_begin, an element per call, pg_array_end.
 * Every text element is double-quoted, so braces, commas, spaces and the
 * word NULL are plain text inside it; a '"' or '\' gets a backslash
 * before it. NULL is the unquoted NULL.
 */
void pg_array_begin(pg_text *b);
void pg_array_text(pg_text *b, const char *s);
void pg_array_i64(pg_text *b, int64_t v);
void pg_array_end(pg_text *b);

/*
 * COPY ... FROM STDIN (text format): fields separated by tabs, a line
 * ending with a newline; a backslash, tab, newline or carriage return in
 * a value written as \\, \t, \n, \r; NULL as \N.
 */
void pg_copy_text(pg_text *b, const char *s, int last);
void pg_copy_i64(pg_text *b, int64_t v, int last);

#endif
