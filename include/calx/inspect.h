/*
 * calx/inspect.h - live schemas: what a database holds, and how it differs
 * from a registry's tables.
 *
 * calx_inspect lists a live database's tables with their columns, keys,
 * foreign keys, unique constraints, indexes and checks, as the database's
 * own catalog reports them (SQLite's PRAGMAs and sqlite_master,
 * PostgreSQL's pg_catalog). calx_schema_diff compares a registry with it;
 * calx_create_all_checked refuses to run create_all over a schema that
 * drifted. The results are plain data owned by one object, freed with one
 * call. Errors are kept on the engine (calx_engine_errmsg), as for
 * calx_create_all.
 */
#ifndef CALX_INSPECT_H
#define CALX_INSPECT_H

#include <stdbool.h>
#include "calx/engine.h"
#include "calx/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_insp_column {
	const char *name;
	const char *type;               /* as the database reports it: "VARCHAR(64)", "character varying(64)" */
	bool nullable;
	const char *default_sql;        /* the default's SQL text, or NULL */
	/*
	 * The database generates it: SQLite's INTEGER PRIMARY KEY (the rowid),
	 * PostgreSQL's identity columns and serials (a nextval default).
	 */
	bool autoincrement;
	char identity;                  /* PostgreSQL: 'a' ALWAYS, 'd' BY DEFAULT, 0 none */
	/*
	 * PostgreSQL: what kind of type `type` names (pg_type.typtype): 'b'
	 * a base type (arrays too: "text[]"), 'd' a domain, 'e' an enum, 'c'
	 * a composite type, 'r' a range, 'm' a multirange, 'p' a pseudo-type;
	 * SQLite: 0. For a domain, base_type is the type it constrains as
	 * format_type writes it ("character varying(80)"; a domain over a
	 * domain names the inner domain); else NULL.
	 */
	char type_kind;
	const char *base_type;
} calx_insp_column;

/* A primary key, a unique constraint or an index: a name and columns in order. */
typedef struct calx_insp_key {
	const char *name;               /* NULL when the database keeps none (SQLite's unnamed keys) */
	const char **columns;
	unsigned n_columns;
	bool unique;                    /* indexes: a unique index */
} calx_insp_key;

typedef struct calx_insp_fk {
	const char *name;               /* NULL when the database keeps none */
	const char **columns;           /* in this table */
	const char **ref_columns;       /* in ref_table, pairwise with columns */
	unsigned n_columns;
	const char *ref_schema;         /* PostgreSQL: the referred table's schema; SQLite: NULL */
	const char *ref_table;
	const char *ondelete;           /* "NO ACTION", "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT" */
	const char *onupdate;
} calx_insp_fk;

typedef struct calx_insp_check {
	const char *name;               /* NULL for an unnamed check */
	const char *sqltext;            /* the expression, without CHECK and its outer parentheses */
} calx_insp_check;

typedef struct calx_insp_table {
	const char *schema;             /* "main" on SQLite; the PostgreSQL schema */
	const char *name;
	calx_insp_column *columns;
	unsigned n_columns;
	calx_insp_key pk;               /* n_columns 0: no primary key */
	calx_insp_fk *fks;
	unsigned n_fks;
	calx_insp_key *uniques;         /* unique constraints (PostgreSQL; SQLite: UNIQUE of CREATE TABLE) */
	unsigned n_uniques;
	calx_insp_key *indexes;         /* CREATE INDEX indexes, neither a key's nor a unique constraint's */
	unsigned n_indexes;
	calx_insp_check *checks;
	unsigned n_checks;
} calx_insp_table;

typedef struct calx_inspection calx_inspection;

/*
 * The tables of schema (NULL: SQLite's "main", PostgreSQL's
 * current_schema(), the first of the search path), sorted by name. On
 * success *out holds them until calx_inspection_free. Fails with
 * CALX_EINVAL when the dialect cannot inspect or the schema does not exist.
 */
int calx_inspect(calx_engine *eng, const char *schema, calx_inspection **out);
void calx_inspection_free(calx_inspection *in);

