/*
 * SQLite faults: I/O errors and a full disk during a commit.
 *
 * A VFS wrapping the default one (registered as the default, so calx's
 * connections use it without knowing) fails the Nth xRead, xWrite or xSync
 * on any file -- database, WAL, shared journal -- once (a transient error)
 * or from then on (a dying disk), for N = 1, 2, ... until the commit runs
 * clean, the way SQLite's own ioerr tests do. After each fault:
 *   - the commit reports CALX_EIO naming the cause, or CALX_OK;
 *   - the session refuses everything but rollback until rolled back, and
 *     after the rollback its objects agree with the database;
 *   - a fresh connection finds PRAGMA integrity_check "ok" and the unit of
 *     work either entirely there or entirely absent (and there, if the
 *     commit said OK).
 * "Disk full" is PRAGMA max_page_count on the session's connection.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "helpers.h"

/* --- the faulty VFS -------------------------------------------------------- */

enum { FAULT_READ = 1, FAULT_WRITE = 2, FAULT_SYNC = 4, FAULT_ANY = 7 };

static sqlite3_vfs *real_vfs;
static sqlite3_vfs faulty_vfs;
static long fault_at;           /* fail the Nth counted operation; 0: none */
static long fault_ops;          /* operations counted since arm */
static long fault_hits;         /* operations failed since arm */
static unsigned fault_mask;     /* which kinds are counted */
static bool fault_persistent;   /* fail every operation after the Nth too */
static bool fault_armed;

typedef struct faulty_file {
	sqlite3_file base;
	sqlite3_file *real;     /* follows this struct in the same block */
} faulty_file;

static void faults_arm(long n, unsigned mask, bool persistent)
{
	fault_at = n;
	fault_ops = 0;
	fault_hits = 0;
	fault_mask = mask;
	fault_persistent = persistent;
	fault_armed = true;
}

static long faults_disarm(void)
{
	fault_armed = false;
	fault_at = 0;
	return fault_ops;
}

/* Should this operation fail? */
static bool fault(unsigned kind)
{
	if (!fault_armed || !(fault_mask & kind))
		return false;
	long n = ++fault_ops;
	if (fault_at > 0 && (n == fault_at || (fault_persistent && n > fault_at))) {
		fault_hits++;
		return true;
	}
	return false;
}

#define REAL(f) (((faulty_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (fault(FAULT_READ))
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fault(FAULT_WRITE))
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (fault(FAULT_SYNC))
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_device_chars(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	/* no memory-mapped reads: every page comes through xRead, where faults are */
	(void)f;
	(void)off;
	(void)n;
	*pp = NULL;
	return SQLITE_OK;
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods faulty_methods = {
	3, f_close, f_read, f_write, f_truncate, f_sync, f_file_size, f_lock, f_unlock, f_check_reserved,
	f_file_control, f_sector_size, f_device_chars, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap,
	f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	faulty_file *ff = (faulty_file *)f;
	ff->real = (sqlite3_file *)(ff + 1);
	ff->real->pMethods = NULL;
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	/* xClose is called whenever pMethods is set, even after a failed open */
	f->pMethods = ff->real->pMethods ? &faulty_methods : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, name, sync);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	real_vfs->xDlClose(real_vfs, h);
}

static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_current_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static int faulty_vfs_install(void)
{
	if (real_vfs)
		return 0;
	sqlite3_vfs *def = sqlite3_vfs_find(NULL);
	if (!def || def->iVersion < 2)
		return -1;
	real_vfs = def;
	faulty_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(faulty_file) + def->szOsFile,
		.mxPathname = def->mxPathname,
		.zName = "calx-faulty",
		.xOpen = v_open,
		.xDelete = v_delete,
		.xAccess = v_access,
		.xFullPathname = v_full_pathname,
		.xDlOpen = v_dlopen,
		.xDlError = v_dlerror,
		.xDlSym = v_dlsym,
		.xDlClose = v_dlclose,
		.xRandomness = v_randomness,
		.xSleep = v_sleep,
		.xCurrentTime = v_current_time,
		.xGetLastError = v_last_error,
		.xCurrentTimeInt64 = v_current_time64,
	};
	return sqlite3_vfs_register(&faulty_vfs, 1) == SQLITE_OK ? 0 : -1;
}

