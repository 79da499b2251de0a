/*
 * The mixed workload (mixed.h) written by hand against the sqlite3 C API:
 * a connection per thread with what calx gives its own (foreign keys, WAL,
 * a 5 s busy timeout), three prepared statements, BEGIN, the INSERT, the
 * five SELECTs, the UPDATE, COMMIT, and the retry of mixed.h on
 * SQLITE_BUSY / SQLITE_LOCKED.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "common.h"
#include "mixed.h"
#include "mixed_hand.h"

typedef struct thread_ctx {
	sqlite3 *db;
	sqlite3_stmt *get, *update, *insert;
	uint64_t rnd;
} thread_ctx;

static void fail(thread_ctx *ctx, const char *what)
{
	bench_die(NULL, "mixed: %s: %s", what, sqlite3_errmsg(ctx->db));
}

static void exec(thread_ctx *ctx, const char *sql)
{
	if (sqlite3_exec(ctx->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail(ctx, sql);
}

static sqlite3_stmt *prepare(thread_ctx *ctx, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(ctx->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		fail(ctx, sql);
	return st;
}

static void *open_thread(void *env, int thread)
{
	const char *url = env;
	thread_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		bench_die(NULL, "out of memory");
	if (strncmp(url, "sqlite:", 7) != 0 || strcmp(url, "sqlite::memory:") == 0)
		bench_die(NULL, "mixed: needs an SQLite file: %s", url);
	if (sqlite3_open_v2(url + 7, &ctx->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		fail(ctx, url);
	sqlite3_extended_result_codes(ctx->db, 1);
	sqlite3_busy_timeout(ctx->db, 5000);
	exec(ctx, "PRAGMA foreign_keys = ON");
	exec(ctx, "PRAGMA journal_mode = WAL");
	ctx->get = prepare(ctx, "SELECT id, name, description FROM customer WHERE id = ?");
	ctx->update = prepare(ctx, "UPDATE customer SET description = ? WHERE id = ?");
	ctx->insert = prepare(ctx, "INSERT INTO customer (name, description) VALUES (?, ?)");
	ctx->rnd = 0x9e3779b97f4a7c15ull ^ ((uint64_t)thread << 32) ^ (uint64_t)(uintptr_t)ctx;
	return ctx;
}

static void ready(void *ctx)
{
	(void)ctx;
}

static bool busy(int rc)
{
	return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* Step st to its end; SQLITE_DONE, or a busy status (anything else ends the program). */
static int step_done(thread_ctx *ctx, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && !busy(rc))
		fail(ctx, sqlite3_sql(st));
	return rc;
}

/* One attempt: SQLITE_DONE with *check, or a busy status (the transaction is then still open). */
static int attempt(thread_ctx *ctx, const mixed_txn *t, uint64_t *check)
{
	int rc = sqlite3_exec(ctx->db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (!busy(rc))
			fail(ctx, "BEGIN");
		return rc;
	}
	*check = 0;
	sqlite3_bind_text(ctx->insert, 1, t->new_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(ctx->insert, 2, t->new_description, -1, SQLITE_STATIC);
	if ((rc = step_done(ctx, ctx->insert)) != SQLITE_DONE)
		return rc;
	(void)sqlite3_last_insert_rowid(ctx->db);      /* the new key, as an ORM reads it back */
	for (int r = 0; r < MIXED_READS; r++) {
		sqlite3_bind_int64(ctx->get, 1, t->reads[r]);
		rc = sqlite3_step(ctx->get);
		if (rc == SQLITE_ROW)
			*check += mixed_check_read(sqlite3_column_int64(ctx->get, 0),
			                           (size_t)sqlite3_column_bytes(ctx->get, 1),
			                           (size_t)sqlite3_column_bytes(ctx->get, 2));
		sqlite3_reset(ctx->get);
		if (rc != SQLITE_ROW) {
			if (busy(rc))
				return rc;
			bench_die(NULL, "mixed: customer %lld: %s", (long long)t->reads[r],
			          rc == SQLITE_DONE ? "not found" : sqlite3_errmsg(ctx->db));
		}
	}
	sqlite3_bind_text(ctx->update, 1, t->description, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ctx->update, 2, t->reads[0]);
	if ((rc = step_done(ctx, ctx->update)) != SQLITE_DONE)
		return rc;
	rc = sqlite3_exec(ctx->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		if (!busy(rc))
			fail(ctx, "COMMIT");
		return rc;
	}
	return SQLITE_DONE;
}

static uint64_t run(void *p, const mixed_txn *t, unsigned *retries)
{
	thread_ctx *ctx = p;
	uint64_t check = 0;
	for (unsigned n = 1;; n++) {
		int rc = attempt(ctx, t, &check);
		if (rc == SQLITE_DONE)
			return check;
		if (!sqlite3_get_autocommit(ctx->db))
			exec(ctx, "ROLLBACK");
		if (n >= MIXED_ATTEMPTS)
			bench_die(NULL, "mixed: transaction %d.%ld failed after %u attempts: %s", t->thread, t->txn, n,
			          sqlite3_errstr(rc));
		mixed_pause(n + 1, &ctx->rnd);
		(*retries)++;
	}
}

static void close_thread(void *p)
{
	thread_ctx *ctx = p;
	sqlite3_finalize(ctx->get);
	sqlite3_finalize(ctx->update);
	sqlite3_finalize(ctx->insert);
	if (sqlite3_close(ctx->db) != SQLITE_OK)
		fail(ctx, "close");
	free(ctx);
}

void mixed_sqlite(const bench_args *a)
{
	mixed_contender c = { open_thread, ready, run, close_thread, (void *)a->url };
	mixed_run(a, &c);
}
