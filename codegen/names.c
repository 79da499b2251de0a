/*
 * names.c - C identifiers from SQL names: case, keywords, singular and
 * plural. Collisions between the names of one struct are model.c's
 * business; these functions only make one name.
 */
#include <ctype.h>
#include <string.h>
#include "codegen.h"

/* C11's keywords, and the few names a header cannot take as members or tags either. */
static const char *const keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
	"float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
	"sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
	"_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
	"_Static_assert", "_Thread_local",
	/* macros of <stdbool.h> and <stddef.h> the generated header sees, and C++'s words (calx headers compile as C++) */
	"bool", "true", "false", "NULL", "offsetof", "asm", "class", "delete", "new", "this", "template",
	"typename", "namespace", "operator", "private", "protected", "public", "virtual", "friend", "mutable",
	"explicit", "export", "throw", "try", "catch", "using", "nullptr", "and", "or", "not", "xor",
};

bool cg_is_c_keyword(const char *s)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strcmp(s, keywords[i]) == 0)
			return true;
	return false;
}

bool cg_plain_sql_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* Append c to out (cap bytes, NUL kept), dropping what does not fit. */
static void put(char *out, size_t cap, size_t *n, char c)
{
	if (*n + 1 < cap)
		out[(*n)++] = c;
	out[*n] = '\0';
}

void cg_identifier(char *out, size_t cap, const char *name, cg_field_case fc)
{
	size_t n = 0;
	out[0] = '\0';
	size_t len = strlen(name);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c)) {
			/* anything else (blanks, dashes, UTF-8) is one underscore */
			if (n > 0 && out[n - 1] != '_')
				put(out, cap, &n, '_');
			continue;
		}
		if (fc == CG_FIELD_SNAKE && isupper(c) && n > 0 && out[n - 1] != '_') {
			/* a word starts at an upper-case letter after a lower-case one or a digit,
			 * or at the last capital of a run followed by lower case ("HTTPServer" -> http_server) */
			unsigned char prev = (unsigned char)name[i - 1];
			unsigned char next = i + 1 < len ? (unsigned char)name[i + 1] : 0;
			if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next)))
				put(out, cap, &n, '_');
		}
		put(out, cap, &n, fc == CG_FIELD_AS_IS ? (char)c : (char)tolower(c));
	}
	while (n > 0 && out[n - 1] == '_' && n > 1)
		out[--n] = '\0';
	if (n == 0) {
		strncpy(out, "col", cap - 1);
		out[cap - 1] = '\0';
		return;
	}
	if (isdigit((unsigned char)out[0]) || out[0] == '_') {
		/* a leading digit is not C; a leading underscore is the implementation's */
		char tmp[128];
		strncpy(tmp, out, sizeof tmp - 1);
		tmp[sizeof tmp - 1] = '\0';
		n = 0;
		out[0] = '\0';
		for (const char *p = "c_"; *p; p++)
			put(out, cap, &n, *p);
		for (const char *p = tmp[0] == '_' ? tmp + 1 : tmp; *p; p++)
			put(out, cap, &n, *p);
	}
	if (cg_is_c_keyword(out))
		put(out, cap, &n, '_');
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Words whose singular is not made by the rules below. */
static const char *const irregular[][2] = {
	{ "people", "person" }, { "children", "child" }, { "men", "man" }, { "women", "woman" },
	{ "data", "data" }, { "media", "media" }, { "series", "series" }, { "species", "species" },
	{ "news", "news" }, { "status", "status" }, { "analysis", "analysis" }, { "bus", "bus" },
};

void cg_singular(char *out, size_t cap, const char *word)
{
	size_t n = strlen(word);
	snprintf(out, cap, "%s", word);
	const char *last = strrchr(word, '_');
	const char *w = last ? last + 1 : word;
	for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
		if (strcmp(w, irregular[i][0]) == 0) {
			snprintf(out, cap, "%.*s%s", (int)(w - word), word, irregular[i][1]);
			return;
		}
	if (n < 3 || ends_with(word, n, "ss") || ends_with(word, n, "us") || ends_with(word, n, "is"))
		return;
	if (ends_with(word, n, "ies"))
		snprintf(out, cap, "%.*sy", (int)(n - 3), word);
	else if (ends_with(word, n, "sses") || ends_with(word, n, "shes") || ends_with(word, n, "ches") ||
	         ends_with(word, n, "xes") || ends_with(word, n, "zes"))
		snprintf(out, cap, "%.*s", (int)(n - 2), word);
	else if (word[n - 1] == 's')
		snprintf(out, cap, "%.*s", (int)(n - 1), word);
}

void cg_plural(char *out, size_t cap, const char *word)
{
	size_t n = strlen(word);
	const char *last = strrchr(word, '_');
	const char *w = last ? last + 1 : word;
	for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
		if (strcmp(w, irregular[i][1]) == 0) {
			snprintf(out, cap, "%.*s%s", (int)(w - word), word, irregular[i][0]);
			return;
		}
	if (n > 1 && word[n - 1] == 'y' && !strchr("aeiou", word[n - 2]))
		snprintf(out, cap, "%.*sies", (int)(n - 1), word);
	else if (ends_with(word, n, "s") || ends_with(word, n, "x") || ends_with(word, n, "z") ||
	         ends_with(word, n, "ch") || ends_with(word, n, "sh"))
		snprintf(out, cap, "%ses", word);
	else
		snprintf(out, cap, "%ss", word);
}
