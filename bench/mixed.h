/*
 * The mixed read/write workload: MIXED_THREADS threads, each with its own
 * session (calx: sessions of one shared engine; hand-written: a connection
 * of its own; SQLAlchemy: Sessions of one shared engine), run N
 * transactions in all. A transaction inserts one customer (written at
 * once: the ORMs flush it), reads MIXED_READS customers by key, changes
 * the first one's description and commits.
 *
 *   mixed N   over the N-row customer fixture (run.py: bench_sqlite /
 *             bench_pg setup N); thread t works on the keys
 *             t * R + 1 .. (t + 1) * R, R = N / MIXED_THREADS, and runs
 *             R transactions (the first N % MIXED_THREADS threads one more),
 *             so no two threads touch a row and what every thread reads
 *             is fixed: the checksum (the reads' id + name and description
 *             lengths) is the same whatever the interleaving.
 *
 * Contention, the same for every contender. Transactions begin as the
 * database's default BEGIN (deferred on SQLite: the write lock is taken by
 * the first write) and every connection waits up to 5 s for a lock (the
 * busy timeout). The write comes first because SQLite lets a deferred
 * transaction that has read wait for the write lock only while no other
 * writer commits: a writer that read first fails at once with
 * SQLITE_BUSY_SNAPSHOT whenever another one committed in between, and with
 * eight writers that is almost every time (read first, 2,000 transactions
 * on 8 threads failed for calx and hand-written C alike after 10 attempts
 * each). A first statement that writes waits on the busy timeout
 * instead. A transaction that fails anyway with a status that promises
 * nothing was written (SQLite: SQLITE_BUSY or SQLITE_LOCKED, any extended
 * code; PostgreSQL: SQLSTATE 40001, 40P01, 55P03) is rolled back and run
 * again from the start after a pause of full jitter over [d/2, d), d from
 * 1 ms doubling up to 200 ms, at most MIXED_ATTEMPTS attempts:
 * calx_retry's defaults (calx/retry.h), which the calx contender uses.
 * The latency of a transaction is from its first attempt's start to its
 * commit, pauses and retries included; the report counts the retries.
 *
 * Each thread opens (or checks out of its engine's pool) its connection
 * before the clock starts, so the run does not time connecting.
 */
#ifndef CALX_BENCH_MIXED_H
#define CALX_BENCH_MIXED_H

#include <stdint.h>
#include "common.h"

#define MIXED_THREADS 8
#define MIXED_READS 5
#define MIXED_ATTEMPTS 10
#define MIXED_FIRST_PAUSE_US 1000
#define MIXED_MAX_PAUSE_US 200000

/* What transaction txn (from 0) of thread t does. */
typedef struct mixed_txn {
	int thread;
	long txn;
	char new_name[64];              /* the inserted customer's name and description */
	char new_description[96];
	int64_t reads[MIXED_READS];     /* the keys read; reads[0] is the one changed */
	char description[96];           /* reads[0]'s new description */
} mixed_txn;

void mixed_plan(long n, int thread, long txn, mixed_txn *out);
/* The check of a customer read. */
uint64_t mixed_check_read(int64_t id, size_t name_len, size_t description_len);

/*
 * A contender: open is called on each thread before the clock starts
 * (a connection opened or checked out), ready once it started (let go of
 * what open held only to open it), run for each transaction (retried as
 * above; the check of its committed attempt's reads, the attempts beyond
 * the first added to *retries), close after the last.
 */
typedef struct mixed_contender {
	void *(*open)(void *env, int thread);
	void (*ready)(void *ctx);
	uint64_t (*run)(void *ctx, const mixed_txn *t, unsigned *retries);
	void (*close)(void *ctx);
	void *env;
} mixed_contender;

/*
 * Run a->n transactions on MIXED_THREADS threads and print the report
 * line: common.h's (seconds: first start to last commit) and tps, p50 and
 * p99 (seconds a transaction), retries, and cpu_seconds: the process's
 * CPU time (user + system, every thread) over the same span, which a
 * loaded machine disturbs less than the clock.
 */
void mixed_run(const bench_args *a, const mixed_contender *c);

/* Sleep before attempt (2, 3, ...) of a transaction, as calx_retry does; *rnd is the thread's jitter state. */
void mixed_pause(unsigned attempt, uint64_t *rnd);

#endif
