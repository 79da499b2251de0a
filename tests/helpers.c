#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"

static unsigned db_counter;
test_dialect current_dialect;

const char *test_url(char *buf, size_t cap)
{
	if (current_dialect == TEST_POSTGRESQL) {
		const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
		if (!url || !*url) {
			fprintf(stderr, "CALX_TEST_POSTGRESQL_URL is not set: run the tests with `ninja test`, "
			                "which starts a throwaway PostgreSQL, or point it at a throwaway database\n");
			return NULL;
		}
		snprintf(buf, cap, "%s", url);
		return buf;
	}
	const char *dir = getenv("CALX_TEST_TMPDIR");
	snprintf(buf, cap, "sqlite:%s/calx-test-%ld-%u.db", dir ? dir : "/tmp", (long)getpid(), db_counter++);
	unlink(buf + 7);
	return buf;
}

int run_on_all_dialects(const char *name, const struct CMUnitTest *tests, size_t n)
{
	static const char *const names[] = { "sqlite", "postgresql" };
	int failed = 0;
	for (int d = TEST_SQLITE; d <= TEST_POSTGRESQL; d++) {
		char group[128];
		snprintf(group, sizeof group, "%s/%s", name, names[d]);
		current_dialect = (test_dialect)d;
		failed += _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	}
	return failed;
}

int fixture_setup(void **state)
{
	return fixture_setup_schema(state, &shop_schema);
}

int fixture_setup_schema(void **state, const calx_schema_desc *schema)
{
	fixture *fx = calloc(1, sizeof *fx);
	if (!fx)
		return -1;
	*state = fx;
	fx->dialect = current_dialect;
	char url[512];
	if (!test_url(url, sizeof url))
		return -1;
	if (ON_SQLITE(fx))
		snprintf(fx->path, sizeof fx->path, "%s", url + 7);
	if (calx_engine_open(&fx->eng, url) != CALX_OK) {
		fprintf(stderr, "engine: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_registry_open(&fx->reg, schema, NULL) != CALX_OK) {
		fprintf(stderr, "registry: %s\n", calx_registry_errmsg(fx->reg));
		return -1;
	}
	/*
	 * A server database outlives the test: start from empty tables, after
	 * ending any connection a failed test left in a transaction.
	 */
	if (ON_POSTGRESQL(fx) &&
	    (calx_engine_exec(fx->eng, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                               "WHERE datname = current_database() AND pid <> pg_backend_pid()") != CALX_OK ||
	     calx_drop_all(fx->reg, fx->eng) != CALX_OK)) {
		fprintf(stderr, "drop_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_create_all(fx->reg, fx->eng) != CALX_OK) {
		fprintf(stderr, "create_all: %s\n", calx_engine_errmsg(fx->eng));
		return -1;
	}
	if (calx_session_open(&fx->s, fx->eng, fx->reg) != CALX_OK)
		return -1;
	return 0;
}

int fixture_teardown(void **state)
{
	fixture *fx = *state;
	if (!fx)
		return 0;
	calx_session_free(fx->s);
	calx_registry_free(fx->reg);
	calx_engine_free(fx->eng);
	if (fx->path[0]) {
		char side[530];
		unlink(fx->path);
		snprintf(side, sizeof side, "%s-wal", fx->path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", fx->path);
		unlink(side);
	}
	free(fx);
	return 0;
}

calx_session *fixture_session(fixture *fx)
{
	calx_session *s = NULL;
	if (calx_session_open(&s, fx->eng, fx->reg) != CALX_OK)
		return NULL;
	return s;
}

calx_session *fixture_traced_session(fixture *fx, calx_trace_fn fn, void *ctx)
{
	assert_int_equal(calx_engine_set_trace(fx->eng, fn, ctx, 0), CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_non_null(s);
	return s;
}

void fixture_untrace(fixture *fx)
{
	assert_int_equal(calx_engine_set_trace(fx->eng, NULL, NULL, 0), CALX_OK);
}

size_t count_rows(fixture *fx, const calx_mapper_desc *m)
{
	calx_session *s = fixture_session(fx);
	if (!s)
		return (size_t)-1;
	calx_select *q = calx_select_new(s, m);
	void **items;
	size_t n = (size_t)-1;
	if (q && calx_select_all(q, &items, &n) != CALX_OK)
		n = (size_t)-1;
	calx_select_free(q);
	calx_session_free(s);
	return n;
}

size_t count_loaded(calx_session *s, const calx_mapper_desc *m, bool every_row)
{
	calx_select *q = calx_select_new(s, m);
	if (q && every_row)
		calx_select_without_criteria(q);
	void **items;
	size_t n = (size_t)-1;
	if (q && calx_select_all(q, &items, &n) != CALX_OK)
		n = (size_t)-1;
	calx_select_free(q);
	return n;
}

uint64_t fixture_statements(calx_session *s)
{
	uint64_t n = 0;
	calx_session_counters(s, &n, NULL);
	return n;
}

void capture_stderr(void (*fn)(void *arg), void *arg, char *buf, size_t cap)
{
	char path[] = "/tmp/calx-stderr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fd, 2) >= 0);
	fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	ssize_t got = read(fd, buf, cap - 1);
	buf[got > 0 ? got : 0] = '\0';
	close(fd);
	unlink(path);
}
