/* The allocation-failure harness: see test_alloc_fail.h. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_alloc_fail.h"

static long fail_at;    /* the allocation to fail; 0: none */
static long calls;      /* allocations asked for in this run */

static void *failing_alloc(void *payload, void *ptr, size_t size)
{
	(void)payload;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	if (++calls == fail_at)
		return NULL;
	return realloc(ptr, size);
}

static const char *database_url(char *buf, size_t cap)
{
	if (current_dialect == TEST_SQLITE) {
		snprintf(buf, cap, "sqlite::memory:");
		return buf;
	}
	return test_url(buf, cap);
}

/*
 * Run fn in a child process with the allocator working, and give its
 * result (0..250, or an ALLOC_FAIL_* state). The child leaves by _exit: no
 * atexit handler runs, so its coverage counts and leak checks stay out of
 * the results; it only reads or prepares the database.
 */
static long in_child(long (*fn)(calx_engine *eng, const alloc_scenario *sc), calx_engine *eng,
                     const alloc_scenario *sc)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return ALLOC_FAIL_BROKEN;
	if (pid == 0) {
		calx_set_allocator(NULL, NULL);
		long r = fn(eng, sc);
		_exit(r < -3 || r > 250 ? 0 : (int)(r + 3));
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) == 0)
		return ALLOC_FAIL_BROKEN;
	return WEXITSTATUS(st) - 3;
}

/* PostgreSQL, once per scenario; the child connects on its own (never on the parent's sockets). */
static long fresh_tables(calx_engine *unused, const alloc_scenario *sc)
{
	(void)unused;
	char url[512];
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	long r = ALLOC_FAIL_BROKEN;
	if (database_url(url, sizeof url) && calx_engine_open(&eng, url) == CALX_OK &&
	    calx_registry_open(&reg, sc->schema, NULL) == CALX_OK && calx_drop_all(reg, eng) == CALX_OK &&
	    calx_create_all(reg, eng) == CALX_OK)
		r = 0;
	else
		fprintf(stderr, "preparing the tables: %s\n", calx_engine_errmsg(eng));
	calx_registry_free(reg);
	calx_engine_free(eng);
	return r;
}

/* Does another table still to be emptied refer to t? */
static bool referred(const calx_schema_desc *sc, const calx_table_desc *t, const bool *done)
{
	for (unsigned i = 0; i < sc->n_tables; i++)
		for (unsigned k = 0; !done[i] && sc->tables[i] != t && k < sc->tables[i]->n_fks; k++)
			if (sc->tables[i]->fks[k].ref_table == t)
				return true;
	return false;
}

/* DELETE every row, children first: a few milliseconds, where TRUNCATE or DDL take tens. */
static int empty_tables(calx_engine *eng, const calx_schema_desc *sc)
{
	bool done[64] = { false };
	if (sc->n_tables > 64)
		return CALX_EINVAL;
	for (unsigned left = sc->n_tables; left;) {
		unsigned was = left;
		for (unsigned i = 0; i < sc->n_tables; i++) {
			if (done[i] || referred(sc, sc->tables[i], done))
				continue;
			char sql[256];
			snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", sc->tables[i]->name);
			int rc = calx_engine_exec(eng, sql);
			if (rc != CALX_OK)
				return rc;
			done[i] = true;
			left--;
		}
		if (left == was)
			return CALX_EINVAL;     /* a cycle of foreign keys between tables */
	}
	return CALX_OK;
}

