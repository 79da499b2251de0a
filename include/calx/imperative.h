/*
 * calx/imperative.h - imperative mapping (SQLAlchemy's map_imperatively):
 * a table described at run time and an existing struct mapped onto it,
 * with no annotations and no calx-reflect run.
 *
 *   struct author { int64_t id; char name[32]; calx_opt_int32 born; };
 *
 *   static const calx_imp_column author_cols[] = {
 *       CALX_IMP_COLUMN(struct author, id, CALX_CTYPE_INT64, CALX_FIELD_AUTOINCREMENT),
 *       CALX_IMP_COLUMN(struct author, name, CALX_CTYPE_CHARARRAY, 0),
 *       CALX_IMP_COLUMN(struct author, born, CALX_CTYPE_INT32, CALX_FIELD_OPTIONAL),
 *   };
 *   static const calx_imp_table tables[] = {
 *       { .table = "authors", .struct_name = "author", .size = sizeof(struct author),
 *         .align = _Alignof(struct author), .columns = author_cols, .n_columns = 3,
 *         .primary_key = "id" },
 *   };
 *   calx_registry *reg;
 *   calx_map_imperatively(&reg, "library", tables, 1, NULL);
 *   const calx_mapper_desc *author = calx_registry_mapper(reg, "author");
 *
 * The registry builds the same descriptors calx-reflect generates and owns
 * them (calx_registry_free frees them); from there the mapping is like a
 * declarative one: calx_object_new, calx_session_get, add, flush, selects
 * (a column is calx_registry_mapper(reg, "author")->fields[i], what a
 * generated handle points at), relationships, create_all. What the
 * compiler checks for a generated header is checked here at run time, and
 * a bad description is refused with a message (calx_registry_errmsg): a
 * key or foreign-key column that is not a column, a field beyond the
 * struct or overlapping another, a size that is not its C type's, an
 * unknown referred table.
 */
#ifndef CALX_IMPERATIVE_H
#define CALX_IMPERATIVE_H

#include <stddef.h>
#include "calx/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One column: a member of the struct. flags are enum calx_field_flags
 * (calx/sys/descriptor.h): CALX_FIELD_NOT_NULL, _AUTOINCREMENT, _OPTIONAL
 * (a calx_opt_* wrapper of ctype's type), _UNIQUE, _INDEX, _VERSION; the
 * key's columns are NOT NULL and need no flag. A text column is nullable
 * unless CALX_FIELD_NOT_NULL, as declaratively.
 */
typedef struct calx_imp_column {
	const char *name;               /* the C member, for messages and repr: "born" */
	const char *column;             /* SQL name, or NULL: name */
	calx_ctype ctype;
	size_t offset;                  /* offsetof(struct, member) */
	size_t size;                    /* sizeof the member */
	uint32_t flags;
	const char *sql_type;           /* explicit SQL type, or NULL: the dialect's */
	const char *server_default;     /* SQL expression, or NULL */
} calx_imp_column;

/* A column from a member of S: its name, offset and size taken from the struct. */
#define CALX_IMP_COLUMN(S, member, ctype, flags) \
	{ #member, NULL, (ctype), offsetof(S, member), sizeof(((S *)0)->member), (flags), NULL, NULL }

/* A foreign key: "a, b" of this table refer to "x, y" of ref_table (its key or a unique constraint). */
typedef struct calx_imp_fk {
	const char *columns;
	const char *ref_table;
	const char *ref_columns;
	const char *ondelete, *onupdate; /* "CASCADE", "SET NULL", ... or NULL */
	const char *name;               /* or NULL: the naming convention */
} calx_imp_fk;

/* A unique constraint or an index on "a, b"; a check "SQL". */
typedef struct calx_imp_constraint {
	const char *columns;            /* unique, index: the columns */
	const char *sql;                /* check: the expression */
	const char *name;               /* or NULL: the naming convention (a check needs one) */
	bool unique_index;              /* an index: CREATE UNIQUE INDEX */
} calx_imp_constraint;

/*
 * A relationship field: a pointer to the target's struct (many-to-one,
 * joined by this table's foreign key to the target's table) or a
 * CALX_LIST of it (one-to-many, by the target's foreign key to this table).
 */
typedef struct calx_imp_relationship {
	const char *name;               /* the field: "books" */
	size_t offset;                  /* offsetof(struct, books) */
	calx_relationship_kind kind;    /* CALX_REL_MANY_TO_ONE or CALX_REL_ONE_TO_MANY */
	const char *target;             /* the target's table */
	const char *back_populates;     /* the target's field kept in sync, or NULL */
	uint32_t cascade;               /* enum calx_cascade; 0: the default ("save-update, merge") */
} calx_imp_relationship;

typedef struct calx_imp_table {
	const char *table;              /* SQL name ("billing.invoices" for a PostgreSQL schema) */
	const char *struct_name;        /* "author": calx_registry_mapper's name, messages */
	size_t size, align;             /* sizeof, _Alignof the struct */
	const calx_imp_column *columns;
	unsigned n_columns;
	const char *primary_key;        /* "id" or "a, b": column names */
	const calx_imp_fk *fks;
	unsigned n_fks;
	const calx_imp_constraint *uniques, *indexes, *checks;
	unsigned n_uniques, n_indexes, n_checks;
	const calx_imp_relationship *relationships;
	unsigned n_relationships;
} calx_imp_table;

/*
 * Map the n tables onto their structs: a registry like calx_registry_open's
 * over a generated schema named schema_name, which owns the descriptors it
 * built. opts may be NULL (the naming convention). As calx_registry_open:
 * on failure *out is set, unless memory ran out, to a registry whose
 * calx_registry_errmsg() says why; free it either way.
 */
int calx_map_imperatively(calx_registry **out, const char *schema_name, const calx_imp_table *tables, unsigned n,
                          const calx_registry_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* CALX_IMPERATIVE_H */
