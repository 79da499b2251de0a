/*
 * Internal to orm/loading/text*.c: a calx_text query's state, shared by
 * text.c (binding, running, rows as values) and text_rows.c (rows onto
 * structs by column name, rows of declared kinds).
 */
#ifndef CALX_ORM_LOADING_TEXT_INT_H
#define CALX_ORM_LOADING_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/calx.h"
#include "sql/text.h"

struct calx_text_query {
	calx_session *s;
	calx__text_sql sql;
	calx_error err;                 /* the text did not parse: reported by the first run */
	calx_value *values;             /* per parameter name, owned copies */
	bool *bound;
	calx_stmt *st;
	bool started, done;
	size_t n_cols;
	/* text_rows.c */
	const calx_mapper_desc *cols_of;        /* the struct cols[] was matched for, or NULL */
	unsigned *cols;                 /* per field of cols_of: its column in the rows */
	char *scratch;                  /* calx_text_next_typed: decimal text of numbers, per column */
	size_t scratch_n;
};

/* Step (the first call sends the text): CALX_ROW, or CALX_DONE / an error with the statement finalized. */
int calx__text_step(calx_text_query *t, uint64_t *changed);

#endif
