/*
 * cli_query.c - the command-line clients behind cli_query.h, through
 * popen: `sqlite3 -batch -noheader -separator '|' -nullvalue ''` and
 * `psql -X -q -A -t -F '|'`. The SQL goes on the command line, single
 * quotes escaped for the shell.
 */
#include "cli_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 'text' for sh, each ' written '\'' */
static int quoted(const char *text, char *out, size_t cap)
{
	size_t n = 0;
	if (cap < 3)
		return -1;
	out[n++] = '\'';
	for (const char *p = text; *p; p++) {
		const char *piece = *p == '\'' ? "'\\''" : (char[]){ *p, 0 };
		size_t k = strlen(piece);
		if (n + k + 2 > cap)
			return -1;
		memcpy(out + n, piece, k);
		n += k;
	}
	out[n++] = '\'';
	out[n] = '\0';
	return 0;
}

int cli_query(const fixture *fx, const char *sql, char *out, size_t cap)
{
	char q_sql[8192], q_db[1100], cmd[10000];
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
	if (quoted(sql, q_sql, sizeof q_sql) != 0 ||
	    quoted(fx->dialect == TEST_SQLITE ? fx->path : url ? url : "", q_db, sizeof q_db) != 0) {
		fprintf(stderr, "cli_query: the query or the database name is too long\n");
		return -1;
	}
	if (fx->dialect == TEST_SQLITE)
		snprintf(cmd, sizeof cmd, "sqlite3 -batch -noheader -separator '|' -nullvalue '' %s %s", q_db, q_sql);
	else
		snprintf(cmd, sizeof cmd, "psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -d %s -c %s", q_db, q_sql);
	FILE *p = popen(cmd, "r");
	if (!p) {
		fprintf(stderr, "cli_query: cannot run %s\n", fx->dialect == TEST_SQLITE ? "sqlite3" : "psql");
		return -1;
	}
	size_t n = fread(out, 1, cap - 1, p);
	out[n] = '\0';
	int full = n == cap - 1 && fgetc(p) != EOF;
	int status = pclose(p);
	if (status != 0 || full) {
		fprintf(stderr, "cli_query: %s (status %d) for: %s\n", full ? "answer too long" : "the client failed",
		        status, sql);
		return -1;
	}
	return 0;
}
