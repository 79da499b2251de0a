/*
 * Allocation failure in live schemas (calx/inspect.h): an inspection of
 * the tables of tests/models/live.h (every kind of constraint), a schema
 * diff that finds drift (a table version 1 made, read with version 2's
 * registry: a missing column; the other tables extra), and
 * create_all_checked refusing it and going on when asked. Each allocation
 * fails in turn, on each dialect. On PostgreSQL the work runs in a schema
 * of its own (lsx_alloc, through search_path), so the inspection reads
 * these tables and not every other scenario's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/inspect.h>
#include "test_alloc_fail.h"
#include "live.calx.h"
#include "live_drift.calx.h"

/* The work on an engine whose default schema holds only this scenario's tables. */
static int inspect_work(calx_engine *eng, calx_registry *live)
{
	calx_registry *v2 = NULL;
	calx_inspection *in = NULL;
	calx_drift_list *d = NULL;
	int rc = calx_registry_open(&v2, &live_drift_schema, NULL);
	if (rc == CALX_OK)
		rc = calx_create_all(live, eng);
	if (rc == CALX_OK)
		rc = calx_engine_exec(eng, current_dialect == TEST_SQLITE
		                                   ? "CREATE TABLE IF NOT EXISTS lsd_authors "
		                                     "(id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(63) NOT NULL)"
		                                   : "CREATE TABLE IF NOT EXISTS lsd_authors "
		                                     "(id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(63) NOT NULL)");
	if (rc == CALX_OK && (rc = calx_inspect(eng, NULL, &in)) == CALX_OK) {
		const calx_insp_table *r = calx_inspection_find(in, "lsx_reviews");
		if (calx_inspection_count(in) != 5 || !r || r->n_fks != 1 || r->fks[0].n_columns != 2)
			rc = CALX_ERROR;
	}
	/* live's tables against live: no drift but the extra lsd_authors */
	if (rc == CALX_OK && (rc = calx_schema_diff(live, eng, &d)) == CALX_OK && calx_drift_list_count(d) != 1)
		rc = CALX_ERROR;
	calx_drift_list_free(d);
	d = NULL;
	/* version 2 against version 1's table: country missing, and four tables extra */
	if (rc == CALX_OK && (rc = calx_schema_diff(v2, eng, &d)) == CALX_OK && calx_drift_list_count(d) != 5)
		rc = CALX_ERROR;
	calx_drift_list_free(d);
	if (rc == CALX_OK) {
		rc = calx_create_all_checked(v2, eng, 0);
		rc = rc == CALX_ESTATE ? CALX_OK : rc == CALX_OK ? CALX_ERROR : rc;
	}
	if (rc == CALX_OK)
		rc = calx_create_all_checked(v2, eng, CALX_CREATE_IGNORE_DRIFT);
	if (rc == CALX_OK)
		rc = calx_create_all_checked(live, eng, 0);
	calx_inspection_free(in);
	calx_registry_free(v2);
	return rc;
}

/*
 * SQLite: the run's in-memory database. PostgreSQL: the schema lsx_alloc,
 * made if missing, through an engine of this run whose search_path names it.
 */
static int inspect_run(calx_engine *eng, calx_registry *reg)
{
	if (current_dialect == TEST_SQLITE)
		return inspect_work(eng, reg);
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL"), *opt = url ? strstr(url, "options=") : NULL;
	if (!opt)
		return CALX_EINVAL;
	char scoped[1024];
	int head = (int)(opt - url) + (int)strlen("options=");
	snprintf(scoped, sizeof scoped, "%.*s-c%%20search_path%%3Dlsx_alloc%%20%s", head, url, url + head);
	calx_engine *own = NULL;
	int rc = calx_engine_exec(eng, "CREATE SCHEMA IF NOT EXISTS lsx_alloc");
	if (rc == CALX_OK && (rc = calx_engine_open(&own, scoped)) == CALX_OK)
		rc = inspect_work(own, reg);
	calx_engine_free(own);
	return rc;
}

/* Inspection writes nothing the reader counts: 0 always. */
static long nothing_state(calx_session *s)
{
	(void)s;
	return 0;
}

static void inspection_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "inspect, schema diff, create_all_checked", &live_schema, inspect_run,
		                           nothing_state, 0 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inspection_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_inspect", tests);
}
