/*
 * reflect/annot_lex.c - splitting and string literals for the annotation
 * mini-language. The text comes from the preprocessor's # operator, so it
 * is a token sequence with single spaces; we still accept any whitespace
 * because an annotate("...") can also be written by hand.
 */
#include "annot_lex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

calxr__span calxr__span_trim(calxr__span s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

calxr__span calxr__span_of(const char *s)
{
	calxr__span r = { s, strlen(s) };
	return r;
}

/* Skip a quoted literal starting at s[i] (the quote); returns the index after it, or n. */
static size_t skip_quoted(const char *s, size_t i, size_t n, int *ok)
{
	char q = s[i++];
	while (i < n) {
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == q) {
			*ok = 1;
			return i + 1;
		}
		i++;
	}
	*ok = 0;
	return n;
}

int calxr__lex_split(calxr__span s, calxr__span **out, unsigned *n_out, const char **msg_out)
{
	/* Nesting deeper than this in an annotation is not a real program. */
	char stack[64];
	size_t depth = 0, start = 0;
	calxr__span *v = NULL;
	unsigned n = 0;

	*out = NULL;
	*n_out = 0;
	*msg_out = NULL;
	if (calxr__span_trim(s).n == 0)
		return 0;
	for (size_t i = 0; i <= s.n;) {
		char c = i < s.n ? s.p[i] : ',';
		if (i == s.n || (c == ',' && depth == 0)) {
			calxr__span *nv;
			if (i == s.n && depth != 0) {
				*msg_out = "unbalanced parentheses";
				goto fail;
			}
			nv = realloc(v, (n + 1) * sizeof *v);
			if (!nv)
				goto fail;
			v = nv;
			v[n].p = s.p + start;
			v[n].n = i - start;
			n++;
			start = ++i;
			continue;
		}
		if (c == '"' || c == '\'') {
			int ok;
			i = skip_quoted(s.p, i, s.n, &ok);
			if (!ok) {
				*msg_out = c == '"' ? "unterminated string literal"
						    : "unterminated character literal";
				goto fail;
			}
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == sizeof stack) {
				*msg_out = "parentheses nested too deeply";
				goto fail;
			}
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth == 0 || stack[depth - 1] != c) {
				*msg_out = "unbalanced parentheses";
				goto fail;
			}
			depth--;
		}
		i++;
	}
	*out = v;
	*n_out = n;
	return 0;
fail:
	free(v);
	return -1;
}

size_t calxr__lex_ident(calxr__span s)
{
	size_t i = 0;
	if (!s.n || !(s.p[0] == '_' || (s.p[0] >= 'a' && s.p[0] <= 'z') ||
		      (s.p[0] >= 'A' && s.p[0] <= 'Z')))
		return 0;
	while (i < s.n && (s.p[i] == '_' || (s.p[i] >= 'a' && s.p[i] <= 'z') ||
			   (s.p[i] >= 'A' && s.p[i] <= 'Z') || (s.p[i] >= '0' && s.p[i] <= '9')))
		i++;
	return i;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one escape at s[i] == '\\'; returns the index after it or 0 on error. */
static size_t decode_escape(const char *s, size_t i, size_t end, char *outc, char *msg, size_t cap)
{
	char c = s[i + 1];
	unsigned v = 0;
	size_t j = i + 2;

	switch (c) {
	case '"': case '\'': case '\\': case '?': *outc = c; return j;
	case 'a': *outc = '\a'; return j;
	case 'b': *outc = '\b'; return j;
	case 'f': *outc = '\f'; return j;
	case 'n': *outc = '\n'; return j;
	case 'r': *outc = '\r'; return j;
	case 't': *outc = '\t'; return j;
	case 'v': *outc = '\v'; return j;
	case 'x':
		if (j >= end || hexval(s[j]) < 0)
			break;
		while (j < end && hexval(s[j]) >= 0 && v <= 0xff)
			v = v * 16 + (unsigned)hexval(s[j++]);
		if (v > 0xff) {
			snprintf(msg, cap, "hexadecimal escape sequence out of range in string literal");
			return 0;
		}
		goto value;
	default:
		if (c < '0' || c > '7')
			break;
		j = i + 1;
		while (j < end && j < i + 4 && s[j] >= '0' && s[j] <= '7')
			v = v * 8 + (unsigned)(s[j++] - '0');
		if (v > 0xff) {
			snprintf(msg, cap, "octal escape sequence out of range in string literal");
			return 0;
		}
		goto value;
	}
	snprintf(msg, cap, "invalid escape sequence '\\%c' in string literal",
		 c >= 0x20 && c < 0x7f ? c : '?');
	return 0;
value:
	/* The descriptors hold C strings: a NUL would silently cut the text. */
	if (v == 0) {
		snprintf(msg, cap, "string literal contains a NUL character");
		return 0;
	}
	*outc = (char)v;
	return j;
}

int calxr__lex_string(calxr__span s, char **out, char *msg, size_t cap)
{
	char *buf;
	size_t len = 0;

	s = calxr__span_trim(s);
	*out = NULL;
	if (!s.n || s.p[0] != '"')
		return 0;
	/* Check the shape first: only literals separated by blanks. */
	for (size_t i = 0; i < s.n;) {
		int ok;
		if (is_space(s.p[i])) {
			i++;
			continue;
		}
		if (s.p[i] != '"')
			return 0;
		i = skip_quoted(s.p, i, s.n, &ok);
		if (!ok)
			return 0;
	}
	buf = malloc(s.n + 1); /* decoding never grows the text */
	if (!buf)
		return -2;
	for (size_t i = 0; i < s.n;) {
		if (s.p[i] != '"') {
			i++;
			continue;
		}
		i++;
		while (s.p[i] != '"') {
			if (s.p[i] == '\\') {
				i = decode_escape(s.p, i, s.n, &buf[len], msg, cap);
				if (!i) {
					free(buf);
					return -1;
				}
				len++;
			} else {
				buf[len++] = s.p[i++];
			}
		}
		i++;
	}
	buf[len] = '\0';
	*out = buf;
	return 1;
}
