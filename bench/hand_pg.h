/*
 * The hand-written PostgreSQL contender's connection and the calls every
 * workload of it uses (bench_pg.c, graph_pg.c): prepared statements with
 * text parameters, and pipelined inserts. Every failure ends the program
 * with the statement and the server's message.
 */
#ifndef CALX_BENCH_HAND_PG_H
#define CALX_BENCH_HAND_PG_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

/* What calx_create_all emits for bench/models.h's customer on PostgreSQL (IF NOT EXISTS). */
extern const char *const pq_customer_ddl;

/* The one connection, opened by pq_open. */
extern PGconn *pq_db;

/* Connect to URL (anything PQconnectdb takes), notices silenced. */
void pq_open(const char *url);

void pq_fail(const char *what, PGresult *res) __attribute__((noreturn));
void pq_exec(const char *sql);
void pq_prepare(const char *name, const char *sql);
/* Run a prepared statement (text parameters, text results); the caller clears the result. */
PGresult *pq_run(const char *name, int n, const char *const *params, ExecStatusType want);
void pq_run_command(const char *name, int n, const char *const *params);

/* An integer as decimal text into buf (at least 21 bytes). */
const char *pq_i64_text(char *buf, int64_t v);
/* A BIGINT column's text (the server's own output: an optional '-' and digits). */
int64_t pq_text_i64(const char *s);
/* A text column as a malloc'd string; NULL stays NULL. */
char *pq_text(const PGresult *res, int row, int col);

/*
 * A pipeline of N executions of one prepared statement, a Sync after every
 * BENCH_CHUNK of them. The connection is non-blocking: rows are queued,
 * whatever the socket takes is sent, and results are read as they arrive,
 * so neither side waits for the other and no buffer grows without bound.
 * With keys, each execution returns one row (RETURNING id), whose value
 * goes to the int64_t at keys + i * stride bytes (the id of the i-th of an
 * array of structs).
 */
typedef struct pq_pipeline {
	long n;         /* executions in all */
	long sent;      /* executions queued */
	long done;      /* executions whose results were read */
	enum { PQ_WANT_RESULT, PQ_WANT_END, PQ_WANT_SYNC } state;
	int64_t *keys;
	size_t stride;
} pq_pipeline;

/* Enter pipeline mode for n executions. */
void pq_pipeline_begin(pq_pipeline *p, long n, int64_t *keys, size_t stride);
/* Queue the next execution of the prepared statement name. */
void pq_pipeline_send(pq_pipeline *p, const char *name, int n_params, const char *const *params);
/* Read every result, leave pipeline mode. */
void pq_pipeline_end(pq_pipeline *p);

#endif
