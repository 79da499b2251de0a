#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "engine/engine.h"
#include "sql/statements.h"
#include "sql/stmtcache.h"

static const calx_dialect *const dialects[] = { &calx_sqlite_dialect, &calx_postgresql_dialect };

static const calx_dialect *dialect_for(const char *url)
{
	if (strncmp(url, "postgres://", 11) == 0)
		return &calx_postgresql_dialect;        /* libpq's alias */
	for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++) {
		size_t n = strlen(dialects[i]->name);
		if (strncmp(url, dialects[i]->name, n) == 0 && url[n] == ':')
			return dialects[i];
	}
	return NULL;
}

void calx__conn_close(calx__conn *c)
{
	if (!c)
		return;
	calx__stmtcache_clear(c);
	for (int i = 0; i < 3; i++)
		if (c->txn[i])
			c->d->finalize(c->txn[i]);
	c->d->disconnect(c->raw);
	calx__free(c);
}

int calx__conn_open(calx_engine *eng, calx__conn **out, calx_error *err)
{
	calx__conn *c = calx__calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "out of memory connecting to %s", eng->d->name);
	c->d = eng->d;
	c->sql = &eng->sql;
	c->number = atomic_fetch_add(&eng->conn_numbers, 1) + 1;
	c->bound = CALX__STMT_BOUND;
	int rc = eng->d->connect(&c->raw, eng->url, err);
	if (rc != CALX_OK) {
		calx__free(c);
		return rc;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	c->born = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	*out = c;
	return CALX_OK;
}

static atomic_ullong next_id = 1;
static _Thread_local struct {
	unsigned long long id;
	calx_error err;
} last;

calx_error *calx__engine_err(calx_engine *eng)
{
	if (last.id != eng->id) {
		last.id = eng->id;
		last.err.code = 0;
		last.err.msg[0] = '\0';
	}
	return &last.err;
}

static int check_opts(const calx_engine_opts *o, calx_error *err)
{
	if (o->version != CALX_ENGINE_OPTS_V1)
		return calx_error_set(err, CALX_EINVAL, "engine options: unknown version %u (expected %d)", o->version,
		                      CALX_ENGINE_OPTS_V1);
	if (o->pool_size < 1)
		return calx_error_set(err, CALX_EINVAL, "engine options: pool_size %d must be at least 1", o->pool_size);
	if (!(o->pool_timeout >= 0))
		return calx_error_set(err, CALX_EINVAL, "engine options: pool_timeout must be 0 or more seconds");
	return CALX_OK;
}

int calx_engine_open(calx_engine **out, const char *url)
{
	return calx_engine_open_opts(out, url, NULL);
}

/* url for a message, its password (scheme://user:PASSWORD@host) written ***. */
static const char *redacted(const char *url, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", url);
	char *user = strstr(buf, "://");
	if (!user)
		return buf;
	user += 3;
	char *at = strchr(user, '@'), *slash = strchr(user, '/'), *colon = strchr(user, ':');
	if (at && (!slash || at < slash) && colon && colon < at) {
		char tail[128];
		snprintf(tail, sizeof tail, "%s", at);
		snprintf(colon + 1, cap - (size_t)(colon + 1 - buf), "***%s", tail);
	}
	return buf;
}

int calx_engine_open_opts(calx_engine **out, const char *url, const calx_engine_opts *opts)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	calx_engine *eng = calx__calloc(1, sizeof *eng);
	if (!eng)
		return CALX_ENOMEM;
	eng->id = atomic_fetch_add(&next_id, 1);
	pthread_mutex_init(&eng->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&eng->freed, &ca);
	pthread_condattr_destroy(&ca);
	calx__sqlcache_init(&eng->sql, NULL);
	*out = eng;
	const calx_engine_opts defaults = CALX_ENGINE_OPTS_INIT;
	eng->opts = opts ? *opts : defaults;
	if (opts && check_opts(opts, &eng->err) != CALX_OK)
		return eng->err.code;
	if (!url)
		return calx_error_set(&eng->err, CALX_EINVAL, "engine URL is NULL");
	eng->d = dialect_for(url);
	eng->sql.d = eng->d;
	if (eng->d)
		calx__trace_init(eng);
	if (!eng->d) {
		char shown[128];
		return calx_error_set(&eng->err, CALX_EINVAL,
		                      "unknown database URL '%s' (expected sqlite:PATH, sqlite::memory: or postgresql://...)",
		                      redacted(url, shown, sizeof shown));
	}
	eng->url = calx__strdup(url);
	if (!eng->url)
		return calx_error_set(&eng->err, CALX_ENOMEM, "out of memory opening engine");
	eng->single = strcmp(url, "sqlite::memory:") == 0 || strcmp(url, "sqlite:///:memory:") == 0;
	/* Connect now, so a bad URL or an unreachable database fails here. */
	calx__conn *c;
	int rc = calx__conn_open(eng, &c, &eng->err);
	if (rc != CALX_OK)
		return rc;
	if (eng->d->file_identity)
		eng->has_id = c->d->file_identity(c->raw, eng->file_id) == 1;
	eng->n_open = 1;
	eng->n_idle = 1;
	eng->n_made = 1;
	eng->idle = c;
	/* CALX_TRACE=1 (or =params) traces to stderr without a change to the program (calx/trace.h) */
	const char *trace = getenv("CALX_TRACE");
	if (trace && *trace && strcmp(trace, "0") != 0)
		calx_engine_set_trace(eng, calx_trace_stderr, NULL, strcmp(trace, "params") == 0 ? CALX_TRACE_PARAMS : 0);
	return CALX_OK;
}

void calx_engine_free(calx_engine *eng)
{
	if (!eng)
		return;
	calx__conn *c = eng->idle;
	while (c) {
		calx__conn *next = c->next;
		calx__conn_close(c);
		c = next;
	}
	calx__sqlcache_free(&eng->sql);     /* after the connections: they hold references */
	pthread_cond_destroy(&eng->freed);
	pthread_mutex_destroy(&eng->lock);
	calx__free(eng->url);
	calx__free(eng);
}

const char *calx_engine_dialect_name(const calx_engine *eng)
{
	return eng && eng->d ? eng->d->name : "";
}

int calx_engine_errcode(const calx_engine *eng)
{
	if (!eng)
		return CALX_EINVAL;
	if (eng->err.code)
		return eng->err.code;
	return last.id == eng->id ? last.err.code : 0;
}

const char *calx_engine_errmsg(const calx_engine *eng)
{
	if (!eng)
		return "engine is NULL (out of memory?)";
	if (eng->err.code)
		return eng->err.msg;
	return last.id == eng->id && last.err.code ? last.err.msg : "";
}

const calx_driver_error *calx_engine_error_detail(const calx_engine *eng)
{
	static const calx_driver_error none;
	if (!eng)
		return &none;
	if (eng->err.code)
		return &eng->err.driver;
	return last.id == eng->id && last.err.code ? &last.err.driver : &none;
}

int calx_engine_exec(calx_engine *eng, const char *sql)
{
	if (!eng || !eng->d)
		return CALX_EINVAL;
	calx_error *err = calx__engine_err(eng);
	if (!sql)
		return calx_error_set(err, CALX_EINVAL, "calx_engine_exec: SQL is NULL");
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, err);
	if (rc != CALX_OK)
		return rc;
	rc = c->d->exec(c->raw, sql, err);
	if (rc != CALX_OK) {
		/* a failed statement must not leave the pooled connection in a transaction */
		calx_error ignored;
		calx__txn(c, CALX__TXN_ROLLBACK, &ignored);
	}
	calx__engine_release(eng, c, false);
	return rc;
}
