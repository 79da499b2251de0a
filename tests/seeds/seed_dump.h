/*
 * seed_dump.h - the inheritance seed comparisons' dumps
 * (tests/test_inherit_joined_seed.c, tests/test_inherit_forms_seed.c):
 * a schema read back from the database and rows after each step, written
 * the way their SQLAlchemy scripts (tests/seeds/inherit_*_sqla.py) write
 * theirs, so that the two texts compare equal line for line.
 */
#ifndef CALX_TEST_SEED_DUMP_H
#define CALX_TEST_SEED_DUMP_H

#include <stddef.h>
#include "helpers.h"

typedef struct seed_dump {
	char *text;
	size_t len, cap;
} seed_dump;

/* A table's rows: its name, and the SELECT that reads them in key order. */
typedef struct seed_query {
	const char *table, *sql;
} seed_query;

void seed_put(seed_dump *d, const char *s);
/*
 * "== schema", then per table its columns by name as
 * name|affinity|notnull|pk and its foreign keys as
 * fk|column|table|column|on delete, read from SQLite's pragmas or
 * PostgreSQL's information_schema.
 */
void seed_dump_schema(const fixture *fx, seed_dump *d, const char *const *tables, size_t n);
/* Commit fx's session, then "== step" and each query's rows. */
void seed_commit_and_dump(fixture *fx, seed_dump *d, const char *step, const seed_query *q, size_t n);
/* The file SQLAlchemy's script wrote (NULL, said on stderr, when it is missing); the caller frees it. */
char *seed_read_whole(const char *path);
/* Fails the test, showing the first line that differs, when got is not want. */
void seed_compare(const char *want, const char *got, const char *want_path);

#endif