/* --- checking a database file from outside calx ----------------------------- */

static char db_path[512];

static void remove_db(void)
{
	char side[540];
	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", db_path);
	unlink(side);
}

static char *new_db_url(char *url, size_t cap)
{
	const char *dir = getenv("CALX_TEST_TMPDIR");
	static unsigned counter;
	snprintf(db_path, sizeof db_path, "%s/calx-faults-%ld-%u.db", dir ? dir : "/tmp", (long)getpid(), counter++);
	remove_db();
	snprintf(url, cap, "sqlite:%s", db_path);
	return url;
}

/* One integer from a query on a new connection (faults off); -1 on error. */
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

/* PRAGMA integrity_check on a fresh connection: true when "ok". */
static bool integrity_ok(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool ok = false;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && strcmp((const char *)t, "ok") == 0;
		if (!ok)
			print_error("integrity_check: %s\n", t ? (const char *)t : "(null)");
	}
	sqlite3_finalize(st);
	return ok;
}

/* --- I/O errors during a commit ---------------------------------------------- */

#define BATCH 400

typedef struct unit_state {
	long long batch_rows;   /* users named b%02d */
	long long keep_age;     /* age of "keep": 7 before, 8 after the unit */
	long long gone_rows;    /* 1 while "gone" exists, 0 after the unit */
} unit_state;

static bool read_state(unit_state *st)
{
	sqlite3 *db;
	bool ok = false;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		ok = integrity_ok(db);
		st->batch_rows = query_int(db, "SELECT count(*) FROM users WHERE name LIKE 'b%'");
		st->keep_age = query_int(db, "SELECT age FROM users WHERE name = 'keep'");
		st->gone_rows = query_int(db, "SELECT count(*) FROM users WHERE name = 'gone'");
	}
	sqlite3_close(db);
	return ok;
}

/* Statuses seen per fault, for the report and the checks. */
typedef struct fault_tally {
	long faults;            /* runs in which the armed fault fired */
	long eio;               /* ... in which the commit reported CALX_EIO */
	long absorbed;          /* ... in which the commit said OK (the fault hit elsewhere, or was retried) */
	long written;           /* ... in which the commit failed yet the unit was found whole */
} fault_tally;

/* A status from a step run under faults: OK, or CALX_EIO naming the cause. */
static void check_status(long n, const char *step, int rc, const char *msg)
{
	if (rc == CALX_OK)
		return;
	if (rc != CALX_EIO)
		fail_msg("fault %ld: %s = %s: %s", n, step, calx_status_name(rc), msg);
	if (!strstr(msg, "disk I/O error") && !strstr(msg, "sqlite code 10"))
		fail_msg("fault %ld: %s: the message does not name the cause: %s", n, step, msg);
}

/*
 * One run. A database is seeded with faults off; then, with the nth
 * operation of the kinds in mask failing, a new engine (cold cache: the
 * flush reads pages) loads two rows and commits a unit of work -- 40
 * inserts, an update, a delete -- then checkpoints the WAL into the
 * database and closes. Returns the number of operations counted (n > that:
 * the fault never came).
 */
