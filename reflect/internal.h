/*
 * reflect/internal.h - what the phases of calx-reflect share: the reflected
 * model (tables and columns), the run context, diagnostics and a string
 * buffer. Phases: parse.c (libclang) -> walk.c (structs, type map) ->
 * fields.c + types.c (columns, mixins) -> check.c (table semantics) ->
 * constraints.c (unique, index, check, foreign keys) ->
 * emit_h.c, emit_c.c + layout_guard.c (C text) -> output.c (files, depfile).
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
#define CALXR__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CALXR__PRINTF(f, a)
#endif

/* A growable string. Out of memory sticks in oom; appends then do nothing. */
typedef struct calxr__buf {
	char *p;
	size_t n, cap;
	bool oom;
} calxr__buf;

void calxr__buf_put(calxr__buf *b, const char *s);
void calxr__buf_putn(calxr__buf *b, const char *s, size_t n);
void calxr__buf_printf(calxr__buf *b, const char *fmt, ...) CALXR__PRINTF(2, 3);
/* s as a C string literal, or NULL when s is NULL. */
void calxr__buf_cstr(calxr__buf *b, const char *s);
/* s made safe inside a C comment. */
void calxr__buf_comment(calxr__buf *b, const char *s);
void calxr__buf_free(calxr__buf *b);

/* Source position of a declaration name, as libclang reports it. */
typedef struct calxr__loc {
	char *file;
	unsigned line, col;
} calxr__loc;

/* One mapped column: a field of the table or of an embedded mixin. */
typedef struct calxr__column {
	char *path;           /* C member path: "ts.created_at" */
	char *member;         /* the field's own name: "created_at" */
	char *owner;          /* tag of the struct declaring the field (for messages) */
	char *column;
	calxr__loc loc;
	calx_ctype ctype;
	uint32_t flags;
	long long offset;     /* libclang's layout, only cross-checked by _Static_assert */
	long long size;       /* libclang's sizeof the field, likewise */
	char *key_type;       /* C parameter type for the *_get wrapper */
	calxr__strlist types;  /* sql type + variants; empty: the dialect decides */
	char *server_default, *default_text, *check;
	char *default_factory;  /* default_factory(fn): the function's name */
	char *user_type;        /* CALX_CTYPE_USER: the calx_user_type variable's name */
	calxr__strlist server_default_variants; /* server_default(dialect="SQL"): "dialect:SQL" */
	char *onupdate_sql;     /* onupdate("SQL") */
	calxr__strlist onupdate_variants;
	char *onupdate_fn;      /* onupdate(fn) */
	bool user_nullable;     /* CALX_CTYPE_USER: the type has a NULL of its own */
	char *fk_table, *fk_column, *ondelete, *onupdate;
	bool autoinc_explicit, autoinc_off;
	bool plain_char;      /* a char: char_as(integer) is INT8 or UINT8 by the compiler's char signedness */
	bool prefixed;        /* column is a mixin's prefix(...) and the member's name */
	struct calxr__enum_names *enum_names; /* enum_as(text): the constants by name (valuetypes.c), or NULL */
} calxr__column;

/* An enum stored by name: its C type and its constants, names as stored. */
typedef struct calxr__enum_names {
	char *c_name;         /* "enum order_status" */
	calxr__strlist names;
	long long *values;
} calxr__enum_names;

/*
 * One constraint of a table: a unique, index, check or foreign_key from
 * calx:table, or made from a field's option (unique, index, check,
 * foreign_key("t.c")), so that both kinds reach the descriptor one way.
 */
typedef struct calxr__constraint {
	calxr__tcons c;       /* as written; column names */
	int field;            /* the column of a field-level constraint, or -1 */
	unsigned *cols;       /* c.cols resolved to column indices */
	unsigned *ref_cols;   /* foreign key: c.ref_cols resolved in the target */
	unsigned ref_mapper;  /* foreign key: the target's index in cx->tables */
	bool ok;              /* resolved and checked: emitted */
} calxr__constraint;

