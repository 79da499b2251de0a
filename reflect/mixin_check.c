/*
 * reflect/mixin_check.c - a check(...) written in a mixin, rewritten for
 * the prefix its embedding gives the mixin's columns (fields.c embeds).
 */
#include "internal.h"

#include <stdbool.h>
#include <string.h>

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * A check(...) written in a mixin names the mixin's columns by their own
 * names; embedded with prefix("p_"), the columns are p_name. The check's
 * SQL is rewritten: every identifier outside string literals (bare or
 * "quoted") that is a column of this embedding, unprefixed, gets the
 * prefix. cols[first..last) are the columns this embedding added directly.
 */
char *calxr__prefix_check(calxr__ctx *cx, const calxr__table *t, unsigned first, unsigned last, const char *sql,
			  const char *col_prefix)
{
	calxr__buf b = { NULL, 0, 0, false };
	size_t plen = strlen(col_prefix);
	const char *p = sql;

	while (*p) {
		if (*p == '\'') {                       /* a string literal, '' inside it */
			const char *q = p + 1;
			while (*q && !(*q == '\'' && q[1] != '\''))
				q += *q == '\'' ? 2 : 1;
			if (*q)
				q++;
			calxr__buf_putn(&b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		bool quoted = *p == '"';
		const char *w = quoted ? p + 1 : p, *q = w;
		if (!quoted && !word_char(*p)) {
			calxr__buf_putn(&b, p++, 1);
			continue;
		}
		while (*q && (quoted ? *q != '"' : word_char(*q)))
			q++;
		size_t n = (size_t)(q - w);
		bool hit = !(w > sql && !quoted && w[-1] == '.');   /* t.col names another table's column */
		if (hit) {
			hit = false;
			for (unsigned k = first; k < last && !hit; k++) {
				const char *col = t->cols[k].column;
				hit = col && strlen(col) == plen + n && !strncmp(col + plen, w, n);
			}
		}
		if (quoted)
			calxr__buf_putn(&b, "\"", 1);
		if (hit)
			calxr__buf_put(&b, col_prefix);
		calxr__buf_putn(&b, w, n);
		if (quoted && *q == '"') {
			calxr__buf_putn(&b, "\"", 1);
			q++;
		}
		p = q;
	}
	calxr__buf_putn(&b, "", 1);
	if (b.oom) {
		calxr__buf_free(&b);
		calxr__oom(cx);
		return NULL;
	}
	return b.p;
}
