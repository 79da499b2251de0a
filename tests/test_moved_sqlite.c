/*
 * SQLite: a database file deleted or replaced while the engine is open
 * (issue 9).
 *
 * Unlinked, the engine's connections write to an inode nothing names; a
 * file renamed over the path is a different database that new connections
 * would open. calx must not acknowledge a commit into the old file, and must
 * not split one engine across two files: COMMIT (and BEGIN, and a checkout)
 * says CALX_EIO "... was deleted or replaced while open ...", and from then
 * on the engine refuses every session with CALX_EIO until it is reopened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "helpers.h"

static char db_path[512];

static void remove_file(const char *path)
{
	char side[560];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

static char *new_db_url(char *url, size_t cap)
{
	const char *dir = getenv("CALX_TEST_TMPDIR");
	static unsigned counter;
	snprintf(db_path, sizeof db_path, "%s/calx-moved-%ld-%u.db", dir ? dir : "/tmp", (long)getpid(), counter++);
	remove_file(db_path);
	snprintf(url, cap, "sqlite:%s", db_path);
	return url;
}

/* One integer from a query on a new sqlite3 connection; -1 on error. */
static long long query_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

typedef struct moved_fixture {
	char url[600];
	calx_engine *eng;
	calx_registry *reg;
	calx_session *s;
} moved_fixture;

/* An engine on a new file with one committed user, and a session in a transaction holding two more. */
static void setup(moved_fixture *f)
{
	new_db_url(f->url, sizeof f->url);
	assert_int_equal(calx_registry_open(&f->reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_engine_open(&f->eng, f->url), CALX_OK);
	assert_int_equal(calx_create_all(f->reg, f->eng), CALX_OK);
	calx_session *s;
	assert_ok(s, calx_session_open(&s, f->eng, f->reg));
	assert_ok(s, calx_session_add(s, user_new(s, .name = "before", .age = 1)));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_ok(f->s, calx_session_open(&f->s, f->eng, f->reg));
	assert_ok(f->s, calx_session_add(f->s, user_new(f->s, .name = "a", .age = 2)));
	assert_ok(f->s, calx_session_add(f->s, user_new(f->s, .name = "b", .age = 3)));
	assert_ok(f->s, calx_session_flush(f->s));       /* mid-transaction: the rows are written */
}

static void teardown(moved_fixture *f)
{
	calx_session_free(f->s);
	calx_engine_free(f->eng);
	calx_registry_free(f->reg);
	remove_file(db_path);
}

static void assert_moved_message(const char *msg)
{
	if (!strstr(msg, "was deleted or replaced while open"))
		fail_msg("unexpected message: %s", msg);
}

/* After the move: the engine refuses every session and calx_engine_exec, and never creates the path. */
static void assert_engine_refuses(moved_fixture *f)
{
	calx_session *s = NULL;
	assert_int_equal(calx_session_open(&s, f->eng, f->reg), CALX_EIO);
	assert_null(s);
	assert_moved_message(calx_engine_errmsg(f->eng));
	assert_int_equal(calx_engine_exec(f->eng, "CREATE TABLE t (x)"), CALX_EIO);
	assert_moved_message(calx_engine_errmsg(f->eng));
	/* and again: it stays refused */
	assert_int_equal(calx_session_open(&s, f->eng, f->reg), CALX_EIO);
	assert_null(s);
}

static void commit_into_an_unlinked_file_says_eio(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_int_equal(unlink(db_path), 0);
	assert_calx(f.s, calx_session_commit(f.s), CALX_EIO);
	assert_moved_message(calx_session_errmsg(f.s));
	assert_ok(f.s, calx_session_rollback(f.s));
	calx_session_free(f.s);
	f.s = NULL;
	assert_engine_refuses(&f);
	assert_int_not_equal(access(db_path, F_OK), 0);        /* no new, empty database at the path */
	teardown(&f);
}

static void commit_into_a_replaced_file_says_eio(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	char other[560];
	snprintf(other, sizeof other, "%s.other", db_path);
	remove_file(other);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE marker (x); INSERT INTO marker VALUES (42)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rename(other, db_path), 0);
	assert_calx(f.s, calx_session_commit(f.s), CALX_EIO);
	assert_moved_message(calx_session_errmsg(f.s));
	assert_ok(f.s, calx_session_rollback(f.s));
	calx_session_free(f.s);
	f.s = NULL;
	assert_engine_refuses(&f);
	/*
	 * Nothing of the refused unit is anywhere. (Not "the other file,
	 * untouched": SQLite leaves the old database's -wal at the path and a
	 * reader applies it to the new file; README, SQLite notes.)
	 */
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM users WHERE name IN ('a', 'b')"), 0);
	/* the new file itself, without the old -wal, is untouched: calx never wrote to it */
	char side[560];
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	assert_int_equal(query_int(db_path, "SELECT x FROM marker"), 42);
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), 0);
	teardown(&f);
}

static void a_session_after_the_move_is_refused(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	calx_session_free(f.s);
	f.s = NULL;
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM users"), 3);
	assert_int_equal(unlink(db_path), 0);
	/* the pooled connection still sees the old file: the checkout notices and refuses */
	assert_engine_refuses(&f);
	assert_int_not_equal(access(db_path, F_OK), 0);
	teardown(&f);
}

static void a_session_open_across_the_move_cannot_begin_again(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	assert_int_equal(unlink(db_path), 0);
	/* the session holds its connection: its next transaction's BEGIN says so */
	struct user *u;
	int rc = calx_session_flush(f.s);
	if (rc == CALX_OK)
		rc = user_get(f.s, 1, &u);
	assert_int_equal(rc, CALX_EIO);
	assert_moved_message(calx_session_errmsg(f.s));
	calx_session_rollback(f.s);
	calx_session_free(f.s);
	f.s = NULL;
	assert_engine_refuses(&f);
	teardown(&f);
}

static void a_normal_run_is_unaffected(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	for (int i = 0; i < 20; i++) {
		assert_ok(f.s, calx_session_add(f.s, user_new(f.s, .name = "", .age = i)));
		char name[16];
		snprintf(name, sizeof name, "n%02d", i);
		calx_session *t;
		assert_ok(t, calx_session_open(&t, f.eng, f.reg));
		struct user *u = user_new(t, .name = "", .age = i);
		assert_ok(t, calx_field_set_text(t, u, USER_NAME, name));
		assert_ok(t, calx_session_add(t, u));
		assert_ok(t, calx_session_commit(t));
		calx_session_free(t);
		assert_ok(f.s, calx_session_rollback(f.s));
	}
	assert_int_equal(calx_engine_exec(f.eng, "UPDATE users SET age = age + 1"), CALX_OK);
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM users"), 23);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commit_into_an_unlinked_file_says_eio),
		cmocka_unit_test(commit_into_a_replaced_file_says_eio),
		cmocka_unit_test(a_session_after_the_move_is_refused),
		cmocka_unit_test(a_session_open_across_the_move_cannot_begin_again),
		cmocka_unit_test(a_normal_run_is_unaffected),
	};
	return cmocka_run_group_tests_name("moved_sqlite", tests, NULL, NULL);
}