/*
 * A relationship field: a pointer to a mapped struct (many-to-one) or a
 * CALX_LIST of one (one-to-many). relations.c finds its join (a foreign
 * key between the two tables) and its other side.
 */
typedef struct calxr__relation {
	char *name;           /* the field: "addresses" */
	calxr__loc loc;
	calx_relationship_kind kind;
	CXCursor target_decl;
	long long offset;     /* libclang's layout, only cross-checked by _Static_assert */
	char *back_populates; /* as written, or inferred, or NULL */
	calxr__strlist foreign_keys; /* foreign_keys("col", ...) as written */
	unsigned cascade;     /* enum calx_cascade */
	int loading;          /* calx_loading */
	bool passive_deletes; /* passive_deletes: one-to-many only, over an ON DELETE CASCADE or SET NULL key */
	bool post_update;     /* post_update: the key by an UPDATE of its own, over nullable columns */
	unsigned target;      /* index in cx->tables */
	unsigned fk_table;    /* index in cx->tables: the table holding the join's foreign key */
	unsigned fk;          /* the foreign key's index among fk_table's emitted fks */
	char *secondary;      /* many-to-many: secondary("...") as written (the association table's SQL name) */
	unsigned secondary_fk; /* many-to-many: fk_table's (the secondary's) fk to the target's table */
	bool ok;              /* resolved: emitted */
} calxr__relation;

typedef struct calxr__table {
	char *tag;            /* struct tag */
	char *sym;            /* --prefix and the tag: names every generated symbol */
	char *table;          /* SQL table name */
	calxr__loc loc;
	long long size, align;
	CXCursor cursor;
	calxr__column *cols;
	unsigned n_cols, cap_cols;
	unsigned n_pk;
	calxr__tcons *tcons;  /* the table-level constraints of calx:table */
	unsigned n_tcons;
	calxr__constraint *cons; /* field-level ones first, then table-level (constraints.c) */
	unsigned n_cons;
	unsigned option_errors; /* errors in field annotations: a primary_key may be among them */
	calxr__relation *rels; /* relationship fields, in declaration order */
	unsigned n_rels;
	bool table_only;      /* CALX_TABLE(..., table_only): a table without a mapper (emit_c.c, emit_h.c) */
	/*
	 * Inheritance (inherit.c). A subclass (CALX_INHERIT) has no table of
	 * its own in single-table inheritance: `table` is its root's, its
	 * first n_inherited columns are its parent's (paths under the first
	 * member), and its own columns follow. Outside a hierarchy: inherit
	 * NONE, parent and root -1.
	 */
	calxr__inherit_kind inherit; /* the subclass's kind, NONE for a root or a plain table */
	char *identity;       /* polymorphic_identity("..."), or NULL */
	char *polymorphic_on; /* the root's discriminator column as written, or NULL */
	int parent;           /* the parent's index in cx->tables, or -1 */
	int root;             /* the hierarchy's root (itself for the root), or -1 outside a hierarchy */
	int disc;             /* the discriminator's column index (the same in every struct of the hierarchy), or -1 */
	unsigned n_inherited; /* leading columns copied from the parent */
	bool has_subclasses;  /* a root whose table carries columns of subclasses */
	bool own_table_named; /* CALX_INHERIT(..., table("...")) */
	bool abstract;        /* CALX_TABLE(..., abstract): a concrete hierarchy's root without a table (concrete.c) */
	bool deferred;        /* CALX_TABLE(..., deferred): the database's table, mapped in part (deferred.c) */
	char *polymorphic_load; /* a root's polymorphic_load("selectin" | "joined"), or NULL */
} calxr__table;

/* CALX_TYPE(T, ...): fields declared through typedef T get these SQL types. */
typedef struct calxr__typemap {
	char *typedef_name;
	calxr__strlist types;
	char *user_type;      /* user_type(var): a const calx_user_type of the program's, or NULL */
	bool nullable;        /* the user type has a NULL (its is_null): the column is nullable */
} calxr__typemap;

/* A name the program declares at file scope (function, global, typedef, enumerator). */
typedef struct calxr__user_name {
	char *name;
	calxr__loc loc;
} calxr__user_name;

