/*
 * calx/sys/catalog.h - for dialect authors: how a dialect's inspect hook
 * (calx_dialect.inspect) hands the runtime what its catalog says.
 *
 * The runtime owns the calx_inspection and its memory; the dialect adds a
 * table, then that table's columns, keys, foreign keys and checks, and
 * the next table. A pointer returned here stays valid until the next call
 * that adds an item of the same kind to the same parent (a table's
 * columns grow as an array). Every string is copied. Each call returns
 * NULL (or CALX_ENOMEM) when memory ran out; the dialect then returns
 * CALX_ENOMEM, and the runtime frees what was added.
 */
#ifndef CALX_SYS_CATALOG_H
#define CALX_SYS_CATALOG_H

#include "calx/inspect.h"

#ifdef __cplusplus
extern "C" {
#endif

calx_insp_table *calx_catalog_table(calx_inspection *in, const char *schema, const char *name);
/* The tables added so far, and table i of them (to add its parts after the list of tables). */
unsigned calx_catalog_count(const calx_inspection *in);
calx_insp_table *calx_catalog_table_at(calx_inspection *in, unsigned i);
calx_insp_column *calx_catalog_column(calx_inspection *in, calx_insp_table *t, const char *name,
                                      const char *type, bool nullable, const char *default_sql);

enum { CALX_CATALOG_PK = 0, CALX_CATALOG_UNIQUE = 1, CALX_CATALOG_INDEX = 2 };
/* The table's primary key (what is CALX_CATALOG_PK: the one pk), a unique constraint or an index. */
calx_insp_key *calx_catalog_key(calx_inspection *in, calx_insp_table *t, int what, const char *name,
                                bool unique);
int calx_catalog_key_column(calx_inspection *in, calx_insp_key *k, const char *column);

calx_insp_fk *calx_catalog_fk(calx_inspection *in, calx_insp_table *t, const char *name, const char *ref_schema,
                              const char *ref_table, const char *ondelete, const char *onupdate);
int calx_catalog_fk_column(calx_inspection *in, calx_insp_fk *fk, const char *column, const char *ref_column);

calx_insp_check *calx_catalog_check(calx_inspection *in, calx_insp_table *t, const char *name,
                                    const char *sqltext);

/* A copy of n bytes of s, NUL-terminated, that lives as long as the inspection. */
char *calx_catalog_strndup(calx_inspection *in, const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* CALX_SYS_CATALOG_H */
