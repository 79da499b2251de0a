/*
 * The PostgreSQL dialect: libpq behind calx's dialect vtable.
 *
 * URLs: libpq URIs ("postgresql://user@host:port/db?opt=v", "postgres://...")
 * and connection strings after the scheme ("postgresql:host=h dbname=d").
 * Statements are prepared once per connection (named calx_N); numbers and
 * text go as text parameters (the server parses them as the column's type),
 * blobs as binary ones; results come back as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "calx/errors.h"
#include "pg.h"

static int pg_exec(calx_conn *c, const char *sql, calx_error *err)
{
	int sent = calx__pg_send_held(c, err);
	if (sent != CALX_OK)
		return sent;
	PGresult *res = PQexec(c->pg, sql);
	c->statements++;
	c->round_trips++;
	ExecStatusType st = PQresultStatus(res);
	int rc = CALX_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
		rc = calx__pg_fail(err, c, res, sql);
	PQclear(res);
	return rc;
}

static void pg_finalize(calx_stmt *st);

/*
 * Highest $n in the text: our SQL has no literals, so no quoting to skip.
 * Digits read by hand, not strtol: a select-in's IN list has one $n a key
 * (10,000 of them cost 1.7 M instructions through strtol). Numbers stop
 * growing past the protocol's limit of 65,535 parameters, so no overflow.
 */
static int count_params(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++) {
		if (*p != '$')
			continue;
		int n = 0;
		for (unsigned d; (d = (unsigned)(unsigned char)p[1] - '0') < 10; p++)
			if (n <= 65535)
				n = n * 10 + (int)d;
		if (n > max)
			max = n;
	}
	return max;
}

static int pg_prepare(calx_conn *c, const char *sql, calx_stmt **out, calx_error *err)
{
	*out = NULL;
	int settled = calx__pg_settle(c, err);
	if (settled != CALX_OK)
		return settled;
	calx_stmt *st = calx_sys_calloc(1, sizeof *st);
	if (!st)
		return calx_error_set(err, CALX_ENOMEM, "postgresql: out of memory preparing %.200s", sql);
	st->c = c;
	st->row = -1;
	st->nparams = count_params(sql);
	int n = st->nparams ? st->nparams : 1;
	st->sql = calx_sys_strdup(sql);
	st->vals = calx_sys_calloc((size_t)n, sizeof *st->vals);
	st->lens = calx_sys_calloc((size_t)n, sizeof *st->lens);
	st->fmts = calx_sys_calloc((size_t)n, sizeof *st->fmts);
	st->nums = calx_sys_calloc((size_t)n, PG_NUM_BUF);
	if (!st->sql || !st->vals || !st->lens || !st->fmts || !st->nums) {
		pg_finalize(st);
		return calx_error_set(err, CALX_ENOMEM, "postgresql: out of memory preparing %.200s", sql);
	}
	snprintf(st->name, sizeof st->name, "calx_%u", ++c->next_name);
	PGresult *res = PQprepare(c->pg, st->name, sql, st->nparams, NULL);
	c->round_trips++;
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CALX_OK : calx__pg_fail(err, c, res, sql);
	PQclear(res);
	if (rc != CALX_OK) {
		st->name[0] = '\0';
		pg_finalize(st);
		return rc;
	}
	*out = st;
	return CALX_OK;
}

int calx__pg_take(calx_stmt *st, PGresult *res, calx_error *err)
{
	ExecStatusType s = PQresultStatus(res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		const char *n = PQcmdTuples(res);
		st->affected = *n ? text_int(n) : 0;
		st->res = res;
		st->row = -1;
		st->ntuples = PQntuples(res);
		st->nfields = -1;
		return CALX_OK;
	}
	int rc = calx__pg_fail(err, st->c, res, st->sql);
	PQclear(res);
	return rc;
}

/*
 * Did the server do what the statement asked? A statement that ends a
 * failed transaction answers with the command tag ROLLBACK whatever it was
 * (COMMIT included): a tag whose first word is not the statement's own
 * means the work was rolled back, not done.
 */
