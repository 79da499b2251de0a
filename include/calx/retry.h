/*
 * calx/retry.h - run a unit of work again when the database says it may.
 *
 *   static int transfer(calx_session *s, void *payload) { ... get, change, add ... }
 *   calx_retry_options opts = CALX_RETRY_OPTIONS_INIT;
 *   calx_retry_report rep;
 *   int rc = calx_retry(eng, reg, transfer, &args, &opts, &rep);
 *
 * Each attempt opens a fresh session, calls unit, commits if unit returned
 * CALX_OK, and frees the session (rolling back whatever was not committed).
 * An attempt that failed is run again, after a growing, jittered pause, only
 * when its status says nothing was written and trying again can succeed:
 *
 *   CALX_ERETRY   serialization failure or deadlock (SQLSTATE 40001, 40P01)
 *   CALX_EBUSY    the database was locked (SQLite), or a lock not granted in
 *                 time (SQLSTATE 55P03)
 *   CALX_ECONNECT only with opts->retry_connect: the connection was lost
 *                 before COMMIT was sent, so the server rolled back
 *
 * Never CALX_EUNKNOWN (the connection was lost during COMMIT: the unit may
 * have been committed, and running it again could apply it twice), and never
 * a constraint, type or application error, which would fail the same way.
 *
 * unit must be safe to run several times: it must keep no state outside its
 * session between attempts (or reset it on entry), and must not free or
 * commit the session itself. Objects of one attempt go with its session.
 */
#ifndef CALX_RETRY_H
#define CALX_RETRY_H

#include <stdbool.h>
#include "calx/engine.h"
#include "calx/registry.h"
#include "calx/session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*calx_retry_fn)(calx_session *s, void *payload);

typedef struct calx_retry_options {
	unsigned version;               /* CALX_RETRY_OPTIONS_VERSION */
	unsigned max_attempts;          /* 0: 10 */
	unsigned first_delay_us;        /* pause after the first failure; 0: 1000 (1 ms) */
	unsigned max_delay_us;          /* the pause doubles up to this; 0: 200000 (200 ms) */
	bool retry_connect;             /* also retry CALX_ECONNECT (see above) */
} calx_retry_options;

#define CALX_RETRY_OPTIONS_VERSION 1
#define CALX_RETRY_OPTIONS_INIT { CALX_RETRY_OPTIONS_VERSION, 0, 0, 0, false }

/* What happened, filled by calx_retry when given. */
typedef struct calx_retry_report {
	unsigned attempts;              /* attempts made (1 when the first one worked) */
	int status;                     /* the returned status */
	char errmsg[512];               /* the last failed attempt's message, "" if none */
} calx_retry_report;

/* May a unit that failed with status be run again? (see above) */
bool calx_retry_is_safe(int status, bool retry_connect);

/*
 * Run unit in a fresh session and commit, retrying as above. Returns
 * CALX_OK once an attempt committed, else the last attempt's status
 * (CALX_EINVAL for bad arguments). opts and report may be NULL. Safe to call
 * from several threads on one engine and registry.
 */
int calx_retry(calx_engine *eng, const calx_registry *reg, calx_retry_fn unit, void *payload,
               const calx_retry_options *opts, calx_retry_report *report);

#ifdef __cplusplus
}
#endif

#endif /* CALX_RETRY_H */