static long run_with_fault(long n, unsigned mask, bool persistent, fault_tally *tally)
{
	char url[600];
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	new_db_url(url, sizeof url);
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	assert_int_equal(calx_create_all(reg, eng), CALX_OK);
	assert_ok(s, calx_session_open(&s, eng, reg));
	struct user *keep = user_new(s, .name = "keep", .age = 7);
	struct user *gone = user_new(s, .name = "gone", .age = 1);
	assert_ok(s, calx_session_add(s, keep));
	assert_ok(s, calx_session_add(s, gone));
	assert_ok(s, calx_session_commit(s));
	int64_t keep_id = keep->id, gone_id = gone->id;
	calx_session_free(s);
	s = NULL;
	calx_engine_free(eng);
	eng = NULL;

	faults_arm(n, mask, persistent);
	int rc = calx_engine_open(&eng, url), commit_rc = CALX_ERROR;
	check_status(n, "engine open", rc, calx_engine_errmsg(eng));
	if (rc != CALX_OK)
		goto done;
	rc = calx_session_open(&s, eng, reg);
	check_status(n, "session open", rc, calx_engine_errmsg(eng));
	if (rc != CALX_OK)
		goto done;
	rc = user_get(s, keep_id, &keep);
	if (rc == CALX_OK)
		rc = user_get(s, gone_id, &gone);
	check_status(n, "get", rc, calx_session_errmsg(s));
	if (rc != CALX_OK)
		goto done;

	struct user *batch[BATCH];
	for (int i = 0; i < BATCH; i++) {
		char name[16];
		snprintf(name, sizeof name, "b%03d", i);
		batch[i] = user_new(s, .name = "", .age = i, .note = "a note long enough to take some room on the page, so that the unit spans many pages");
		assert_ok(s, calx_field_set_text(s, batch[i], USER_NAME, name));
		assert_ok(s, calx_session_add(s, batch[i]));
	}
	keep->age = 8;
	assert_ok(s, calx_session_delete(s, gone));
	commit_rc = rc = calx_session_commit(s);
	check_status(n, "commit", rc, calx_session_errmsg(s));
	if (rc != CALX_OK) {
		/* the failed state: everything but rollback refuses */
		struct user *u;
		assert_calx(s, calx_session_flush(s), CALX_ESTATE);
		assert_calx(s, calx_session_commit(s), CALX_ESTATE);
		assert_calx(s, calx_session_add(s, batch[0]), CALX_ESTATE);
		assert_calx(s, calx_session_delete(s, keep), CALX_ESTATE);
		assert_calx(s, user_get(s, keep_id, &u), CALX_ESTATE);
		assert_null(user_new(s, .name = "late"));
		calx_select *q = calx_select_new(s, &user_mapper);
		void *obj;
		if (q)
			assert_calx(s, calx_select_next(q, &obj), CALX_ESTATE);
		calx_select_free(q);
		/* a dying disk may fail the ROLLBACK too; the objects go back regardless */
		rc = calx_session_rollback(s);
		check_status(n, "rollback", rc, calx_session_errmsg(s));
		assert_int_equal(keep->age, 7);
		for (int i = 0; i < BATCH; i++)
			assert_int_equal(batch[i]->id, 0);
		assert_ok(s, calx_session_add(s, gone));        /* persistent again: add is a no-op */
	}
	calx_session_free(s);
	s = NULL;
	/* move the WAL into the database file: committed data must survive that too */
	rc = calx_engine_exec(eng, "PRAGMA wal_checkpoint(TRUNCATE)");
	check_status(n, "checkpoint", rc, calx_engine_errmsg(eng));
done:
	calx_session_free(s);
	calx_engine_free(eng);          /* the last close checkpoints again */
	calx_registry_free(reg);
	long ops = fault_ops;
	bool fired = fault_hits > 0;
	faults_disarm();

	if (fired) {
		tally->faults++;
		if (commit_rc == CALX_OK)
			tally->absorbed++;
		else if (commit_rc == CALX_EIO)
			tally->eio++;
	}
	unit_state st;
	if (!read_state(&st))
		fail_msg("fault %ld (mask %u%s): the database is damaged", n, mask, persistent ? ", persistent" : "");
	bool none = st.batch_rows == 0 && st.keep_age == 7 && st.gone_rows == 1;
	bool all = st.batch_rows == BATCH && st.keep_age == 8 && st.gone_rows == 0;
	if (!none && !all)
		fail_msg("fault %ld (mask %u%s): half a unit of work: %lld batch rows, keep.age %lld, gone %lld", n, mask,
		         persistent ? ", persistent" : "", st.batch_rows, st.keep_age, st.gone_rows);
	if (commit_rc == CALX_OK && !all)
		fail_msg("fault %ld (mask %u%s): the commit said OK and the data was lost", n, mask,
		         persistent ? ", persistent" : "");
	if (commit_rc == CALX_EIO && all)
		tally->written++;
	remove_db();
	return ops;
}

