/*
 * calx/trace.h - seeing the SQL an engine runs (SQLAlchemy's echo=True).
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

#ifdef __cplusplus
}
#endif

#endif /* CALX_TRACE_H */
