/*
 * Internal: calx_map_imperatively's builder (imperative.c) and the checks
 * of a description it runs before building (imperative_check.c).
 */
#ifndef CALX_ORM_IMPERATIVE_INT_H
#define CALX_ORM_IMPERATIVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/imperative.h"
#include "schema/schema.h"

/* Descriptors under construction: one pool, the first refusal, memory running out. */
typedef struct builder {
	calx__pool pool;
	calx_error err;
	bool oom;
} builder;

/* A refusal (CALX_EINVAL, "map_imperatively: ..."), kept in b->err; returns its status. */
int calx__imp_fail(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n zeroed items of size bytes from the pool (at least one); NULL sets b->oom. */
void *calx__imp_alloc(builder *b, size_t n, size_t size);
bool calx__imp_table_name_ok(const char *s);
const char *calx__imp_column_name(const calx_imp_column *c);
int calx__imp_find_table(const calx_imp_table *tables, unsigned n, const char *name);
int calx__imp_column_list(builder *b, const calx_imp_table *t, const char *list, const char *what, unsigned **out,
                       unsigned *n_out);
int calx__imp_check_layout(builder *b, const calx_imp_table *t);
uint32_t calx__imp_field_flags(const calx_imp_column *c, bool in_pk);

#endif
