/*
 * Internal: the engine and its connection pool. Each connection keeps its
 * prepared statements (sql/stmtcache.h); the engine keeps compiled SQL for
 * all of them (sql/cache.h).
 */
#ifndef CALX_ORM_ENGINE_H
#define CALX_ORM_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "calx/engine.h"
#include "calx/trace.h"
#include "calx/sys/dialect.h"
#include "sql/cache.h"

/*
 * A prepared statement of a connection, cached by shape key
 * (sql/stmtcache.c). Checked out (busy) by one user at a time.
 */
typedef struct calx__stmt {
	calx_stmt *st;
	struct calx__conn *conn;
	struct calx__compiled *sql;     /* its text and parameter order: a reference on the engine's cache */
	bool busy;
	bool cached;                    /* false: finalized on release */
	calx__keyed key;                /* its entry in the connection's cache; key.words point at words */
	uint64_t words[];
} calx__stmt;

typedef struct calx__conn {
	const calx_dialect *d;
	calx_conn *raw;
	calx__sqlcache *sql;            /* the engine's compiled SQL */
	calx__keyed_table stmts;        /* prepared statements (calx__stmt) by shape key */
	size_t bound;                   /* most statements kept (least recently used out first) */
	double born;                    /* monotonic seconds when connected (recycling) */
	calx_stmt *txn[3];              /* BEGIN, COMMIT, ROLLBACK: prepared once, never evicted */
	uint64_t stmt_hits, stmt_misses; /* calx__stmt_find found a prepared statement / did not */
	uint64_t cursors;               /* server-side cursors open: bit k is "calx_c<k>" (ended with the transaction) */
	uint64_t cursors_closing;       /* read to their end, not closed yet: the CLOSE goes with the slot's next DECLARE */
	uint64_t cursors_lost;          /* could not be closed before a ROLLBACK TO (sql/run.c): unused until the transaction ends */
	unsigned cursor_epoch;          /* transactions ended: a cursor of an earlier one is gone */
	unsigned trace_epoch;           /* the engine's trace setting this connection follows (engine/trace.c) */
	unsigned long long number;      /* 1, 2, ...: in the order the engine made its connections */
	struct calx__conn *next;
} calx__conn;

struct calx_engine {
	const calx_dialect *d;
	char *url;
	bool single;            /* one connection only (sqlite::memory:) */
	calx_engine_opts opts;
	unsigned n_open;        /* connected or connecting, checked out or idle */
	unsigned n_idle;
	unsigned long long n_made;
	calx__conn *idle;       /* LIFO */
	bool gone;              /* the database went away under it (CALX_DIALECT_GONE): refuse checkouts */
	bool has_id;            /* file_id: the first connection's file identity (dialect file_identity) */
	uint64_t file_id[2];
	pthread_mutex_t lock;
	pthread_cond_t freed;   /* a connection came back or a slot opened */
	unsigned n_waiting;     /* sessions waiting on freed: a return signals only when there are some */
	calx__sqlcache sql;             /* compiled statements, shared by the connections */
	unsigned long long id;  /* tells this engine's thread-local errors apart */
	calx_error err;         /* calx_engine_open's failure only: written before the engine is shared */
	/*
	 * Tracing (calx/trace.h, engine/trace.c): fn, ctx and flags under the
	 * lock; the epoch counts their changes, and a connection checked out
	 * with another epoch is wrapped or unwrapped first. trace_d is the
	 * dialect with its connection and statement calls wrapped.
	 */
	calx_trace_fn trace_fn;
	void *trace_ctx;
	unsigned trace_flags;
	atomic_uint trace_epoch;
	atomic_ullong conn_numbers;
	calx_dialect trace_d;
	/* calx_engine_set_log: read without the lock by calx__log (set once, usually before any session) */
	_Atomic(calx_log_fn) log_fn;
	_Atomic(void *) log_ctx;
};

/* The calling thread's error slot for calls on this engine (calx_engine_errmsg reads it). */
calx_error *calx__engine_err(calx_engine *eng);

/* Connect, close (engine.c); used by the pool (pool.c). */
int calx__conn_open(calx_engine *eng, calx__conn **out, calx_error *err);
void calx__conn_close(calx__conn *c);

/* Check a connection out of the pool (connecting if none is idle). */
int calx__engine_acquire(calx_engine *eng, calx__conn **out, calx_error *err);
/* Give it back; broken connections are closed instead. */
void calx__engine_release(calx_engine *eng, calx__conn *c, bool broken);

/*
 * Make c follow the engine's trace setting (engine/trace.c): its cached
 * statements are finalized and its calls wrapped or unwrapped, when the
 * setting changed since c last followed it. Called at every checkout; the
 * usual case is one comparison.
 */
int calx__trace_sync(calx_engine *eng, calx__conn *c, calx_error *err);
/* Unwrap before closing (engine.c): c->raw is the dialect's own connection after. */
void calx__trace_unwrap(calx_engine *eng, calx__conn *c);
/* Tell the engine's log function (calx_engine_set_log), if any, a printf-formatted message. */
void calx__log(calx_engine *eng, calx_log_level level, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The engine's wrapped dialect, made once at open. */
void calx__trace_init(calx_engine *eng);

/* Give a statement back: reset, and finalized unless the cache keeps it. */
void calx__stmt_release(calx__stmt *st);

#endif
