/*
 * PostgreSQL faults: a backend terminated or the whole server stopped
 * (pg_ctl stop -m immediate) in the middle of a transaction, a statement
 * timeout, a serialization failure; and calx_retry, which runs a unit of
 * work again only when that is safe.
 *
 * Stopping the server needs the throwaway cluster of tools/with-postgres.sh
 * (CALX_TEST_PG_BINDIR, CALX_TEST_PG_DATA); against your own server
 * (CALX_TEST_POSTGRESQL_URL alone) that test says so and is skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <calx/retry.h>
#include "helpers.h"

static struct user *add_user(calx_session *s, const char *name)
{
	struct user *u = user_new(s, .name = "");
	assert_non_null(u);
	assert_ok(s, calx_field_set_text(s, u, USER_NAME, name));
	assert_ok(s, calx_session_add(s, u));
	return u;
}

static void add_users(calx_session *s, const char *prefix, int n)
{
	for (int i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof name, "%.8s%03d", prefix, i % 1000);
		add_user(s, name);
	}
}

/* End every other backend of the test database: the sessions' among them. */
static void terminate_backends(calx_engine *eng)
{
	assert_int_equal(calx_engine_exec(eng, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
	                 CALX_OK);
}

/*
 * The test URL with "-c setting" added to its libpq options
 * (setting URL-encoded: "statement_timeout%3D200").
 */
static void url_with_option(char *buf, size_t cap, const char *setting)
{
	const char *url = getenv("CALX_TEST_POSTGRESQL_URL");
	assert_non_null(url);
	const char *opt = strstr(url, "options=");
	if (opt) {
		size_t head = (size_t)(opt - url) + strlen("options=");
		snprintf(buf, cap, "%.*s-c%%20%s%%20%s", (int)head, url, setting, url + head);
	} else {
		snprintf(buf, cap, "%s%coptions=-c%%20%s", url, strchr(url, '?') ? '&' : '?', setting);
	}
}

static bool connection_message(const char *msg)
{
	return strstr(msg, "SQLSTATE 57P01") || strstr(msg, "SQLSTATE 08") || strstr(msg, "server closed") ||
	       strstr(msg, "terminating connection") || strstr(msg, "connection");
}

/* Every call but rollback refuses after a failed flush. */
static void assert_failed_state(calx_session *s, struct user *some)
{
	struct user *u;
	assert_calx(s, calx_session_flush(s), CALX_ESTATE);
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);
	assert_calx(s, calx_session_add(s, some), CALX_ESTATE);
	assert_calx(s, user_get(s, 1, &u), CALX_ESTATE);
	assert_null(user_new(s, .name = "late"));
	calx_select *q = calx_select_new(s, &user_mapper);
	void *obj;
	if (q)
		assert_calx(s, calx_select_next(q, &obj), CALX_ESTATE);
	calx_select_free(q);
}

/* --- a backend terminated ------------------------------------------------ */

static void backend_terminated_mid_transaction_writes_nothing(void **state)
{
	fixture *fx = *state;
	struct user *keep = add_user(fx->s, "keep");
	assert_ok(fx->s, calx_session_commit(fx->s));
	add_users(fx->s, "a", 50);
	keep->age = 3;
	assert_ok(fx->s, calx_session_flush(fx->s));     /* written, not committed */
	terminate_backends(fx->eng);
	struct user *late = add_user(fx->s, "late");
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECONNECT);
	assert_true(connection_message(calx_session_errmsg(fx->s)));
	assert_failed_state(fx->s, late);
	/* the ROLLBACK cannot reach the server; the objects go back regardless */
	int rc = calx_session_rollback(fx->s);
	assert_true(rc == CALX_OK || rc == CALX_ECONNECT);
	assert_int_equal(keep->age, 0);
	assert_int_equal(late->id, 0);
	int64_t keep_id = keep->id;
	calx_session_free(fx->s);                        /* the dead connection is discarded */
	fx->s = fixture_session(fx);                     /* the pool connects anew */
	assert_non_null(fx->s);
	assert_int_equal(count_rows(fx, &user_mapper), 1);
	struct user *k;
	assert_ok(fx->s, user_get(fx->s, keep_id, &k));
	assert_int_equal(k->age, 0);
}

