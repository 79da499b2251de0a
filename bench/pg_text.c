#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "hand_pg.h"
#include "pg_text.h"

static void reserve(pg_text *b, size_t more)
{
	if (b->n + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more + 1)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		bench_die(NULL, "out of memory");
	b->p = p;
	b->cap = cap;
}

static void put(pg_text *b, const char *s, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void putc1(pg_text *b, char c)
{
	put(b, &c, 1);
}

void pg_text_reset(pg_text *b)
{
	b->n = 0;
	reserve(b, 0);
	b->p[0] = '\0';
}

void pg_text_free(pg_text *b)
{
	free(b->p);
	*b = (pg_text){ 0 };
}

void pg_array_begin(pg_text *b)
{
	pg_text_reset(b);
	putc1(b, '{');
}

static void comma(pg_text *b)
{
	if (b->p[b->n - 1] != '{')
		putc1(b, ',');
}

void pg_array_text(pg_text *b, const char *s)
{
	comma(b);
	if (!s) {
		put(b, "NULL", 4);
		return;
	}
	reserve(b, 2 * strlen(s) + 2);  /* every byte escaped, and the quotes */
	b->p[b->n++] = '"';
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			b->p[b->n++] = '\\';
		b->p[b->n++] = *s;
	}
	b->p[b->n++] = '"';
	b->p[b->n] = '\0';
}

void pg_array_i64(pg_text *b, int64_t v)
{
	char num[24];
	comma(b);
	pq_i64_text(num, v);
	put(b, num, strlen(num));
}

void pg_array_end(pg_text *b)
{
	putc1(b, '}');
}

void pg_copy_text(pg_text *b, const char *s, int last)
{
	if (!s) {
		put(b, "\\N", 2);
	} else {
		reserve(b, 2 * strlen(s));
		for (; *s; s++) {
			char e = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : 0;
			if (e) {
				b->p[b->n++] = '\\';
				b->p[b->n++] = e;
			} else {
				b->p[b->n++] = *s;
			}
		}
		b->p[b->n] = '\0';
	}
	putc1(b, last ? '\n' : '\t');
}

void pg_copy_i64(pg_text *b, int64_t v, int last)
{
	char num[24];
	pq_i64_text(num, v);
	put(b, num, strlen(num));
	putc1(b, last ? '\n' : '\t');
}
