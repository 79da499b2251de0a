/*
 * reflect/annot.c - the vocabulary of the annotation mini-language:
 * calx:mixin, calx:type, and what calx:table (annot_table.c) and the
 * options of calx:field (annot_field.c) share.
 * See docs/reflect.md for the grammar and every message.
 */
#include "annot.h"
#include "annot_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int calxr__ap_split(parser *p, calxr__span inner, calxr__span **args, unsigned *n)
{
	const char *msg;
	if (calxr__lex_split(inner, args, n, &msg) >= 0)
		return 0;
	if (msg)
		calxr__ap_fail(p, "%s", msg);
	else
		p->oom = true;
	return -1;
}

void calxr__ap_fail(parser *p, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->errors++;
	if (p->err)
		p->err(p->payload, msg);
}

/* Quote a piece of source text in a message: trimmed, cut, one line. */
const char *calxr__ap_show(calxr__span s, char buf[SHOW_MAX + 4])
{
	size_t n = 0;
	s = calxr__span_trim(s);
	for (size_t i = 0; i < s.n && n < SHOW_MAX; i++)
		buf[n++] = (s.p[i] >= 0x20 && s.p[i] < 0x7f) ? s.p[i] : ' ';
	if (s.n > SHOW_MAX) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

bool calxr__is_sql_table_name(const char *s)
{
	const char *dot = strchr(s, '.');
	char schema[CALXR__IDENT_MAX + 2];
	if (!dot)
		return calxr__is_sql_ident(s);
	if ((size_t)(dot - s) > CALXR__IDENT_MAX)
		return false;
	memcpy(schema, s, (size_t)(dot - s));
	schema[dot - s] = '\0';
	return calxr__is_sql_ident(schema) && calxr__is_sql_ident(dot + 1);
}

bool calxr__is_sql_ident(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= CALXR__IDENT_MAX && calxr__lex_ident(calxr__span_of(s)) == n;
}

void calxr__strlist_free(calxr__strlist *l)
{
	for (unsigned i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void calxr__ap_strlist_push(parser *p, calxr__strlist *l, char *s)
{
	char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (!nv) {
		free(s);
		p->oom = true;
		return;
	}
	l->v = nv;
	l->v[l->n++] = s;
}

calxr__annot_kind calxr__annot_classify(const char *text, size_t *name_len_out)
{
	static const struct { const char *word; calxr__annot_kind kind; } kinds[] = {
		{ "table", CALXR__ANNOT_TABLE }, { "mixin", CALXR__ANNOT_MIXIN },
		{ "type", CALXR__ANNOT_TYPE }, { "field", CALXR__ANNOT_FIELD },
		{ "inherit", CALXR__ANNOT_INHERIT }, { "naming", CALXR__ANNOT_NAMING },
	};
	size_t n;

	*name_len_out = 0;
	if (strncmp(text, "calx:", 5) != 0)
		return CALXR__ANNOT_FOREIGN;
	n = calxr__lex_ident(calxr__span_of(text + 5));
	*name_len_out = 5 + n;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strlen(kinds[i].word) == n && !strncmp(text + 5, kinds[i].word, n))
			return kinds[i].kind;
	return CALXR__ANNOT_UNKNOWN;
}

/*
 * The argument list of an annotation "calx:word(ARGS)": split into pieces.
 * Returns 0, or -1 after reporting an error.
 */
int calxr__ap_annotation_args(parser *p, const char *text, calxr__span **args, unsigned *n)
{
	size_t name_len;
	calxr__span rest;
	const char *msg;
	char shown[SHOW_MAX + 4];

	calxr__annot_classify(text, &name_len);
	rest = calxr__span_trim(calxr__span_of(text + name_len));
	if (rest.n < 2 || rest.p[0] != '(' || rest.p[rest.n - 1] != ')') {
		/* quoted like any source text: a newline or escape must not reach the diagnostic */
		calxr__ap_fail(p, "malformed annotation '%s': expected '(' ... ')' after '%.*s'",
			      calxr__ap_show(calxr__span_of(text), shown), (int)name_len, text);
		return -1;
	}
	rest.p++;
	rest.n -= 2;
	if (calxr__lex_split(rest, args, n, &msg) < 0) {
		if (msg)
			calxr__ap_fail(p, "%s", msg);
		else
			p->oom = true;
		return -1;
	}
	/* "calx:field(a)(b)" splits fine but leaves a ')(' inside: catch it. */
	for (unsigned i = 0; i < *n; i++) {
		size_t depth = 0;
		for (size_t j = 0; j < (*args)[i].n; j++) {
			char c = (*args)[i].p[j];
			if (c == '"' || c == '\'') {
				char q = c;
				for (j++; j < (*args)[i].n && (*args)[i].p[j] != q; j++)
					if ((*args)[i].p[j] == '\\')
						j++;
			} else if (c == '(') {
				depth++;
			} else if (c == ')' && depth-- == 0) {
				calxr__ap_fail(p, "unbalanced parentheses");
				free(*args);
				*args = NULL;
				return -1;
			}
		}
	}
	return 0;
}

/* A string-literal argument; NULL after reporting an error. */
char *calxr__ap_string_arg(parser *p, const char *what, calxr__span arg)
{
	char msg[MSG_MAX], shown[SHOW_MAX + 4], *s;
	int rc = calxr__lex_string(arg, &s, msg, sizeof msg);

	if (rc == 1)
		return s;
	if (rc == 0)
		calxr__ap_fail(p, "%s expects a string literal, found '%s'", what, calxr__ap_show(arg, shown));
	else if (rc == -1)
		calxr__ap_fail(p, "%s", msg);
	else
		p->oom = true;
	return NULL;
}

bool calxr__ap_check_ident(parser *p, const char *what, const char *s)
{
	if (calxr__is_sql_ident(s))
		return true;
	char shown[SHOW_MAX + 4];
	calxr__ap_fail(p, "invalid %s '%s' (expected [A-Za-z_][A-Za-z0-9_]*, at most %d bytes)", what,
		      calxr__ap_show(calxr__span_of(s), shown), CALXR__IDENT_MAX);
	return false;
}

bool calxr__ap_check_table_name(parser *p, const char *s)
{
	if (!strchr(s, '.'))
		return calxr__ap_check_ident(p, "table name", s);
	if (calxr__is_sql_table_name(s))
		return true;
	char shown[SHOW_MAX + 4];
	calxr__ap_fail(p, "invalid table name '%s' (expected \"schema.table\", each [A-Za-z_][A-Za-z0-9_]*, at most %d bytes)",
		      calxr__ap_show(calxr__span_of(s), shown), CALXR__IDENT_MAX);
	return false;
}

size_t calxr__ap_match_paren(calxr__span s)
{
	size_t depth = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '"' || c == '\'') {
			for (i++; i < s.n && s.p[i] != c; i++)
				if (s.p[i] == '\\')
					i++;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
			return i;
		}
	}
	return s.n;
}

