/*
 * The connection pool (issue 9): pool_size and max_overflow respected, a
 * checkout that waits for a connection to come back, CALX_ETIMEOUT when
 * none does, overflow connections closed on return, recycling, and on
 * PostgreSQL pre-ping finding terminated backends before a session does;
 * 64 threads through a pool of 5 + 10.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "helpers.h"

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };
	nanosleep(&ts, NULL);
}

/* Another engine on the fixture's database, with these pool options. */
static calx_engine *open_pool(fixture *fx, const calx_engine_opts *o)
{
	char url[1024];
	if (ON_SQLITE(fx))
		snprintf(url, sizeof url, "sqlite:%s", fx->path);
	else {   /* named, so that pg_stat_activity tells its connections apart */
		const char *base = getenv("CALX_TEST_POSTGRESQL_URL");
		snprintf(url, sizeof url, "%s%capplication_name=calx_pool_test", base, strchr(base, '?') ? '&' : '?');
	}
	calx_engine *eng;
	int rc = calx_engine_open_opts(&eng, url, o);
	if (rc != CALX_OK)
		fail_msg("engine: %s", calx_engine_errmsg(eng));
	return eng;
}

static calx_pool_status status(calx_engine *eng)
{
	calx_pool_status st;
	assert_int_equal(calx_engine_pool_status(eng, &st), CALX_OK);
	return st;
}

/* A session that made one round trip. */
static calx_session *used_session(calx_engine *eng, const calx_registry *reg)
{
	calx_session *s;
	int rc = calx_session_open(&s, eng, reg);
	if (rc != CALX_OK)
		fail_msg("session_open: %s: %s", calx_status_name(rc), calx_engine_errmsg(eng));
	struct user *u;
	assert_calx(s, user_get(s, 424242, &u), CALX_ENOTFOUND);
	return s;
}

static void options_are_checked_and_defaults_are_sqlalchemys(void **state)
{
	fixture *fx = *state;
	calx_pool_status st = status(fx->eng);
	assert_int_equal(st.size, 5);
	assert_int_equal(st.idle + st.checked_out, 1);
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	assert_int_equal(o.max_overflow, 10);
	assert_true(o.pool_timeout == 30.0 && o.pool_recycle < 0 && !o.pool_pre_ping);
	calx_engine *eng;
	o.version = 99;
	assert_int_equal(calx_engine_open_opts(&eng, "sqlite::memory:", &o), CALX_EINVAL);
	assert_non_null(strstr(calx_engine_errmsg(eng), "unknown version 99"));
	calx_engine_free(eng);
	o = (calx_engine_opts)CALX_ENGINE_OPTS_INIT;
	o.pool_size = 0;
	assert_int_equal(calx_engine_open_opts(&eng, "sqlite::memory:", &o), CALX_EINVAL);
	assert_non_null(strstr(calx_engine_errmsg(eng), "pool_size 0"));
	calx_engine_free(eng);
}

static void full_pool_times_out_and_overflow_is_closed_on_return(void **state)
{
	fixture *fx = *state;
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_size = 2;
	o.max_overflow = 2;
	o.pool_timeout = 0.2;
	calx_engine *eng = open_pool(fx, &o);
	calx_session *s[4];
	for (int i = 0; i < 4; i++)
		s[i] = used_session(eng, fx->reg);
	calx_pool_status st = status(eng);
	assert_int_equal(st.checked_out, 4);
	assert_int_equal(st.overflow, 2);
	assert_int_equal(st.idle, 0);
	calx_session *extra = NULL;
	assert_int_equal(calx_session_open(&extra, eng, fx->reg), CALX_ETIMEOUT);
	assert_null(extra);
	assert_int_equal(calx_engine_errcode(eng), CALX_ETIMEOUT);
	assert_non_null(strstr(calx_engine_errmsg(eng), "pool exhausted: pool_size 2 and max_overflow 2"));
	assert_int_equal(status(eng).checked_out, 4);
	for (int i = 0; i < 4; i++)
		calx_session_free(s[i]);
	st = status(eng);
	assert_int_equal(st.checked_out, 0);
	assert_int_equal(st.idle, 2);           /* the two beyond pool_size were closed */
	assert_int_equal(st.overflow, 0);
	calx_session_free(used_session(eng, fx->reg));
	assert_int_equal(status(eng).opened, 4);        /* reused, not reconnected */
	calx_engine_free(eng);
}

typedef struct holder {
	calx_session *s;
	long ms;
} holder;

