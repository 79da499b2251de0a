/*
 * codegen.h - calx-codegen's model: a live database's tables (calx/inspect.h)
 * as the structs, fields and relationships of an annotated header.
 *
 * The tool runs in steps, a file each: typemap.c decides a C type for
 * every column (or why there is none), model.c names structs and fields
 * (names.c: C identifiers without collisions) and finds association
 * tables, relations.c adds the relationships, emit.c writes the header. main.c parses the command
 * line, connects, and reports.
 */
#ifndef CALX_CODEGEN_H
#define CALX_CODEGEN_H

#include <stdbool.h>
#include <stdio.h>
#include "calx/inspect.h"

/* How names are made (--struct-names, --field-case). */
typedef enum cg_struct_naming { CG_STRUCT_SINGULAR, CG_STRUCT_AS_IS } cg_struct_naming;
typedef enum cg_field_case { CG_FIELD_SNAKE, CG_FIELD_AS_IS, CG_FIELD_LOWER } cg_field_case;

typedef struct cg_options {
	const char *url;
	const char *output;             /* NULL: stdout */
	const char *schema;             /* NULL: the database's default schema */
	const char *guard;              /* include guard; NULL: from the output's name */
	char **tables;                  /* --tables: only these (NULL: all) */
	unsigned n_tables;
	char **exclude;                 /* --exclude */
	unsigned n_exclude;
	cg_struct_naming struct_naming;
	cg_field_case field_case;
	bool skip_unmappable;
	bool quiet;                     /* no progress on stderr */
	unsigned char_arrays;           /* --char-arrays M: text of a declared length up to M is char[length + 1] */
	bool times_as_text;             /* --times-as-text: dates and times as char *, their text kept as written */
} cg_options;

/* The SQL type families a column can fall into (typemap.c). */
typedef enum cg_family {
	CG_UNMAPPABLE = 0,
	CG_INT,
	CG_BOOL,
	CG_REAL,
	CG_TEXT,
	CG_BYTES,
	CG_DECIMAL,                     /* calx_decimal: NULL is its empty text */
	CG_TIME,                        /* calx_timestamp ... calx_interval: NULL is all zero */
	CG_UUID                         /* calx_uuid NOT NULL, calx_opt_uuid nullable */
} cg_family;

typedef struct cg_type {
	cg_family family;
	const char *plain;              /* the C type of a NOT NULL column: "int32_t", "char *" */
	const char *opt;                /* of a nullable one: "calx_opt_int32"; text, bytes, decimals, times: as plain */
	const char *note;               /* why this C type, when it is not the obvious one; or NULL */
	const char *include;            /* the calx header the C type needs ("calx/time.h"), or NULL */
	const char *option;             /* an option the field adds ("json": JSONB), which is its SQL type too; or NULL */
	const char *calx_kind;          /* a calx value type's kind, counted on the last line ("time"), or NULL */
	const char *kept_as_text;       /* what keeps text (or double) though it is more ("enum"), or NULL */
	char reason[256];               /* CG_UNMAPPABLE: why */
	char note_buf[160];             /* where note points when it is made for the column */
} cg_type;

/* dialect: calx_engine_dialect_name's "sqlite" or "postgresql". */
void cg_type_of(const char *dialect, const char *sql_type, cg_type *out);
/* The same for a column: PostgreSQL's domains by their base type, enums as text (their labels). */
void cg_column_type(const char *dialect, const calx_insp_column *col, cg_type *out);

typedef struct cg_field {
	const calx_insp_column *col;
	char name[72];                  /* the C member */
	cg_type type;
	unsigned array_len;             /* a char[N] member: N; 0: as type says */
	bool mapped;                    /* false: left out (unmappable, --skip-unmappable) */
	bool pk, autoincrement;
} cg_field;

typedef enum cg_rel_kind { CG_REL_MANY_TO_ONE, CG_REL_ONE_TO_MANY, CG_REL_ONE_TO_ONE_PARENT, CG_REL_MANY_TO_MANY } cg_rel_kind;

typedef struct cg_table cg_table;

typedef struct cg_rel {
	cg_rel_kind kind;
	char name[80];
	cg_table *target;
	const calx_insp_fk *fk;         /* the join: in this table (many-to-one), the target's (one-to-many) */
	cg_table *secondary;            /* many-to-many: the association table */
	const calx_insp_fk *secondary_fk;       /* many-to-many: the association's key to this table */
	char partner[80];               /* the other side's field name (back_populates) */
	bool need_foreign_keys;         /* two or more keys between the tables: name the join's columns */
} cg_rel;

struct cg_table {
	const calx_insp_table *t;
	char tag[72];                   /* the struct tag */
	bool selected;                  /* chosen by --tables / --exclude and mappable */
	bool association;               /* two foreign keys and nothing else: table_only, secondary(...) */
	char skip_reason[200];          /* not mappable at all (its name, its key) */
	cg_field *fields;
	unsigned n_fields;
	cg_rel *rels;
	unsigned n_rels, cap_rels;
	bool *fk_kept;                  /* per foreign key: every column mapped, the target selected */
	unsigned n_unmapped;
};

typedef struct cg_model {
	const char *dialect;
	cg_table *tables;
	unsigned n_tables;
	unsigned n_unmappable;          /* columns with no C type */
	unsigned n_skipped_tables;
} cg_model;

/* model.c. Reports unmappable columns on err as it goes. 0 or -1 (out of memory). */
int cg_model_build(cg_model *m, const calx_inspection *in, const char *dialect, const cg_options *opt, FILE *err);
void cg_model_free(cg_model *m);
/* model.c: the table of that name, or NULL; base made unique among t's first n_fields fields and its relationships. */
cg_table *cg_find_table(cg_model *m, const char *name);
void cg_unique_name(const cg_table *t, unsigned n_fields, const char *base, char *out, size_t cap);
/* relations.c: every selected table's relationships. 0, or -1 out of memory. */
int cg_relate_all(cg_model *m);

/*
 * emit.c: the header. 0, or -1 on a write error. progress (or NULL) gets a
 * line every tenth of the structs when there are 50 or more.
 */
int cg_emit(FILE *out, const cg_model *m, const cg_options *opt, FILE *progress);

/* names.c */
bool cg_is_c_keyword(const char *s);
/* A C identifier from name in the given case: "ArtistId" -> "artist_id" (snake). */
void cg_identifier(char *out, size_t cap, const char *name, cg_field_case fc);
/* English singular of a snake_case word's last part: "categories" -> "category". */
void cg_singular(char *out, size_t cap, const char *word);
void cg_plural(char *out, size_t cap, const char *word);
/* calx's rule for table and column names: [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes. */
bool cg_plain_sql_name(const char *s);

#endif /* CALX_CODEGEN_H */