bool calxr__ap_keyword(calxr__span arg, calxr__span *key, calxr__span *value)
{
	calxr__span a = calxr__span_trim(arg), rest;
	size_t kl = calxr__lex_ident(a);

	rest.p = a.p + kl;
	rest.n = a.n - kl;
	rest = calxr__span_trim(rest);
	if (!kl || !rest.n || rest.p[0] != '=' || (rest.n > 1 && rest.p[1] == '='))
		return false;
	key->p = a.p;
	key->n = kl;
	value->p = rest.p + 1;
	value->n = rest.n - 1;
	*value = calxr__span_trim(*value);
	return true;
}

/*
 * SQL text the DDL embeds (a check, a server default, a type) must stay
 * inside the clause it is pasted into: no comment ("-- note" would swallow
 * the rest of the statement, a slash-star all of it), no ';', quotes closed
 * and parentheses balanced (a stray ')' would end CHECK (...) early).
 * Quoted text ('...', "...") is skipped: "'a--b'" is a value, and SQL's
 * doubled quote 'it''s' reads as two quoted pieces.
 */
bool calxr__ap_check_sql_text(parser *p, const char *what, const char *s)
{
	size_t depth = 0;
	for (const char *c = s; *c; c++) {
		if (*c == '\'' || *c == '"') {
			const char q = *c;
			while (c[1] && c[1] != q)
				c++;
			if (!c[1]) {
				calxr__ap_fail(p, "%s has an unterminated %s: close it", what,
					      q == '\'' ? "string ('...')" : "quoted identifier (\"...\")");
				return false;
			}
			c++;
		} else if ((c[0] == '-' && c[1] == '-') || (c[0] == '/' && c[1] == '*')) {
			calxr__ap_fail(p, "%s contains an SQL comment '%.2s', which would swallow the rest of the DDL: remove it (a C comment next to the annotation says the same)",
				      what, c);
			return false;
		} else if (*c == ';') {
			calxr__ap_fail(p, "%s contains ';', which would end the DDL statement: remove it", what);
			return false;
		} else if (*c == '(') {
			depth++;
		} else if (*c == ')' && depth-- == 0) {
			calxr__ap_fail(p, "%s has a ')' without its '(', which would end the DDL clause early: balance the parentheses",
				      what);
			return false;
		}
	}
	if (depth) {
		calxr__ap_fail(p, "%s has a '(' without its ')': balance the parentheses", what);
		return false;
	}
	return true;
}