static void *free_later(void *arg)
{
	holder *h = arg;
	nap(h->ms);
	calx_session_free(h->s);
	return NULL;
}

static void full_pool_waits_for_a_connection_to_come_back(void **state)
{
	fixture *fx = *state;
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_size = 1;
	o.max_overflow = 0;
	o.pool_timeout = 10;
	calx_engine *eng = open_pool(fx, &o);
	holder h = { used_session(eng, fx->reg), 150 };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, free_later, &h), 0);
	calx_session *s = used_session(eng, fx->reg);      /* waits, then gets the same connection */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(status(eng).opened, 1);
	calx_session_free(s);
	calx_engine_free(eng);
}

static void old_connections_are_recycled_at_checkout(void **state)
{
	fixture *fx = *state;
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_recycle = 0.05;
	calx_engine *eng = open_pool(fx, &o);
	calx_session_free(used_session(eng, fx->reg));
	assert_int_equal(status(eng).opened, 1);
	nap(120);
	calx_session_free(used_session(eng, fx->reg));
	calx_pool_status st = status(eng);
	assert_int_equal(st.opened, 2);
	assert_int_equal(st.idle, 1);
	calx_engine_free(eng);
}

#define MANY 64

typedef struct crowd {
	calx_engine *eng;
	calx_engine *check;     /* PostgreSQL: counts the pool's backends on the server */
	const calx_registry *reg;
	pthread_mutex_t lock;
	unsigned most;          /* most connections open at once, seen by the threads */
	int failed;
	char msg[300];
} crowd;

static void *crowd_member(void *arg)
{
	crowd *c = arg;
	calx_session *s;
	int rc = calx_session_open(&s, c->eng, c->reg);
	struct user *u;
	if (rc == CALX_OK)
		rc = user_get(s, 424242, &u) == CALX_ENOTFOUND ? CALX_OK : CALX_EINVAL;
	calx_pool_status st;
	calx_engine_pool_status(c->eng, &st);
	/*
	 * The server's count: a backend whose connection the pool just closed
	 * leaves pg_stat_activity only once it has exited, a moment later, so
	 * a count above 15 is asked again before it fails the test.
	 */
	for (int tries = 0; rc == CALX_OK && c->check; tries++) {
		if (calx_engine_exec(c->check, "DO $$ BEGIN IF (SELECT count(*) FROM pg_stat_activity "
		                               "WHERE application_name = 'calx_pool_test') > 15 THEN "
		                               "RAISE EXCEPTION 'more than 15 pool connections'; END IF; END $$") == CALX_OK)
			break;
		if (tries == 3)
			rc = calx_engine_errcode(c->check);
		else
			nap(50);
	}
	nap(20);
	pthread_mutex_lock(&c->lock);
	if (st.idle + st.checked_out > c->most)
		c->most = st.idle + st.checked_out;
	if (rc != CALX_OK && !c->failed++)
		snprintf(c->msg, sizeof c->msg, "%s: %s %s", calx_status_name(rc), calx_engine_errmsg(c->eng),
		         c->check ? calx_engine_errmsg(c->check) : "");
	pthread_mutex_unlock(&c->lock);
	if (rc == CALX_OK || s)
		calx_session_free(s);
	return NULL;
}

