/*
 * reflect/valuetypes.c - the value types whose SQL form an option chooses:
 * numeric(p, s) on a calx_decimal (NUMERIC(p,s); TEXT on SQLite, whose
 * NUMERIC affinity would turn "1.10" into the REAL 1.1), json on a char *
 * (JSONB on PostgreSQL, TEXT on SQLite). The choice is written as the
 * column's type and its "sqlite:TEXT" variant, so DDL, the schema diff and
 * calx-inspect read it as they read type(...).
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "calx/decimal.h"

static void set_types(calxr__ctx *cx, calxr__column *c, char *type, const char *sqlite)
{
	calxr__strlist_free(&c->types);
	if (!type)
		return;
	if (calxr__push(cx, &c->types.v, &c->types.n, sizeof *c->types.v))
		c->types.v[c->types.n - 1] = type;
	else
		free(type);
	if (calxr__push(cx, &c->types.v, &c->types.n, sizeof *c->types.v))
		c->types.v[c->types.n - 1] = calxr__strdup(cx, sqlite);
}

static bool read_uint(const char **t, unsigned *out)
{
	unsigned v = 0;
	const char *p = *t;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) && v <= 1000)
		v = v * 10 + (unsigned)(*p++ - '0');
	while (*p == ' ')
		p++;
	*t = p;
	*out = v;
	return true;
}

/* "NUMERIC(p,s)", "DECIMAL(p)" (any case): p and s, as the runtime reads them (orm/mapping/decimal_field.c). */
static bool numeric_type(const char *t, unsigned *p, unsigned *s)
{
	*s = 0;
	if (!t || (strncasecmp(t, "NUMERIC", 7) && strncasecmp(t, "DECIMAL", 7)))
		return false;
	t += 7;
	while (*t == ' ')
		t++;
	if (*t++ != '(' || !read_uint(&t, p))
		return false;
	if (*t == ',' && (t++, !read_uint(&t, s)))
		return false;
	return *t == ')' && t[1] == '\0' && *p >= 1 && *s <= *p;
}

void calxr__enum_names_free(calxr__enum_names *en)
{
	if (!en)
		return;
	free(en->c_name);
	calxr__strlist_free(&en->names);
	free(en->values);
	free(en);
}

calxr__enum_names *calxr__enum_names_dup(calxr__ctx *cx, const calxr__enum_names *en)
{
	if (!en)
		return NULL;
	calxr__enum_names *d = calloc(1, sizeof *d);
	if (d && en->names.n && !(d->values = malloc(en->names.n * sizeof *d->values))) {
		free(d);
		d = NULL;
	}
	if (!d) {
		calxr__oom(cx);
		return NULL;
	}
	d->c_name = calxr__strdup(cx, en->c_name);
	for (unsigned i = 0; i < en->names.n; i++)
		if (calxr__push(cx, &d->names.v, &d->names.n, sizeof *d->names.v)) {
			d->names.v[d->names.n - 1] = calxr__strdup(cx, en->names.v[i]);
			d->values[d->names.n - 1] = en->values[i];
		}
	return d;
}

typedef struct enum_walk {
	calxr__ctx *cx;
	calxr__enum_names *en;
} enum_walk;

static enum CXChildVisitResult enum_constant(CXCursor c, CXCursor parent, CXClientData data)
{
	enum_walk *w = data;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
		return CXChildVisit_Continue;
	long long *v = realloc(w->en->values, (w->en->names.n + 1) * sizeof *v);
	if (!v) {
		calxr__oom(w->cx);
		return CXChildVisit_Break;
	}
	w->en->values = v;
	if (calxr__push(w->cx, &w->en->names.v, &w->en->names.n, sizeof *w->en->names.v)) {
		w->en->names.v[w->en->names.n - 1] = calxr__cx_take(w->cx, clang_getCursorSpelling(c));
		w->en->values[w->en->names.n - 1] = clang_getEnumConstantDeclValue(c);
	}
	return CXChildVisit_Continue;
}

