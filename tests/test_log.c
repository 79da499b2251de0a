/*
 * The engine's log of what it decides (calx_engine_set_log), on SQLite
 * and PostgreSQL: connections opened, closed on return beyond pool_size,
 * discarded as too old; the pool running out; a calx_retry attempt run
 * again; create_all and drop_all table by table; calx_insert_many's rows
 * sent; the ready-made stderr
 * log. Nothing is logged without a log function.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "helpers.h"

typedef struct logged {
	size_t n;
	struct {
		calx_log_level level;
		char what[16];
		char msg[256];
	} e[512];
} logged;

static void collect(void *ctx, calx_log_level level, const char *what, const char *msg)
{
	logged *l = ctx;
	if (l->n == sizeof l->e / sizeof l->e[0])
		return;
	l->e[l->n].level = level;
	snprintf(l->e[l->n].what, sizeof l->e[l->n].what, "%s", what);
	snprintf(l->e[l->n].msg, sizeof l->e[l->n].msg, "%s", msg);
	l->n++;
}

/* How many entries of what hold text; the last one's index in *at (when given). */
static size_t count(const logged *l, const char *what, const char *text, calx_log_level level, size_t *at)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].what, what) && strstr(l->e[i].msg, text) && l->e[i].level == level) {
			k++;
			if (at)
				*at = i;
		}
	return k;
}

static calx_engine *engine_with(fixture *fx, const calx_engine_opts *o)
{
	char url[600];
	if (ON_SQLITE(fx))
		snprintf(url, sizeof url, "sqlite:%s", fx->path);
	else
		assert_non_null(test_url(url, sizeof url));
	calx_engine *eng;
	assert_int_equal(calx_engine_open_opts(&eng, url, o), CALX_OK);
	return eng;
}

static void the_pool_says_what_it_opens_and_closes(void **state)
{
	fixture *fx = *state;
	static logged l;
	memset(&l, 0, sizeof l);
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_size = 1;
	o.max_overflow = 1;
	o.pool_timeout = 0.05;
	calx_engine *eng = engine_with(fx, &o);
	assert_int_equal(calx_engine_set_log(eng, collect, &l), CALX_OK);
	calx_session *a, *b, *c;
	assert_int_equal(calx_session_open(&a, eng, fx->reg), CALX_OK);   /* the engine's first connection */
	assert_int_equal(count(&l, "pool", "opened", CALX_LOG_INFO, NULL), 0);
	assert_int_equal(calx_session_open(&b, eng, fx->reg), CALX_OK);
	size_t at = 0;
	assert_int_equal(count(&l, "pool", "opened connection #2 (2 open; pool_size 1, max_overflow 1)", CALX_LOG_INFO,
	                       &at), 1);
	/* both in use, no room for a third: the pool says it ran out, and the call fails */
	assert_int_equal(calx_session_open(&c, eng, fx->reg), CALX_ETIMEOUT);
	assert_int_equal(count(&l, "pool", "exhausted", CALX_LOG_WARNING, NULL), 1);
	calx_session_free(a);
	calx_session_free(b);   /* one idle already: this one is closed */
	assert_int_equal(count(&l, "pool", "closed connection #2 on return: 1 idle already (pool_size 1)",
	                       CALX_LOG_DEBUG, NULL), 1);
	calx_engine_free(eng);
}

static void a_connection_too_old_is_replaced_and_said_so(void **state)
{
	fixture *fx = *state;
	static logged l;
	memset(&l, 0, sizeof l);
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_recycle = 0.001;
	calx_engine *eng = engine_with(fx, &o);
	assert_int_equal(calx_engine_set_log(eng, collect, &l), CALX_OK);
	nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	calx_session *s;
	assert_int_equal(calx_session_open(&s, eng, fx->reg), CALX_OK);
	assert_int_equal(count(&l, "pool", "discarded connection #1: older than pool_recycle", CALX_LOG_INFO, NULL), 1);
	assert_int_equal(count(&l, "pool", "opened connection #2", CALX_LOG_INFO, NULL), 1);
	calx_session_free(s);
	/* switched off: nothing more */
	size_t before = l.n;
	assert_int_equal(calx_engine_set_log(eng, NULL, NULL), CALX_OK);
	nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
	assert_int_equal(calx_session_open(&s, eng, fx->reg), CALX_OK);
	calx_session_free(s);
	assert_int_equal(l.n, before);
	assert_int_equal(calx_engine_set_log(NULL, collect, &l), CALX_EINVAL);
	calx_engine_free(eng);
}