static void io_error_loop(unsigned mask, bool persistent, const char *what)
{
	assert_int_equal(faulty_vfs_install(), 0);
	fault_tally tally = { 0 };
	long n;
	for (n = 1; n < 10000; n++) {
		long ops = run_with_fault(n, mask, persistent, &tally);
		if (ops < n)
			break;
	}
	assert_true(n > 3);                     /* the commit does I/O of this kind */
	assert_true(tally.eio > 0);             /* and failing it is reported */
	print_message("[ INFO     ] %s%s: %ld faults injected, commit CALX_EIO %ld, commit OK %ld, "
	              "failed commit found whole %ld; integrity_check ok and all or nothing every time\n",
	              what, persistent ? " (persistent)" : "", tally.faults, tally.eio, tally.absorbed,
	              tally.written);
}

static void every_failed_write_leaves_the_unit_whole_or_absent(void **state)
{
	(void)state;
	io_error_loop(FAULT_WRITE, false, "xWrite");
}

static void every_failed_sync_leaves_the_unit_whole_or_absent(void **state)
{
	(void)state;
	io_error_loop(FAULT_SYNC, false, "xSync");
}

static void every_failed_read_leaves_the_unit_whole_or_absent(void **state)
{
	(void)state;
	io_error_loop(FAULT_READ, false, "xRead");
}

static void a_dying_disk_leaves_the_unit_whole_or_absent(void **state)
{
	(void)state;
	io_error_loop(FAULT_ANY, true, "any I/O");
}

/* --- disk full ------------------------------------------------------------------ */

static void a_full_disk_fails_the_commit_whole_and_says_so(void **state)
{
	(void)state;
	assert_int_equal(faulty_vfs_install(), 0);
	char url[600];
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	new_db_url(url, sizeof url);
	assert_int_equal(calx_engine_open(&eng, url), CALX_OK);
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_create_all(reg, eng), CALX_OK);
	/*
	 * The engine holds one idle connection; the PRAGMA runs on it and the
	 * session takes it next. max_page_count is per connection and never
	 * goes below the current size.
	 */
	assert_int_equal(calx_engine_exec(eng, "PRAGMA max_page_count = 16"), CALX_OK);
	assert_ok(s, calx_session_open(&s, eng, reg));
	struct user *keep = user_new(s, .name = "keep", .age = 7);
	assert_ok(s, calx_session_add(s, keep));
	assert_ok(s, calx_session_commit(s));

	static char note[2001];
	memset(note, 'x', sizeof note - 1);
	struct user *batch[200];
	for (int i = 0; i < 200; i++) {
		char name[16];
		snprintf(name, sizeof name, "b%03d", i);
		batch[i] = user_new(s, .name = "", .note = note);
		assert_ok(s, calx_field_set_text(s, batch[i], USER_NAME, name));
		assert_ok(s, calx_session_add(s, batch[i]));
	}
	keep->age = 8;
	assert_calx(s, calx_session_commit(s), CALX_EIO);
	assert_non_null(strstr(calx_session_errmsg(s), "database or disk is full"));
	assert_non_null(strstr(calx_session_errmsg(s), "insert into \"users\""));
	assert_calx(s, calx_session_flush(s), CALX_ESTATE);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(keep->age, 7);
	assert_int_equal(batch[0]->id, 0);

	unit_state st;
	assert_true(read_state(&st));
	assert_int_equal(st.batch_rows, 0);
	assert_int_equal(st.keep_age, 7);

	/* what fits still goes in, whole, on the same session */
	for (int i = 0; i < 3; i++)
		assert_ok(s, calx_session_add(s, batch[i]));
	keep->age = 9;
	assert_ok(s, calx_session_commit(s));
	assert_true(read_state(&st));
	assert_int_equal(st.batch_rows, 3);
	assert_int_equal(st.keep_age, 9);
	calx_session_free(s);
	calx_registry_free(reg);
	calx_engine_free(eng);
	remove_db();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_failed_write_leaves_the_unit_whole_or_absent),
		cmocka_unit_test(every_failed_sync_leaves_the_unit_whole_or_absent),
		cmocka_unit_test(every_failed_read_leaves_the_unit_whole_or_absent),
		cmocka_unit_test(a_dying_disk_leaves_the_unit_whole_or_absent),
		cmocka_unit_test(a_full_disk_fails_the_commit_whole_and_says_so),
	};
	return cmocka_run_group_tests_name("faults_sqlite", tests, NULL, NULL);
}
