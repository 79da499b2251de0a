/*
 * Values as members of a JSON object (sql/json_rows.h). The text escaping
 * writes the runs between characters that need an escape in one append, so
 * a long text costs a scan and a copy, not a call per byte.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "calx/errors.h"
#include "base/json.h"
#include "sql/json_rows.h"

/* p[0..n) as a JSON string. false (nothing useful appended) on a NUL byte. */
static bool put_string(calx__buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	calx__buf_putc(b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		if (ch == 0)
			return false;
		calx__buf_putn(b, p + run, i - run);
		run = i + 1;
		if (ch == '"' || ch == '\\') {
			char esc[2] = { '\\', (char)ch };
			calx__buf_putn(b, esc, 2);
		} else {
			char esc[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
			calx__buf_putn(b, esc, 6);
		}
	}
	calx__buf_putn(b, p + run, n - run);
	calx__buf_putc(b, '"');
	return true;
}

/* One JSON object or array, nothing around it: written as it is. */
static bool json_container(const char *p, size_t n)
{
	size_t at;
	const char *why;
	return n >= 2 && ((p[0] == '{' && p[n - 1] == '}') || (p[0] == '[' && p[n - 1] == ']')) &&
	       calx__json_valid(p, n, &at, &why);
}

static void put_bytes(calx__buf *b, const unsigned char *p, size_t n)
{
	calx__buf_putn(b, "\"\\\\x", 4);        /* "\\x: bytea's hex form, its backslash escaped for JSON */
	calx__buf_put_hex(b, p, n);
	calx__buf_putc(b, '"');
}

int calx__json_member(calx__buf *b, bool first, const char *column, const calx_value *v, bool json_text)
{
	size_t mark = b->n;
	bool ok = true;
	if (!first)
		calx__buf_putc(b, ',');
	ok = put_string(b, column, strlen(column));
	calx__buf_putc(b, ':');
	switch (ok ? v->kind : CALX_VALUE_NULL) {
	case CALX_VALUE_NULL:
		calx__buf_putn(b, "null", 4);
		break;
	case CALX_VALUE_INT:
		if (v->u.i < 0)
			calx__buf_putc(b, '-');
		calx__buf_put_uint(b, v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i);
		break;
	case CALX_VALUE_REAL: {
		char num[40];
		if (isnan(v->u.d))
			calx__buf_putn(b, "\"NaN\"", 5);
		else if (isinf(v->u.d))
			calx__buf_puts(b, v->u.d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		else {
			/* 17 significant digits: the same double back, as the row-at-a-time parameter sends it */
			int k = snprintf(num, sizeof num, "%.17g", v->u.d);
			calx__buf_putn(b, num, k > 0 && (size_t)k < sizeof num ? (size_t)k : 0);
		}
		break;
	}
	case CALX_VALUE_TEXT:
	case CALX_VALUE_NUMERIC: {
		const char *p = v->u.s.p ? v->u.s.p : "";
		if (json_text && v->kind == CALX_VALUE_TEXT) {
			if ((ok = json_container(p, v->u.s.n)))
				calx__buf_putn(b, p, v->u.s.n);
		} else {
			ok = put_string(b, p, v->u.s.n);
		}
		break;
	}
	case CALX_VALUE_BLOB:
		put_bytes(b, (const unsigned char *)v->u.s.p, v->u.s.p ? v->u.s.n : 0);
		break;
	default:
		ok = false;
	}
	if (!ok) {
		b->n = mark;            /* as it was: the caller writes the row another way */
		if (b->p)
			b->p[mark] = '\0';
		return CALX_ETYPE;
	}
	return CALX_OK;
}