static int fails_once(calx_session *s, void *payload)
{
	int *calls = payload;
	if ((*calls)++ == 0)
		return CALX_ERETRY;     /* as a serialization failure would */
	return calx_session_add(s, user_new(s, .name = "retried"));
}

static void a_retry_is_logged(void **state)
{
	fixture *fx = *state;
	static logged l;
	memset(&l, 0, sizeof l);
	assert_int_equal(calx_engine_set_log(fx->eng, collect, &l), CALX_OK);
	int calls = 0;
	assert_int_equal(calx_retry(fx->eng, fx->reg, fails_once, &calls, NULL, NULL), CALX_OK);
	assert_int_equal(calls, 2);
	assert_int_equal(count(&l, "retry", "attempt 1 of 10 failed with CALX_ERETRY, run again in ", CALX_LOG_INFO,
	                       NULL), 1);
	assert_int_equal(count_rows(fx, &user_mapper), 1);
	assert_int_equal(calx_engine_set_log(fx->eng, NULL, NULL), CALX_OK);
}

static void create_all_reports_each_table(void **state)
{
	fixture *fx = *state;
	static logged l;
	memset(&l, 0, sizeof l);
	calx_session_free(fx->s);       /* drop_all waits for no one */
	fx->s = NULL;
	assert_int_equal(calx_engine_set_log(fx->eng, collect, &l), CALX_OK);
	assert_int_equal(calx_drop_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	size_t n = shop_schema.n_tables;
	char last[64];
	snprintf(last, sizeof last, "(%zu of %zu)", n, n);
	assert_int_equal(count(&l, "drop_all", "of ", CALX_LOG_DEBUG, NULL), n);
	assert_int_equal(count(&l, "create_all", "of ", CALX_LOG_DEBUG, NULL), n);
	assert_int_equal(count(&l, "create_all", "table users (", CALX_LOG_DEBUG, NULL), 1);
	assert_int_equal(count(&l, "create_all", last, CALX_LOG_DEBUG, NULL), 1);
	assert_int_equal(calx_engine_set_log(fx->eng, NULL, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&fx->s, fx->eng, fx->reg), CALX_OK);
}

static void a_bulk_insert_reports_its_progress(void **state)
{
	fixture *fx = *state;
	static logged l;
	memset(&l, 0, sizeof l);
	struct user rows[5];
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < 5; i++) {
		snprintf(rows[i].name, sizeof rows[i].name, "bulk%d", i);
		rows[i].age = 20 + i;
	}
	assert_int_equal(calx_engine_set_log(fx->eng, collect, &l), CALX_OK);
	assert_ok(fx->s, calx_insert_many(fx->s, &user_mapper, rows, 5, 0, NULL));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(calx_engine_set_log(fx->eng, NULL, NULL), CALX_OK);
	assert_int_equal(count(&l, "insert_many", "users: 5 of 5 rows sent", CALX_LOG_DEBUG, NULL), 1);
	assert_int_equal(count_rows(fx, &user_mapper), 5);
}

static void create_all_to_stderr(void *arg)
{
	fixture *fx = arg;
	assert_int_equal(calx_engine_set_log(fx->eng, calx_log_stderr, NULL), CALX_OK);
	assert_int_equal(calx_create_all(fx->reg, fx->eng), CALX_OK);
	assert_int_equal(calx_engine_set_log(fx->eng, NULL, NULL), CALX_OK);
}

static void the_stderr_log_writes_a_line_a_message(void **state)
{
	fixture *fx = *state;
	static char out[16384];
	capture_stderr(create_all_to_stderr, fx, out, sizeof out);
	assert_non_null(strstr(out, "calx create_all: DEBUG: table users ("));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_pool_says_what_it_opens_and_closes, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_connection_too_old_is_replaced_and_said_so, fixture_setup,
		                                fixture_teardown),
		cmocka_unit_test_setup_teardown(a_retry_is_logged, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(create_all_reports_each_table, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_bulk_insert_reports_its_progress, fixture_setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(the_stderr_log_writes_a_line_a_message, fixture_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("log", tests);
}
