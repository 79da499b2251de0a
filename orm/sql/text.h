/*
 * Internal: raw SQL with named parameters (calx_text, calx/text.h). The
 * program's text is the one SQL text the runtime does not build from a
 * tree; this layer rewrites its :name placeholders into the dialect's
 * (? or $n), so every value is bound, never written into the text.
 */
#ifndef CALX_ORM_SQL_TEXT_H
#define CALX_ORM_SQL_TEXT_H

#include <stddef.h>
#include "calx/sys/dialect.h"
#include "engine/engine.h"

typedef struct calx__text_sql {
	char *text;             /* the SQL with the dialect's placeholders */
	char **names;           /* each parameter name once, in order of first use */
	size_t n_names;
	unsigned *slot;         /* per placeholder, in text order: its name's index */
	size_t n_slots;
} calx__text_sql;

/*
 * Rewrite sql's :name placeholders for dialect d. Quoted strings ('...'),
 * quoted identifiers ("..."), comments (-- and slash-star) and PostgreSQL's
 * :: casts are left as they are. A placeholder of the dialects' own (? or
 * $1) is CALX_EINVAL: parameters are named. On failure *out is empty.
 */
int calx__text_parse(const calx_dialect *d, const char *sql, calx__text_sql *out, calx_error *err);
void calx__text_sql_free(calx__text_sql *t);

/* Prepare t on c and bind values[i] (name i's value) at each of its placeholders. */
int calx__text_prepare(calx__conn *c, const calx__text_sql *t, const calx_value *values, calx_stmt **out,
                       calx_error *err);
void calx__text_finalize(calx__conn *c, calx_stmt *st);

#endif