/* CALX_NAMING of one header file (naming.c). */
typedef struct calxr__naming {
	CXFile file;
	calxr__naming_opts opts;
	unsigned line;        /* where CALX_NAMING is, when set */
	bool set;             /* the header has a CALX_NAMING */
	bool tables_before;   /* a CALX_TABLE of the header was seen: a later CALX_NAMING is refused */
} calxr__naming;

typedef struct calxr__ctx {
	const calx_reflect_options *opts;
	calx_reflect_diag_fn diag;
	void *payload;
	unsigned errors;
	bool oom;
	char **seen;          /* every diagnostic reported, to drop repeats */
	unsigned n_seen;

	CXIndex index;
	CXTranslationUnit tu;
	CXFile main_file;     /* the input, as libclang knows it (several inputs: the file including them all) */
	/*
	 * Several inputs (opts->more_inputs): libclang parses main_path, a file
	 * held in memory (main_text) that #includes every input in order, and
	 * input_files are the inputs as libclang knows them. One input:
	 * main_path is the input, main_text NULL, input_files its main file.
	 */
	const char *main_path;
	char *main_text;
	CXFile *input_files;
	unsigned n_inputs;
	const char *text;     /* calx_reflect_run_text: the input's contents, or NULL: read the file */
	size_t text_len;
	calx_reflect_cache *cache; /* or NULL; when set, index is the cache's */
	char **deps;          /* every file of the translation unit, main first */
	unsigned n_deps;

	calxr__table *tables;  /* CALX_TABLE structs of the main file, in order */
	unsigned n_tables;
	char **other_tables;  /* table names declared by included headers */
	unsigned n_other_tables;
	calxr__typemap *typemaps;
	unsigned n_typemaps;
	calxr__naming *namings; /* one per header with CALX_NAMING or a table */
	unsigned n_namings;
	CXCursor *mixins;     /* CALX_MIXIN structs of the main file, checked even if unused */
	unsigned n_mixins;
	calxr__user_name *user_names; /* outside system headers: generated names must not clash */
	unsigned n_user_names;

	char *schema;         /* "models" */
	char *include;        /* what the generated header includes */
	char *input_base;     /* "models.h" */
	char *h_base, *c_base;
} calxr__ctx;

/* diag.c */
void calxr__error(calxr__ctx *cx, const calxr__loc *loc, const char *fmt, ...) CALXR__PRINTF(3, 4);
void calxr__oom(calxr__ctx *cx);
/* A compiler message in calx's words where it is about calx's own macros (caller frees). */
char *calxr__clang_message(calxr__ctx *cx, const char *msg);
void calxr__ctx_free_diags(calxr__ctx *cx);

/* util.c */
char *calxr__strdup(calxr__ctx *cx, const char *s);
char *calxr__printf(calxr__ctx *cx, const char *fmt, ...) CALXR__PRINTF(2, 3);
/* The text of s (disposed), or NULL after calxr__oom. */
char *calxr__cx_take(calxr__ctx *cx, CXString s);
bool calxr__push(calxr__ctx *cx, void *arrayp, unsigned *n, size_t elem);
calxr__loc calxr__cursor_loc(calxr__ctx *cx, CXCursor c);
void calxr__loc_free(calxr__loc *loc);
/* The annotate("...") texts attached to a declaration, in source order. */
char **calxr__annotations(calxr__ctx *cx, CXCursor c, unsigned *n_out);
void calxr__strv_free(char **v, unsigned n);
/* The FieldDecl children of a record and its anonymous struct/union members, in order (free the array). */
CXCursor *calxr__fields(calxr__ctx *cx, CXCursor rec, unsigned *n_out);
/* "models" from "dir/models.h": basename without extension as a C identifier. */
char *calxr__ident_from_path(calxr__ctx *cx, const char *path, bool strip_ext);
const char *calxr__basename(const char *path);

