/*
 * Internal: live schemas (calx/inspect.h). The memory an inspection or a
 * diff hands out (inspection.c), the comparison of SQL types up to the
 * dialects' synonyms (types.c), the diff (diff.c).
 */
#ifndef CALX_ORM_SCHEMA_H
#define CALX_ORM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/inspect.h"
#include "calx/registry.h"
#include "calx/sys/dialect.h"

typedef struct calx__pool_block {
	struct calx__pool_block *next;
	_Alignas(max_align_t) unsigned char bytes[];
} calx__pool_block;

/* Blocks freed together. */
typedef struct calx__pool {
	calx__pool_block *blocks;
} calx__pool;

void *calx__pool_alloc(calx__pool *p, size_t size);          /* zeroed; NULL when memory ran out */
char *calx__pool_strndup(calx__pool *p, const char *s, size_t n);
char *calx__pool_strdup(calx__pool *p, const char *s);      /* NULL for NULL */
void *calx__pool_push(calx__pool *p, void *arr_ptr, unsigned *n, size_t elem);
void calx__pool_free(calx__pool *p);

struct calx_inspection {
	calx__pool pool;
	calx_insp_table *tables;
	unsigned n_tables;
	/* tables[0..n_first) are the schema inspected first; calx__inspect_more appended the rest */
	unsigned n_first;
};

struct calx__conn;
int calx__inspect_conn(calx_engine *eng, struct calx__conn *c, const char *schema, calx_inspection **out,
                       calx_error *err);

/* The tables of another schema appended to in (sorted among themselves), for a diff of qualified tables. */
int calx__inspect_more(struct calx__conn *c, const char *schema, calx_inspection *in, calx_error *err);
/* The diff of reg against an inspection, for dialect d (diff.c). */
int calx__schema_diff_of(const calx_registry *reg, const calx_dialect *d, const calx_inspection *in,
                         calx_drift_list **out, calx_error *err);

/*
 * A type as calx compares it (types.c): lower case, single spaces, the
 * dialects' synonyms folded ("int4" and "INTEGER" -> "integer",
 * "character varying(64)" -> "varchar(64)"), PostgreSQL's identity clause
 * dropped. Written into buf.
 */
void calx__type_canonical(const char *type, char *buf, size_t cap);

/*
 * Can field f take the values of live column col (fit.c)? false with the
 * reason in why: its type, length or nullability, and what to declare.
 */
bool calx__field_fits(const char *dialect, const calx_field_desc *f, const calx_insp_column *col, char *why,
                      size_t cap);

#endif
