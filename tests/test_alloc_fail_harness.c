/* The allocation-failure harness: see test_alloc_fail.h. */
#define _GNU_SOURCE             /* dladdr */
#include <dlfcn.h>
#include <execinfo.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_alloc_fail.h"

static long fail_at;    /* the allocation to fail; 0: none */
static long calls;      /* allocations asked for in this run */

/*
 * With CALX_ALLOC_FAIL_TRACE=FILE, each failed allocation appends a line to
 * FILE: this program's path, then the return addresses of its call stack
 * as offsets into the program. tools/alloc-coverage.sh turns them into
 * file:line (addr2line) to see which allocation sites a failure went
 * through.
 */
static void trace_failure(void)
{
	static FILE *f;
	static char exe[512];
	const char *path = getenv("CALX_ALLOC_FAIL_TRACE");
	if (!path || !*path)
		return;
	if (!f) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		if (n <= 0 || !(f = fopen(path, "a")))
			return;
		exe[n] = '\0';
	}
	void *frames[64];
	int n = backtrace(frames, 64);
	Dl_info self;
	if (!dladdr((void *)trace_failure, &self))
		return;
	fprintf(f, "%s", exe);
	for (int i = 1; i < n; i++) {
		Dl_info at;
		if (dladdr(frames[i], &at) && at.dli_fbase == self.dli_fbase)
			fprintf(f, " %lx", (unsigned long)((char *)frames[i] - (char *)self.dli_fbase - 1));
	}
	fputc('\n', f);
	fflush(f);
}

