/*
 * Tracing an engine's statements (calx/trace.h). A traced connection runs
 * through a copy of its dialect whose connection and statement calls are
 * wrapped: each wrapper times the real call and reports it. The rest of
 * the runtime calls c->d as always and never knows. A connection without
 * tracing keeps the dialect itself, so tracing costs nothing when off
 * beyond one comparison at checkout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "engine/engine.h"
#include "sql/stmtcache.h"

typedef struct tconn {
	calx_conn *raw;
	const calx_dialect *d;          /* the real dialect */
	calx_trace_fn fn;
	void *ctx;
	unsigned flags;
	unsigned long long number;
} tconn;

typedef struct tstmt {
	calx_stmt *raw;
	tconn *tc;
	char *sql;
	calx_value *params;             /* CALX_TRACE_PARAMS: what was bound, by index */
	unsigned n_params, cap;
	bool fresh;                     /* bound or reset since it last ran: the next step executes it */
	bool dml;                       /* INSERT, UPDATE or DELETE: its rows changed are reported */
} tstmt;

static tconn *tc_of(calx_conn *c) { return (tconn *)(void *)c; }

/* The dialects count rows changed for these only (sqlite3_changes keeps the last DML's count through a COMMIT). */
static bool is_dml(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	return !strncasecmp(sql, "INSERT", 6) || !strncasecmp(sql, "UPDATE", 6) || !strncasecmp(sql, "DELETE", 6);
}
static tstmt *ts_of(calx_stmt *s) { return (tstmt *)(void *)s; }

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const tconn *tc, const char *sql, const calx_value *params, unsigned n_params, size_t batch,
                   int64_t rows, double seconds, int status, const calx_error *err)
{
	calx_trace_event ev = {
		.sql = sql, .params = (tc->flags & CALX_TRACE_PARAMS) ? params : NULL, .n_params = n_params,
		.batch_rows = batch, .rows = rows, .seconds = seconds,
		.status = status == CALX_ROW || status == CALX_DONE ? CALX_OK : status,
		.error = status == CALX_OK || status == CALX_ROW || status == CALX_DONE || !err ? "" : err->msg,
		.connection = tc->number, .dialect = tc->d->name,
	};
	tc->fn(tc->ctx, &ev);
}

/* --- the wrapped calls ------------------------------------------------------ */

static void t_disconnect(calx_conn *c)
{
	tconn *tc = tc_of(c);
	tc->d->disconnect(tc->raw);
	calx__free(tc);
}

static int t_exec(calx_conn *c, const char *sql, calx_error *err)
{
	tconn *tc = tc_of(c);
	double t0 = now();
	int rc = tc->d->exec(tc->raw, sql, err);
	report(tc, sql, NULL, 0, 1, -1, now() - t0, rc, err);
	return rc;
}

static int t_prepare(calx_conn *c, const char *sql, calx_stmt **out, calx_error *err)
{
	tconn *tc = tc_of(c);
	tstmt *ts = calx__calloc(1, sizeof *ts);
	char *copy = ts ? calx__strdup(sql) : NULL;
	if (!copy) {
		calx__free(ts);
		return calx_error_set(err, CALX_ENOMEM, "out of memory tracing a statement");
	}
	double t0 = now();
	int rc = tc->d->prepare(tc->raw, sql, &ts->raw, err);
	if (rc != CALX_OK) {
		report(tc, sql, NULL, 0, 1, -1, now() - t0, rc, err);   /* the SQL the database refused */
		calx__free(copy);
		calx__free(ts);
		return rc;
	}
	ts->tc = tc;
	ts->sql = copy;
	ts->fresh = true;
	ts->dml = is_dml(sql);
	*out = (calx_stmt *)(void *)ts;
	return CALX_OK;
}

static int t_bind(calx_stmt *s, unsigned idx, const calx_value *v, calx_error *err)
{
	tstmt *ts = ts_of(s);
	if (ts->tc->flags & CALX_TRACE_PARAMS) {
		if (idx >= ts->cap) {
			unsigned cap = ts->cap ? ts->cap : 8;
			while (cap <= idx)
				cap *= 2;
			calx_value *p = calx__realloc(ts->params, cap * sizeof *p);
			if (!p)
				return calx_error_set(err, CALX_ENOMEM, "out of memory tracing a statement's values");
			ts->params = p;
			ts->cap = cap;
		}
		for (unsigned i = ts->n_params; i < idx; i++)
			ts->params[i] = calx_value_null();
		ts->params[idx] = *v;       /* borrowed, as the dialect borrows it: valid until the statement runs */
		if (idx >= ts->n_params)
			ts->n_params = idx + 1;
	} else if (idx >= ts->n_params) {
		ts->n_params = idx + 1;
	}
	ts->fresh = true;
	return ts->tc->d->bind(ts->raw, idx, v, err);
}

