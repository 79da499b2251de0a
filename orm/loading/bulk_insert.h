/*
 * Internal to calx_insert_many (orm/loading/bulk_insert.c: the rows read,
 * checked and cut into runs of one shape; bulk_insert_send.c: each run
 * sent, and what comes back stored into its rows).
 */
#ifndef CALX_LOADING_BULK_INSERT_H
#define CALX_LOADING_BULK_INSERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/calx.h"
#include "mapping/registry.h"
#include "sql/statements.h"

#define CALX__BULK_ROWS_PER_STATEMENT 1000

/* A run of rows of one shape: the columns left to the database. */
typedef struct calx__bulk_run {
	size_t start, end;              /* rows [start, end) */
	size_t params;                  /* its first parameter in params */
	unsigned k;                     /* parameters a row */
	bool reserve;                   /* keys reserved from the sequence (PostgreSQL with RETURNING) */
	uint64_t omitted[CALX__ROWS_MAX_WORDS];
	uint64_t sent[CALX__ROWS_MAX_WORDS];
	uint64_t ret[CALX__ROWS_MAX_WORDS];
	bool any_ret;                   /* RETURNING ret */
	bool batched;                   /* many rows a statement */
} calx__bulk_run;

typedef struct calx__bulk_job {
	calx_session *s;
	const calx__mapper *m;
	char *rows;
	size_t n, size;
	bool returning;
	bool batch;                     /* execute_batch and sequences: many rows a statement */
	calx_value *params;
	calx__bulk_run *runs;
	size_t n_runs, cap_runs;
	const calx__bulk_run *cur;                 /* the run execute_batch is sending */
	size_t base, per, end;          /* ... its current statements: first row, rows a statement, row after the last */
} calx__bulk_job;

static inline void *calx__bulk_row_at(const calx__bulk_job *j, size_t i)
{
	return j->rows + i * j->size;
}

/* A failure of row i (0-based) of the call, with s->err's status and message: "insert many T: what row N of M: ..." */
int calx__bulk_fail_row(calx__bulk_job *j, size_t i, const char *what);

/* Send run r: many rows a statement, pipelined (PostgreSQL), or a statement a row (bulk_insert_send.c). */
int calx__bulk_send_batched(calx__bulk_job *j, const calx__bulk_run *r);
int calx__bulk_send_rows(calx__bulk_job *j, const calx__bulk_run *r);

#endif /* CALX_LOADING_BULK_INSERT_H */