/* parse.c */
int calxr__parse(calxr__ctx *cx);
/* A file's name for messages and descriptors: an input as the caller spelled it. */
char *calxr__file_name(calxr__ctx *cx, CXFile file);
/* Is cursor c declared in an input header (where CALX_TABLE structs are mapped)? */
bool calxr__in_inputs(calxr__ctx *cx, CXCursor c);
/* Input i as given: opts->input, then opts->more_inputs. */
const char *calxr__input(const calxr__ctx *cx, unsigned i);
/* How many inputs: 1 + opts->n_more_inputs. */
unsigned calxr__n_inputs(const calxr__ctx *cx);
void calxr__parse_free(calxr__ctx *cx);
/* After a failed reparse (rc its CXErrorCode): the cache's unit is never used again. */
void calxr__reparse_failed(calxr__ctx *cx, int rc);

/* walk.c */
void calxr__walk(calxr__ctx *cx);
/* Non-zero if the record declaration carries calx:mixin. */
bool calxr__is_mixin(calxr__ctx *cx, CXCursor rec);

/* naming.c: CALX_NAMING(...) of struct c's header; the rule for a table struct c; a name by a rule (NULL: out of memory). */
void calxr__naming_decl(calxr__ctx *cx, CXCursor c, const calxr__loc *loc, const char *text);
calxr__table_rule calxr__table_rule_for(calxr__ctx *cx, CXCursor c);
char *calxr__table_name_by_rule(calxr__ctx *cx, const char *tag, calxr__table_rule rule);

/* fields.c */
void calxr__table_fields(calxr__ctx *cx, calxr__table *t, CXCursor rec);
/* Where a field's errors go: the table's struct, the field, its place. */
typedef struct calxr__field_err {
	calxr__ctx *cx;
	const calxr__loc *loc;
	const char *field, *owner;
} calxr__field_err;
/* Report msg at the field (payload: a calxr__field_err; the annotation parser's callback too). */
void calxr__field_error(void *payload, const char *msg);
/*
 * NULL semantics follow the C type (nullability.c): c's NOT NULL or
 * OPTIONAL flag, a wrapper's default written as CALX_SOME(...), and what
 * contradicts them reported at the field.
 */
/*
 * valuetypes.c: the options that choose a value type's SQL form (numeric(p,
 * s) on a calx_decimal, json on a char *), and the checks a calx_decimal
 * needs (a NUMERIC(p,s) type, not a key). Sets c->types and c->flags.
 */
void calxr__value_type_column(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, bool pk,
			      CXType type);
/* A copy of an enum's names for a copied column, and their release (valuetypes.c). */
calxr__enum_names *calxr__enum_names_dup(calxr__ctx *cx, const calxr__enum_names *en);
void calxr__enum_names_free(calxr__enum_names *en);
/* calx/decimal.h's struct: { char text[48]; }, what the runtime reads. */
bool calxr__decimal_layout(calxr__ctx *cx, CXType rec);
void calxr__nullability(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, CXType type,
			bool optional);
void calxr__column_free(calxr__column *c);

/* types.c */
typedef enum calxr__shape {
	CALXR__SHAPE_SCALAR,   /* ctype set */
	CALXR__SHAPE_OPTIONAL, /* a calx_opt_* wrapper (calx/nullable.h): ctype is the wrapped type */
	CALXR__SHAPE_MIXIN,    /* embedded mixin struct: flatten */
	CALXR__SHAPE_RELATION, /* pointer to a mapped struct: a many-to-one relationship */
	CALXR__SHAPE_LIST,     /* CALX_LIST(struct T) of a mapped T: a one-to-many relationship */
	CALXR__SHAPE_NONE      /* cannot be mapped */
} calxr__shape;
/* *ctype_out is 0 for CALXR__SHAPE_NONE, except for a look-alike of a calx_opt_* wrapper. */
calxr__shape calxr__resolve_type(calxr__ctx *cx, CXType t, calx_ctype *ctype_out, bool *is_enum_out,
			       CXCursor *record_out);