static void *failing_alloc(void *payload, void *ptr, size_t size)
{
	(void)payload;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	if (++calls == fail_at) {
		trace_failure();
		return NULL;
	}
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

long alloc_fail_count(calx_session *s, const calx_mapper_desc *m)
{
	calx_select *q = calx_select_new(s, m);
	void **items;
	size_t n;
	long r = q && calx_select_all(q, &items, &n) == CALX_OK ? (long)n : -1;
	calx_select_free(q);
	return r;
}

static long read_state(calx_engine *eng, const alloc_scenario *sc)
{
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	long r = ALLOC_FAIL_BROKEN;
	if (calx_registry_open(&reg, sc->schema, NULL) != CALX_OK || calx_session_open(&s, eng, reg) != CALX_OK)
		fprintf(stderr, "reading back: %s\n", s ? calx_session_errmsg(s) : calx_engine_errmsg(eng));
	else if ((r = sc->state(s)) == ALLOC_FAIL_BROKEN)
		fprintf(stderr, "reading back: %s\n", calx_session_errmsg(s));
	calx_session_free(s);
	calx_registry_free(reg);
	return r;
}

/* Does a table not yet emptied, other than t, refer to t? */
static bool referred(const calx_schema_desc *sc, const calx_table_desc *t, const bool *done)
{
	for (unsigned i = 0; i < sc->n_tables; i++)
		for (unsigned k = 0; !done[i] && sc->tables[i] != t && k < sc->tables[i]->n_fks; k++)
			if (sc->tables[i]->fks[k].ref_table == t)
				return true;
	return false;
}

/* Every row deleted, children first, in one round trip: far cheaper than TRUNCATE or new tables. */
/* The table of an abstract concrete root (no polymorphic_identity): described, never created. */
static bool abstract_table(const calx_schema_desc *sc, const calx_table_desc *t)
{
	for (unsigned i = 0; i < sc->n_mappers; i++) {
		const calx_mapper_desc *m = sc->mappers[i];
		if (m->tables && m->n_tables && m->tables[0] == t && !m->parent && m->discriminator >= 0 &&
		    !m->polymorphic_identity)
			return true;
	}
	return false;
}

/*
 * A table's name quoted as calx quotes it (orm/sql/qualified.c): "schema"."table"
 * on PostgreSQL, the schema folded into the name on SQLite.
 */
static const char *quoted_table(const char *name, char *buf, size_t cap)
{
	const char *dot = strchr(name, '.');
	if (!dot)
		snprintf(buf, cap, "\"%s\"", name);
	else if (current_dialect == TEST_POSTGRESQL)
		snprintf(buf, cap, "\"%.*s\".\"%s\"", (int)(dot - name), name, dot + 1);
	else
		snprintf(buf, cap, "\"%.*s_%s\"", (int)(dot - name), name, dot + 1);
	return buf;
}

static int empty_tables(calx_engine *eng, const calx_schema_desc *sc)
{
	char q[160];
	bool done[64] = { false };
	char sql[4096];
	size_t k = 0;
	if (sc->n_tables > 64)
		return CALX_EINVAL;
	unsigned skipped = 0;
	for (unsigned i = 0; i < sc->n_tables; i++)
		if ((done[i] = abstract_table(sc, sc->tables[i])))
			skipped++;
	for (unsigned left = sc->n_tables - skipped; left;) {
		unsigned was = left;
		for (unsigned i = 0; i < sc->n_tables; i++) {
			if (done[i] || referred(sc, sc->tables[i], done))
				continue;
			k += (size_t)snprintf(sql + k, k < sizeof sql ? sizeof sql - k : 0, "DELETE FROM %s;",
			                      quoted_table(sc->tables[i]->name, q, sizeof q));
			done[i] = true;
			left--;
		}
		if (left == was) {
			/* tables that refer to each other (a post_update key): one TRUNCATE of them all (PostgreSQL) */
			k += (size_t)snprintf(sql + k, k < sizeof sql ? sizeof sql - k : 0, "TRUNCATE");
			for (unsigned i = 0; i < sc->n_tables; i++)
				if (!done[i])
					k += (size_t)snprintf(sql + k, k < sizeof sql ? sizeof sql - k : 0, "%s %s",
					                      left-- == was ? "" : ",",
					                      quoted_table(sc->tables[i]->name, q, sizeof q));
			k += (size_t)snprintf(sql + k, k < sizeof sql ? sizeof sql - k : 0, ";");
		}
	}
	return k < sizeof sql ? calx_engine_exec(eng, sql) : CALX_ERANGE;
}

/*
 * PostgreSQL's reader: a child process with a connection of its own (never
 * the parent's sockets) that makes the tables, then for each request reads
 * the state, empties the tables and answers; it leaves by _exit. One
 * process for a whole scenario: a connection per run cost more than the
 * runs.
 */
typedef struct reader {
	pid_t pid;
	int ask, answer;        /* the parent's ends of the pipes */
} reader;

static void serve(int ask, int answer, const alloc_scenario *sc)
{
	char url[512], c;
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	long r = ALLOC_FAIL_BROKEN;
	if (database_url(url, sizeof url) && calx_engine_open(&eng, url) == CALX_OK &&
	    calx_registry_open(&reg, sc->schema, NULL) == CALX_OK && calx_drop_all(reg, eng) == CALX_OK &&
	    calx_create_all(reg, eng) == CALX_OK)
		r = 0;
	else
		fprintf(stderr, "making the tables: %s\n", calx_engine_errmsg(eng));
	if (write(answer, &r, sizeof r) != sizeof r || r != 0)
		_exit(1);
	while (read(ask, &c, 1) == 1) {
		r = read_state(eng, sc);
		if (r != ALLOC_FAIL_BROKEN && empty_tables(eng, sc->schema) != CALX_OK) {
			fprintf(stderr, "emptying the tables: %s\n", calx_engine_errmsg(eng));
			r = ALLOC_FAIL_BROKEN;
		}
		if (write(answer, &r, sizeof r) != sizeof r)
			break;
	}
	_exit(0);
}

static long answer_of(const reader *rd)
{
	long r;
	return read(rd->answer, &r, sizeof r) == sizeof r ? r : ALLOC_FAIL_BROKEN;
}

static bool reader_start(reader *rd, const alloc_scenario *sc)
{
	int ask[2], answer[2];
	if (pipe(ask) != 0)
		return false;
	if (pipe(answer) != 0) {
		close(ask[0]);
		close(ask[1]);
		return false;
	}
	signal(SIGPIPE, SIG_IGN);       /* a reader that died is a failed write, not a killed test */
	fflush(NULL);
	rd->pid = fork();
	if (rd->pid == 0) {
		calx_set_allocator(NULL, NULL);
		close(ask[1]);
		close(answer[0]);
		serve(ask[0], answer[1], sc);
	}
	close(ask[0]);
	close(answer[1]);
	rd->ask = ask[1];
	rd->answer = answer[0];
	return rd->pid > 0 && answer_of(rd) == 0;
}

static void reader_stop(reader *rd)
{
	close(rd->ask);         /* the reader's loop ends */
	close(rd->answer);
	if (rd->pid > 0)
		waitpid(rd->pid, NULL, 0);
}

/* SQLite: the database is the engine's memory; a forked child reads its copy and leaves by _exit. */
static long read_in_child(calx_engine *eng, const alloc_scenario *sc)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return ALLOC_FAIL_BROKEN;
	if (pid == 0) {
		calx_set_allocator(NULL, NULL);
		long r = read_state(eng, sc);
		_exit(r < -3 || r > 250 ? 0 : (int)(r + 3));
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) == 0)
		return ALLOC_FAIL_BROKEN;
	return WEXITSTATUS(st) - 3;
}