static void connection_lost_during_commit_is_unknown(void **state)
{
	fixture *fx = *state;
	add_users(fx->s, "b", 20);
	assert_ok(fx->s, calx_session_flush(fx->s));
	terminate_backends(fx->eng);
	/* only COMMIT is left to send: whether it happened cannot be known */
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNKNOWN);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "outcome is unknown"));
	assert_null(strstr(calx_session_errmsg(fx->s), "rolled back"));     /* it cannot know that */
	calx_session_rollback(fx->s);
	calx_session_free(fx->s);
	fx->s = fixture_session(fx);
	assert_non_null(fx->s);
	assert_int_equal(count_rows(fx, &user_mapper), 0);      /* here, the server had rolled back */
}

/* --- the server stopped ---------------------------------------------------- */

static int pg_ctl(const char *args)
{
	const char *bindir = getenv("CALX_TEST_PG_BINDIR"), *data = getenv("CALX_TEST_PG_DATA");
	char cmd[2048];
	/* the server refuses root: run pg_ctl as postgres, as with-postgres.sh does */
	snprintf(cmd, sizeof cmd, "%s'%s/pg_ctl' -D '%s' %s >/dev/null 2>&1", geteuid() == 0 ? "runuser -u postgres -- " : "",
	         bindir, data, args);
	return system(cmd);
}

static void server_stopped_mid_transaction_writes_nothing_and_the_pool_recovers(void **state)
{
	fixture *fx = *state;
	if (!getenv("CALX_TEST_PG_BINDIR") || !getenv("CALX_TEST_PG_DATA")) {
		print_message("[ SKIP     ] not our cluster (CALX_TEST_PG_DATA unset): not stopping it\n");
		skip();
	}
	/*
	 * The throwaway cluster runs with synchronous_commit off (fast tests), so
	 * a crash may lose its last commits: this engine's sessions commit
	 * synchronously, which also makes everything before them durable.
	 */
	char url[1024];
	url_with_option(url, sizeof url, "synchronous_commit%3Don");
	calx_engine *eng = NULL;
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	calx_session *s = NULL, *idle = NULL;
	assert_ok(s, calx_session_open(&s, eng, fx->reg));
	assert_ok(idle, calx_session_open(&idle, eng, fx->reg));
	calx_session_free(idle);                        /* a second connection, idle in the pool */
	struct user *keep = add_user(s, "keep");
	assert_ok(s, calx_session_commit(s));
	add_users(s, "c", 100);
	keep->age = 9;
	assert_ok(s, calx_session_flush(s));

	assert_int_equal(pg_ctl("-m immediate -w stop"), 0);
	struct user *late = add_user(s, "late");
	int rc = calx_session_commit(s);
	char msg[600];
	snprintf(msg, sizeof msg, "%s", calx_session_errmsg(s));
	/*
	 * A new session cannot work either: it fails to connect, or it checks out
	 * the idle connection, whose loss may not show yet, and fails at its
	 * first statement.
	 */
	calx_session *other = NULL;
	int open_rc = calx_session_open(&other, eng, fx->reg);
	int other_rc = CALX_OK;
	char other_msg[600] = "";
	if (open_rc == CALX_OK) {
		struct user *o;
		other_rc = user_get(other, keep->id, &o);
		snprintf(other_msg, sizeof other_msg, "%s", calx_session_errmsg(other));
		calx_session_free(other);
	} else {
		snprintf(other_msg, sizeof other_msg, "%s", calx_engine_errmsg(eng));
	}
	/* restart before asserting, so that a failure leaves a server for the next suites */
	int restarted = pg_ctl("-w -t 60 -l \"$CALX_TEST_PG_DATA/restart.log\" restart");
	assert_int_equal(restarted, 0);
	if (rc != CALX_ECONNECT)
		fail_msg("commit with the server down: %s: %s", calx_status_name(rc), msg);
	assert_true(connection_message(msg));
	assert_failed_state(s, late);
	calx_session_rollback(s);
	assert_int_equal(keep->age, 0);
	assert_int_equal(late->id, 0);
	if (open_rc == CALX_OK ? other_rc != CALX_ECONNECT : open_rc != CALX_ECONNECT)
		fail_msg("a session with the server down: open %s, get %s: %s", calx_status_name(open_rc),
		         calx_status_name(other_rc), other_msg);
	assert_true(connection_message(other_msg));
	calx_session_free(s);

	/* back up: every pooled connection was lost; new sessions connect anew */
	assert_ok(s, calx_session_open(&s, eng, fx->reg));
	calx_select *q = calx_select_new(s, &user_mapper);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 1);                         /* keep survived; the flushed rows never committed */
	struct user *k = items[0];
	assert_string_equal(k->name, "keep");
	assert_int_equal(k->age, 0);
	calx_select_free(q);
	k->age = 10;
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	calx_engine_free(eng);
	/* the fixture's engine recovers too: its pooled connection is replaced */
	calx_session_free(fx->s);
	fx->s = fixture_session(fx);
	assert_non_null(fx->s);
	assert_int_equal(count_rows(fx, &user_mapper), 1);
}

