/*
 * live_fixture.h - a database of its own for the live-schema suites: a new
 * SQLite file, or on PostgreSQL a schema of its own (dropped and made
 * anew), reached by an engine whose search_path names it. Inspection and
 * schema diffs of the default schema then see this suite's tables and no
 * other suite's, in the one database a test run shares.
 */
#ifndef CALX_TEST_LIVE_FIXTURE_H
#define CALX_TEST_LIVE_FIXTURE_H

#include "helpers.h"

typedef struct live_db {
	calx_engine *eng;
	fixture raw;            /* for raw_query (tests/seeds/raw_query.h): dialect and SQLite path */
	char schema[64];        /* PostgreSQL: the schema; SQLite: "main" */
	char url[1200];         /* what eng was opened with: for another program (calx-codegen) */
} live_db;

/* 0, or -1 with the reason on stderr. pg_schema: the PostgreSQL schema to make. */
int live_db_open(live_db *db, const char *pg_schema);
void live_db_close(live_db *db);

/* Run each statement of a script joined by ";\n" (calx_registry_ddl's form); CALX_OK or the first failure. */
int live_db_run_script(live_db *db, const char *script);

/* Remove from text the first span that starts with from and ends with the first `to` after it; 1 if found. */
int live_cut(char *text, const char *from, const char *to);

#endif
