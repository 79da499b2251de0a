/*
 * reflect/util.c - strings, growable arrays, a text buffer, and the small
 * libclang helpers every phase uses.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void calxr__buf_putn(calxr__buf *b, const char *s, size_t n)
{
	if (b->oom || !s)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void calxr__buf_put(calxr__buf *b, const char *s)
{
	if (s)
		calxr__buf_putn(b, s, strlen(s));
}

void calxr__buf_printf(calxr__buf *b, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if ((size_t)n < sizeof small) {
		calxr__buf_putn(b, small, (size_t)n);
		return;
	}
	if (!(big = malloc((size_t)n + 1))) {
		b->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	calxr__buf_putn(b, big, (size_t)n);
	free(big);
}

void calxr__buf_cstr(calxr__buf *b, const char *s)
{
	if (!s) {
		calxr__buf_put(b, "NULL");
		return;
	}
	calxr__buf_put(b, "\"");
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char esc[8];
		if (*c == '"' || *c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*c;
			calxr__buf_putn(b, esc, 2);
		} else if (*c == '?' && c[1] == '?') {
			/* "??=" is a trigraph under -std=c11. */
			calxr__buf_put(b, "?\\");
		} else if (*c < 0x20 || *c >= 0x7f) {
			/* Three octal digits always: the next character cannot extend it. */
			snprintf(esc, sizeof esc, "\\%03o", *c);
			calxr__buf_put(b, esc);
		} else {
			calxr__buf_putn(b, (const char *)c, 1);
		}
	}
	calxr__buf_put(b, "\"");
}

void calxr__buf_comment(calxr__buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (s[0] == '*' && s[1] == '/')
			calxr__buf_put(b, "* ");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			calxr__buf_put(b, "?");
		else
			calxr__buf_putn(b, s, 1);
	}
}

void calxr__buf_free(calxr__buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

char *calxr__strdup(calxr__ctx *cx, const char *s)
{
	char *d;
	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		calxr__oom(cx);
	return d;
}

char *calxr__printf(calxr__ctx *cx, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(p = malloc((size_t)n + 1))) {
		calxr__oom(cx);
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *calxr__cx_take(calxr__ctx *cx, CXString s)
{
	const char *c = clang_getCString(s);
	char *d = calxr__strdup(cx, c ? c : "");
	clang_disposeString(s);
	return d;
}

bool calxr__push(calxr__ctx *cx, void *arrayp, unsigned *n, size_t elem)
{
	void **a = arrayp;
	/* Grow by doubling at powers of two: the count is the only state kept. */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? (size_t)*n * 2 : 1;
		void *p = realloc(*a, cap * elem);
		if (!p) {
			calxr__oom(cx);
			return false;
		}
		*a = p;
	}
	memset((char *)*a + (size_t)*n * elem, 0, elem);
	(*n)++;
	return true;
}

calxr__loc calxr__cursor_loc(calxr__ctx *cx, CXCursor c)
{
	calxr__loc loc = { NULL, 0, 0 };
	CXFile file;
	clang_getSpellingLocation(clang_getCursorLocation(c), &file, &loc.line, &loc.col, NULL);
	loc.file = file ? calxr__file_name(cx, file) : calxr__strdup(cx, "<unknown>");
	return loc;
}

void calxr__loc_free(calxr__loc *loc)
{
	free(loc->file);
	loc->file = NULL;
}

typedef struct annot_visit {
	calxr__ctx *cx;
	char **v;
	unsigned n;
} annot_visit;

static enum CXChildVisitResult visit_annot(CXCursor c, CXCursor parent, CXClientData data)
{
	annot_visit *a = data;
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_AnnotateAttr &&
	    calxr__push(a->cx, &a->v, &a->n, sizeof *a->v))
		a->v[a->n - 1] = calxr__cx_take(a->cx, clang_getCursorSpelling(c));
	return CXChildVisit_Continue;
}

char **calxr__annotations(calxr__ctx *cx, CXCursor c, unsigned *n_out)
{
	annot_visit a = { cx, NULL, 0 };
	clang_visitChildren(c, visit_annot, &a);
	/* Drop the entries that failed to copy, so callers never see NULL. */
	for (unsigned i = 0; i < a.n;)
		if (!a.v[i])
			a.v[i] = a.v[--a.n];
		else
			i++;
	*n_out = a.n;
	return a.v;
}

void calxr__strv_free(char **v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *calxr__basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

char *calxr__ident_from_path(calxr__ctx *cx, const char *path, bool strip_ext)
{
	const char *base = calxr__basename(path), *dot = strip_ext ? strrchr(base, '.') : NULL;
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *s = malloc(n + 2), *o = s;

	if (!s) {
		calxr__oom(cx);
		return NULL;
	}
	if (n == 0 || (base[0] >= '0' && base[0] <= '9'))
		*o++ = '_';
	for (size_t i = 0; i < n; i++) {
		char c = base[i];
		*o++ = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	*o = '\0';
	return s;
}

typedef struct field_visit {
	calxr__ctx *cx;
	CXCursor *v;
	unsigned n;
} field_visit;

static enum CXChildVisitResult visit_field(CXCursor c, CXCursor parent, CXClientData data)
{
	field_visit *f = data;
	(void)parent;
	enum CXCursorKind k = clang_getCursorKind(c);
	/* C11 anonymous members are records without a FieldDecl: keep them to refuse them. */
	bool anonymous_member = (k == CXCursor_StructDecl || k == CXCursor_UnionDecl) &&
				clang_Cursor_isAnonymousRecordDecl(c);
	/* An unnamed bit-field (int : 0;) is padding: no value to map, nothing to refuse. */
	if (k == CXCursor_FieldDecl && clang_Cursor_isBitField(c)) {
		CXString name = clang_getCursorSpelling(c);
		const char *s = clang_getCString(name);
		bool unnamed = !s || !*s;
		clang_disposeString(name);
		if (unnamed)
			return CXChildVisit_Continue;
	}
	if ((k == CXCursor_FieldDecl || anonymous_member) && calxr__push(f->cx, &f->v, &f->n, sizeof *f->v))
		f->v[f->n - 1] = c;
	return CXChildVisit_Continue;
}

CXCursor *calxr__fields(calxr__ctx *cx, CXCursor rec, unsigned *n_out)
{
	field_visit f = { cx, NULL, 0 };
	clang_visitChildren(rec, visit_field, &f);
	*n_out = f.n;
	return f.v;
}
