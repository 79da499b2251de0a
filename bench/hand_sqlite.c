#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "hand_sqlite.h"

sqlite3 *sq_db;

void sq_fail(const char *what)
{
	bench_die(NULL, "%s: %s", what, sqlite3_errmsg(sq_db));
}

void sq_exec(const char *sql)
{
	if (sqlite3_exec(sq_db, sql, NULL, NULL, NULL) != SQLITE_OK)
		sq_fail(sql);
}

sqlite3_stmt *sq_prepare(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(sq_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		sq_fail(sql);
	return st;
}

void sq_run(sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		sq_fail(sqlite3_sql(st));
	sqlite3_reset(st);
}

void sq_open(const char *url, bool sync_off)
{
	if (strncmp(url, "sqlite:", 7) != 0)
		bench_die(NULL, "not an sqlite URL: %s", url);
	const char *path = url + 7;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &sq_db, flags, NULL) != SQLITE_OK)
		sq_fail(path);
	sqlite3_extended_result_codes(sq_db, 1);
	sqlite3_busy_timeout(sq_db, 5000);
	sq_exec("PRAGMA foreign_keys = ON");
	if (strcmp(path, ":memory:") != 0)
		sq_exec("PRAGMA journal_mode = WAL");
	if (sync_off)
		sq_exec("PRAGMA synchronous = OFF");
}

char *sq_text(sqlite3_stmt *st, int i)
{
	const unsigned char *p = sqlite3_column_text(st, i);
	if (!p)
		return NULL;
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	char *s = malloc(n + 1);
	if (!s)
		bench_die(NULL, "out of memory");
	memcpy(s, p, n + 1);
	return s;
}
