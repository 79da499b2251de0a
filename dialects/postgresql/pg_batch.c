/*
 * Pipeline mode: a flush of many rows of one shape is sent as a stream of
 * Bind/Execute messages with a Sync every CHUNK rows, so 10,000 inserts cost
 * about 10,000 / CHUNK round trips instead of 10,000. The chunk bounds what
 * sits in the socket buffers: in blocking mode, a client that writes
 * without reading can deadlock against a server whose output is full.
 */
#include <string.h>
#include "calx/errors.h"
#include "pg.h"

#define CHUNK 256
/*
 * ... and at most about this many parameters: a statement of a thousand
 * rows goes alone, so what is in flight stays small when it returns rows.
 */
#define CHUNK_PARAMS 4096

/* Each query's results in a pipeline end with a NULL: read to it. */
static void end_of_query(PGconn *pg)
{
	PGresult *res;
	while ((res = PQgetResult(pg)) != NULL)
		PQclear(res);
}

/* The Sync's own result, after the last query's. */
static void read_sync(PGconn *pg)
{
	PGresult *res;
	while ((res = PQgetResult(pg)) != NULL) {
		ExecStatusType s = PQresultStatus(res);
		PQclear(res);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
}

/* Read results up to and including the Sync; the first failure is kept. */
static int drain_chunk(calx_stmt *st, size_t first, size_t n, int (*row_cb)(void *, size_t, calx_stmt *),
                       void *payload, size_t *failed_row, int rc, calx_error *err)
{
	PGconn *pg = st->c->pg;
	for (size_t i = 0; i < n; i++) {
		PGresult *res = PQgetResult(pg);
		if (!res) {
			if (rc == CALX_OK) {
				*failed_row = first + i;
				rc = calx__pg_fail(err, st->c, NULL, st->sql);
			}
			break;
		}
		ExecStatusType s = PQresultStatus(res);
		if (s == PGRES_PIPELINE_ABORTED) {
			PQclear(res);
		} else if (rc != CALX_OK) {
			PQclear(res);
		} else if (calx__pg_take(st, res, err) != CALX_OK) {
			*failed_row = first + i;
			rc = err->code;
		} else {
			if (row_cb && PQntuples(st->res) > 0) {
				st->row = 0;
				int cb = row_cb(payload, first + i, st);
				if (cb != CALX_OK) {
					*failed_row = first + i;
					rc = cb;
				}
			}
			PQclear(st->res);
			st->res = NULL;
		}
		end_of_query(pg);
	}
	read_sync(pg);
	return rc;
}

int calx__pg_execute_batch(calx_stmt *st, size_t n_rows, unsigned n_params, const calx_value *params,
                           int (*row_cb)(void *payload, size_t row, calx_stmt *st), void *payload,
                           size_t *failed_row, calx_error *err)
{
	PGconn *pg = st->c->pg;
	*failed_row = 0;
	int begun = calx__pg_send_held(st->c, err);
	if (begun != CALX_OK)
		return begun;
	if (PQenterPipelineMode(pg) != 1)
		return calx__pg_fail(err, st->c, NULL, "entering pipeline mode");
	int rc = CALX_OK;
	size_t chunk = n_params && CHUNK_PARAMS / n_params < CHUNK ? CHUNK_PARAMS / n_params : CHUNK;
	if (!chunk)
		chunk = 1;
	for (size_t first = 0; first < n_rows && rc == CALX_OK; first += chunk) {
		size_t n = n_rows - first < chunk ? n_rows - first : chunk, sent = 0;
		for (size_t i = 0; i < n; i++) {
			if ((rc = calx__pg_params(st, params + (first + i) * n_params, n_params, err)) != CALX_OK) {
				*failed_row = first + i;
				break;
			}
			if (!PQsendQueryPrepared(pg, st->name, st->nparams, st->vals, st->lens, st->fmts, 0)) {
				*failed_row = first + i;
				rc = calx__pg_fail(err, st->c, NULL, st->sql);
				break;
			}
			sent++;
			st->c->statements++;
		}
		if (!PQpipelineSync(pg) && rc == CALX_OK)
			rc = calx__pg_fail(err, st->c, NULL, st->sql);
		st->c->round_trips++;
		rc = drain_chunk(st, first, sent, row_cb, payload, failed_row, rc, err);
	}
	if (PQexitPipelineMode(pg) != 1 && rc == CALX_OK)
		rc = calx__pg_fail(err, st->c, NULL, "leaving pipeline mode");
	for (int i = 0; i < st->nparams; i++)
		st->vals[i] = NULL;
	return rc;
}

/*
 * calx_dialect.step_after: the statements of before, which return no rows
 * (a cursor's CLOSE and DECLARE), then st, in one pipeline and one round
 * trip; st's result becomes its own, as its first step would have made
 * it. The first failure is the call's; what followed it was skipped by the
 * server (PGRES_PIPELINE_ABORTED), so nothing after a failure ran.
 */
int calx__pg_step_after(calx_stmt *const *before, unsigned n_before, calx_stmt *st, calx_error *err)
{
	PGconn *pg = st->c->pg;
	calx_conn *c = st->c;
	int settled = calx__pg_settle(c, err);
	if (settled != CALX_OK)
		return settled;
	calx_stmt *with_held[8 + PG_HELD_MAX];
	if (c->n_held) {
		/* what is held goes first, in the same round trip */
		if (n_before + c->n_held > sizeof with_held / sizeof with_held[0]) {
			int rc = calx__pg_send_held(c, err);
			if (rc != CALX_OK)
				return rc;
		} else {
			unsigned k = 0;
			for (; k < c->n_held; k++)
				with_held[k] = c->held[k];
			for (unsigned i = 0; i < n_before; i++)
				with_held[k + i] = before[i];
			before = with_held;
			n_before += c->n_held;
			c->n_held = 0;
			c->begin_held = false;
		}
	}
	if (PQenterPipelineMode(pg) != 1)
		return calx__pg_fail(err, st->c, NULL, "entering pipeline mode");
	int rc = CALX_OK;
	unsigned sent = 0;
	for (unsigned i = 0; i <= n_before; i++) {
		calx_stmt *x = i < n_before ? before[i] : st;
		if (!PQsendQueryPrepared(pg, x->name, x->nparams, x->vals, x->lens, x->fmts, 0)) {
			rc = calx__pg_fail(err, st->c, NULL, x->sql);
			break;
		}
		sent++;
		st->c->statements++;
	}
	if (!PQpipelineSync(pg) && rc == CALX_OK)
		rc = calx__pg_fail(err, st->c, NULL, st->sql);
	st->c->round_trips++;
	for (unsigned i = 0; i < sent; i++) {
		calx_stmt *x = i < n_before ? before[i] : st;
		PGresult *res = PQgetResult(pg);
		if (!res) {
			if (rc == CALX_OK)
				rc = calx__pg_fail(err, st->c, NULL, x->sql);
			break;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_ABORTED || rc != CALX_OK) {
			PQclear(res);
		} else if ((rc = calx__pg_take(x, res, err)) == CALX_OK && x != st) {
			PQclear(x->res);        /* before's statements return no rows: only st keeps its result */
			x->res = NULL;
		}
		end_of_query(pg);
	}
	read_sync(pg);
	if (PQexitPipelineMode(pg) != 1 && rc == CALX_OK)
		rc = calx__pg_fail(err, st->c, NULL, "leaving pipeline mode");
	if (rc != CALX_OK && st->res) {
		PQclear(st->res);
		st->res = NULL;
	}
	for (unsigned i = 0; i <= n_before; i++) {
		calx_stmt *x = i < n_before ? before[i] : st;
		for (int k = 0; k < x->nparams; k++)
			x->vals[k] = NULL;
	}
	return rc;
}
