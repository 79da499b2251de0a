/*
 * calx/registry.h - mappers and metadata built from a generated schema.
 *
 * A registry is immutable once opened and safe to share across threads.
 * Several registries (several generated headers) can live in one program.
 */
#ifndef CALX_REGISTRY_H
#define CALX_REGISTRY_H

#include "calx/sys/descriptor.h"
#include "calx/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_registry calx_registry;

/*
 * Constraint naming convention. Tokens: %(table)s, %(column)s (every column
 * of the constraint, joined by "_": uq_order_lines_order_id_line_no),
 * %(referred_table)s, %(constraint_name)s; SQLAlchemy's %(table_name)s,
 * %(column_0_name)s (the first column), %(column_0N_name)s (all, joined),
 * %(column_0_N_name)s (all, joined by "_"), the labels %(column_0_label)s,
 * %(column_0N_label)s and %(column_0_N_label)s (a label is table_column)
 * and %(referred_table_name)s.
 * A name given in the header (name="...") is used as it is, unless the
 * template has %(constraint_name)s (for an unnamed constraint: its
 * columns, as %(column)s). NULL members take the default shown.
 */
typedef struct calx_registry_options {
	unsigned version;         /* CALX_REGISTRY_OPTIONS_VERSION */
	const char *pk;           /* "pk_%(table)s" */
	const char *fk;           /* "fk_%(table)s_%(column)s_%(referred_table)s" */
	const char *uq;           /* "uq_%(table)s_%(column)s" */
	const char *ix;           /* "ix_%(table)s_%(column)s" */
	const char *ck;           /* "ck_%(table)s_%(column)s" */
} calx_registry_options;

#define CALX_REGISTRY_OPTIONS_VERSION 1
#define CALX_REGISTRY_OPTIONS_INIT { CALX_REGISTRY_OPTIONS_VERSION, 0, 0, 0, 0, 0 }

/*
 * Open a registry over a generated schema (e.g. &models_schema). opts may be
 * NULL. On failure *out is set, unless memory ran out, to a registry whose
 * calx_registry_errmsg() says why: free it either way.
 */
int calx_registry_open(calx_registry **out, const calx_schema_desc *schema,
                       const calx_registry_options *opts);
void calx_registry_free(calx_registry *reg);
/* Why opening failed; for an opened registry, why the last calx_registry_listen or calx_registry_add_criteria failed ("" if none did). */
const char *calx_registry_errmsg(const calx_registry *reg);

/* Borrowed from the schema; NULL if no struct of that tag/table is mapped. */
const calx_mapper_desc *calx_registry_mapper(const calx_registry *reg, const char *name);

/*
 * Create every table, unique constraint and index that does not exist yet,
 * parents before children (foreign-key order), in one transaction.
 * drop_all drops them children first. Errors are kept on the engine.
 */
int calx_create_all(const calx_registry *reg, calx_engine *eng);
int calx_drop_all(const calx_registry *reg, calx_engine *eng);

/*
 * The DDL create_all would run on this engine, statements separated by
 * ";\n". Caller frees *out with calx_free().
 */
int calx_registry_ddl(const calx_registry *reg, calx_engine *eng, char **out);

/* Free memory that calx handed to the caller (calx_registry_ddl). */
void calx_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* CALX_REGISTRY_H */
