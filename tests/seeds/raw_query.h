/*
 * raw_query.h - read a test database with its own driver, outside calx.
 *
 * The relationship tests compare what calx loaded with what the database
 * says. These answers must not come through calx itself, so a query runs
 * on a connection of its own: sqlite3 on the fixture's file, libpq on
 * CALX_TEST_POSTGRESQL_URL. It sees what was committed.
 */
#ifndef CALX_TEST_RAW_QUERY_H
#define CALX_TEST_RAW_QUERY_H

#include <stddef.h>
#include "helpers.h"

/*
 * Run sql on fx's database. The rows come back as text in *out (the
 * caller frees it): one line per row, the values joined by '|', SQL NULL
 * written NULL. Returns 0, or -1 with the driver's message on stderr.
 */
int raw_query(const fixture *fx, const char *sql, char **out);

/* A query that yields one integer (SELECT COUNT(*) ...): the value, or -1 on failure. */
long long raw_count(const fixture *fx, const char *sql);

#endif
