#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "engine/engine.h"
#include "sql/statements.h"

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

/* FNV-1a: the cache holds few distinct statements, any decent hash does. */
static size_t hash_text(const char *s)
{
	size_t h = (size_t)1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ull;
	return h;
}

static void conn_close(calx__conn *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_slots; i++) {
		calx__stmt *st = c->slots[i];
		if (!st)
			continue;
		c->d->finalize(st->st);
		calx__free(st->sql);
		calx__free(st);
	}
	calx__free(c->slots);
	c->d->disconnect(c->raw);
	calx__free(c);
}

static int conn_open(calx_engine *eng, calx__conn **out, calx_error *err)
{
	calx__conn *c = calx__calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "out of memory connecting to %s", eng->d->name);
	c->d = eng->d;
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
	*out = eng;
	if (!url)
		return calx_error_set(&eng->err, CALX_EINVAL, "engine URL is NULL");
	eng->d = dialect_for(url);
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

int calx__engine_acquire(calx_engine *eng, calx__conn **out, calx_error *err)
{
	*out = NULL;
	if (!eng || !eng->d)
		return calx_error_set(err, CALX_EINVAL, "engine is not open");
	pthread_mutex_lock(&eng->lock);
	calx__conn *c;
	while ((c = eng->idle) != NULL) {
		eng->idle = c->next;
		c->next = NULL;
		if (eng->single || !c->d->broken(c->raw)) {
			pthread_mutex_unlock(&eng->lock);
			*out = c;
			return CALX_OK;
		}
		/* lost while idle (server restart, terminated backend): replace it */
		eng->n_open--;
		conn_close(c);
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
	*out = c;
	return CALX_OK;
}

void calx__engine_release(calx_engine *eng, calx__conn *c, bool broken)
{
	if (!c)
		return;
	broken = broken || c->d->broken(c->raw);
	pthread_mutex_lock(&eng->lock);
	if (broken && !eng->single) {
		eng->n_open--;
		pthread_mutex_unlock(&eng->lock);
		conn_close(c);
		return;
	}
	c->next = eng->idle;
	eng->idle = c;
	pthread_mutex_unlock(&eng->lock);
}

static int cache_grow(calx__conn *c)
{
	size_t n = c->n_slots ? c->n_slots * 2 : 64;
	calx__stmt **slots = calx__calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < c->n_slots; i++) {
		calx__stmt *st = c->slots[i];
		if (!st)
			continue;
		size_t j = hash_text(st->sql) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = st;
	}
	calx__free(c->slots);
	c->slots = slots;
	c->n_slots = n;
	return 0;
}

int calx__stmt_acquire(calx__conn *c, const char *sql, calx__stmt **out, calx_error *err)
{
	*out = NULL;
	size_t h = hash_text(sql), j = 0;
	if (c->n_slots) {
		for (j = h & (c->n_slots - 1); c->slots[j]; j = (j + 1) & (c->n_slots - 1)) {
			calx__stmt *st = c->slots[j];
			if (strcmp(st->sql, sql) != 0)
				continue;
			if (st->busy)
				break;  /* same text in use (a nested select): prepare a private one */
			st->busy = true;
			*out = st;
			return CALX_OK;
		}
	}
	calx__stmt *st = calx__calloc(1, sizeof *st);
	if (!st || !(st->sql = calx__strdup(sql))) {
		calx__free(st);
		return calx_error_set(err, CALX_ENOMEM, "out of memory preparing %.200s", sql);
	}
	int rc = c->d->prepare(c->raw, sql, &st->st, err);
	if (rc != CALX_OK) {
		calx__free(st->sql);
		calx__free(st);
		return rc;
	}
	st->conn = c;
	st->busy = true;
	bool in_use = false;
	if (c->n_slots) {
		for (j = h & (c->n_slots - 1); c->slots[j]; j = (j + 1) & (c->n_slots - 1))
			if (strcmp(c->slots[j]->sql, sql) == 0)
				in_use = true;
	}
	/* Keep it unless a busy twin already owns the slot, or memory is short. */
	if (!in_use && ((c->n_used + 1) * 2 <= c->n_slots || cache_grow(c) == 0)) {
		for (j = h & (c->n_slots - 1); c->slots[j]; j = (j + 1) & (c->n_slots - 1))
			;
		c->slots[j] = st;
		c->n_used++;
		st->cached = true;
	}
	*out = st;
	return CALX_OK;
}

void calx__stmt_release(calx__stmt *st)
{
	if (!st)
		return;
	calx__conn *c = st->conn;
	c->d->reset(st->st);
	st->busy = false;
	if (!st->cached) {
		c->d->finalize(st->st);
		calx__free(st->sql);
		calx__free(st);
	}
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

static calx__shape *shape_slot(calx__conn *c, const void *key, calx__shape_kind kind, uint64_t tag)
{
	return &c->shapes[((uintptr_t)key / sizeof(void *) ^ (tag + (uint64_t)kind) * 31) % CALX__SHAPES];
}

calx__stmt *calx__stmt_by_shape(calx__conn *c, const void *key, calx__shape_kind kind, uint64_t tag)
{
	calx__shape *sh = shape_slot(c, key, kind, tag);
	if (sh->mapper != key || sh->kind != (int)kind || sh->tag != tag || sh->st->busy)
		return NULL;
	sh->st->busy = true;
	return sh->st;
}

void calx__stmt_remember(calx__conn *c, const void *key, calx__shape_kind kind, uint64_t tag, calx__stmt *st)
{
	/* only statements the cache owns: a private twin is finalized on release */
	if (!st->cached)
		return;
	calx__shape *sh = shape_slot(c, key, kind, tag);
	sh->mapper = key;
	sh->kind = (int)kind;
	sh->tag = tag;
	sh->st = st;
}
