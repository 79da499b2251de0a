/*
 * The connection pool: SQLAlchemy's QueuePool semantics (calx/engine.h).
 * The lock guards the counts and the idle list; connecting, pinging and
 * closing happen outside it.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>
#include "calx/calx.h"
#include "engine/engine.h"
#include "sql/statements.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* *ts: the monotonic clock's time seconds from now (pthread_cond_timedwait's, the engine's condattr). */
static void deadline_after(struct timespec *ts, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	double whole;
	double frac = modf(seconds, &whole);
	ts->tv_sec += (time_t)whole;
	ts->tv_nsec += (long)(frac * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static bool at_limit(const calx_engine *eng)
{
	if (eng->opts.max_overflow < 0)
		return false;
	return eng->n_open >= (unsigned)eng->opts.pool_size + (unsigned)eng->opts.max_overflow;
}

/* A connection leaves the pool for good: called with the lock held. */
static void forget_locked(calx_engine *eng)
{
	eng->n_open--;
	if (eng->n_waiting)
		pthread_cond_signal(&eng->freed);
}

static void discard(calx_engine *eng, calx__conn *c)
{
	calx__conn_close(c);
	pthread_mutex_lock(&eng->lock);
	forget_locked(eng);
	pthread_mutex_unlock(&eng->lock);
}

/*
 * An idle connection that must not be handed out: dead, or too old (why
 * says which, for the log), or NULL: it may go out.
 * A connection that found its database gone (CALX_DIALECT_GONE) marks the
 * whole engine gone.
 */
static const char *stale(calx_engine *eng, calx__conn *c)
{
	if (eng->single)
		return NULL;
	int why = c->d->broken(c->raw);
	if (why == CALX_DIALECT_GONE) {
		pthread_mutex_lock(&eng->lock);
		eng->gone = true;
		pthread_mutex_unlock(&eng->lock);
		return "its database file was deleted or replaced";
	}
	if (why)
		return "lost while idle";
	if (eng->opts.pool_recycle > 0 && now() - c->born > eng->opts.pool_recycle)
		return "older than pool_recycle";
	return NULL;
}

/*
 * The database went away under the engine (its file deleted or replaced):
 * a new connection would open another database, so the engine refuses.
 */
static int gone_error(const calx_engine *eng, calx_error *err)
{
	return calx_error_set(err, CALX_EIO,
	                      "the database file of '%s' was deleted or replaced while open: the engine refuses "
	                      "new sessions (a new connection would open another database); reopen the engine "
	                      "to use the file now at the path", eng->url);
}

/*
 * A later connection opens whatever is at the path now: if that is not the
 * file the first connection opened, the file was deleted or replaced while
 * open, and this engine would read one file and write another.
 */
static bool other_file(const calx_engine *eng, calx__conn *c)
{
	uint64_t id[2];
	return eng->has_id && c->d->file_identity(c->raw, id) == 1 &&
	       (id[0] != eng->file_id[0] || id[1] != eng->file_id[1]);
}

static int exhausted(calx_engine *eng, calx_error *err)
{
	return calx_error_set(err, CALX_ETIMEOUT,
	                      "%s: connection pool exhausted: pool_size %d and max_overflow %d connections "
	                      "all in use, none came back within pool_timeout %.3g s",
	                      eng->d->name, eng->opts.pool_size, eng->opts.max_overflow, eng->opts.pool_timeout);
}

/* Hand c out following the engine's trace setting (engine/trace.c). */
static int traced(calx_engine *eng, calx__conn *c, calx__conn **out, calx_error *err)
{
	int rc = calx__trace_sync(eng, c, err);
	if (rc != CALX_OK) {
		calx__engine_release(eng, c, false);
		return rc;
	}
	*out = c;
	return CALX_OK;
}

int calx__engine_acquire(calx_engine *eng, calx__conn **out, calx_error *err)
{
	*out = NULL;
	if (!eng || !eng->d)
		return calx_error_set(err, CALX_EINVAL, "engine is not open");
	/* read the clock only if the pool makes this session wait: most acquires find an idle connection */
	struct timespec deadline = { 0, 0 };
	bool timed = false;
	pthread_mutex_lock(&eng->lock);
	for (;;) {
		if (eng->gone) {
			pthread_mutex_unlock(&eng->lock);
			return gone_error(eng, err);
		}
		calx__conn *c = eng->idle;
		if (c) {
			eng->idle = c->next;
			eng->n_idle--;
			c->next = NULL;
			pthread_mutex_unlock(&eng->lock);
			calx_error ignored;
			const char *why = stale(eng, c);
			if (!why && eng->opts.pool_pre_ping && !eng->single && calx__ping(c, &ignored) != CALX_OK)
				why = "it failed the pre-ping";
			if (why) {
				unsigned long long number = c->number;
				discard(eng, c);        /* lost while idle, or too old: replace it */
				calx__log(eng, strcmp(why, "older than pool_recycle") ? CALX_LOG_WARNING : CALX_LOG_INFO, "pool",
				          "discarded connection #%llu: %s", number, why);
				pthread_mutex_lock(&eng->lock);
				continue;
			}
			return traced(eng, c, out, err);
		}
		if (eng->single && eng->n_open > 0) {
			pthread_mutex_unlock(&eng->lock);
			return calx_error_set(err, CALX_EBUSY,
			                      "%s: the in-memory database has one connection and it is in use "
			                      "(free the other session first)", eng->url);
		}
		if (!at_limit(eng))
			break;
		if (!timed) {
			deadline_after(&deadline, eng->opts.pool_timeout);
			timed = true;
		}
		eng->n_waiting++;
		int w = pthread_cond_timedwait(&eng->freed, &eng->lock, &deadline);
		eng->n_waiting--;
		if (w == ETIMEDOUT && !eng->idle && at_limit(eng)) {
			pthread_mutex_unlock(&eng->lock);
			calx__log(eng, CALX_LOG_WARNING, "pool", "exhausted: no connection came back within pool_timeout "
			          "%.3g s (pool_size %d, max_overflow %d)", eng->opts.pool_timeout, eng->opts.pool_size,
			          eng->opts.max_overflow);
			return exhausted(eng, err);
		}
	}
	unsigned open_now = ++eng->n_open;
	eng->n_made++;
	pthread_mutex_unlock(&eng->lock);
	calx__conn *c;
	int rc = calx__conn_open(eng, &c, err);
	if (rc != CALX_OK) {
		pthread_mutex_lock(&eng->lock);
		forget_locked(eng);
		pthread_mutex_unlock(&eng->lock);
		return rc;
	}
	if (other_file(eng, c)) {
		calx__conn_close(c);
		pthread_mutex_lock(&eng->lock);
		eng->gone = true;
		forget_locked(eng);
		pthread_mutex_unlock(&eng->lock);
		calx__log(eng, CALX_LOG_WARNING, "pool", "the database file was deleted or replaced while open: "
		          "refusing new sessions");
		return gone_error(eng, err);
	}
	calx__log(eng, CALX_LOG_INFO, "pool", "opened connection #%llu (%u open; pool_size %d, max_overflow %d)",
	          c->number, open_now, eng->opts.pool_size, eng->opts.max_overflow);
	return traced(eng, c, out, err);
}

void calx__engine_release(calx_engine *eng, calx__conn *c, bool broken)
{
	if (!c)
		return;
	int why = c->d->broken(c->raw);
	broken = broken || why;
	pthread_mutex_lock(&eng->lock);
	eng->gone = eng->gone || why == CALX_DIALECT_GONE;
	/* dead, gone, or beyond pool_size (an overflow connection): closed, not kept idle */
	if (!eng->single && (broken || eng->gone || eng->n_idle >= (unsigned)eng->opts.pool_size)) {
		bool overflow = !broken && !eng->gone;
		unsigned idle = eng->n_idle;
		forget_locked(eng);
		pthread_mutex_unlock(&eng->lock);
		unsigned long long number = c->number;
		calx__conn_close(c);
		if (overflow)
			calx__log(eng, CALX_LOG_DEBUG, "pool", "closed connection #%llu on return: %u idle already "
			          "(pool_size %d)", number, idle, eng->opts.pool_size);
		else
			calx__log(eng, CALX_LOG_WARNING, "pool", "closed connection #%llu on return: %s", number,
			          broken ? "it is broken" : "the engine's database is gone");
		return;
	}
	c->next = eng->idle;
	eng->idle = c;
	eng->n_idle++;
	if (eng->n_waiting)
		pthread_cond_signal(&eng->freed);
	pthread_mutex_unlock(&eng->lock);
}

int calx_engine_pool_status(calx_engine *eng, calx_pool_status *out)
{
	if (!eng || !out || !eng->d)
		return CALX_EINVAL;
	pthread_mutex_lock(&eng->lock);
	unsigned size = (unsigned)eng->opts.pool_size;
	out->size = size;
	out->idle = eng->n_idle;
	out->checked_out = eng->n_open - eng->n_idle;
	out->overflow = eng->n_open > size ? eng->n_open - size : 0;
	out->opened = eng->n_made;
	pthread_mutex_unlock(&eng->lock);
	return CALX_OK;
}