/* One run: CALX_OK when every step worked; *state as the scenario's reader says. */
static int one_run(const alloc_scenario *sc, const reader *rd, long *state)
{
	char url[512];
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	int rc;
	*state = ALLOC_FAIL_NO_DATABASE;
	if (!database_url(url, sizeof url))
		return CALX_EINVAL;
	/* On SQLite the database is the engine's memory: creating its tables is part of the run. */
	bool tables = rd != NULL;
	if ((rc = calx_engine_open(&eng, url)) == CALX_OK && (rc = calx_registry_open(&reg, sc->schema, NULL)) == CALX_OK &&
	    (tables || (rc = calx_create_all(reg, eng)) == CALX_OK)) {
		tables = true;
		rc = sc->run(eng, reg);
	}
	if (rd)
		*state = write(rd->ask, "r", 1) == 1 ? answer_of(rd) : ALLOC_FAIL_BROKEN;
	else if (tables)
		*state = read_in_child(eng, sc);
	calx_registry_free(reg);
	calx_engine_free(eng);
	return rc;
}

/* What is wrong with a run that ended in rc leaving db, or NULL. */
static const char *wrong(const alloc_scenario *sc, int rc, long db)
{
	if (db == ALLOC_FAIL_PARTIAL)
		return "a commit was written in part";
	if (db == ALLOC_FAIL_BROKEN)
		return "the test could not prepare or read the database";
	/* some failures are absorbed (a statement left out of a cache): then all the work must be done */
	if (rc == CALX_OK && db != sc->done_state)
		return "the run said OK but did not do all of its work";
	return NULL;
}

long fail_each_allocation(const alloc_scenario *sc)
{
	long n, failed = 0, db = ALLOC_FAIL_BROKEN;
	int rc = CALX_ENOMEM;
	const char *bad = NULL;
	reader rd = { 0, -1, -1 }, *prd = NULL;
	if (current_dialect == TEST_POSTGRESQL) {
		prd = &rd;
		if (!reader_start(&rd, sc)) {
			reader_stop(&rd);
			fail_msg("%s: could not start the reader or make the tables", sc->name);
		}
	}
	calx_set_allocator(failing_alloc, NULL);
	for (n = 1; n < 100000; n++) {
		fail_at = n;
		calls = 0;
		rc = one_run(sc, prd, &db);
		if (calls < n) {
			/* the Nth allocation never came: a clean run, which must complete */
			if (rc != CALX_OK || db != sc->done_state)
				bad = "the run with no allocation failing did not complete";
			break;
		}
		failed++;
		if ((bad = wrong(sc, rc, db)) != NULL)
			break;
	}
	calx_set_allocator(NULL, NULL);
	if (prd)
		reader_stop(prd);
	if (bad)
		fail_msg("%s: %s (allocation %ld of the run failed; %s, database state %ld)", sc->name, bad, n,
		         calx_status_name(rc), db);
	assert_true(failed > 0);
	print_message("[ INFO     ] %s: %ld allocations failed one at a time, each handled\n", sc->name, failed);
	return failed;
}