unsigned calx_inspection_count(const calx_inspection *in);
/* Table i (0 <= i < count), or NULL. */
const calx_insp_table *calx_inspection_table(const calx_inspection *in, unsigned i);
/* The table of that name, or NULL. */
const calx_insp_table *calx_inspection_find(const calx_inspection *in, const char *name);
/* The column of that name, or NULL. */
const calx_insp_column *calx_insp_table_column(const calx_insp_table *t, const char *name);

/* --- schema diff -------------------------------------------------------- */

typedef enum calx_drift_kind {
	CALX_DRIFT_MISSING_TABLE = 1,   /* in the registry, not in the database */
	CALX_DRIFT_EXTRA_TABLE,         /* in the database, not in the registry */
	CALX_DRIFT_MISSING_COLUMN,
	CALX_DRIFT_EXTRA_COLUMN,
	CALX_DRIFT_TYPE,                /* expected and found: the two types */
	CALX_DRIFT_NULLABLE,            /* expected and found: "NULL" or "NOT NULL" */
	CALX_DRIFT_PRIMARY_KEY,         /* expected and found: the key's columns */
	CALX_DRIFT_MISSING_INDEX,       /* constraint: its name */
	CALX_DRIFT_MISSING_UNIQUE,
	CALX_DRIFT_MISSING_CHECK,
	CALX_DRIFT_MISSING_FK,
	/*
	 * A foreign key of that name whose columns, referred table or columns,
	 * or ON DELETE / ON UPDATE differ: expected and found say it whole
	 * ("(book_id, edition_no) -> lsx_editions (book_id, no), on delete
	 * SET NULL, on update NO ACTION").
	 */
	CALX_DRIFT_FK
} calx_drift_kind;

typedef struct calx_drift {
	calx_drift_kind kind;
	const char *table;
	const char *column;             /* column kinds, else NULL */
	const char *constraint;         /* index and constraint kinds, else NULL */
	const char *expected;           /* TYPE, NULLABLE, PRIMARY_KEY, FK: what the registry says */
	const char *found;              /* ... and what the database has */
	const char *text;               /* one line saying all of the above */
} calx_drift;

typedef struct calx_drift_list calx_drift_list;

/*
 * What differs between the registry's tables and the engine's database
 * (its default schema). Types compare up to the dialects' synonyms
 * (INTEGER / int4, VARCHAR(n) / character varying(n), BOOLEAN / bool,
 * DOUBLE PRECISION / float8, BIGINT / int8, ...). Indexes and unique,
 * check and foreign-key constraints are found by the names calx gives
 * them (calx_registry_options); on SQLite, where only CREATE TABLE's text
 * keeps the names of constraints, by that text. *out is empty on an
 * exact match; free it with calx_drift_list_free.
 */
int calx_schema_diff(const calx_registry *reg, calx_engine *eng, calx_drift_list **out);
void calx_drift_list_free(calx_drift_list *diff);
unsigned calx_drift_list_count(const calx_drift_list *diff);
const calx_drift *calx_drift_list_entry(const calx_drift_list *diff, unsigned i);
const char *calx_drift_kind_name(calx_drift_kind kind);

/* calx_create_all_checked flags */
#define CALX_CREATE_IGNORE_DRIFT 1u     /* log what drifted (CALX_LOG_WARNING), then create_all anyway */

/*
 * create_all after a schema diff. A registry table that exists but
 * differs (a column missing or extra, another type or nullability, a key,
 * constraint or index missing) is drift: unless flags has
 * CALX_CREATE_IGNORE_DRIFT, it fails with CALX_ESTATE and a message
 * naming what drifted ("create_all: schema drift (1): table authors:
 * column country missing"), creating nothing. Tables missing altogether
 * are what create_all is for; tables the registry does not know are
 * another program's business: neither is drift here.
 */
int calx_create_all_checked(const calx_registry *reg, calx_engine *eng, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* CALX_INSPECT_H */
