/*
 * reflect/annot_naming.c - calx:naming(...), written CALX_NAMING(...) once
 * at the top of a model header: how the header's CALX_TABLE() structs
 * without a name get one.
 *
 *   CALX_NAMING(table = snake_plural);
 *
 * table = tag           the struct tag as written (the default)
 * table = snake         the tag in snake_case: InvoiceLine -> invoice_line
 * table = snake_plural  the same, its last word made plural: invoice_lines
 *
 * The rule itself (snake case, the plural) is naming.c's; this file only
 * parses the words.
 */
#include "annot_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const rule_words[] = {
	[CALXR__TABLE_RULE_TAG] = "tag",
	[CALXR__TABLE_RULE_SNAKE] = "snake",
	[CALXR__TABLE_RULE_SNAKE_PLURAL] = "snake_plural",
};

const char *calxr__table_rule_word(calxr__table_rule r)
{
	return r <= CALXR__TABLE_RULE_SNAKE_PLURAL ? rule_words[r] : "?";
}

static bool is_word(calxr__span s, const char *w)
{
	return s.n == strlen(w) && !memcmp(s.p, w, s.n);
}

unsigned calxr__annot_parse_naming(const char *text, calxr__naming_opts *o, calxr__annot_err_fn err, void *payload)
{
	parser p = { err, payload, 0, false };
	calxr__span *args = NULL;
	unsigned n = 0;
	bool seen_table = false;
	char shown[SHOW_MAX + 4];

	if (calxr__ap_annotation_args(&p, text, &args, &n) < 0)
		goto done;
	if (n == 0 || (n == 1 && !calxr__span_trim(args[0]).n)) {
		calxr__ap_fail(&p, "CALX_NAMING expects at least one rule (table = tag | snake | snake_plural)");
		goto done;
	}
	for (unsigned i = 0; i < n; i++) {
		calxr__span k, v;
		if (!calxr__ap_keyword(args[i], &k, &v)) {
			calxr__ap_fail(&p, "CALX_NAMING expects 'key = value', found '%s'", calxr__ap_show(args[i], shown));
			continue;
		}
		if (!is_word(k, "table")) {
			static const char *const known[] = { "table" };
			const char *near = calxr__suggest(k.p, k.n, known, 1);
			calxr__ap_fail(&p, "unknown naming rule '%s'%s%s%s", calxr__ap_show(k, shown),
				      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			continue;
		}
		if (seen_table) {
			calxr__ap_fail(&p, "duplicate naming rule 'table'");
			continue;
		}
		seen_table = true;
		unsigned r;
		for (r = 0; r <= CALXR__TABLE_RULE_SNAKE_PLURAL; r++)
			if (is_word(v, rule_words[r]))
				break;
		if (r > CALXR__TABLE_RULE_SNAKE_PLURAL) {
			const char *near = calxr__suggest(v.p, v.n, rule_words, 3);
			if (near)
				calxr__ap_fail(&p, "unknown table-name rule '%s' (did you mean '%s'?)", calxr__ap_show(v, shown),
					      near);
			else
				calxr__ap_fail(&p, "unknown table-name rule '%s' (expected tag, snake or snake_plural)",
					      calxr__ap_show(v, shown));
			continue;
		}
		o->table = (calxr__table_rule)r;
	}
done:
	free(args);
	if (p.oom)
		calxr__ap_fail(&p, "out of memory");
	return p.errors;
}