static int t_step(calx_stmt *s, calx_error *err)
{
	tstmt *ts = ts_of(s);
	const calx_dialect *d = ts->tc->d;
	if (!ts->fresh)
		return d->step(ts->raw, err);
	double t0 = now();
	int rc = d->step(ts->raw, err);
	int64_t rows = rc == CALX_DONE && ts->dml && d->column_count(ts->raw) == 0 ? d->rows_affected(ts->raw) : -1;
	report(ts->tc, ts->sql, ts->params, ts->n_params, 1, rows, now() - t0, rc, err);
	ts->fresh = rc != CALX_ROW;     /* ended: a step after it runs the statement again */
	return rc;
}

static unsigned t_column_count(calx_stmt *s) { return ts_of(s)->tc->d->column_count(ts_of(s)->raw); }
static void t_column(calx_stmt *s, unsigned idx, calx_value *out) { ts_of(s)->tc->d->column(ts_of(s)->raw, idx, out); }
static const char *t_column_name(calx_stmt *s, unsigned idx) { return ts_of(s)->tc->d->column_name(ts_of(s)->raw, idx); }
static int64_t t_rows_affected(calx_stmt *s) { return ts_of(s)->tc->d->rows_affected(ts_of(s)->raw); }
static int64_t t_last_insert_id(calx_stmt *s) { return ts_of(s)->tc->d->last_insert_id(ts_of(s)->raw); }

static void t_reset(calx_stmt *s)
{
	tstmt *ts = ts_of(s);
	ts->tc->d->reset(ts->raw);
	ts->fresh = true;
	ts->n_params = 0;
}

static void t_finalize(calx_stmt *s)
{
	tstmt *ts = ts_of(s);
	if (!ts)
		return;
	ts->tc->d->finalize(ts->raw);
	calx__free(ts->params);
	calx__free(ts->sql);
	calx__free(ts);
}

/* A batch's row callback sees the wrapped statement, and the rows each execution changed are summed. */
typedef struct batch_cb {
	int (*row_cb)(void *payload, size_t row, calx_stmt *st);
	void *payload;
	tstmt *ts;
	int64_t rows;
	size_t calls;                   /* rows the dialect reported: a batch without RETURNING may report none */
} batch_cb;

static int t_batch_row(void *payload, size_t row, calx_stmt *st)
{
	batch_cb *b = payload;
	(void)st;
	b->calls++;
	const calx_dialect *d = b->ts->tc->d;
	if (b->ts->dml && d->column_count(b->ts->raw) == 0) {
		int64_t n = d->rows_affected(b->ts->raw);
		b->rows = n >= 0 && b->rows >= 0 ? b->rows + n : -1;
	} else {
		b->rows = -1;
	}
	return b->row_cb ? b->row_cb(b->payload, row, (calx_stmt *)(void *)b->ts) : CALX_OK;
}

static int t_execute_batch(calx_stmt *s, size_t n_rows, unsigned n_params, const calx_value *params,
                           int (*row_cb)(void *payload, size_t row, calx_stmt *st), void *payload,
                           size_t *failed_row, calx_error *err)
{
	tstmt *ts = ts_of(s);
	batch_cb b = { row_cb, payload, ts, 0, 0 };
	double t0 = now();
	int rc = ts->tc->d->execute_batch(ts->raw, n_rows, n_params, params, t_batch_row, &b, failed_row, err);
	/* the sum only when every execution was reported: else the count is unknown, not 0 */
	report(ts->tc, ts->sql, params, n_params, n_rows, b.calls == n_rows ? b.rows : -1, now() - t0, rc, err);
	ts->fresh = true;
	return rc;
}