static void sixty_four_threads_share_fifteen_connections(void **state)
{
	fixture *fx = *state;
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	calx_engine *eng = open_pool(fx, &o);
	crowd c = { .eng = eng, .reg = fx->reg, .check = ON_POSTGRESQL(fx) ? fx->eng : NULL };
	pthread_mutex_init(&c.lock, NULL);
	pthread_t th[MANY];
	for (int i = 0; i < MANY; i++)
		assert_int_equal(pthread_create(&th[i], NULL, crowd_member, &c), 0);
	for (int i = 0; i < MANY; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	pthread_mutex_destroy(&c.lock);
	if (c.failed)
		fail_msg("%d of %d sessions failed: %s", c.failed, MANY, c.msg);
	calx_pool_status st = status(eng);
	assert_true(c.most <= 15);
	assert_true(st.idle <= 5);
	assert_int_equal(st.checked_out, 0);
	print_message("[ INFO     ] %d threads, pool 5 + 10: at most %u connections open, %llu made\n", MANY, c.most,
	              st.opened);
	calx_engine_free(eng);
}

/* --- PostgreSQL: backends terminated while idle --------------------------- */

static void terminate_others(fixture *fx)
{
	/*
	 * Termination is asynchronous: wait (up to 10 s) until the backends
	 * are gone, their goodbyes sent; the activity view is read afresh
	 * each time (pg_stat_clear_snapshot), not once a transaction
	 */
	assert_int_equal(calx_engine_exec(fx->eng, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                                           "WHERE datname = current_database() AND pid <> pg_backend_pid(); "
	                                           "DO $$ BEGIN FOR i IN 1..200 LOOP "
	                                           "PERFORM pg_stat_clear_snapshot(); "
	                                           "EXIT WHEN NOT EXISTS (SELECT 1 FROM pg_stat_activity "
	                                           "WHERE datname = current_database() AND pid <> pg_backend_pid() "
	                                           "AND backend_type = 'client backend'); "
	                                           "PERFORM pg_sleep(0.05); END LOOP; END $$"),
	                 CALX_OK);
	nap(20);
}

static void pre_ping_replaces_terminated_idle_connections(void **state)
{
	fixture *fx = *state;
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_pre_ping = 1;
	calx_engine *eng = open_pool(fx, &o);
	calx_session *s[3];
	for (int i = 0; i < 3; i++)
		s[i] = used_session(eng, fx->reg);
	for (int i = 0; i < 3; i++)
		calx_session_free(s[i]);
	assert_int_equal(status(eng).idle, 3);
	terminate_others(fx);
	/* every idle connection is dead: the pings find them, the session gets a new one */
	calx_session_free(used_session(eng, fx->reg));
	calx_pool_status st = status(eng);
	assert_int_equal(st.opened, 4);
	assert_int_equal(st.idle, 1);
	calx_engine_free(eng);
}

static void without_pre_ping_a_terminated_connection_fails_the_session(void **state)
{
	fixture *fx = *state;
	calx_engine *eng = open_pool(fx, NULL);
	/* ended by a COMMIT, whose answer is read: nothing is left to read at the next checkout */
	calx_session *used = used_session(eng, fx->reg);
	assert_ok(used, calx_session_commit(used));
	calx_session_free(used);
	terminate_others(fx);
	calx_session *s;
	assert_int_equal(calx_session_open(&s, eng, fx->reg), CALX_OK);
	struct user *u;
	assert_int_not_equal(user_get(s, 424242, &u), CALX_ENOTFOUND);     /* what pre-ping is for */
	calx_session_free(s);
	calx_engine_free(eng);
}

/*
 * The runtime's ROLLBACK is sent unwaited (dialects/postgresql/pg.c): a
 * statement, no round trip of its own; the connection's next use reads
 * its answer first and goes on, in its session or in the next one.
 */
static void a_rollback_is_not_waited_for(void **state)
{
	fixture *fx = *state;
	calx_engine *eng = open_pool(fx, NULL);
	calx_session *s = used_session(eng, fx->reg);
	uint64_t st0, rt0, st1, rt1;
	calx_session_counters(s, &st0, &rt0);
	assert_ok(s, calx_session_rollback(s));
	calx_session_counters(s, &st1, &rt1);
	assert_int_equal(st1 - st0, 1);
	assert_int_equal(rt1 - rt0, 0);
	struct user *u;
	assert_calx(s, user_get(s, 424242, &u), CALX_ENOTFOUND);       /* its answer read, then BEGIN and SELECT */
	calx_session_counters(s, &st0, &rt0);
	assert_int_equal(st0 - st1, 2);
	assert_int_equal(rt0 - rt1, 1);
	calx_session_free(s);                                           /* another ROLLBACK, unwaited */
	calx_session_free(used_session(eng, fx->reg));                  /* the same connection, its answer read first */
	calx_pool_status st = status(eng);
	assert_int_equal(st.opened, 1);
	assert_int_equal(st.idle, 1);
	calx_engine_free(eng);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(options_are_checked_and_defaults_are_sqlalchemys),
		T(full_pool_times_out_and_overflow_is_closed_on_return),
		T(full_pool_waits_for_a_connection_to_come_back),
		T(old_connections_are_recycled_at_checkout),
		T(sixty_four_threads_share_fifteen_connections),
	};
	const struct CMUnitTest pg_tests[] = {
		T(pre_ping_replaces_terminated_idle_connections),
		T(without_pre_ping_a_terminated_connection_fails_the_session),
		T(a_rollback_is_not_waited_for),
	};
	int failed = RUN_ON_ALL_DIALECTS("pool", tests);
	current_dialect = TEST_POSTGRESQL;
	failed += cmocka_run_group_tests_name("pool/postgresql", pg_tests, NULL, NULL);
	return failed;
}
