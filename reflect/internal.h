/*
 * reflect/internal.h - what the phases of calx-reflect share: the reflected
 * model (tables and columns), the run context, diagnostics and a string
 * buffer. Phases: parse.c (libclang) -> walk.c (structs, type map) ->
 * fields.c + types.c (columns, mixins) -> check.c (table semantics) ->
 * emit_h.c, emit_c.c (C text) -> output.c (files, depfile).
 */
#ifndef CALX_REFLECT_INTERNAL_H
#define CALX_REFLECT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <clang-c/Index.h>

#include "calx/sys/descriptor.h"
#include "annot.h"
#include "reflect.h"

#if defined(__GNUC__)
#define CALX__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CALX__PRINTF(f, a)
#endif

/* A growable string. Out of memory sticks in oom; appends then do nothing. */
typedef struct calx__buf {
	char *p;
	size_t n, cap;
	bool oom;
} calx__buf;

void calx__buf_put(calx__buf *b, const char *s);
void calx__buf_putn(calx__buf *b, const char *s, size_t n);
void calx__buf_printf(calx__buf *b, const char *fmt, ...) CALX__PRINTF(2, 3);
/* s as a C string literal, or NULL when s is NULL. */
void calx__buf_cstr(calx__buf *b, const char *s);
/* s made safe inside a C comment. */
void calx__buf_comment(calx__buf *b, const char *s);
void calx__buf_free(calx__buf *b);

/* Source position of a declaration name, as libclang reports it. */
typedef struct calx__loc {
	char *file;
	unsigned line, col;
} calx__loc;

/* One mapped column: a field of the table or of an embedded mixin. */
typedef struct calx__column {
	char *path;           /* C member path: "ts.created_at" */
	char *member;         /* the field's own name: "created_at" */
	char *owner;          /* tag of the struct declaring the field (for messages) */
	char *column;
	calx__loc loc;
	calx_ctype ctype;
	uint32_t flags;
	long long offset;     /* libclang's layout, only cross-checked by _Static_assert */
	char *key_type;       /* C parameter type for the *_get wrapper */
	calx__strlist types;  /* sql type + variants; empty: the dialect decides */
	char *server_default, *default_text, *check;
	char *fk_table, *fk_column, *ondelete, *onupdate;
	bool autoinc_explicit, autoinc_off;
	int fk;               /* index into the table's fks, or -1 */
	unsigned ref_mapper, ref_field;
} calx__column;

typedef struct calx__table {
	char *tag;            /* struct tag: names every generated symbol */
	char *table;          /* SQL table name */
	calx__loc loc;
	long long size, align;
	CXCursor cursor;
	calx__column *cols;
	unsigned n_cols, cap_cols;
	unsigned n_fks, n_pk;
	unsigned option_errors; /* errors in field annotations: a primary_key may be among them */
} calx__table;

/* CALX_TYPE(T, ...): fields declared through typedef T get these SQL types. */
typedef struct calx__typemap {
	char *typedef_name;
	calx__strlist types;
} calx__typemap;

typedef struct calx__ctx {
	const calx_reflect_options *opts;
	calx_reflect_diag_fn diag;
	void *payload;
	unsigned errors;
	bool oom;
	char **seen;          /* every diagnostic reported, to drop repeats */
	unsigned n_seen;

	CXIndex index;
	CXTranslationUnit tu;
	char **deps;          /* every file of the translation unit, main first */
	unsigned n_deps;

	calx__table *tables;  /* CALX_TABLE structs of the main file, in order */
	unsigned n_tables;
	char **other_tables;  /* table names declared by included headers */
	unsigned n_other_tables;
	calx__typemap *typemaps;
	unsigned n_typemaps;
	CXCursor *mixins;     /* CALX_MIXIN structs of the main file, checked even if unused */
	unsigned n_mixins;

	char *schema;         /* "models" */
	char *include;        /* what the generated header includes */
	char *input_base;     /* "models.h" */
	char *h_base, *c_base;
} calx__ctx;

/* diag.c */
void calx__error(calx__ctx *cx, const calx__loc *loc, const char *fmt, ...) CALX__PRINTF(3, 4);
void calx__oom(calx__ctx *cx);
void calx__ctx_free_diags(calx__ctx *cx);

/* util.c */
char *calx__strdup(calx__ctx *cx, const char *s);
char *calx__printf(calx__ctx *cx, const char *fmt, ...) CALX__PRINTF(2, 3);
/* The text of s (disposed), or NULL after calx__oom. */
char *calx__cx_take(calx__ctx *cx, CXString s);
bool calx__push(calx__ctx *cx, void *arrayp, unsigned *n, size_t elem);
calx__loc calx__cursor_loc(calx__ctx *cx, CXCursor c);
void calx__loc_free(calx__loc *loc);
/* The annotate("...") texts attached to a declaration, in source order. */
char **calx__annotations(calx__ctx *cx, CXCursor c, unsigned *n_out);
void calx__strv_free(char **v, unsigned n);
/* The FieldDecl children of a record and its anonymous struct/union members, in order (free the array). */
CXCursor *calx__fields(calx__ctx *cx, CXCursor rec, unsigned *n_out);
/* "models" from "dir/models.h": basename without extension as a C identifier. */
char *calx__ident_from_path(calx__ctx *cx, const char *path, bool strip_ext);
const char *calx__basename(const char *path);

/* parse.c */
int calx__parse(calx__ctx *cx);
void calx__parse_free(calx__ctx *cx);

/* walk.c */
void calx__walk(calx__ctx *cx);
/* Non-zero if the record declaration carries calx:mixin. */
bool calx__is_mixin(calx__ctx *cx, CXCursor rec);

/* fields.c */
void calx__table_fields(calx__ctx *cx, calx__table *t, CXCursor rec);
void calx__column_free(calx__column *c);

/* types.c */
typedef enum calx__shape {
	CALX__SHAPE_SCALAR,   /* ctype set */
	CALX__SHAPE_MIXIN,    /* embedded mixin struct: flatten */
	CALX__SHAPE_RELATION, /* pointer to a mapped struct: relationships, later */
	CALX__SHAPE_NONE      /* cannot be mapped */
} calx__shape;
calx__shape calx__resolve_type(calx__ctx *cx, CXType t, calx_ctype *ctype_out, bool *is_enum_out,
			       CXCursor *record_out);
/* The nearest typedef of t's chain that the type map knows, or NULL. */
const calx__typemap *calx__typemap_for(calx__ctx *cx, CXType t);
bool calx__ctype_is_integer(calx_ctype t);
const char *calx__ctype_c_name(calx_ctype t);

/* check.c */
void calx__check(calx__ctx *cx);

/* emit_h.c, emit_c.c */
void calx__emit_header(calx__ctx *cx, calx__buf *b);
void calx__emit_source(calx__ctx *cx, calx__buf *b);
/* "USER_TS_CREATED_AT" */
char *calx__handle_name(calx__ctx *cx, const char *tag, const char *path);

/* output.c */
void calx__emit_depfile(calx__ctx *cx, calx__buf *b, const char *target);
/*
 * Write each buffer to its path through a temporary file and rename, but
 * leave a file whose content is already the same untouched. 0 or -1.
 */
int calx__write_outputs(calx__ctx *cx, const char *const *paths, calx__buf *const *bufs, unsigned n);

void calx__table_free(calx__table *t);

#endif /* CALX_REFLECT_INTERNAL_H */