/* Each statement is reported (the round trip's time given to the last, st), and st's rows are then read as a step's. */
static int t_step_after(calx_stmt *const *before, unsigned n_before, calx_stmt *s, calx_error *err)
{
	tstmt *ts = ts_of(s);
	calx_stmt *raw[4];
	if (n_before > sizeof raw / sizeof raw[0])
		return calx_error_set(err, CALX_EINVAL, "step_after: more statements than the tracer passes on");
	for (unsigned i = 0; i < n_before; i++)
		raw[i] = ts_of(before[i])->raw;
	double t0 = now();
	int rc = ts->tc->d->step_after(raw, n_before, ts->raw, err);
	double t = now() - t0;
	for (unsigned i = 0; i < n_before; i++) {
		tstmt *b = ts_of(before[i]);
		report(b->tc, b->sql, b->params, b->n_params, 1, -1, 0, rc, err);
		b->fresh = true;
	}
	report(ts->tc, ts->sql, ts->params, ts->n_params, 1, -1, t, rc, err);
	ts->fresh = rc != CALX_OK;      /* its rows are read by steps now, not run again */
	return rc;
}

static void t_txn_statements(calx_conn *c, calx_stmt *begin, calx_stmt *commit, calx_stmt *rollback)
{
	tc_of(c)->d->txn_statements(tc_of(c)->raw, begin ? ts_of(begin)->raw : NULL, commit ? ts_of(commit)->raw : NULL,
	                            rollback ? ts_of(rollback)->raw : NULL);
}

static void t_may_defer(calx_conn *c, calx_stmt *st)
{
	tc_of(c)->d->may_defer(tc_of(c)->raw, ts_of(st)->raw);
}

static int t_broken(calx_conn *c) { return tc_of(c)->d->broken(tc_of(c)->raw); }

static void t_counters(calx_conn *c, uint64_t *statements, uint64_t *round_trips)
{
	tc_of(c)->d->counters(tc_of(c)->raw, statements, round_trips);
}

static int t_file_identity(calx_conn *c, uint64_t id[2]) { return tc_of(c)->d->file_identity(tc_of(c)->raw, id); }
/* The catalog's statements are the dialect's own, not traced one by one: the call passes through. */
static int t_inspect(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err)
{
	return tc_of(c)->d->inspect(tc_of(c)->raw, schema, into, err);
}

/* --- the engine's side ------------------------------------------------------ */

void calx__trace_init(calx_engine *eng)
{
	const calx_dialect *d = eng->d;
	calx_dialect *t = &eng->trace_d;
	*t = *d;                        /* name, limits, SQL style: the same */
	t->connect = NULL;              /* the engine connects through the real dialect */
	t->disconnect = t_disconnect;
	t->exec = t_exec;
	t->prepare = t_prepare;
	t->bind = t_bind;
	t->step = t_step;
	t->column_count = t_column_count;
	t->column = t_column;
	t->reset = t_reset;
	t->finalize = t_finalize;
	t->rows_affected = t_rows_affected;
	t->broken = t_broken;
	t->execute_batch = d->execute_batch ? t_execute_batch : NULL;
	t->counters = t_counters;
	t->sync_autoincrement = NULL;
	t->last_insert_id = d->last_insert_id ? t_last_insert_id : NULL;
	t->file_identity = d->version >= 2 && d->file_identity ? t_file_identity : NULL;
	t->column_name = d->version >= 2 && d->column_name ? t_column_name : NULL;
	t->inspect = d->version >= 2 && d->inspect ? t_inspect : NULL;
	t->step_after = d->version >= 2 && d->step_after ? t_step_after : NULL;
	t->txn_statements = d->version >= 2 && d->txn_statements ? t_txn_statements : NULL;
	t->may_defer = d->version >= 2 && d->may_defer ? t_may_defer : NULL;
}

/* Forget c's prepared statements: they belong to the calls being swapped. */
static void drop_statements(calx__conn *c)
{
	calx__stmtcache_clear(c);
	for (int i = 0; i < 3; i++) {
		if (c->txn[i])
			c->d->finalize(c->txn[i]);
		c->txn[i] = NULL;
	}
}

void calx__trace_unwrap(calx_engine *eng, calx__conn *c)
{
	if (c->d != &eng->trace_d)
		return;
	drop_statements(c);
	tconn *tc = tc_of(c->raw);
	c->raw = tc->raw;
	c->d = eng->d;
	calx__free(tc);
}

