/*
 * A JSON checker (RFC 8259): one pass, no allocation, containers tracked
 * on a fixed stack of CALX__JSON_MAX_DEPTH entries. It only says whether
 * the text is JSON; PostgreSQL's JSONB keeps its own normal form, and
 * SQLite keeps the text as written.
 */
#include <string.h>
#include "base/json.h"

typedef struct scan {
	const char *p;
	size_t n, i;
	const char *why;
} scan;

static void skip_ws(scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\n' || s->p[s->i] == '\r'))
		s->i++;
}

static bool fail(scan *s, const char *why)
{
	s->why = why;
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool string(scan *s)
{
	s->i++;   /* the opening quote */
	while (s->i < s->n) {
		unsigned char c = (unsigned char)s->p[s->i];
		if (c == '"') {
			s->i++;
			return true;
		}
		if (c < 0x20)
			return fail(s, "control character in a string");
		if (c == '\\') {
			if (++s->i >= s->n)
				break;
			c = (unsigned char)s->p[s->i];
			if (c == 'u') {
				for (int k = 1; k <= 4; k++)
					if (s->i + (size_t)k >= s->n || !is_hex(s->p[s->i + (size_t)k]))
						return fail(s, "bad \\u escape");
				s->i += 4;
			} else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
				return fail(s, "bad escape in a string");
			}
		}
		s->i++;
	}
	return fail(s, "unterminated string");
}

static bool number(scan *s)
{
	size_t i = s->i;
	if (i < s->n && s->p[i] == '-')
		i++;
	if (i < s->n && s->p[i] == '0')
		i++;
	else if (i < s->n && is_digit(s->p[i]))
		while (i < s->n && is_digit(s->p[i]))
			i++;
	else
		return fail(s, "bad number");
	if (i < s->n && s->p[i] == '.') {
		if (++i >= s->n || !is_digit(s->p[i])) {
			s->i = i;
			return fail(s, "bad number");
		}
		while (i < s->n && is_digit(s->p[i]))
			i++;
	}
	if (i < s->n && (s->p[i] == 'e' || s->p[i] == 'E')) {
		i++;
		if (i < s->n && (s->p[i] == '+' || s->p[i] == '-'))
			i++;
		if (i >= s->n || !is_digit(s->p[i])) {
			s->i = i;
			return fail(s, "bad number");
		}
		while (i < s->n && is_digit(s->p[i]))
			i++;
	}
	s->i = i;
	return true;
}

static bool literal(scan *s, const char *word)
{
	size_t len = strlen(word);
	if (s->n - s->i < len || memcmp(s->p + s->i, word, len) != 0)
		return fail(s, "unexpected character");
	s->i += len;
	return true;
}

/* A scalar at s->i, or false. */
static bool scalar(scan *s)
{
	switch (s->p[s->i]) {
	case '"': return string(s);
	case 't': return literal(s, "true");
	case 'f': return literal(s, "false");
	case 'n': return literal(s, "null");
	default: return number(s);
	}
}

bool calx__json_valid(const char *p, size_t n, size_t *at, const char **why)
{
	/* the open containers: '{' or '[' */
	char stack[CALX__JSON_MAX_DEPTH];
	size_t depth = 0;
	scan s = { p, n, 0, NULL };
	bool ok = false;

	skip_ws(&s);
	for (;;) {
		/* a value */
		if (s.i >= n) {
			fail(&s, "unexpected end of text");
			break;
		}
		char c = p[s.i];
		if (c == '{' || c == '[') {
			if (depth == CALX__JSON_MAX_DEPTH) {
				fail(&s, "nested too deep");
				break;
			}
			stack[depth++] = c;
			s.i++;
			skip_ws(&s);
			if (s.i < n && p[s.i] == (c == '{' ? '}' : ']')) {
				s.i++;
				depth--;
				goto after_value;
			}
			if (c == '{')
				goto key;
			continue;
		}
		if (!scalar(&s))
			break;
after_value:
		skip_ws(&s);
		if (depth == 0) {
			ok = s.i == n;
			if (!ok)
				fail(&s, "text after the value");
			break;
		}
		if (s.i < n && p[s.i] == ',') {
			s.i++;
			skip_ws(&s);
			if (stack[depth - 1] == '{')
				goto key;
			continue;
		}
		if (s.i < n && p[s.i] == (stack[depth - 1] == '{' ? '}' : ']')) {
			s.i++;
			depth--;
			goto after_value;
		}
		fail(&s, stack[depth - 1] == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
key:
		if (s.i >= n || p[s.i] != '"') {
			fail(&s, "expected a member name");
			break;
		}
		if (!string(&s))
			break;
		skip_ws(&s);
		if (s.i >= n || p[s.i] != ':') {
			fail(&s, "expected ':'");
			break;
		}
		s.i++;
		skip_ws(&s);
	}
	if (!ok) {
		*at = s.i < n ? s.i : n;
		*why = s.why ? s.why : "not JSON";
	}
	return ok;
}