/*
 * The names an enum's constants are stored as: each spelling without the
 * prefix all of them share up to an '_' (the longest such), lowercased.
 */
static void strip_prefix(calxr__enum_names *en)
{
	if (!en->names.n)
		return;
	const char *first = en->names.v[0];
	size_t cut = 0;
	for (size_t i = 0; first[i]; i++) {
		if (first[i] != '_')
			continue;
		bool shared = true;
		for (unsigned k = 0; k < en->names.n && shared; k++)
			shared = strncmp(en->names.v[k], first, i + 1) == 0 && en->names.v[k][i + 1] != '\0';
		if (shared)
			cut = i + 1;
	}
	for (unsigned k = 0; k < en->names.n; k++) {
		char *s = en->names.v[k];
		memmove(s, s + cut, strlen(s + cut) + 1);
		for (char *p = s; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
}

/* enum_as(text): the constants, the column's type and its CHECK of the names. */
static void enum_as_text(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, CXType type)
{
	CXType canon = clang_getCanonicalType(type);
	CXCursor decl = clang_getTypeDeclaration(canon);
	calxr__enum_names *en = calloc(1, sizeof *en);
	if (!en) {
		calxr__oom(cx);
		return;
	}
	enum_walk w = { cx, en };
	en->c_name = calxr__cx_take(cx, clang_getTypeSpelling(canon));
	clang_visitChildren(decl, enum_constant, &w);
	strip_prefix(en);
	size_t longest = 1;
	char *list = calxr__strdup(cx, "");
	for (unsigned k = 0; k < en->names.n && list; k++) {
		const char *s = en->names.v[k];
		bool ok = *s;
		for (const char *p = s; *p && ok; p++)
			ok = isalnum((unsigned char)*p) || *p == '_';
		for (unsigned j = 0; j < k && ok; j++)
			if (!strcmp(en->names.v[j], s) && en->values[j] != en->values[k])
				ok = false;
		if (!ok) {
			char *msg = calxr__printf(cx, "option 'enum_as(text)': constant %u of %s has no name of its own once the shared prefix is cut ('%s'): rename the constants",
						 k, en->c_name ? en->c_name : "the enum", s);
			if (msg)
				calxr__field_error(e, msg);
			free(msg);
			break;
		}
		if (strlen(s) > longest)
			longest = strlen(s);
		char *more = calxr__printf(cx, "%s%s'%s'", list, k ? ", " : "", s);
		free(list);
		list = more;
	}
	if (!en->names.n)
		calxr__field_error(e, "option 'enum_as(text)' on an enum with no constants");
	if (list && en->names.n) {
		/* a CHECK of the names, after the program's own check on the column */
		char *in = calxr__printf(cx, "\"%s\" IN (%s)", c->column, list);
		char *both = in && o->check ? calxr__printf(cx, "(%s) AND %s", o->check, in) : NULL;
		if (both) {
			free(in);
			in = both;
		}
		if (in) {
			/* the field's check, which add_column moves into the column after this */
			free(o->check);
			o->check = in;
		}
		if (!(o->seen & (1u << CALXR__OPT_TYPE))) {
			calxr__strlist_free(&c->types);
			if (calxr__push(cx, &c->types.v, &c->types.n, sizeof *c->types.v))
				c->types.v[c->types.n - 1] = calxr__printf(cx, "VARCHAR(%zu)", longest);
		}
	}
	free(list);
	c->enum_names = en;
	c->flags |= CALX_FIELD_ENUM_TEXT;
}

void calxr__value_type_column(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, bool pk,
			      CXType type)
{
	if (o->seen & ((uint64_t)1 << CALXR__OPT_ENUM_AS)) {
		if (!(c->flags & CALX_FIELD_ENUM))
			calxr__field_error(e, "option 'enum_as' applies only to an enum field");
		else if (o->enum_as_text && pk)
			calxr__field_error(e, "option 'enum_as(text)' on a primary key is not supported: the identity map keys the integer");
		else if (o->enum_as_text)
			enum_as_text(cx, c, o, e, type);
	}
	bool numeric = o->seen & (1u << CALXR__OPT_NUMERIC), json = o->seen & (1u << CALXR__OPT_JSON);
	bool typed = o->seen & (1u << CALXR__OPT_TYPE);
	unsigned p, s;

	if (numeric && c->ctype != CALX_CTYPE_DECIMAL)
		calxr__field_error(e, "option 'numeric' applies only to a calx_decimal field (calx/decimal.h)");
	if (json && c->ctype != CALX_CTYPE_STRING)
		calxr__field_error(e, "option 'json' applies only to a char * field");
	if ((numeric || json) && typed)
		calxr__field_error(e, numeric ? "options 'numeric' and 'type' together: give one"
					      : "options 'json' and 'type' together: give one");
	if (numeric && c->ctype == CALX_CTYPE_DECIMAL && !typed)
		set_types(cx, c, calxr__printf(cx, "NUMERIC(%u,%u)", o->numeric_p, o->numeric_s), "sqlite:TEXT");
	if (json && c->ctype == CALX_CTYPE_STRING && !typed) {
		set_types(cx, c, calxr__strdup(cx, "JSONB"), "sqlite:TEXT");
		c->flags |= CALX_FIELD_JSON;
	}
	if (o->computed) {
		if (pk || o->server_default || o->default_text || o->default_factory ||
		    (o->seen & ((1u << CALXR__OPT_VERSION) | (1u << CALXR__OPT_AUTOINCREMENT))))
			calxr__field_error(e, "option 'computed' goes alone: the database writes the column, so it takes no primary_key, autoincrement, version, default, default_factory or server_default");
		else if (c->ctype == CALX_CTYPE_CHARARRAY || c->ctype == CALX_CTYPE_BYTEARRAY)
			calxr__field_error(e, "option 'computed' on an array: a NULL the database computes cannot be told from a value; make the field a char *, calx_bytes or a calx_opt_* wrapper");
		else {
			/* the expression rides in server_default, which the runtime reads as GENERATED with the flag */
			o->server_default = o->computed;
			o->computed = NULL;
			c->flags |= CALX_FIELD_COMPUTED | CALX_FIELD_NO_INIT;
			c->flags &= ~(uint32_t)CALX_FIELD_REQUIRED;
		}
	}
	if (c->ctype != CALX_CTYPE_DECIMAL)
		return;
	if (pk)
		calxr__field_error(e, "option 'primary_key' on a calx_decimal is not supported (the identity map keys integers and text): use an integer key and make this column 'unique'");
	else if (!c->types.n || !numeric_type(c->types.v[0], &p, &s))
		calxr__field_error(e, "a calx_decimal field needs its precision and scale: add CALX(numeric(10, 2)) (or type(\"NUMERIC(10,2)\"))");
	else if (p > CALX_DECIMAL_MAX_DIGITS)
		calxr__field_error(e, "a calx_decimal holds at most 38 digits: its NUMERIC precision must be 38 or less");
}

bool calxr__decimal_layout(calxr__ctx *cx, CXType rec)
{
	unsigned n;
	CXCursor *f;
	bool ok;

	if (rec.kind != CXType_Record)
		return false;
	f = calxr__fields(cx, clang_getTypeDeclaration(rec), &n);
	ok = f && n == 1 && clang_getCursorKind(f[0]) == CXCursor_FieldDecl;
	if (ok) {
		CXType a = clang_getCanonicalType(clang_getCursorType(f[0]));
		ok = a.kind == CXType_ConstantArray && clang_getArraySize(a) == (long long)sizeof(calx_decimal) &&
		     (clang_getCanonicalType(clang_getArrayElementType(a)).kind == CXType_Char_S ||
		      clang_getCanonicalType(clang_getArrayElementType(a)).kind == CXType_Char_U);
	}
	free(f);
	return ok;
}
