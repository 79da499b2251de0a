/*
 * Internal to the PostgreSQL dialect: the connection and statement structs
 * shared by pg.c (the row-at-a-time path), pg_values.c (parameters and
 * columns) and pg_batch.c (pipeline mode).
 */
#ifndef CALX_DIALECT_PG_H
#define CALX_DIALECT_PG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "calx/sys/dialect.h"
#include "pq.h"

#define PG_NUM_BUF 32   /* text of one int64 or double parameter */
#define PG_KINDS_KEPT 16        /* columns whose kind a statement keeps per result (wider rows ask libpq for the rest) */
#define PG_HELD_MAX 4   /* statements held back to go with the next one (calx_conn.held) */

struct calx_conn {
	PGconn *pg;
	unsigned next_name;
	uint64_t statements;
	uint64_t round_trips;
	/*
	 * Statements not sent yet, in order: a BEGIN, and statements the
	 * runtime named safe to defer (calx_dialect.may_defer: the flush's
	 * SAVEPOINT and RELEASE around a set statement). They go in one round
	 * trip with the next statement (pipeline mode). A COMMIT or ROLLBACK
	 * before any other statement ends a transaction that never began
	 * (held[0] a BEGIN), sending nothing; in a transaction that began it
	 * drops the held savepoint statements, whose savepoints it ends. The
	 * server takes a transaction's snapshot at its first statement, not at
	 * BEGIN, so nothing a program sees changes.
	 */
	calx_stmt *held[PG_HELD_MAX];
	unsigned n_held;
	bool begin_held;        /* held[0] is the runtime's BEGIN */
	/*
	 * The runtime's ROLLBACK was sent and its result not read yet: the
	 * server ends the transaction (and lets its locks go) when it reads
	 * the message, and a ROLLBACK does not fail while the connection
	 * lives, so nothing waits for the answer. Whatever uses the
	 * connection next reads it first (calx__pg_settle), which then costs
	 * no round trip of its own: a read-only session's end, a page's or a
	 * request's, waits on one round trip fewer.
	 */
	bool end_pending;
};

int calx__pg_settle_pending(calx_conn *c, calx_error *err);

/* Before anything else on the connection: the ROLLBACK sent unwaited, read. */
static inline int calx__pg_settle(calx_conn *c, calx_error *err)
{
	return c->end_pending ? calx__pg_settle_pending(c, err) : 0;
}

/* calx_stmt.txn: the runtime's BEGIN, COMMIT and ROLLBACK (calx_dialect.txn_statements), and what may wait (may_defer). */
enum { PG_TXN_NONE = 0, PG_TXN_BEGIN, PG_TXN_END, PG_TXN_DEFER, PG_TXN_ROLLBACK };

struct calx_stmt {
	calx_conn *c;
	char name[24];
	char *sql;
	int nparams;
	const char **vals;      /* per parameter: text, or bytes for text/blob */
	int *lens;
	int *fmts;              /* 0 text, 1 binary */
	char *nums;             /* nparams * PG_NUM_BUF */
	PGresult *res;
	int row;                /* the current row of res, -1 before the first */
	int ntuples;            /* res's rows, read once (a step a row asked libpq) */
	int nfields;            /* res's columns, -1 until a column is read (then kinds[] is filled too) */
	unsigned char kinds[PG_KINDS_KEPT];     /* the first columns' kinds (pg_values.c), from res's types once, not once a row */
	int64_t affected;
	unsigned char txn;      /* PG_TXN_* */
	unsigned char **bytes;  /* unescaped bytea columns by column index, each until that column is read again */
	int n_bytes;
};

/* Connections (pg_connect.c): open one for a URL, close it, and is it still alive (CALX_DIALECT_LOST)? */
int calx__pg_connect(calx_conn **out, const char *url, calx_error *err);
void calx__pg_disconnect(calx_conn *c);
int calx__pg_broken(calx_conn *c);

/* Map a failed result (or connection) to a status and message. */
int calx__pg_fail(calx_error *err, calx_conn *c, const PGresult *res, const char *sql);
/* Fill the statement's parameter arrays from one row of values. */
int calx__pg_params(calx_stmt *st, const calx_value *vals, unsigned n, calx_error *err);
/* Take a result as the statement's current one: CALX_DONE/CALX_OK or an error. */
int calx__pg_take(calx_stmt *st, PGresult *res, calx_error *err);

/*
 * The server's integer text to int64_t, by hand (why: see int_text in
 * pg_values.c). Inline here: pg.c reads every result's command tag with it
 * and pg_values.c every integer column of every row.
 */
static inline int64_t text_int(const char *t)
{
	bool neg = *t == '-';
	uint64_t u = 0;
	/* one unsigned comparison a digit: anything below '0' wraps above 9 */
	for (unsigned d; (d = (unsigned)(unsigned char)t[neg] - '0') < 10; t++)
		u = u * 10 + d;
	/* negated as unsigned (INT64_MIN's magnitude does not fit in int64_t), the bits taken as they are */
	u = neg ? 0 - u : u;
	int64_t v;
	memcpy(&v, &u, sizeof v);
	return v;
}

/* Send the deferred BEGIN now, if there is one (a statement that cannot go with it in a pipeline is next). */
int calx__pg_send_held(calx_conn *c, calx_error *err);

/* calx_dialect.step_after (pg_batch.c). */
int calx__pg_step_after(calx_stmt *const *before, unsigned n_before, calx_stmt *st, calx_error *err);

/* One parameter, a row's columns, a field's SQL type (pg_values.c). */
int calx__pg_bind(calx_stmt *st, unsigned idx, const calx_value *v, calx_error *err);
void calx__pg_column(calx_stmt *st, unsigned idx, calx_value *out);
void calx__pg_type_name(const calx_field_desc *f, char *buf, size_t cap);

/* A NUMERIC column's text as a CALX_VALUE_NUMERIC, exact (pg_numeric.c). */
void calx__pg_numeric(const char *text, size_t len, calx_value *out);

/* calx_dialect.inspect: pg_catalog's tables, columns, constraints and indexes of one schema (pg_catalog.c). */
int calx__pg_inspect(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err);

int calx__pg_execute_batch(calx_stmt *st, size_t n_rows, unsigned n_params, const calx_value *params,
                           int (*row_cb)(void *payload, size_t row, calx_stmt *st), void *payload,
                           size_t *failed_row, calx_error *err);

#endif