/* --- statement timeout, serialization failure ------------------------------- */

static void statement_timeout_is_etimeout(void **state)
{
	fixture *fx = *state;
	struct user *u = add_user(fx->s, "locked");
	assert_ok(fx->s, calx_session_commit(fx->s));
	u->age = 1;
	assert_ok(fx->s, calx_session_flush(fx->s));     /* holds the row lock */

	char url[1024];
	url_with_option(url, sizeof url, "statement_timeout%3D200");
	calx_engine *eng = NULL;
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	calx_session *s2 = NULL;
	assert_ok(s2, calx_session_open(&s2, eng, fx->reg));
	struct user *o;
	assert_ok(s2, user_get(s2, u->id, &o));
	o->age = 2;
	assert_calx(s2, calx_session_commit(s2), CALX_ETIMEOUT);   /* waited on the lock, 200 ms */
	assert_non_null(strstr(calx_session_errmsg(s2), "SQLSTATE 57014"));
	assert_failed_state(s2, o);
	assert_ok(s2, calx_session_rollback(s2));
	assert_int_equal(o->age, 0);
	calx_session_free(s2);
	calx_engine_free(eng);
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static calx_engine *serializable_engine(void)
{
	char url[1024];
	url_with_option(url, sizeof url, "default_transaction_isolation%3Dserializable");
	calx_engine *eng = NULL;
	if (calx_engine_open(&eng, url) != CALX_OK)
		fail_msg("serializable engine: %s", calx_engine_errmsg(eng));
	return eng;
}

static int64_t counter_value(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	struct sample *c;
	int64_t v = -1;
	if (s && sample_get(s, 1, &c) == CALX_OK)
		v = c->i64;
	calx_session_free(s);
	return v;
}

static void serialization_failure_is_eretry(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_add(fx->s, sample_new(fx->s, .id = 1, .i64 = 10)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_engine *eng = serializable_engine();
	calx_session *s1 = NULL, *s2 = NULL;
	assert_ok(s1, calx_session_open(&s1, eng, fx->reg));
	assert_ok(s2, calx_session_open(&s2, eng, fx->reg));
	struct sample *c1, *c2;
	assert_ok(s1, sample_get(s1, 1, &c1));
	assert_ok(s2, sample_get(s2, 1, &c2));  /* both read 10 */
	c1->i64++;
	c2->i64++;
	assert_ok(s1, calx_session_commit(s1));
	assert_calx(s2, calx_session_commit(s2), CALX_ERETRY);     /* not a lost update */
	assert_non_null(strstr(calx_session_errmsg(s2), "SQLSTATE 40001"));
	assert_ok(s2, calx_session_rollback(s2));
	assert_int_equal(c2->i64, 10);
	calx_session_free(s1);
	calx_session_free(s2);
	calx_engine_free(eng);
	assert_int_equal(counter_value(fx), 11);
}

/* --- calx_retry against real failures ---------------------------------------- */

typedef struct bump {
	calx_engine *eng;
	const calx_registry *reg;
	int attempts;
	int interfere_until;    /* attempts before this one get a conflicting commit */
	int lose_commit;        /* terminate the backend before the commit */
} bump;

/* Increment the counter; on early attempts, another session commits first. */
static int bump_counter(calx_session *s, void *payload)
{
	bump *b = payload;
	b->attempts++;
	struct sample *c;
	int rc = sample_get(s, 1, &c);
	if (rc != CALX_OK)
		return rc;
	if (b->attempts < b->interfere_until) {
		calx_session *other = NULL;
		struct sample *oc;
		if (calx_session_open(&other, b->eng, b->reg) != CALX_OK || sample_get(other, 1, &oc) != CALX_OK)
			return CALX_ERROR;
		oc->i64 += 100;
		rc = calx_session_commit(other);
		calx_session_free(other);
		if (rc != CALX_OK)
			return rc;
	}
	c->i64++;
	if (b->lose_commit) {
		if ((rc = calx_session_flush(s)) != CALX_OK)
			return rc;
		terminate_backends(b->eng);
	}
	return CALX_OK;
}

static void calx_retry_runs_a_serialization_failure_again(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_add(fx->s, sample_new(fx->s, .id = 1, .i64 = 0)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_engine *eng = serializable_engine();
	bump b = { eng, fx->reg, 0, 3, 0 };
	calx_retry_options opts = CALX_RETRY_OPTIONS_INIT;
	calx_retry_report rep;
	assert_int_equal(calx_retry(eng, fx->reg, bump_counter, &b, &opts, &rep), CALX_OK);
	assert_int_equal(rep.attempts, 3);          /* two serialization failures, then a commit */
	assert_int_equal(b.attempts, 3);
	assert_int_equal(rep.status, CALX_OK);
	assert_string_equal(rep.errmsg, "");
	assert_int_equal(counter_value(fx), 201);   /* both interlopers and one increment: nothing lost */
	calx_engine_free(eng);
}

static void calx_retry_never_runs_a_commit_of_unknown_outcome_again(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_add(fx->s, sample_new(fx->s, .id = 1, .i64 = 0)));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session_free(fx->s);
	fx->s = NULL;
	bump b = { fx->eng, fx->reg, 0, 0, 1 };
	calx_retry_options opts = CALX_RETRY_OPTIONS_INIT;
	opts.retry_connect = true;                  /* even so: EUNKNOWN is not ECONNECT */
	calx_retry_report rep;
	assert_int_equal(calx_retry(fx->eng, fx->reg, bump_counter, &b, &opts, &rep), CALX_EUNKNOWN);
	assert_int_equal(rep.attempts, 1);
	assert_int_equal(b.attempts, 1);
	assert_non_null(strstr(rep.errmsg, "outcome is unknown"));
	assert_int_equal(counter_value(fx), 0);
	fx->s = fixture_session(fx);
}

/* --- calx_retry's policy, on both dialects ------------------------------------- */

typedef struct scripted {
	const int *statuses;    /* what each attempt returns; CALX_OK ends the script */
	int attempts;
} scripted;

static int scripted_unit(calx_session *s, void *payload)
{
	scripted *sc = payload;
	int rc = sc->statuses[sc->attempts++];
	if (rc == CALX_OK) {
		/* the real work of the successful attempt */
		char name[16];
		snprintf(name, sizeof name, "try%d", sc->attempts);
		struct user *u = user_new(s, .name = "");
		if (!u || calx_field_set_text(s, u, USER_NAME, name) != CALX_OK)
			return CALX_ERROR;
		return calx_session_add(s, u);
	}
	/* a failed attempt writes something that must go with its session */
	struct user *u = user_new(s, .name = "doomed");
	if (u)
		calx_session_add(s, u);
	calx_session_flush(s);
	return rc;
}

static void retry_policy_retries_only_what_is_safe(void **state)
{
	fixture *fx = *state;
	calx_session_free(fx->s);       /* :memory:-like engines have one connection; free ours */
	fx->s = NULL;
	static const int busy_then_ok[] = { CALX_EBUSY, CALX_ERETRY, CALX_EBUSY, CALX_OK };
	static const int unknown[] = { CALX_EUNKNOWN, CALX_OK };
	static const int unique[] = { CALX_EUNIQUE, CALX_OK };
	static const int connect[] = { CALX_ECONNECT, CALX_OK };
	static const int always_retry[] = { CALX_ERETRY, CALX_ERETRY, CALX_ERETRY, CALX_ERETRY, CALX_OK };
	static const struct {
		const int *script;
		bool retry_connect;
		unsigned max_attempts;
		int want;
		unsigned attempts;
	} cases[] = {
		{ busy_then_ok, false, 0, CALX_OK, 4 },
		{ unknown, true, 0, CALX_EUNKNOWN, 1 },         /* may have committed: never again */
		{ unique, false, 0, CALX_EUNIQUE, 1 },          /* would fail the same way */
		{ connect, false, 0, CALX_ECONNECT, 1 },        /* only when asked */
		{ connect, true, 0, CALX_OK, 2 },
		{ always_retry, false, 3, CALX_ERETRY, 3 },     /* gives up after max_attempts */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		scripted sc = { cases[i].script, 0 };
		calx_retry_options opts = CALX_RETRY_OPTIONS_INIT;
		opts.retry_connect = cases[i].retry_connect;
		opts.max_attempts = cases[i].max_attempts;
		opts.first_delay_us = 100;
		calx_retry_report rep;
		int rc = calx_retry(fx->eng, fx->reg, scripted_unit, &sc, &opts, &rep);
		if (rc != cases[i].want || rep.attempts != cases[i].attempts || sc.attempts != (int)cases[i].attempts)
			fail_msg("case %zu: %s after %u attempts (unit ran %d), want %s after %u: %s", i,
			         calx_status_name(rc), rep.attempts, sc.attempts, calx_status_name(cases[i].want),
			         cases[i].attempts, rep.errmsg);
		assert_int_equal(rep.status, rc);
		if (rc != CALX_OK)
			assert_non_null(strstr(rep.errmsg, calx_status_name(rc)));
	}
	/* only the successful attempts wrote anything */
	assert_int_equal(count_rows(fx, &user_mapper), 2);
	assert_int_equal(calx_retry(NULL, fx->reg, scripted_unit, NULL, NULL, NULL), CALX_EINVAL);
	calx_retry_options bad = CALX_RETRY_OPTIONS_INIT;
	bad.version = 99;
	assert_int_equal(calx_retry(fx->eng, fx->reg, scripted_unit, NULL, &bad, NULL), CALX_EINVAL);
	assert_true(calx_retry_is_safe(CALX_ERETRY, false) && calx_retry_is_safe(CALX_EBUSY, false));
	assert_false(calx_retry_is_safe(CALX_EUNKNOWN, true) || calx_retry_is_safe(CALX_ETIMEOUT, true));
	fx->s = fixture_session(fx);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest retry_tests[] = {
		T(retry_policy_retries_only_what_is_safe),
	};
	const struct CMUnitTest pg_tests[] = {
		T(backend_terminated_mid_transaction_writes_nothing),
		T(connection_lost_during_commit_is_unknown),
		T(statement_timeout_is_etimeout),
		T(serialization_failure_is_eretry),
		T(calx_retry_runs_a_serialization_failure_again),
		T(calx_retry_never_runs_a_commit_of_unknown_outcome_again),
		T(server_stopped_mid_transaction_writes_nothing_and_the_pool_recovers),
	};
	int failed = RUN_ON_ALL_DIALECTS("retry", retry_tests);
	current_dialect = TEST_POSTGRESQL;
	failed += cmocka_run_group_tests_name("pg_faults/postgresql", pg_tests, NULL, NULL);
	return failed;
}
