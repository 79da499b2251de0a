#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "hand_pg.h"

PGconn *pq_db;

void pq_fail(const char *what, PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(pq_db);
	bench_die(NULL, "%s: %s", what, msg);
}

void pq_exec(const char *sql)
{
	PGresult *res = PQexec(pq_db, sql);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		pq_fail(sql, res);
	PQclear(res);
}

void pq_prepare(const char *name, const char *sql)
{
	PGresult *res = PQprepare(pq_db, name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		pq_fail(sql, res);
	PQclear(res);
}

PGresult *pq_run(const char *name, int n, const char *const *params, ExecStatusType want)
{
	PGresult *res = PQexecPrepared(pq_db, name, n, params, NULL, NULL, 0);
	if (PQresultStatus(res) != want)
		pq_fail(name, res);
	return res;
}

void pq_run_command(const char *name, int n, const char *const *params)
{
	PQclear(pq_run(name, n, params, PGRES_COMMAND_OK));
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

void pq_open(const char *url)
{
	pq_db = PQconnectdb(url);
	if (PQstatus(pq_db) != CONNECTION_OK)
		pq_fail(url, NULL);
	PQsetNoticeProcessor(pq_db, quiet, NULL);  /* "relation ... already exists, skipping" */
}

const char *pq_i64_text(char *buf, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	char *p = buf;
	if (v < 0)
		*p++ = '-';
	while (n)
		*p++ = tmp[--n];
	*p = '\0';
	return buf;
}

int64_t pq_text_i64(const char *s)
{
	bool neg = *s == '-';
	uint64_t u = 0;
	for (s += neg; *s; s++)
		u = u * 10 + (uint64_t)(*s - '0');
	return neg ? -(int64_t)u : (int64_t)u;
}

char *pq_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	size_t n = (size_t)PQgetlength(res, row, col);
	char *s = malloc(n + 1);
	if (!s)
		bench_die(NULL, "out of memory");
	memcpy(s, PQgetvalue(res, row, col), n + 1);
	return s;
}

/* ---- pipelines ---- */

static bool sync_after(const pq_pipeline *p, long i)
{
	return (i + 1) % BENCH_CHUNK == 0 || i + 1 == p->n;
}

static bool outstanding(const pq_pipeline *p)
{
	return p->done < p->sent || p->state == PQ_WANT_SYNC;
}

/* Read one result (the caller knows one is there: PQisBusy said so). */
static void take(pq_pipeline *p)
{
	PGresult *res = PQgetResult(pq_db);
	switch (p->state) {
	case PQ_WANT_RESULT:
		if (!res)
			pq_fail("pipeline: missing result", NULL);
		if (PQresultStatus(res) != (p->keys ? PGRES_TUPLES_OK : PGRES_COMMAND_OK))
			pq_fail("pipelined insert", res);
		if (p->keys) {
			if (PQntuples(res) != 1)
				bench_die(NULL, "INSERT ... RETURNING gave %d rows", PQntuples(res));
			int64_t id = pq_text_i64(PQgetvalue(res, 0, 0));
			memcpy((char *)p->keys + (size_t)p->done * p->stride, &id, sizeof id);
		}
		PQclear(res);
		p->state = PQ_WANT_END;
		break;
	case PQ_WANT_END:       /* each execution's results end with a NULL */
		if (res)
			pq_fail("pipeline: more than one result", res);
		p->state = sync_after(p, p->done) ? PQ_WANT_SYNC : PQ_WANT_RESULT;
		p->done++;
		break;
	case PQ_WANT_SYNC:
		if (!res || PQresultStatus(res) != PGRES_PIPELINE_SYNC)
			pq_fail("pipeline: expected the Sync", res);
		PQclear(res);
		p->state = PQ_WANT_RESULT;
		break;
	}
}

/* Send what the socket takes, read what has arrived; with wait, until everything is read. */
static void pump(pq_pipeline *p, bool wait)
{
	for (;;) {
		int f = PQflush(pq_db);
		if (f < 0)
			pq_fail("PQflush", NULL);
		if (!PQconsumeInput(pq_db))
			pq_fail("PQconsumeInput", NULL);
		while (outstanding(p) && !PQisBusy(pq_db))
			take(p);
		if (!wait || (!outstanding(p) && f == 0))
			return;
		struct pollfd pfd = { .fd = PQsocket(pq_db), .events = (short)(POLLIN | (f ? POLLOUT : 0)) };
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			bench_die(NULL, "poll: %s", strerror(errno));
	}
}

void pq_pipeline_begin(pq_pipeline *p, long n, int64_t *keys, size_t stride)
{
	*p = (pq_pipeline){ .n = n, .keys = keys, .stride = stride };
	if (PQsetnonblocking(pq_db, 1) != 0 || PQenterPipelineMode(pq_db) != 1)
		pq_fail("entering pipeline mode", NULL);
}

void pq_pipeline_send(pq_pipeline *p, const char *name, int n_params, const char *const *params)
{
	if (!PQsendQueryPrepared(pq_db, name, n_params, params, NULL, NULL, 0))
		pq_fail("PQsendQueryPrepared", NULL);
	if (sync_after(p, p->sent) && !PQpipelineSync(pq_db))
		pq_fail("PQpipelineSync", NULL);
	p->sent++;
	if (p->sent % 64 == 0)
		pump(p, false);
}

void pq_pipeline_end(pq_pipeline *p)
{
	pump(p, true);
	if (PQexitPipelineMode(pq_db) != 1 || PQsetnonblocking(pq_db, 0) != 0)
		pq_fail("leaving pipeline mode", NULL);
}
