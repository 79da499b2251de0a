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

void calxr__value_type_column(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, bool pk)
{
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