/* A SQL type list: the type, then "dialect:TYPE" variants. */
void calxr__ap_type_args(parser *p, const char *what, calxr__span *args, unsigned n, calxr__strlist *out)
{
	for (unsigned i = 0; i < n; i++) {
		char *s = calxr__ap_string_arg(p, what, args[i]);
		if (!s)
			continue;
		if (!*s) {
			calxr__ap_fail(p, "empty SQL type");
			free(s);
			continue;
		}
		if (i > 0) {
			const char *colon = strchr(s, ':');
			size_t dl = calxr__lex_ident(calxr__span_of(s));
			if (!colon || dl == 0 || s + dl != colon || !colon[1]) {
				char shown[SHOW_MAX + 4];
				calxr__ap_fail(p, "invalid type variant '%s' (expected \"dialect:TYPE\")",
					      calxr__ap_show(calxr__span_of(s), shown));
				free(s);
				continue;
			}
		}
		{
			const char *colon = i > 0 ? strchr(s, ':') : NULL;
			const char *type = colon ? colon + 1 : s;
			char shown[SHOW_MAX + 4];
			if (strlen(type) > CALXR__SQL_TYPE_MAX) {
				calxr__ap_fail(p, "SQL type '%s' is %zu bytes, longer than the %d a column type may have: use a shorter type (a domain: CREATE DOMAIN)",
					      calxr__ap_show(calxr__span_of(type), shown), strlen(type), CALXR__SQL_TYPE_MAX);
				free(s);
				continue;
			}
			if (!calxr__ap_check_sql_text(p, "SQL type", type)) {
				free(s);
				continue;
			}
		}
		calxr__ap_strlist_push(p, out, s);
	}
}

unsigned calxr__annot_parse_mixin(const char *text, calxr__annot_err_fn err, void *payload)
{
	parser p = { err, payload, 0, false };
	if (strcmp(text, "calx:mixin") != 0)
		calxr__ap_fail(&p, "annotation 'calx:mixin' takes no arguments");
	return p.errors;
}

unsigned calxr__annot_parse_type(const char *text, calxr__strlist *out, calxr__annot_err_fn err,
				void *payload)
{
	parser p = { err, payload, 0, false };
	calxr__span *args = NULL;
	unsigned n = 0;

	if (calxr__ap_annotation_args(&p, text, &args, &n) < 0)
		goto done;
	for (unsigned i = 0; i < n; i++)
		if (calxr__span_trim(args[i]).n == 0) {
			calxr__ap_fail(&p, "empty argument to annotation 'calx:type'");
			goto done;
		}
	if (n == 0)
		calxr__ap_fail(&p, "annotation 'calx:type' expects at least 1 SQL type");
	/*
	 * user_type(var) and nullable (a type of the program's own) go first
	 * in the list as "@user_type=var" and "@nullable", which walk.c takes
	 * out; the SQL type and its variants, optional then, follow.
	 */
	unsigned kept = 0;
	bool user = false;
	for (unsigned i = 0; i < n; i++) {
		calxr__span a = calxr__span_trim(args[i]);
		size_t id = calxr__lex_ident(a);
		if (id == a.n && id == 8 && !memcmp(a.p, "nullable", 8)) {
			calxr__ap_strlist_push(&p, out, strdup("@nullable"));
			continue;
		}
		if (id == 9 && !memcmp(a.p, "user_type", 9)) {
			calxr__span rest = calxr__span_trim((calxr__span){ a.p + 9, a.n - 9 });
			calxr__span inner = rest.n >= 2 && rest.p[0] == '(' && rest.p[rest.n - 1] == ')'
				? calxr__span_trim((calxr__span){ rest.p + 1, rest.n - 2 }) : (calxr__span){ NULL, 0 };
			if (!inner.n || calxr__lex_ident(inner) != inner.n) {
				calxr__ap_fail(&p, "user_type(...) in annotation 'calx:type' expects the name of a const calx_user_type");
				user = true;    /* one message for it, not a second about a missing type */
				continue;
			}
			char *e = malloc(inner.n + 12);
			if (e) {
				memcpy(e, "@user_type=", 11);
				memcpy(e + 11, inner.p, inner.n);
				e[11 + inner.n] = '\0';
			}
			calxr__ap_strlist_push(&p, out, e);
			user = true;
			continue;
		}
		args[kept++] = args[i];
	}
	if (n && !kept && !user)
		calxr__ap_fail(&p, "annotation 'calx:type' expects at least 1 SQL type");
	calxr__ap_type_args(&p, "annotation 'calx:type'", args, kept, out);
done:
	free(args);
	if (p.oom)
		calxr__ap_fail(&p, "out of memory");
	return p.errors;
}

