/*
 * A database of its own for the live-schema suites (live_fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "live_fixture.h"

/*
 * The test URL with search_path set for every connection: libpq's
 * options parameter, which the run's URL already uses for lock_timeout.
 */
static void url_with_search_path(char *buf, size_t cap, const char *url, const char *schema)
{
	const char *opt = strstr(url, "options=");
	if (opt) {
		size_t head = (size_t)(opt - url) + strlen("options=");
		snprintf(buf, cap, "%.*s-c%%20search_path%%3D%s%%20%s", (int)head, url, schema, url + head);
	} else {
		snprintf(buf, cap, "%s%coptions=-c%%20search_path%%3D%s", url, strchr(url, '?') ? '&' : '?', schema);
	}
}

int live_db_open(live_db *db, const char *pg_schema)
{
	char url[1024], sql[256];
	memset(db, 0, sizeof *db);
	db->raw.dialect = current_dialect;
	if (!test_url(url, sizeof url))
		return -1;
	if (current_dialect == TEST_SQLITE) {
		snprintf(db->raw.path, sizeof db->raw.path, "%.500s", url + 7);
		snprintf(db->schema, sizeof db->schema, "main");
		snprintf(db->url, sizeof db->url, "%s", url);
		if (calx_engine_open(&db->eng, url) != CALX_OK) {
			fprintf(stderr, "engine: %s\n", calx_engine_errmsg(db->eng));
			return -1;
		}
		return 0;
	}
	snprintf(db->schema, sizeof db->schema, "%s", pg_schema);
	calx_engine *admin;
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", pg_schema, pg_schema);
	if (calx_engine_open(&admin, url) != CALX_OK || calx_engine_exec(admin, sql) != CALX_OK) {
		fprintf(stderr, "schema %s: %s\n", pg_schema, calx_engine_errmsg(admin));
		calx_engine_free(admin);
		return -1;
	}
	calx_engine_free(admin);
	char scoped[1200];
	url_with_search_path(scoped, sizeof scoped, url, pg_schema);
	snprintf(db->url, sizeof db->url, "%s", scoped);
	if (calx_engine_open(&db->eng, scoped) != CALX_OK) {
		fprintf(stderr, "engine: %s\n", calx_engine_errmsg(db->eng));
		return -1;
	}
	return 0;
}

void live_db_close(live_db *db)
{
	calx_engine_free(db->eng);
	db->eng = NULL;
	if (db->raw.path[0]) {
		char side[530];
		unlink(db->raw.path);
		snprintf(side, sizeof side, "%s-wal", db->raw.path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", db->raw.path);
		unlink(side);
	}
}

int live_db_run_script(live_db *db, const char *script)
{
	char *copy = strdup(script);
	int rc = copy ? CALX_OK : CALX_ENOMEM;
	for (char *s = copy, *end; rc == CALX_OK && s && *s; s = end) {
		end = strstr(s, ";\n");
		if (end) {
			*end = '\0';
			end += 2;
		}
		if (*s)
			rc = calx_engine_exec(db->eng, s);
	}
	free(copy);
	return rc;
}

int live_cut(char *text, const char *from, const char *to)
{
	char *a = strstr(text, from);
	char *b = a ? strstr(a + strlen(from), to) : NULL;
	if (!b)
		return 0;
	b += strlen(to);
	memmove(a, b, strlen(b) + 1);
	return 1;
}
