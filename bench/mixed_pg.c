/*
 * The mixed workload (mixed.h) written by hand against libpq: a connection
 * per thread, three prepared statements (text parameters), BEGIN, the
 * INSERT ... RETURNING id, the five SELECTs, the UPDATE, COMMIT, a round
 * trip each, and the retry of mixed.h on SQLSTATE
 * 40001, 40P01 and 55P03.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "common.h"
#include "hand_pg.h"
#include "mixed.h"
#include "mixed_hand.h"

typedef struct thread_ctx {
	PGconn *db;
	uint64_t rnd;
} thread_ctx;

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static bool retryable(const PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0);
}

/* res's status is want: true; a status mixed.h retries: false; anything else ends the program. */
static bool ok(thread_ctx *ctx, PGresult *res, ExecStatusType want, const char *what)
{
	if (PQresultStatus(res) == want)
		return true;
	if (retryable(res))
		return false;
	const char *msg = PQresultErrorMessage(res);
	bench_die(NULL, "mixed: %s: %s", what, msg && *msg ? msg : PQerrorMessage(ctx->db));
}

static void command(thread_ctx *ctx, const char *sql)
{
	PGresult *res = PQexec(ctx->db, sql);
	if (!ok(ctx, res, PGRES_COMMAND_OK, sql))
		bench_die(NULL, "mixed: %s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

static void prepare(thread_ctx *ctx, const char *name, const char *sql)
{
	PGresult *res = PQprepare(ctx->db, name, sql, 0, NULL);
	if (!ok(ctx, res, PGRES_COMMAND_OK, sql))
		bench_die(NULL, "mixed: %s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
}

static void *open_thread(void *env, int thread)
{
	thread_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		bench_die(NULL, "out of memory");
	ctx->db = PQconnectdb(env);
	if (PQstatus(ctx->db) != CONNECTION_OK)
		bench_die(NULL, "mixed: connect: %s", PQerrorMessage(ctx->db));
	PQsetNoticeProcessor(ctx->db, quiet, NULL);
	prepare(ctx, "get", "SELECT id, name, description FROM customer WHERE id = $1");
	prepare(ctx, "update", "UPDATE customer SET description = $1 WHERE id = $2");
	prepare(ctx, "insert", "INSERT INTO customer (name, description) VALUES ($1, $2) RETURNING id");
	ctx->rnd = 0x9e3779b97f4a7c15ull ^ ((uint64_t)thread << 32) ^ (uint64_t)(uintptr_t)ctx;
	return ctx;
}

static void ready(void *ctx)
{
	(void)ctx;
}

/* Run a prepared statement; false (result cleared) on a status to retry. */
static bool run_prepared(thread_ctx *ctx, const char *name, int n, const char *const *params, ExecStatusType want,
                         PGresult **out)
{
	PGresult *res = PQexecPrepared(ctx->db, name, n, params, NULL, NULL, 0);
	if (!ok(ctx, res, want, name)) {
		PQclear(res);
		return false;
	}
	*out = res;
	return true;
}

/* One attempt: true with *check when it committed, false when it is to be retried (rolled back). */
static bool attempt(thread_ctx *ctx, const mixed_txn *t, uint64_t *check)
{
	char key[24];
	const char *params[2];
	PGresult *res;
	command(ctx, "BEGIN");
	*check = 0;
	params[0] = t->new_name;
	params[1] = t->new_description;
	if (!run_prepared(ctx, "insert", 2, params, PGRES_TUPLES_OK, &res))
		return false;
	(void)pq_text_i64(PQgetvalue(res, 0, 0));      /* the new key, as an ORM reads it back */
	PQclear(res);
	for (int r = 0; r < MIXED_READS; r++) {
		params[0] = pq_i64_text(key, t->reads[r]);
		if (!run_prepared(ctx, "get", 1, params, PGRES_TUPLES_OK, &res))
			return false;
		if (PQntuples(res) != 1)
			bench_die(NULL, "mixed: customer %lld not found", (long long)t->reads[r]);
		*check += mixed_check_read(pq_text_i64(PQgetvalue(res, 0, 0)), (size_t)PQgetlength(res, 0, 1),
		                           (size_t)PQgetlength(res, 0, 2));
		PQclear(res);
	}
	params[0] = t->description;
	params[1] = pq_i64_text(key, t->reads[0]);
	if (!run_prepared(ctx, "update", 2, params, PGRES_COMMAND_OK, &res))
		return false;
	PQclear(res);
	res = PQexec(ctx->db, "COMMIT");
	bool done = ok(ctx, res, PGRES_COMMAND_OK, "COMMIT");
	PQclear(res);
	return done;
}

static uint64_t run(void *p, const mixed_txn *t, unsigned *retries)
{
	thread_ctx *ctx = p;
	uint64_t check = 0;
	for (unsigned n = 1;; n++) {
		if (attempt(ctx, t, &check))
			return check;
		if (PQtransactionStatus(ctx->db) != PQTRANS_IDLE)
			command(ctx, "ROLLBACK");
		if (n >= MIXED_ATTEMPTS)
			bench_die(NULL, "mixed: transaction %d.%ld failed after %u attempts", t->thread, t->txn, n);
		mixed_pause(n + 1, &ctx->rnd);
		(*retries)++;
	}
}

static void close_thread(void *p)
{
	thread_ctx *ctx = p;
	PQfinish(ctx->db);
	free(ctx);
}

void mixed_pg(const bench_args *a)
{
	mixed_contender c = { open_thread, ready, run, close_thread, (void *)a->url };
	mixed_run(a, &c);
}
