/*
 * Values as elements of a PostgreSQL array literal (sql/array_text.h).
 * Inside double quotes array_in takes every character as it is but a
 * backslash, which escapes the next one, and a quote, which ends the
 * element: those two are escaped, the runs between them appended whole.
 */
#include <math.h>
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

static void put_int(calx__buf *b, bool first, int64_t v)
{
	if (!first)
		calx__buf_putc(b, ',');
	if (v < 0)
		calx__buf_putc(b, '-');
	calx__buf_put_uint(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

/* hex digits, two a byte; bytea's \x before them, its backslash escaped for array_in */
void calx__array_bytes(calx__buf *b, bool first, const calx_value *v, bool bytea)
{
	if (!first)
		calx__buf_putc(b, ',');
	calx__buf_puts(b, bytea ? "\"\\\\x" : "\"");
	calx__buf_put_hex(b, (const unsigned char *)v->u.s.p, v->u.s.p ? v->u.s.n : 0);
	calx__buf_putc(b, '"');
}

int calx__array_value(calx__buf *b, bool first, const calx_value *v)
{
	switch (v->kind) {
	case CALX_VALUE_NULL:
		calx__buf_puts(b, first ? "NULL" : ",NULL");
		return CALX_OK;
	case CALX_VALUE_INT:
		put_int(b, first, v->u.i);
		return CALX_OK;
	case CALX_VALUE_REAL: {
		/* as a parameter has it (dialects/postgresql/pg_values.c): all 17 digits, NaN and the infinities by name */
		char num[40];
		double d = v->u.d;
		int n = isnan(d) ? snprintf(num, sizeof num, "%s\"NaN\"", first ? "" : ",")
		      : isinf(d) ? snprintf(num, sizeof num, "%s\"%sInfinity\"", first ? "" : ",", d < 0 ? "-" : "")
		                 : snprintf(num, sizeof num, "%s%.17g", first ? "" : ",", d);
		calx__buf_putn(b, num, (size_t)n);
		return CALX_OK;
	}
	case CALX_VALUE_TEXT:
	case CALX_VALUE_NUMERIC:
		return put_text(b, first, v->u.s.p ? v->u.s.p : "", v->u.s.n);
	default:
		return CALX_ETYPE;
	}
}

int calx__array_element(calx__buf *b, bool first, const calx_value *v)
{
	switch (v->kind) {
	case CALX_VALUE_INT:
	case CALX_VALUE_TEXT:
		return calx__array_value(b, first, v);
	default:
		return CALX_ETYPE;
	}
}
