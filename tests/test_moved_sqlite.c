/*
 * SQLite: a database file deleted or replaced while the engine is open
 * (issue 9).
 *
 * Unlinked, the engine's connections write to an inode nothing names; a
 * file renamed over the path is a different database that new connections
 * would open. calx must not acknowledge a commit into the old file, and must
 * not split one engine across two files. The COMMIT of a transaction that
 * wrote asks (one stat()) and says CALX_EIO "... was deleted or replaced
 * while open ...", and from then on the engine refuses every session with
 * CALX_EIO until it is reopened; a new connection whose file is not the one
 * the engine's first connection opened is refused the same way. Reads on a
 * connection opened before the move, and read-only commits, are not checked
 * (no stat per read): they see the file as it was.
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

/* Rename another database over the path, with the old one's -wal and -shm removed (README, SQLite notes). */
static void replace_file(void)
{
	char other[560];
	snprintf(other, sizeof other, "%s.other", db_path);
	remove_file(other);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE marker (x); INSERT INTO marker VALUES (42)", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(rename(other, db_path), 0);
	char side[560];
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
}

/*
 * A session checked out after the move gets the pooled connection, which
 * still has the old file (no stat at checkout): it reads the file as it
 * was, its read-only commit is not refused, and the engine is not marked
 * gone by it; its first write commit is refused.
 */
static void a_read_only_transaction_after_the_move_is_not_refused(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	calx_session_free(f.s);
	f.s = NULL;
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM users"), 3);
	assert_int_equal(unlink(db_path), 0);
	calx_session *t;
	assert_ok(t, calx_session_open(&t, f.eng, f.reg));
	struct user *u;
	assert_ok(t, user_get(t, 3, &u));
	assert_string_equal(u->name, "b");              /* the old file, as it was */
	assert_ok(t, calx_session_commit(t));           /* read-only: acknowledges nothing, not refused */
	calx_session_free(t);
	assert_ok(t, calx_session_open(&t, f.eng, f.reg));      /* the engine did not mark itself gone */
	assert_ok(t, calx_session_add(t, user_new(t, .name = "late", .age = 9)));
	assert_calx(t, calx_session_commit(t), CALX_EIO);       /* the first write commit is */
	assert_moved_message(calx_session_errmsg(t));
	calx_session_rollback(t);
	calx_session_free(t);
	assert_engine_refuses(&f);
	assert_int_not_equal(access(db_path, F_OK), 0);
	teardown(&f);
}

static void a_session_open_across_the_move_cannot_commit_a_write(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	assert_int_equal(unlink(db_path), 0);
	/* the session holds its connection: its next write commit says so */
	assert_ok(f.s, calx_session_add(f.s, user_new(f.s, .name = "c", .age = 4)));
	assert_calx(f.s, calx_session_commit(f.s), CALX_EIO);
	assert_moved_message(calx_session_errmsg(f.s));
	calx_session_rollback(f.s);
	calx_session_free(f.s);
	f.s = NULL;
	assert_engine_refuses(&f);
	assert_int_not_equal(access(db_path, F_OK), 0);
	teardown(&f);
}

/*
 * Two sessions at once: the pool opens a second connection, which finds
 * another file at the path. It is refused (its identity is not the first
 * connection's), and the engine refuses from then on.
 */
static void a_new_connection_to_a_replaced_file_is_refused(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));      /* f.s keeps the engine's one connection */
	replace_file();
	calx_session *t = NULL;
	assert_int_equal(calx_session_open(&t, f.eng, f.reg), CALX_EIO);
	assert_null(t);
	assert_moved_message(calx_engine_errmsg(f.eng));
	calx_session_free(f.s);
	f.s = NULL;
	assert_engine_refuses(&f);
	/* calx wrote nothing of its own into the other file */
	assert_int_equal(query_int(db_path, "SELECT x FROM marker"), 42);
	assert_int_equal(query_int(db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'users'"), 0);
	teardown(&f);
}

/*
 * calx_engine_exec outside a transaction commits as it runs: on a
 * connection opened before the move it is refused before it writes.
 */
static void autocommit_text_into_an_unlinked_file_says_eio(void **state)
{
	(void)state;
	moved_fixture f = { 0 };
	setup(&f);
	assert_ok(f.s, calx_session_commit(f.s));
	calx_session_free(f.s);         /* both connections idle in the pool */
	f.s = NULL;
	assert_int_equal(unlink(db_path), 0);
	assert_int_equal(calx_engine_exec(f.eng, "UPDATE users SET age = age + 1"), CALX_EIO);
	assert_moved_message(calx_engine_errmsg(f.eng));
	assert_engine_refuses(&f);
	assert_int_not_equal(access(db_path, F_OK), 0);
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
		cmocka_unit_test(a_read_only_transaction_after_the_move_is_not_refused),
		cmocka_unit_test(a_session_open_across_the_move_cannot_commit_a_write),
		cmocka_unit_test(a_new_connection_to_a_replaced_file_is_refused),
		cmocka_unit_test(autocommit_text_into_an_unlinked_file_says_eio),
		cmocka_unit_test(a_normal_run_is_unaffected),
	};
	return cmocka_run_group_tests_name("moved_sqlite", tests, NULL, NULL);
}
