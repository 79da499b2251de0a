/*
 * Crashes: a child process commits units of work in a loop against one
 * SQLite file and is killed (SIGKILL) at a random moment; the parent then
 * opens the file and checks, every time:
 *   - PRAGMA integrity_check is "ok";
 *   - every unit is there whole or not at all: a unit inserts UNIT users
 *     with age = its number and sets the counter row (samples id 1) to its
 *     number, so the counter, the rows per age and the row count agree;
 *   - nothing acknowledged is lost: every unit whose commit returned
 *     CALX_OK to the child (told to the parent through a pipe) is there,
 *     and at most one more (the unit in flight when the kill came).
 * The database carries over from kill to kill (for 60 kills, then a new
 * one), so recovery after a crash is exercised on a file that has itself
 * been recovered before.
 * CALX_TEST_CRASH_POINTS sets how many kills (default 240); the seed is
 * printed and CALX_TEST_CRASH_SEED replays one run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include "helpers.h"

#define UNIT 25

static char db_path[512];

static void remove_db(void)
{
	char side[540];
	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
}

static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The child: commit units from the counter on, telling the parent each one. */
static void child(const char *url, int ack_fd)
{
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	if (calx_engine_open(&eng, url) != CALX_OK || calx_registry_open(&reg, &shop_schema, NULL) != CALX_OK ||
	    calx_session_open(&s, eng, reg) != CALX_OK)
		_exit(2);
	struct sample *counter;
	if (sample_get(s, 1, &counter) != CALX_OK)
		_exit(3);
	for (;;) {
		int64_t unit = counter->i64 + 1;
		for (int i = 0; i < UNIT; i++) {
			char name[32];
			snprintf(name, sizeof name, "u%d-%d", (int)(unit % 1000000), i);
			struct user *u = user_new(s, .name = "", .age = (int32_t)unit);
			if (!u || calx_field_set_text(s, u, USER_NAME, name) != CALX_OK || calx_session_add(s, u) != CALX_OK)
				_exit(4);
		}
		counter->i64 = unit;
		if (calx_session_commit(s) != CALX_OK)
			_exit(5);
		int32_t ack = (int32_t)unit;
		if (write(ack_fd, &ack, sizeof ack) != (ssize_t)sizeof ack)
			_exit(6);
		/* a fresh session now and then, so kills also land in open and close */
		if (unit % 4 == 0) {
			calx_session_free(s);
			if (calx_session_open(&s, eng, reg) != CALX_OK || sample_get(s, 1, &counter) != CALX_OK)
				_exit(7);
		}
	}
}

/* The schema and the counter row, made before any child runs. */
static void new_database(const char *url)
{
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_create_all(reg, eng), CALX_OK);
	assert_ok(s, calx_session_open(&s, eng, reg));
	struct sample *c = sample_new(s, .id = 1, .i64 = 0);
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);          /* no connection crosses a fork */
}

static unsigned long rnd_state;

static unsigned long rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned long)(rnd_state >> 33);
}

static void commits_killed_at_random_points_are_all_or_nothing(void **state)
{
	(void)state;
	const char *dir = getenv("CALX_TEST_TMPDIR");
	snprintf(db_path, sizeof db_path, "%s/calx-crash-%ld.db", dir ? dir : "/tmp", (long)getpid());
	remove_db();
	char url[600];
	snprintf(url, sizeof url, "sqlite:%s", db_path);
	const char *env = getenv("CALX_TEST_CRASH_POINTS");
	long points = env ? atol(env) : 240;
	env = getenv("CALX_TEST_CRASH_SEED");
	unsigned long seed = env ? strtoul(env, NULL, 10) : (unsigned long)time(NULL) ^ (unsigned long)getpid();
	rnd_state = seed;

	long long acked_total = 0, in_flight_kept = 0, last = 0;
	for (long k = 0; k < points; k++) {
		if (k % 60 == 0) {
			remove_db();
			new_database(url);
			last = 0;
		}
		int fds[2];
		assert_int_equal(pipe(fds), 0);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child(url, fds[1]);
			_exit(1);
		}
		close(fds[1]);
		long long acked = last;
		int32_t a;
		ssize_t got;
		/*
		 * Three kills in four wait for the child's first commit, so they land
		 * among commits however slow the start (sanitizers); the fourth may
		 * also land in the open, recovering the last crash.
		 */
		if (k % 4 != 3) {
			if (read(fds[0], &a, sizeof a) != (ssize_t)sizeof a)
				fail_msg("kill %ld: the child died before its first commit", k);
			if (a != acked + 1)
				fail_msg("kill %ld: acknowledgements out of order: %d after %lld", k, a, acked);
			acked = a;
		}
		struct timespec delay = { 0, (long)(rnd() % 10000) * 1000 };     /* 0 to 10 ms */
		nanosleep(&delay, NULL);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status))
			fail_msg("kill %ld: the child ended by itself (status %d) instead of being killed", k, status);
		while ((got = read(fds[0], &a, sizeof a)) == (ssize_t)sizeof a) {
			if (a != acked + 1)
				fail_msg("kill %ld: acknowledgements out of order: %d after %lld", k, a, acked);
			acked = a;
		}
		close(fds[0]);
		acked_total += acked - last;

		sqlite3 *db;
		assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		const char *ic = (const char *)sqlite3_column_text(st, 0);
		if (!ic || strcmp(ic, "ok") != 0)
			fail_msg("kill %ld (seed %lu): integrity_check: %s", k, seed, ic ? ic : "(null)");
		sqlite3_finalize(st);
		long long counter = query_int(db, "SELECT i64 FROM samples WHERE id = 1");
		long long rows = query_int(db, "SELECT count(*) FROM users");
		long long bad_units = query_int(db, "SELECT count(*) FROM (SELECT age FROM users GROUP BY age "
		                                    "HAVING count(*) <> 25)");
		long long max_age = query_int(db, "SELECT coalesce(max(age), 0) FROM users");
		sqlite3_close(db);
		if (rows != counter * UNIT || bad_units != 0 || max_age != counter)
			fail_msg("kill %ld (seed %lu): half a unit: counter %lld, %lld rows, %lld units not whole, "
			         "max age %lld", k, seed, counter, rows, bad_units, max_age);
		if (counter < acked)
			fail_msg("kill %ld (seed %lu): unit %lld was acknowledged and is lost (counter %lld)", k, seed, acked,
			         counter);
		if (counter > acked + 1)
			fail_msg("kill %ld (seed %lu): counter %lld, but only %lld acknowledged", k, seed, counter, acked);
		if (counter == acked + 1)
			in_flight_kept++;   /* committed, killed before it could say so */
		last = counter;
	}
	assert_true(acked_total >= points / 2);         /* the children did commit */
	print_message("[ INFO     ] %ld kills (seed %lu): %lld units committed and acknowledged, %lld committed "
	              "unacknowledged, all whole; integrity_check ok after every one\n",
	              points, seed, acked_total, in_flight_kept);
	remove_db();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commits_killed_at_random_points_are_all_or_nothing),
	};
	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
