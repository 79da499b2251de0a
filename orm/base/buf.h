/*
 * Internal: a growable string buffer for text and messages. An
 * allocation failure is sticky: later appends do nothing and `oom` says so,
 * so builders check once at the end.
 */
#ifndef CALX_ORM_BUF_H
#define CALX_ORM_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct calx__buf {
	char *p;
	size_t n;
	size_t cap;
	bool oom;
} calx__buf;

#define CALX__BUF_INIT { NULL, 0, 0, false }

void calx__buf_putn(calx__buf *b, const char *s, size_t n);
void calx__buf_puts(calx__buf *b, const char *s);
void calx__buf_putc(calx__buf *b, char c);
/* Decimal digits of v: what printf("%" PRIu64) writes, for a fraction of its cost (a $n a parameter). */
void calx__buf_put_uint(calx__buf *b, uint64_t v);
/* Two lowercase hex digits a byte of p[0..n). */
void calx__buf_put_hex(calx__buf *b, const unsigned char *p, size_t n);
void calx__buf_printf(calx__buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text so far, NUL-terminated ("" when empty or out of memory). */
const char *calx__buf_str(calx__buf *b);
/* Hand the text to the caller (who frees it with calx__free); NULL on oom. */
char *calx__buf_detach(calx__buf *b);
void calx__buf_clear(calx__buf *b);
void calx__buf_free(calx__buf *b);

#endif
