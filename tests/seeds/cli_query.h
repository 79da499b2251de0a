/*
 * cli_query.h - ask a test database through its own command-line client.
 *
 * The query-language tests compare what calx's builder answers with the
 * same question written in SQL by hand and run by `sqlite3` (on the
 * fixture's file) or `psql` (on CALX_TEST_POSTGRESQL_URL): neither calx
 * nor the drivers' C calls are in that path.
 */
#ifndef CALX_TEST_CLI_QUERY_H
#define CALX_TEST_CLI_QUERY_H

#include <stddef.h>
#include "helpers.h"

/*
 * Run sql with the dialect's client. The rows come back in out (cap
 * bytes, NUL-terminated): one line per row, values joined by '|', NULL
 * empty, no header. Returns 0, or -1 (the client failed, or the answer
 * does not fit) with the reason on stderr.
 */
int cli_query(const fixture *fx, const char *sql, char *out, size_t cap);

#endif
