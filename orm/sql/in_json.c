/*
 * A long IN list as one bound parameter: the checked values as a JSON
 * array, which the statement unpacks on the server (SQLite's json_each,
 * PostgreSQL's json_array_elements_text; sql/compile_expr.c writes the
 * SQL). The statement then has one parameter however long the list is, so
 * a list of any length runs as one statement (one bound value per item
 * would stop at the dialect's limit, 32766 on SQLite and 65535 on
 * PostgreSQL; cutting the select into several statements would break
 * ORDER BY, LIMIT, aggregates and NOT IN), and every long list of a query
 * is the same statement to the cache.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "sql/in_json.h"

/* The bytes v takes in the array, written at out when out is not NULL. 0: v has no exact JSON form. */
static size_t put_value(const calx_value *v, char *out)
{
	char tmp[40];
	int n;
	switch (v->kind) {
	case CALX_VALUE_INT:
		n = snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
		break;
	case CALX_VALUE_REAL:
		if (!isfinite(v->u.d))
			return 0;
		n = snprintf(tmp, sizeof tmp, "%.17g", v->u.d);   /* 17 significant digits: the same double back */
		break;
	case CALX_VALUE_TEXT: {
		static const char hex[] = "0123456789abcdef";
		size_t k = 0;
		if (out)
			out[k] = '"';
		k++;
		for (size_t i = 0; i < v->u.s.n; i++) {
			unsigned char ch = (unsigned char)v->u.s.p[i];
			if (ch == 0)
				return 0;      /* PostgreSQL's text cannot hold it; keep the list bound one by one */
			if (ch == '"' || ch == '\\') {
				if (out) {
					out[k] = '\\';
					out[k + 1] = (char)ch;
				}
				k += 2;
			} else if (ch < 0x20) {
				if (out) {
					memcpy(out + k, "\\u00", 4);
					out[k + 4] = hex[ch >> 4];
					out[k + 5] = hex[ch & 15];
				}
				k += 6;
			} else {
				if (out)
					out[k] = (char)ch;
				k++;
			}
		}
		if (out)
			out[k] = '"';
		return k + 1;
	}
	default:
		return 0;              /* bytes and exact decimals have no exact JSON form on both dialects */
	}
	if (n <= 0 || (size_t)n >= sizeof tmp)
		return 0;
	if (out)
		memcpy(out, tmp, (size_t)n);
	return (size_t)n;
}

int calx__in_json(calx__ast *a, const calx_value *vals, size_t n, calx_value *out)
{
	size_t len = 2;        /* [ ] */
	for (size_t i = 0; i < n; i++) {
		size_t k = put_value(&vals[i], NULL);
		if (!k)
			return CALX_ETYPE;
		len += k + (i > 0);
	}
	char *p = calx__ast_alloc(a, len + 1);
	if (!p)
		return CALX_ENOMEM;
	size_t at = 0;
	p[at++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i)
			p[at++] = ',';
		at += put_value(&vals[i], p + at);
	}
	p[at++] = ']';
	p[at] = '\0';
	*out = calx_value_textn(p, at);
	return CALX_OK;
}
