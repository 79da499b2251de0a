#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/alloc.h"
#include "base/buf.h"

static bool reserve(calx__buf *b, size_t extra)
{
	if (b->oom)
		return false;
	if (b->n + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->n + extra + 1)
		cap *= 2;
	char *p = calx__realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void calx__buf_putn(calx__buf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void calx__buf_puts(calx__buf *b, const char *s)
{
	calx__buf_putn(b, s, strlen(s));
}

void calx__buf_putc(calx__buf *b, char c)
{
	if (b->n + 2 <= b->cap && !b->oom) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
		return;
	}
	calx__buf_putn(b, &c, 1);
}

void calx__buf_put_uint(calx__buf *b, uint64_t v)
{
	char digits[20];
	size_t n = sizeof digits;
	do {
		digits[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	calx__buf_putn(b, digits + n, sizeof digits - n);
}

void calx__buf_put_hex(calx__buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char chunk[128];
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; i < n && k < sizeof chunk; i++) {
			chunk[k++] = hex[p[i] >> 4];
			chunk[k++] = hex[p[i] & 15];
		}
		calx__buf_putn(b, chunk, k);
	}
}

void calx__buf_printf(calx__buf *b, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		calx__buf_putn(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

const char *calx__buf_str(calx__buf *b)
{
	return (b->p && !b->oom) ? b->p : "";
}

char *calx__buf_detach(calx__buf *b)
{
	char *p = b->oom ? NULL : b->p;
	if (!p && !b->oom)
		p = calx__strdup("");
	if (b->oom)
		calx__free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->oom = false;
	return p;
}

void calx__buf_clear(calx__buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

void calx__buf_free(calx__buf *b)
{
	calx__free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->oom = false;
}
