/*
 * calx_retry: a unit of work run in a fresh session per attempt, retried
 * with backoff only on statuses that promise nothing was written.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "calx/calx.h"
#include "calx/retry.h"
#include "engine/engine.h"

#define DEFAULT_ATTEMPTS 10
#define DEFAULT_FIRST_US 1000u
#define DEFAULT_MAX_US 200000u

bool calx_retry_is_safe(int status, bool retry_connect)
{
	switch (status) {
	case CALX_ERETRY:
	case CALX_EBUSY:
		return true;
	case CALX_ECONNECT:
		/* lost before COMMIT: the server rolled back (lost during it is CALX_EUNKNOWN) */
		return retry_connect;
	default:
		return false;
	}
}

static void pause_us(uint64_t us)
{
	struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* xorshift64*: jitter only, so a per-call state seeded from the clock is enough. */
static uint64_t next_random(uint64_t *st)
{
	uint64_t x = *st;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*st = x;
	return x * 2685821657736338717ull;
}

static void keep_message(calx_retry_report *report, const char *msg)
{
	if (report)
		snprintf(report->errmsg, sizeof report->errmsg, "%s", msg ? msg : "");
}

int calx_retry(calx_engine *eng, const calx_registry *reg, calx_retry_fn unit, void *payload,
               const calx_retry_options *opts, calx_retry_report *report)
{
	calx_retry_options o = CALX_RETRY_OPTIONS_INIT;
	if (opts)
		o = *opts;
	if (report) {
		report->attempts = 0;
		report->status = CALX_EINVAL;
		report->errmsg[0] = '\0';
	}
	if (!eng || !reg || !unit || (opts && opts->version != CALX_RETRY_OPTIONS_VERSION)) {
		keep_message(report, "calx_retry: engine, registry and unit are required, and options of version "
		                     "CALX_RETRY_OPTIONS_VERSION");
		return CALX_EINVAL;
	}
	unsigned max_attempts = o.max_attempts ? o.max_attempts : DEFAULT_ATTEMPTS;
	uint64_t delay = o.first_delay_us ? o.first_delay_us : DEFAULT_FIRST_US;
	uint64_t max_delay = o.max_delay_us ? o.max_delay_us : DEFAULT_MAX_US;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t rnd = ((uint64_t)now.tv_nsec << 20) ^ (uint64_t)now.tv_sec ^ (uint64_t)(uintptr_t)&now;
	if (!rnd)
		rnd = 0x9e3779b97f4a7c15ull;
	int rc = CALX_ERROR;
	for (unsigned attempt = 1;; attempt++) {
		calx_session *s = NULL;
		char why[320] = "";     /* for the engine's log */
		rc = calx_session_open(&s, eng, reg);
		if (rc != CALX_OK) {
			/* the engine keeps why (not copied here: other threads may be writing it) */
			if (report)
				snprintf(report->errmsg, sizeof report->errmsg,
				         "calx_retry: opening a session failed with %s (see calx_engine_errmsg)",
				         calx_status_name(rc));
		} else {
			rc = unit(s, payload);
			if (rc == CALX_OK)
				rc = calx_session_commit(s);
			if (rc != CALX_OK) {
				const char *msg = calx_session_errmsg(s);
				snprintf(why, sizeof why, "%s", msg ? msg : "");
				/* a unit may fail on its own, with nothing kept on the session */
				if (report && (!msg || !*msg))
					snprintf(report->errmsg, sizeof report->errmsg, "the unit returned %s",
					         calx_status_name(rc));
				else
					keep_message(report, msg);
			}
			calx_session_free(s);   /* rolls back anything not committed */
		}
		if (report)
			report->attempts = attempt;
		if (rc == CALX_OK || attempt >= max_attempts || !calx_retry_is_safe(rc, o.retry_connect))
			break;
		/* full jitter over [delay/2, delay): threads that collided spread out */
		uint64_t half = delay / 2;
		uint64_t pause = half + (half ? next_random(&rnd) % half : 0);
		calx__log(eng, CALX_LOG_INFO, "retry", "attempt %u of %u failed with %s, run again in %llu us%s%s", attempt,
		          max_attempts, calx_status_name(rc), (unsigned long long)pause, *why ? ": " : "", why);
		pause_us(pause);
		delay = delay * 2 > max_delay ? max_delay : delay * 2;
	}
	if (report) {
		report->status = rc;
		if (rc == CALX_OK)
			report->errmsg[0] = '\0';
	}
	return rc;
}
