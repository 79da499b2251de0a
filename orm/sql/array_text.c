/*
 * Values as elements of a PostgreSQL array literal (sql/array_text.h).
 * Inside double quotes array_in takes every character as it is but a
 * backslash, which escapes the next one, and a quote, which ends the
 * element: those two are escaped, the runs between them appended whole.
 */
#include <stdio.h>
#include <string.h>
#include "calx/errors.h"
#include "sql/array_text.h"

static int put_text(calx__buf *b, bool first, const char *p, size_t n)
{
	if (n && memchr(p, '\0', n))
		return CALX_ETYPE;
	if (!first)
		calx__buf_putc(b, ',');
	calx__buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '"' && p[i] != '\\')
			continue;
		calx__buf_putn(b, p + run, i - run);
		calx__buf_putc(b, '\\');
		run = i;        /* the character itself starts the next run */
	}
	calx__buf_putn(b, p + run, n - run);
	calx__buf_putc(b, '"');
	return CALX_OK;
}

int calx__array_element(calx__buf *b, bool first, const calx_value *v)
{
	switch (v->kind) {
	case CALX_VALUE_INT: {
		char num[24];
		int n = snprintf(num, sizeof num, "%s%lld", first ? "" : ",", (long long)v->u.i);
		calx__buf_putn(b, num, (size_t)n);
		return CALX_OK;
	}
	case CALX_VALUE_TEXT:
		return put_text(b, first, v->u.s.p ? v->u.s.p : "", v->u.s.n);
	default:
		return CALX_ETYPE;
	}
}
