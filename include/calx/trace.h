/*
 * calx/trace.h - seeing what an engine does: the SQL it runs (SQLAlchemy's
 * echo=True), and a log of what it decides (below).
 *
 *   calx_engine_set_trace(eng, calx_trace_stderr, NULL, CALX_TRACE_PARAMS);
 *
 * or, without a change to the program, CALX_TRACE=1 in the environment
 * (CALX_TRACE=params to show the values too) when the engine opens.
 *
 * The trace function is called once for each statement the engine's
 * connections execute, after it ran (for a select: after its first row
 * or its end), on the thread that ran it: BEGIN and COMMIT, every INSERT,
 * UPDATE, DELETE and SELECT, each batch of rows sent at once, the DDL of
 * calx_create_all. The library never prints by itself: calx_trace_stderr
 * is a trace function the program chooses.
 */
#ifndef CALX_TRACE_H
#define CALX_TRACE_H

#include <stdint.h>
#include "calx/types.h"
#include "calx/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_trace_event {
	const char *sql;                /* the statement's text, as sent */
	/*
	 * The bound values, row after row for a batch (n_params * batch_rows),
	 * or NULL when the trace was set without CALX_TRACE_PARAMS (passwords,
	 * personal data: leave them out of logs unless asked). Text and bytes
	 * are borrowed for the call.
	 */
	const calx_value *params;
	unsigned n_params;              /* parameters of one execution */
	size_t batch_rows;              /* executions sent at once: 1, or the rows of a batch */
	/*
	 * Rows an INSERT, UPDATE or DELETE changed (summed over a batch); -1
	 * for other statements and for those with RETURNING (reported at
	 * their first row).
	 */
	int64_t rows;
	double seconds;                 /* the execution's time, to its first row for a select */
	int status;                     /* CALX_OK, or the error the statement failed with */
	const char *error;              /* the error's message, or "" */
	unsigned long long connection;  /* which of the engine's connections: 1, 2, ... in the order made */
	const char *dialect;            /* "sqlite" or "postgresql" */
} calx_trace_event;

typedef void (*calx_trace_fn)(void *ctx, const calx_trace_event *ev);

/* flags */
enum { CALX_TRACE_PARAMS = 1 };         /* pass the bound values (ev->params) */

/*
 * Trace the engine's statements through fn(ctx, ev) (NULL: stop tracing).
 * It applies to each connection when a session next takes it from the
 * pool: sessions opened before keep their connection's setting until
 * they end. Thread-safe; fn is called on the thread that runs the
 * statement, so with sessions on several threads it must be thread-safe
 * too. With no tracing set, statements run through the dialect directly,
 * as if this did not exist. CALX_EINVAL for a NULL engine or unknown flags.
 */
int calx_engine_set_trace(calx_engine *eng, calx_trace_fn fn, void *ctx, unsigned flags);

/*
 * A ready-made trace function: one line per statement on stderr,
 *   calx[sqlite#1] 0.041 ms, 1 row: INSERT INTO "users" (...) VALUES (?, ?) [7, 'Alice']
 * with the values when the trace has CALX_TRACE_PARAMS (long text cut
 * short), and the error when the statement failed. ctx is unused.
 */
void calx_trace_stderr(void *ctx, const calx_trace_event *ev);

/*
 * What the library decides on its own, as it decides it: the pool opened
 * a connection, discarded one (lost, too old, failed its pre-ping) or
 * closed one on return (beyond pool_size), ran out of connections; a
 * calx_retry attempt failed and is run again; calx_create_all and
 * calx_drop_all at each table (progress on a schema of thousands),
 * calx_insert_many as its rows go. what says who ("pool", "retry",
 * "create_all", "drop_all", "insert_many"); msg is a sentence
 * without a newline, borrowed for the call. Called on the thread that
 * decided, possibly holding no lock of calx's: fn may call calx. NULL
 * stops it. CALX_EINVAL for a NULL engine.
 */
typedef enum calx_log_level {
	CALX_LOG_DEBUG = 10,            /* routine: a connection closed on return, a table created */
	CALX_LOG_INFO = 20,             /* worth knowing: a connection opened or replaced, a retry */
	CALX_LOG_WARNING = 30           /* something went wrong and was handled: a lost connection */
} calx_log_level;

typedef void (*calx_log_fn)(void *ctx, calx_log_level level, const char *what, const char *msg);

int calx_engine_set_log(calx_engine *eng, calx_log_fn fn, void *ctx);

/* A ready-made log function: "calx pool: INFO: opened connection #2 ..." on stderr. ctx is unused. */
void calx_log_stderr(void *ctx, calx_log_level level, const char *what, const char *msg);

#ifdef __cplusplus
}
#endif

#endif /* CALX_TRACE_H */