static bool did_other_command(const char *sql, const char *tag)
{
	size_t n = strcspn(tag, " ");
	return n && (strncasecmp(sql, tag, n) != 0 || (sql[n] && sql[n] != ' '));
}

int calx__pg_settle_pending(calx_conn *c, calx_error *err)
{
	c->end_pending = false;
	int rc = CALX_OK;
	PGresult *res;
	while ((res = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == CALX_OK)
			rc = calx__pg_fail(err, c, res, "the last transaction's rollback");
		PQclear(res);
	}
	if (rc == CALX_OK && PQstatus(c->pg) != CONNECTION_OK)
		rc = calx__pg_fail(err, c, NULL, "the last transaction's rollback");
	return rc;
}

/* Send what is held, one statement at a time (a path that cannot take them along); the first failure stops it. */
int calx__pg_send_held(calx_conn *c, calx_error *err)
{
	int settled = calx__pg_settle(c, err);
	if (settled != CALX_OK)
		return settled;
	unsigned n = c->n_held;
	c->n_held = 0;
	c->begin_held = false;
	for (unsigned i = 0; i < n; i++) {
		calx_stmt *b = c->held[i];
		PGresult *res = PQexecPrepared(c->pg, b->name, 0, NULL, NULL, NULL, 0);
		c->statements++;
		c->round_trips++;
		int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CALX_OK : calx__pg_fail(err, c, res, b->sql);
		PQclear(res);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

static void hold(calx_conn *c, calx_stmt *st)
{
	c->held[c->n_held++] = st;
}

/*
 * The first step: the statement runs, its result becomes the statement's
 * (out of line: see pg_step); CALX_DONE, no result, for a BEGIN deferred
 * or the end of a transaction that never began.
 */
__attribute__((noinline)) static int pg_execute(calx_stmt *st, calx_error *err)
{
	calx_conn *c = st->c;
	int settled = calx__pg_settle(c, err);
	if (settled != CALX_OK)
		return settled;
	if (st->txn == PG_TXN_BEGIN && !c->n_held && PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
		hold(c, st);
		c->begin_held = true;
		return CALX_DONE;
	}
	/* in a transaction that has not failed (or one about to begin): a failed one's refusal is reported now */
	if (st->txn == PG_TXN_DEFER && c->n_held < PG_HELD_MAX &&
	    (c->begin_held || PQtransactionStatus(c->pg) == PQTRANS_INTRANS)) {
		hold(c, st);
		return CALX_DONE;
	}
	if (c->n_held) {
		if (st->txn != PG_TXN_END && st->txn != PG_TXN_ROLLBACK)
			return calx__pg_step_after(NULL, 0, st, err);
		/* the end: of a transaction that never began, nothing to send; else the held savepoints end with it */
		bool never_began = c->begin_held;
		c->n_held = 0;
		c->begin_held = false;
		if (never_began)
			return CALX_DONE;
	}
	PGTransactionStatusType before = PQtransactionStatus(st->c->pg);
	/* the runtime's ROLLBACK of a transaction that began: sent, its answer read by the next use (end_pending) */
	if (st->txn == PG_TXN_ROLLBACK && (before == PQTRANS_INTRANS || before == PQTRANS_INERROR) &&
	    PQsendQueryPrepared(c->pg, st->name, 0, NULL, NULL, NULL, 0)) {
		c->end_pending = true;
		c->statements++;
		return CALX_DONE;
	}
	PGresult *res = PQexecPrepared(st->c->pg, st->name, st->nparams, st->vals, st->lens, st->fmts, 0);
	st->c->statements++;
	st->c->round_trips++;
	int rc = calx__pg_take(st, res, err);
	if (rc != CALX_OK)
		return rc;
	if (before == PQTRANS_INERROR && did_other_command(st->sql, PQcmdStatus(st->res)))
		return calx_error_set(err, CALX_ERROR,
		                      "postgresql: %.200s: the transaction had failed, so the server rolled it "
		                      "back instead (command tag %s)", st->sql, PQcmdStatus(st->res));
	return CALX_OK;
}

/* Rows after the first step are the result's, one a step: no call into libpq, no frame for the execution. */
static int pg_step(calx_stmt *st, calx_error *err)
{
	if (!st->res) {
		int rc = pg_execute(st, err);
		if (rc != CALX_OK)
			return rc;
	}
	if (st->row + 1 < st->ntuples) {
		st->row++;
		return CALX_ROW;
	}
	return CALX_DONE;
}

static unsigned pg_column_count(calx_stmt *st)
{
	return st->res ? (unsigned)PQnfields(st->res) : 0;
}

static const char *pg_column_name(calx_stmt *st, unsigned idx)
{
	return st->res && (int)idx < PQnfields(st->res) ? PQfname(st->res, (int)idx) : NULL;
}

static void pg_reset(calx_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	for (int i = 0; st->bytes && i < st->n_bytes; i++)
		PQfreemem(st->bytes[i]);
	calx_sys_free(st->bytes);
	st->bytes = NULL;
	st->n_bytes = 0;
	for (int i = 0; st->vals && i < st->nparams; i++)
		st->vals[i] = NULL;
}

static void pg_finalize(calx_stmt *st)
{
	if (!st)
		return;
	calx_error unread;
	(void)calx__pg_settle(st->c, &unread);   /* a failed ROLLBACK: the connection's next use sees it lost */
	for (unsigned i = 0; i < st->c->n_held; i++)
		if (st->c->held[i] == st) {
			/* a held statement goes: what is held is sent now (a BEGIN among them: the transaction begins) */
			calx_error ignored;
			(void)calx__pg_send_held(st->c, &ignored);
			break;
		}
	pg_reset(st);
	if (st->name[0] && PQstatus(st->c->pg) == CONNECTION_OK && PQtransactionStatus(st->c->pg) != PQTRANS_INERROR) {
		char sql[48];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
		PQclear(PQexec(st->c->pg, sql));
		st->c->round_trips++;
	}
	calx_sys_free(st->sql);
	calx_sys_free(st->vals);
	calx_sys_free(st->lens);
	calx_sys_free(st->fmts);
	calx_sys_free(st->nums);
	calx_sys_free(st);
}

static void pg_txn_statements(calx_conn *c, calx_stmt *begin, calx_stmt *commit, calx_stmt *rollback)
{
	(void)c;
	if (begin)
		begin->txn = PG_TXN_BEGIN;
	if (commit)
		commit->txn = PG_TXN_END;
	if (rollback)
		rollback->txn = PG_TXN_ROLLBACK;
}

static int64_t pg_rows_affected(calx_stmt *st)
{
	return st->affected;
}

static void pg_may_defer(calx_conn *c, calx_stmt *st)
{
	(void)c;
	if (st->txn == PG_TXN_NONE)
		st->txn = PG_TXN_DEFER;
}

static void pg_counters(calx_conn *c, uint64_t *statements, uint64_t *round_trips)
{
	*statements = c->statements;
	*round_trips = c->round_trips;
}

const calx_dialect calx_postgresql_dialect = {
	.version = CALX_DIALECT_VERSION,
	.name = "postgresql",
	.numbered_params = 1,
	.max_params = 65535,
	.connect = calx__pg_connect,
	.disconnect = calx__pg_disconnect,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind = calx__pg_bind,
	.step = pg_step,
	.column_count = pg_column_count,
	.column_name = pg_column_name,
	.inspect = calx__pg_inspect,
	.column = calx__pg_column,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.type_name = calx__pg_type_name,
	.rows_affected = pg_rows_affected,
	.broken = calx__pg_broken,
	.execute_batch = calx__pg_execute_batch,
	.step_after = calx__pg_step_after,
	.txn_statements = pg_txn_statements,
	.may_defer = pg_may_defer,
	.counters = pg_counters,
	.sync_autoincrement = NULL,
	.ident_quote = "\"\"",
	.returning = 1,
	.server_cursors = 1,
	.json_in = CALX_JSON_IN_ELEMENTS,
	.limit_style = CALX_LIMIT_SEPARATE,
	.identity_setval = 1,           /* identity sequences do not move past explicit keys */
};
