/*
 * raw_query.c - the drivers' own calls for raw_query.h: sqlite3_exec
 * style stepping on SQLite, PQexec on PostgreSQL. Values are read as text
 * on both, so the same row prints the same on each (integers in decimal,
 * NULL as NULL).
 */
#include "raw_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <libpq-fe.h>

struct text {
	char *buf;
	size_t len, cap;
};

static int put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *grown = realloc(t->buf, cap);
		if (!grown)
			return -1;
		t->buf = grown;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
	return 0;
}

static int query_sqlite(const char *path, const char *sql, struct text *t)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw_query: sqlite %s: %s: %s\n", path, sql, db ? sqlite3_errmsg(db) : "no memory");
		goto done;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			if ((i > 0 && put(t, "|") != 0) || put(t, v ? (const char *)v : "NULL") != 0)
				goto done;
		}
		if (put(t, "\n") != 0)
			goto done;
	}
	if (step != SQLITE_DONE)
		fprintf(stderr, "raw_query: sqlite %s: %s\n", sql, sqlite3_errmsg(db));
	else
		rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static int query_postgresql(const char *url, const char *sql, struct text *t)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r = NULL;
	int rc = -1;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "raw_query: postgresql: %s", PQerrorMessage(c));
		goto done;
	}
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "raw_query: postgresql %s: %s", sql, PQerrorMessage(c));
		goto done;
	}
	for (int row = 0; row < PQntuples(r); row++) {
		for (int i = 0; i < PQnfields(r); i++) {
			const char *v = PQgetisnull(r, row, i) ? "NULL" : PQgetvalue(r, row, i);
			if ((i > 0 && put(t, "|") != 0) || put(t, v) != 0)
				goto done;
		}
		if (put(t, "\n") != 0)
			goto done;
	}
	rc = 0;
done:
	PQclear(r);
	PQfinish(c);
	return rc;
}

int raw_query(const fixture *fx, const char *sql, char **out)
{
	struct text t = { 0 };
	int rc;

	*out = NULL;
	if (put(&t, "") != 0)
		return -1;
	if (ON_SQLITE(fx)) {
		rc = query_sqlite(fx->path, sql, &t);
	} else {
		const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
		rc = url ? query_postgresql(url, sql, &t) : -1;
	}
	if (rc != 0) {
		free(t.buf);
		return -1;
	}
	*out = t.buf;
	return 0;
}

long long raw_count(const fixture *fx, const char *sql)
{
	char *text, *end;
	long long n;

	if (raw_query(fx, sql, &text) != 0)
		return -1;
	n = strtoll(text, &end, 10);
	if (end == text || strcmp(end, "\n") != 0)
		n = -1;
	free(text);
	return n;
}