/* The nearest typedef of t's chain that the type map knows, or NULL. */
const calxr__typemap *calxr__typemap_for(calxr__ctx *cx, CXType t);
/*
 * The calx_user_type variable that converts fields of type t: the
 * program's CALX_TYPE(T, user_type(var)), or one of calx/time.h's and
 * calx/uuid.h's; NULL if none. *nullable: whether the type has a NULL.
 */
const char *calxr__user_type_for(calxr__ctx *cx, CXType t, bool *nullable);
bool calxr__ctype_is_integer(calx_ctype t);
/* "calx_opt_int32" for CALX_CTYPE_INT32; NULL for text. */
const char *calxr__opt_type_name(calx_ctype t);
const char *calxr__ctype_c_name(calx_ctype t);
/* Why t cannot be mapped and what to declare instead, or NULL. */
const char *calxr__unmappable_why(CXType t);

/* rel_fields.c: a relationship field of t (shape RELATION or LIST), its options taken from o. */
void calxr__add_relation(calxr__ctx *cx, calxr__table *t, calxr__field_opts *o, calxr__field_err *e, calxr__shape shape,
			 CXCursor target, long long offset, bool in_mixin);

/* mixin_check.c: check(...) SQL of a mixin with its columns cols[first..last) given col_prefix (malloc'd; NULL: out of memory). */
char *calxr__prefix_check(calxr__ctx *cx, const calxr__table *t, unsigned first, unsigned last, const char *sql,
			  const char *col_prefix);

/* check.c */
void calxr__check(calxr__ctx *cx);
/* Most primary key columns the runtime takes (its CALX__MAX_PK). */
#define CALXR__MAX_PK 8
/* A name SQLite keeps for itself (sqlite_...): no table or index may take it. */
bool calxr__sqlite_reserved(const char *name);

/* defaults.c: every default(...) compiled as the generated source will, reported at its field. */
void calxr__check_defaults(calxr__ctx *cx);

/* constraints.c: gather, resolve and check every table's constraints. */
void calxr__constraints(calxr__ctx *cx);
void calxr__constraint_free(calxr__constraint *c);
/* How many constraints of kind k the table emits. */
unsigned calxr__count_cons(const calxr__table *t, calxr__tcons_kind k);

/* relations.c: the join and the other side of every relationship field (after constraints). */
void calxr__relations(calxr__ctx *cx);
/* Does the foreign key's local column list equal names (in any order)? foreign_keys(...) names a key so. */
bool calxr__fk_same_columns(const calxr__table *t, const calxr__constraint *c, const calxr__strlist *names);
void calxr__relation_free(calxr__relation *r);
/* How many relationships of the table are emitted. */
unsigned calxr__count_rels(const calxr__table *t);
/* secondary.c: a many-to-many's join through its secondary table (called by calxr__relations). */
bool calxr__find_secondary_join(calxr__ctx *cx, calxr__table *t, calxr__relation *r);
/* The position of table t among the emitted mappers (table_only tables have none), or -1. */
int calxr__mapper_index(const calxr__ctx *cx, const calxr__table *t);