int calx__trace_sync(calx_engine *eng, calx__conn *c, calx_error *err)
{
	unsigned epoch = atomic_load(&eng->trace_epoch);
	if (c->trace_epoch == epoch)
		return CALX_OK;
	pthread_mutex_lock(&eng->lock);
	calx_trace_fn fn = eng->trace_fn;
	void *ctx = eng->trace_ctx;
	unsigned flags = eng->trace_flags;
	epoch = atomic_load(&eng->trace_epoch);
	pthread_mutex_unlock(&eng->lock);
	if (c->d == &eng->trace_d) {
		if (fn) {
			/* still traced: the new function and flags, the same wrapped statements */
			tconn *tc = tc_of(c->raw);
			tc->fn = fn;
			tc->ctx = ctx;
			tc->flags = flags;
			c->trace_epoch = epoch;
			return CALX_OK;
		}
		calx__trace_unwrap(eng, c);
	} else if (fn) {
		tconn *tc = calx__calloc(1, sizeof *tc);
		if (!tc)
			return calx_error_set(err, CALX_ENOMEM, "out of memory tracing a connection");
		drop_statements(c);
		*tc = (tconn){ c->raw, eng->d, fn, ctx, flags, c->number };
		c->raw = (calx_conn *)(void *)tc;
		c->d = &eng->trace_d;
	}
	c->trace_epoch = epoch;
	return CALX_OK;
}

int calx_engine_set_trace(calx_engine *eng, calx_trace_fn fn, void *ctx, unsigned flags)
{
	if (!eng || !eng->d || (flags & ~(unsigned)CALX_TRACE_PARAMS))
		return CALX_EINVAL;
	pthread_mutex_lock(&eng->lock);
	eng->trace_fn = fn;
	eng->trace_ctx = fn ? ctx : NULL;
	eng->trace_flags = fn ? flags : 0;
	atomic_fetch_add(&eng->trace_epoch, 1);
	pthread_mutex_unlock(&eng->lock);
	return CALX_OK;
}

/* --- the ready-made tracer ---------------------------------------------------- */

static void put_value(char *buf, size_t cap, size_t *at, const calx_value *v)
{
	if (*at >= cap)
		return;
	char *p = buf + *at;
	size_t room = cap - *at;
	int n;
	switch (v->kind) {
	case CALX_VALUE_INT: n = snprintf(p, room, "%lld", (long long)v->u.i); break;
	case CALX_VALUE_REAL: n = snprintf(p, room, "%.17g", v->u.d); break;
	case CALX_VALUE_TEXT:
	case CALX_VALUE_NUMERIC: {
		int shown = v->u.s.n > 60 ? 60 : (int)v->u.s.n;
		n = snprintf(p, room, v->kind == CALX_VALUE_TEXT ? "'%.*s%s'" : "%.*s%s", shown, v->u.s.p ? v->u.s.p : "",
		             (size_t)shown < v->u.s.n ? "..." : "");
		break;
	}
	case CALX_VALUE_BLOB: n = snprintf(p, room, "<%zu bytes>", v->u.s.n); break;
	default: n = snprintf(p, room, "NULL"); break;
	}
	*at += n > 0 ? (size_t)n : 0;
}

void calx_trace_stderr(void *ctx, const calx_trace_event *ev)
{
	(void)ctx;
	char line[2048];
	size_t at = 0, cap = sizeof line - 2;
	int n = snprintf(line, cap, "calx[%s#%llu] %.3f ms", ev->dialect, ev->connection, ev->seconds * 1e3);
	at = n > 0 ? (size_t)n : 0;
	if (at < cap && ev->batch_rows > 1)
		at += (size_t)snprintf(line + at, cap - at, ", %zu rows in one batch", ev->batch_rows);
	if (at < cap && ev->rows >= 0)
		at += (size_t)snprintf(line + at, cap - at, ", %lld row%s", (long long)ev->rows, ev->rows == 1 ? "" : "s");
	if (at < cap)
		at += (size_t)snprintf(line + at, cap - at, ": %s", ev->sql);
	if (ev->params && ev->n_params) {
		size_t total = ev->n_params * (ev->batch_rows ? ev->batch_rows : 1);
		for (size_t i = 0; i < total && at < cap; i++) {
			if (at < cap)
				at += (size_t)snprintf(line + at, cap - at, i ? ", " : " [");
			put_value(line, cap, &at, &ev->params[i]);
		}
		if (at < cap)
			at += (size_t)snprintf(line + at, cap - at, "]");
	}
	if (at < cap && ev->status != CALX_OK)
		at += (size_t)snprintf(line + at, cap - at, " -> %s: %s", calx_status_name(ev->status), ev->error);
	if (at > cap)
		at = cap;
	line[at++] = '\n';
	line[at] = '\0';
	fputs(line, stderr);            /* one write a statement: lines of several threads do not mix */
}
