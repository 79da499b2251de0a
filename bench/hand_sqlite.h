/*
 * The hand-written SQLite contender's connection and the few calls every
 * workload of it uses (bench_sqlite.c, graph_sqlite.c). Every failure
 * ends the program with the statement and sqlite3_errmsg.
 */
#ifndef CALX_BENCH_HAND_SQLITE_H
#define CALX_BENCH_HAND_SQLITE_H

#include <stdbool.h>
#include <sqlite3.h>

/* The one connection, opened by sq_open. */
extern sqlite3 *sq_db;

/*
 * Open URL (sqlite:PATH or sqlite::memory:) with what calx gives its own
 * connections: foreign keys on, a 5 s busy timeout, WAL for files (and
 * synchronous = OFF when asked).
 */
void sq_open(const char *url, bool sync_off);

void sq_fail(const char *what) __attribute__((noreturn));
void sq_exec(const char *sql);
/* Prepared once, kept (SQLITE_PREPARE_PERSISTENT). */
sqlite3_stmt *sq_prepare(const char *sql);
/* Step a statement that returns no rows, and reset it for the next use. */
void sq_run(sqlite3_stmt *st);
/* A text column as a malloc'd string; NULL stays NULL. */
char *sq_text(sqlite3_stmt *st, int i);

#endif
