#include <string.h>
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

static void conn_close(calx__conn *c)
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

static int conn_open(calx_engine *eng, calx__conn **out, calx_error *err)
{
	calx__conn *c = calx__calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "out of memory connecting to %s", eng->d->name);
	c->d = eng->d;
	c->sql = &eng->sql;
	c->bound = CALX__STMT_BOUND;
	int rc = eng->d->connect(&c->raw, eng->url, err);
	if (rc != CALX_OK) {
		calx__free(c);
		return rc;
	}
	*out = c;
	return CALX_OK;
}

int calx_engine_open(calx_engine **out, const char *url)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	calx_engine *eng = calx__calloc(1, sizeof *eng);
	if (!eng)
		return CALX_ENOMEM;
	pthread_mutex_init(&eng->lock, NULL);
	calx__sqlcache_init(&eng->sql, NULL);
	*out = eng;
	if (!url)
		return calx_error_set(&eng->err, CALX_EINVAL, "engine URL is NULL");
	eng->d = dialect_for(url);
	eng->sql.d = eng->d;
	if (!eng->d)
		return calx_error_set(&eng->err, CALX_EINVAL,
		                      "unknown database URL '%.100s' (expected sqlite:PATH, sqlite::memory: or postgresql://...)",
		                      url);
	eng->url = calx__strdup(url);
	if (!eng->url)
		return calx_error_set(&eng->err, CALX_ENOMEM, "out of memory opening engine");
	eng->single = strcmp(url, "sqlite::memory:") == 0 || strcmp(url, "sqlite:///:memory:") == 0;
	/* Connect now, so a bad URL or an unreachable database fails here. */
	calx__conn *c;
	int rc = conn_open(eng, &c, &eng->err);
	if (rc != CALX_OK)
		return rc;
	if (eng->d->file_identity)
		eng->has_id = eng->d->file_identity(c->raw, eng->file_id) == 1;
	eng->n_open = 1;
	eng->idle = c;
	return CALX_OK;
}

void calx_engine_free(calx_engine *eng)
{
	if (!eng)
		return;
	calx__conn *c = eng->idle;
	while (c) {
		calx__conn *next = c->next;
		conn_close(c);
		c = next;
	}
	calx__sqlcache_free(&eng->sql);     /* after the connections: they hold references */
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
	return eng ? eng->err.code : CALX_EINVAL;
}

const char *calx_engine_errmsg(const calx_engine *eng)
{
	if (!eng)
		return "engine is NULL (out of memory?)";
	return eng->err.code ? eng->err.msg : "";
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

int calx__engine_acquire(calx_engine *eng, calx__conn **out, calx_error *err)
{
	*out = NULL;
	if (!eng || !eng->d)
		return calx_error_set(err, CALX_EINVAL, "engine is not open");
	pthread_mutex_lock(&eng->lock);
	calx__conn *c;
	while (!eng->gone && (c = eng->idle) != NULL) {
		eng->idle = c->next;
		c->next = NULL;
		int broken = eng->single ? 0 : c->d->broken(c->raw);
		if (!broken) {
			pthread_mutex_unlock(&eng->lock);
			*out = c;
			return CALX_OK;
		}
		/* lost while idle (server restart, terminated backend): replace it */
		eng->gone = eng->gone || broken == CALX_DIALECT_GONE;
		eng->n_open--;
		conn_close(c);
	}
	if (eng->gone) {
		pthread_mutex_unlock(&eng->lock);
		return gone_error(eng, err);
	}
	if (eng->single && eng->n_open > 0) {
		pthread_mutex_unlock(&eng->lock);
		return calx_error_set(err, CALX_EBUSY,
		                      "%s: the in-memory database has one connection and it is in use "
		                      "(free the other session first)", eng->url);
	}
	eng->n_open++;
	pthread_mutex_unlock(&eng->lock);
	int rc = conn_open(eng, &c, err);
	if (rc != CALX_OK) {
		pthread_mutex_lock(&eng->lock);
		eng->n_open--;
		pthread_mutex_unlock(&eng->lock);
		return rc;
	}
	/*
	 * A later connection opens whatever is at the path now: if that is not
	 * the file the first connection opened, the file was deleted or replaced
	 * while open, and this engine would read one file and write another.
	 */
	uint64_t id[2];
	if (eng->has_id && eng->d->file_identity(c->raw, id) == 1 &&
	    (id[0] != eng->file_id[0] || id[1] != eng->file_id[1])) {
		conn_close(c);
		pthread_mutex_lock(&eng->lock);
		eng->n_open--;
		eng->gone = true;
		pthread_mutex_unlock(&eng->lock);
		return gone_error(eng, err);
	}
	*out = c;
	return CALX_OK;
}

void calx__engine_release(calx_engine *eng, calx__conn *c, bool broken)
{
	if (!c)
		return;
	int why = c->d->broken(c->raw);
	broken = broken || why;
	pthread_mutex_lock(&eng->lock);
	eng->gone = eng->gone || why == CALX_DIALECT_GONE;
	if ((broken || eng->gone) && !eng->single) {
		eng->n_open--;
		pthread_mutex_unlock(&eng->lock);
		conn_close(c);
		return;
	}
	c->next = eng->idle;
	eng->idle = c;
	pthread_mutex_unlock(&eng->lock);
}

int calx_engine_exec(calx_engine *eng, const char *sql)
{
	if (!eng || !eng->d)
		return CALX_EINVAL;
	if (!sql)
		return calx_error_set(&eng->err, CALX_EINVAL, "calx_engine_exec: SQL is NULL");
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, &eng->err);
	if (rc != CALX_OK)
		return rc;
	rc = eng->d->exec(c->raw, sql, &eng->err);
	if (rc != CALX_OK) {
		/* a failed statement must not leave the pooled connection in a transaction */
		calx_error ignored;
		calx__txn(c, CALX__TXN_ROLLBACK, &ignored);
	}
	calx__engine_release(eng, c, false);
	return rc;
}