static long read_state(calx_engine *eng, const alloc_scenario *sc)
{
	char url[512];
	calx_engine *own = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	long r = ALLOC_FAIL_BROKEN;
	if (current_dialect == TEST_POSTGRESQL) {
		if (!database_url(url, sizeof url) || calx_engine_open(&own, url) != CALX_OK)
			goto done;
		eng = own;
	}
	if (calx_registry_open(&reg, sc->schema, NULL) != CALX_OK || calx_session_open(&s, eng, reg) != CALX_OK) {
		fprintf(stderr, "reading back: %s\n", s ? calx_session_errmsg(s) : calx_engine_errmsg(eng));
		goto done;
	}
	r = sc->state(s);
	if (r == ALLOC_FAIL_BROKEN)
		fprintf(stderr, "reading back: %s\n", calx_session_errmsg(s));
	/* PostgreSQL: empty the tables for the next run (cheaper than creating them again) */
	if (own && r != ALLOC_FAIL_BROKEN && empty_tables(own, sc->schema) != CALX_OK) {
		fprintf(stderr, "emptying the tables: %s\n", calx_engine_errmsg(own));
		r = ALLOC_FAIL_BROKEN;
	}
done:
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(own);
	return r;
}

long alloc_fail_count(calx_session *s, const calx_mapper_desc *m)
{
	calx_select *q = calx_select_new(s, m);
	void **items;
	size_t n;
	long r = q && calx_select_all(q, &items, &n) == CALX_OK ? (long)n : -1;
	calx_select_free(q);
	return r;
}

/* One run: CALX_OK when every step worked; *state as the scenario's reader says. */
static int one_run(const alloc_scenario *sc, long *state)
{
	char url[512];
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	int rc;
	*state = ALLOC_FAIL_NO_DATABASE;
	if (!database_url(url, sizeof url))
		return CALX_EINVAL;
	/* On SQLite the database is the engine's memory: creating its tables is part of the run. */
	bool tables = current_dialect == TEST_POSTGRESQL;
	if ((rc = calx_engine_open(&eng, url)) == CALX_OK && (rc = calx_registry_open(&reg, sc->schema, NULL)) == CALX_OK &&
	    (tables || (rc = calx_create_all(reg, eng)) == CALX_OK)) {
		tables = true;
		rc = sc->run(eng, reg);
	}
	if (tables)
		*state = in_child(read_state, eng, sc);
	calx_registry_free(reg);
	calx_engine_free(eng);
	return rc;
}

long fail_each_allocation(const alloc_scenario *sc)
{
	long n, failed = 0, db = ALLOC_FAIL_BROKEN;
	int rc = CALX_ENOMEM;
	/* PostgreSQL: the tables are made once; each run's reader empties them */
	if (current_dialect == TEST_POSTGRESQL && in_child(fresh_tables, NULL, sc) != 0)
		fail_msg("%s: could not create the tables", sc->name);
	calx_set_allocator(failing_alloc, NULL);
	for (n = 1; n < 100000; n++) {
		fail_at = n;
		calls = 0;
		rc = one_run(sc, &db);
		if (calls < n)
			break;          /* the Nth allocation never came: the run was clean */
		failed++;
		/* Some failures are absorbed (a statement left out of a cache):
		 * then the scenario must have done all of its work. */
		if (rc == CALX_OK && db != sc->done_state)
			fail_msg("%s: allocation %ld failed, the run said OK, database state %ld", sc->name, n, db);
		if (db == ALLOC_FAIL_PARTIAL)
			fail_msg("%s: allocation %ld failed: a commit was written in part", sc->name, n);
		if (db == ALLOC_FAIL_BROKEN)
			fail_msg("%s: allocation %ld failed: the test could not prepare or read the database", sc->name, n);
	}
	if (rc != CALX_OK || db != sc->done_state)
		fail_msg("%s: the run with no allocation failing: %s, database state %ld", sc->name,
		         calx_status_name(rc), db);
	/* and once more, with no failing allocation at all */
	fail_at = 0;
	rc = one_run(sc, &db);
	calx_set_allocator(NULL, NULL);
	assert_int_equal(rc, CALX_OK);
	assert_int_equal(db, sc->done_state);
	assert_true(failed > 0);
	print_message("[ INFO     ] %s: %ld allocations failed one at a time, each handled\n", sc->name, failed);
	return failed;
}