/* inherit.c: a subclass's parent found and its columns copied (walk.c, before the subclass's own fields). */
void calxr__inherit_fields(calxr__ctx *cx, calxr__table *t);
/* inherit.c: every hierarchy checked: roots, discriminators, identities, subclass columns (before check.c's tables). */
void calxr__inherit_check(calxr__ctx *cx);
/* Is t a subclass, a mapper over another struct's table? */
static inline bool calxr__is_subclass(const calxr__table *t)
{
	return t->inherit != CALXR__INHERIT_NONE;
}
/* Is t a joined-table subclass (checked: its hierarchy's root known)? */
static inline bool calxr__is_joined(const calxr__table *t)
{
	return t->inherit == CALXR__INHERIT_JOINED && t->root >= 0;
}
/* Is t a concrete-table subclass (checked: its hierarchy's root known)? */
static inline bool calxr__is_concrete(const calxr__table *t)
{
	return t->inherit == CALXR__INHERIT_CONCRETE && t->root >= 0;
}
/* Does t's struct declare a table of its own (a plain table, a root, a joined or concrete subclass)? */
static inline bool calxr__has_own_table(const calxr__table *t)
{
	return !calxr__is_subclass(t) || t->inherit == CALXR__INHERIT_JOINED || t->inherit == CALXR__INHERIT_CONCRETE;
}
/* concrete.c: a concrete subclass's checks (inherit.c), its mapper's wide-row positions (emit_c.c). */
void calxr__concrete_subclass(calxr__ctx *cx, calxr__table *t);
/* concrete.c: every abstract root checked: a concrete hierarchy's, with no identity (inherit.c, after the subclasses). */
void calxr__concrete_abstract_check(calxr__ctx *cx);
/* deferred.c: a deferred struct is a plain table's (no table_only, no hierarchy). */
void calxr__deferred_check(calxr__ctx *cx);
void calxr__emit_concrete_maps(calxr__ctx *cx, calxr__buf *b, const calxr__table *t);
/* joined.c: a joined subclass's checks (inherit.c), its table and part, its mapper's maps (emit_c.c). */
void calxr__joined_subclass(calxr__ctx *cx, calxr__table *t);
void calxr__emit_joined_part(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, const char *source);
void calxr__emit_joined_maps(calxr__ctx *cx, calxr__buf *b, const calxr__table *t);
/* The struct (t or an ancestor) whose table holds column f of joined subclass t. */
const calxr__table *calxr__joined_field_table(const calxr__ctx *cx, const calxr__table *t, unsigned f);
/* ", &x__part_mapper" for every joined subclass, after k mappers already listed. */
void calxr__emit_joined_schema_parts(const calxr__ctx *cx, calxr__buf *b, unsigned k);
/* How many mappers the structs have (table_only ones have none), before the parts. */
unsigned calxr__count_mappers(const calxr__ctx *cx);
/* emit_c.c: column c of struct t as a field descriptor (owner NULL: t's mapper; tab: the table holding it). */
void calxr__emit_field(calxr__buf *b, const calxr__table *t, const calxr__column *c, unsigned index,
		       const char *owner, const calxr__table *tab);
/* The position of t's table among the emitted tables (subclasses have none), or -1. */
int calxr__table_index(const calxr__ctx *cx, const calxr__table *t);

/* emit_h.c, emit_c.c */
void calxr__emit_header(calxr__ctx *cx, calxr__buf *b);
/* emit_columns.c: the arrays a table's fields point at, and the pieces emit_c.c shares. */
void calxr__emit_column_arrays(calxr__buf *b, const calxr__table *t);
void calxr__put_flat(calxr__buf *b, const char *path);
bool calxr__column_has_gen(const calxr__column *c);
void calxr__emit_source(calxr__ctx *cx, calxr__buf *b);
/* emit_rel.c: a table's relationship offset asserts, and its mapper's relationship records. */
void calxr__emit_relation_asserts(calxr__ctx *cx, calxr__buf *b, const calxr__table *t);
void calxr__emit_relationships(calxr__ctx *cx, calxr__buf *b, const calxr__table *t);
/* layout_guard.c: the struct's size and alignment, each field's offset, size and kind. */
void calxr__emit_layout_guard(calxr__ctx *cx, calxr__buf *b, const calxr__table *t);
/* "USER_TS_CREATED_AT" */
char *calxr__handle_name(calxr__ctx *cx, const char *tag, const char *path);

/* output.c */
/*
 * "target: deps": target as given (-MT) when raw_target is not NULL, else
 * path escaped; with phony, "dep:" for every dependency but the input (-MP).
 */
void calxr__emit_depfile(calxr__ctx *cx, calxr__buf *b, const char *path, const char *raw_target, bool phony);
/*
 * Write each buffer to its path through a temporary file and rename, but
 * leave a file whose content is already the same untouched. 0 or -1.
 */
int calxr__write_outputs(calxr__ctx *cx, const char *const *paths, calxr__buf *const *bufs, unsigned n);

void calxr__table_free(calxr__table *t);

#endif /* CALX_REFLECT_INTERNAL_H */
