/*
 * The PostgreSQL dialect: libpq behind calx's dialect vtable.
 *
 * URLs: libpq URIs ("postgresql://user@host:port/db?opt=v", "postgres://...")
 * and connection strings after the scheme ("postgresql:host=h dbname=d").
 * Statements are prepared once per connection (named calx_N); numbers and
 * text go as text parameters (the server parses them as the column's type),
 * blobs as binary ones; results come back as text.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "calx/errors.h"
#include "pg.h"

static const char *conninfo_of(const char *url)
{
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return url;                     /* libpq parses URIs itself */
	if (!strncmp(url, "postgresql:", 11))
		return url + 11;                /* "postgresql:host=... dbname=..." */
	return NULL;
}

/* The library never prints: server notices are dropped (errors come as results). */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void pg_disconnect(calx_conn *c)
{
	if (!c)
		return;
	PQfinish(c->pg);
	calx_sys_free(c);
}

/*
 * A URL libpq cannot parse, or whose port is no port, is the program's
 * mistake (CALX_EINVAL), not a failed connection. libpq's own message
 * quotes the whole URL, password included: only the part before it is
 * kept.
 */
static int check_conninfo(const char *info, calx_error *err)
{
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(info, &why);
	if (!opts) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s", why ? why : "out of memory");
		char *quote = strstr(msg, ": \"");
		if (quote)
			*quote = '\0';
		msg[strcspn(msg, "\n")] = '\0';
		int code = why ? CALX_EINVAL : CALX_ENOMEM;
		PQfreemem(why);
		return calx_error_set(err, code, "postgresql: malformed URL: %s", msg);
	}
	int rc = CALX_OK;
	for (const PQconninfoOption *o = opts; o->keyword && rc == CALX_OK; o++) {
		if (strcmp(o->keyword, "port") != 0 || !o->val)
			continue;
		/* a port, or a comma-separated list of them: each 1..65535 */
		for (const char *p = o->val; rc == CALX_OK;) {
			long port = 0;
			size_t n = 0;
			while (p[n] >= '0' && p[n] <= '9' && n < 6)
				port = port * 10 + (p[n++] - '0');
			if (n == 0 || port < 1 || port > 65535 || (p[n] && p[n] != ','))
				rc = calx_error_set(err, CALX_EINVAL, "postgresql: malformed URL: port '%.20s' is not a number "
				                    "from 1 to 65535", o->val);
			if (p[n] != ',')
				break;
			p += n + 1;
		}
	}
	PQconninfoFree(opts);
	return rc;
}

static int pg_connect(calx_conn **out, const char *url, calx_error *err)
{
	*out = NULL;
	const char *info = conninfo_of(url);
	if (!info)
		return calx_error_set(err, CALX_EINVAL, "postgresql: bad URL (expected postgresql://... or postgresql:key=value ...)");
	int checked = check_conninfo(info, err);
	if (checked != CALX_OK)
		return checked;
	calx_conn *c = calx_sys_calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "postgresql: out of memory connecting");
	c->pg = PQconnectdb(info);
	c->round_trips++;
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", c->pg ? PQerrorMessage(c->pg) : "out of memory");
		msg[strcspn(msg, "\n")] = '\0';
		pg_disconnect(c);
		/* never echo the URL: it may carry a password */
		return calx_error_set(err, CALX_ECONNECT, "postgresql: cannot connect: %s", msg);
	}
	/* quiet notices (the library never prints), and exact float text */
	PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
	const char *setup = "SET client_min_messages = warning; SET extra_float_digits = 3";
	PGresult *res = PQexec(c->pg, setup);
	c->round_trips++;
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CALX_OK : calx__pg_fail(err, c, res, setup);
	PQclear(res);
	if (rc != CALX_OK) {
		pg_disconnect(c);
		return rc;
	}
	*out = c;
	return CALX_OK;
}

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

static int pg_broken(calx_conn *c)
{
	/* a ROLLBACK's answer already here is read; one still on its way, by the next use */
	if (c->end_pending && PQconsumeInput(c->pg) && !PQisBusy(c->pg)) {
		calx_error unread;
		(void)calx__pg_settle(c, &unread);
	}
	/* reads what is pending without blocking: a terminated backend's goodbye shows here */
	if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) == PQTRANS_IDLE)
		PQconsumeInput(c->pg);
	return PQstatus(c->pg) != CONNECTION_OK;
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
	.connect = pg_connect,
	.disconnect = pg_disconnect,
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
	.broken = pg_broken,
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
