/*
 * reflect/naming.c - the table-name rule of CALX_NAMING(table = ...):
 * the name CALX_TABLE() takes when it is given none. An explicit name
 * (CALX_TABLE("t"), CALX_INHERIT(joined, table("t"))) always wins.
 *
 * snake: a word starts at an uppercase letter that follows a lowercase
 * letter or a digit, or that is followed by a lowercase letter after
 * another uppercase one (so "HTTPServer" is http_server); every letter is
 * lowercased and words are joined by '_'. A tag already in snake_case is
 * unchanged.
 *
 * plural, of the last word only, a plain English rule that is easy to
 * predict rather than a dictionary: a consonant and 'y' -> "ies" (category
 * -> categories), 's', 'x', 'z', "ch" or "sh" -> +"es" (address ->
 * addresses, box -> boxes), anything else +"s" (invoice_line ->
 * invoice_lines). An irregular word (person -> people) is named
 * explicitly: CALX_TABLE("people").
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_vowel(char c)
{
	return c && strchr("aeiou", c) != NULL;
}

/* snake_case of tag into b. */
static void snake(calxr__buf *b, const char *tag)
{
	size_t n = strlen(tag);
	for (size_t i = 0; i < n; i++) {
		char c = tag[i];
		if (is_upper(c) && i > 0 && tag[i - 1] != '_' &&
		    (is_lower_or_digit(tag[i - 1]) || (is_upper(tag[i - 1]) && i + 1 < n && tag[i + 1] >= 'a' && tag[i + 1] <= 'z')))
			calxr__buf_put(b, "_");
		char lc = (char)tolower((unsigned char)c);
		calxr__buf_putn(b, &lc, 1);
	}
}

/* The plural ending of word (lowercase), appended to b whose text ends with word. */
static void pluralise(calxr__buf *b)
{
	size_t n = b->n;
	const char *w = b->p;
	if (!w || !n)
		return;
	char last = w[n - 1], before = n > 1 ? w[n - 2] : '\0';
	if (last == 'y' && n > 1 && !is_vowel(before) && before != '_') {
		b->n--;
		calxr__buf_put(b, "ies");
	} else if (last == 's' || last == 'x' || last == 'z' || (last == 'h' && (before == 'c' || before == 's'))) {
		calxr__buf_put(b, "es");
	} else {
		calxr__buf_put(b, "s");
	}
}

char *calxr__table_name_by_rule(calxr__ctx *cx, const char *tag, calxr__table_rule rule)
{
	calxr__buf b = { 0 };
	if (rule == CALXR__TABLE_RULE_TAG)
		return calxr__strdup(cx, tag);
	snake(&b, tag);
	if (rule == CALXR__TABLE_RULE_SNAKE_PLURAL)
		pluralise(&b);
	calxr__buf_put(&b, "");
	if (b.oom) {
		calxr__buf_free(&b);
		calxr__oom(cx);
		return NULL;
	}
	return b.p;
}

/* The rule set for file, or NULL. */
static calxr__naming *naming_of(calxr__ctx *cx, CXFile file)
{
	for (unsigned i = 0; i < cx->n_namings; i++)
		if (clang_File_isEqual(cx->namings[i].file, file))
			return &cx->namings[i];
	return NULL;
}

static CXFile file_of(CXCursor c)
{
	CXFile f;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	return f;
}

calxr__table_rule calxr__table_rule_for(calxr__ctx *cx, CXCursor c)
{
	CXFile f = file_of(c);
	calxr__naming *n = naming_of(cx, f);
	if (!n && calxr__push(cx, &cx->namings, &cx->n_namings, sizeof *cx->namings)) {
		/* a table seen first: a CALX_NAMING after it is refused (the order reads as the rule's scope) */
		n = &cx->namings[cx->n_namings - 1];
		memset(n, 0, sizeof *n);
		n->file = f;
		n->tables_before = true;
		return CALXR__TABLE_RULE_TAG;
	}
	if (n)
		n->tables_before = true;
	return n ? n->opts.table : CALXR__TABLE_RULE_TAG;
}

typedef struct naming_err {
	calxr__ctx *cx;
	const calxr__loc *loc;
} naming_err;

static void on_error(void *payload, const char *msg)
{
	naming_err *e = payload;
	calxr__error(e->cx, e->loc, "%s in CALX_NAMING", msg);
}

void calxr__naming_decl(calxr__ctx *cx, CXCursor c, const calxr__loc *loc, const char *text)
{
	CXFile f = file_of(c);
	calxr__naming *n = naming_of(cx, f);
	calxr__naming_opts o = { CALXR__TABLE_RULE_TAG };
	naming_err e = { cx, loc };

	if (n && n->set) {
		calxr__error(cx, loc, "duplicate CALX_NAMING in this header (line %u sets its rules already)", n->line);
		return;
	}
	if (n && n->tables_before) {
		calxr__error(cx, loc, "CALX_NAMING comes after a CALX_TABLE of this header: write it before the header's first table");
		return;
	}
	if (calxr__annot_parse_naming(text, &o, on_error, &e))
		return;
	if (!n) {
		if (!calxr__push(cx, &cx->namings, &cx->n_namings, sizeof *cx->namings))
			return;
		n = &cx->namings[cx->n_namings - 1];
		memset(n, 0, sizeof *n);
		n->file = f;
	}
	n->set = true;
	n->line = loc->line;
	n->opts = o;
}
