/*
 * The SQLite dialect: the sqlite3 C API behind calx's dialect vtable.
 *
 * URLs: "sqlite:PATH", "sqlite::memory:", and SQLAlchemy's "sqlite:///PATH"
 * (relative) / "sqlite:////abs/PATH". Every connection runs with foreign
 * keys enforced and a busy timeout, so a locked database waits before it
 * reports CALX_EBUSY; file databases are switched to WAL journaling.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "calx/errors.h"
#include "calx/sys/dialect.h"
#include "sqlite_int.h"
#include "sq_errors.h"

#define BUSY_TIMEOUT_MS 5000

struct calx_conn {
	sqlite3 *db;
	int file;               /* a file database (not :memory:): it can be deleted or replaced */
	int moved;              /* a write COMMIT found the file deleted or replaced: the broken hook says GONE */
	int has_id;             /* id holds the file's identity, taken once at connect */
	uint64_t id[2];         /* st_dev, st_ino of the database file */
	uint64_t statements;    /* in-process: every statement is its own "round trip" */
};

struct calx_stmt {
	sqlite3_stmt *st;
	calx_conn *conn;
	int running;            /* stepped, rows still to come: what sqlite3_stmt_busy says, without the call */
	int guard;              /* COMMIT or END: a write transaction first checks that the file is still where it was */
};

/* The file name for sqlite3_open_v2, or NULL if the URL is not ours. */
static const char *path_of(const char *url)
{
	if (strncmp(url, "sqlite:", 7) != 0)
		return NULL;
	const char *p = url + 7;
	if (strncmp(p, "///", 3) == 0)
		p += 3;         /* sqlite:///rel, sqlite:////abs */
	return p;
}

/*
 * Was the database file unlinked, or another file renamed over its path,
 * since the connection opened it? Its commits would then go to a file
 * nothing names, and a new connection would open another database. One
 * stat() of the path (SQLITE_FCNTL_HAS_MOVED), so it is asked only where it
 * matters: before the COMMIT of a transaction that wrote.
 */
static int has_moved(calx_conn *c)
{
	int moved = 0;
	if (c->file && sqlite3_file_control(c->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK)
		moved = 0;
	if (moved)
		c->moved = 1;
	return moved;
}

static int moved_error(calx_conn *c, const char *sql, calx_error *err)
{
	const char *path = sqlite3_db_filename(c->db, "main");
	return calx_error_set(err, CALX_EIO,
	                      "sqlite: the database file '%s' was deleted or replaced while open: "
	                      "%.40s refused (nothing is committed to a file no longer at its path)",
	                      path ? path : "?", sql);
}

/* COMMIT or END (calx's commit statement, or the same in calx_engine_exec). */
static int is_commit(const char *sql)
{
	return strncmp(sql, "COMMIT", 6) == 0 || strncmp(sql, "END", 3) == 0;
}

/*
 * Before a COMMIT: only a transaction that wrote asks the file system
 * (sqlite3_txn_state is in-process); a read-only COMMIT acknowledges nothing.
 */
static int commit_moved(calx_conn *c)
{
	return sqlite3_txn_state(c->db, "main") == SQLITE_TXN_WRITE && has_moved(c);
}

static void sq_disconnect(calx_conn *c)
{
	if (!c)
		return;
	sqlite3_close_v2(c->db);
	calx_sys_free(c);
}

static int sq_connect(calx_conn **out, const char *url, calx_error *err)
{
	*out = NULL;
	const char *path = path_of(url);
	if (!path || !*path)
		return calx_error_set(err, CALX_EINVAL, "sqlite: bad URL '%s' (expected sqlite:PATH or sqlite::memory:)", url);
	calx_conn *c = calx_sys_calloc(1, sizeof *c);
	if (!c)
		return calx_error_set(err, CALX_ENOMEM, "sqlite: out of memory opening '%s'", path);
	c->db = NULL;
	c->statements = 0;
	c->file = strcmp(path, ":memory:") != 0;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		int xrc = c->db ? sqlite3_extended_errcode(c->db) : rc;
		int sys = c->db ? sqlite3_system_errno(c->db) : 0;
		calx_error_set(err, calx__sq_status(rc), "sqlite: cannot open '%s': %s (sqlite code %d%s%s)", path,
		               c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc), xrc, sys ? ", " : "",
		               sys ? strerror(sys) : "");
		snprintf(err->driver.code, sizeof err->driver.code, "%s", calx__sq_code_name(xrc));
		err->driver.number = xrc;
		err->driver.sys_errno = sys;
		sq_disconnect(c);
		return err->code;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/*
	 * WAL for files: a session reading in its transaction does not block
	 * another session's commit (rollback journals would, until timeout).
	 */
	/* LIKE as PostgreSQL has it: case-sensitive */
	const char *setup = strcmp(path, ":memory:") == 0
	                    ? "PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON"
	                    : "PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON; PRAGMA journal_mode = WAL";
	rc = sqlite3_exec(c->db, setup, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		calx__sq_fail(err, c->db, rc, setup);
		sq_disconnect(c);
		return err->code;
	}
	/* The file's identity, once: the engine compares every later connection's with its first's. */
	struct stat sb;
	const char *name = c->file ? sqlite3_db_filename(c->db, "main") : NULL;
	if (name && *name && stat(name, &sb) == 0) {
		c->id[0] = (uint64_t)sb.st_dev;
		c->id[1] = (uint64_t)sb.st_ino;
		c->has_id = 1;
	}
	*out = c;
	return CALX_OK;
}

/*
 * Text run outside a transaction (calx_engine_exec, create_all's DDL)
 * commits as it runs: ask before, as a write COMMIT does. Not before BEGIN,
 * which writes nothing (a session's transaction is checked at its COMMIT).
 */
static int autocommit_moved(calx_conn *c, const char *sql)
{
	return sqlite3_get_autocommit(c->db) && strncmp(sql, "BEGIN", 5) != 0 && has_moved(c);
}

static int sq_exec(calx_conn *c, const char *sql, calx_error *err)
{
	c->statements++;
	if (c->file && ((is_commit(sql) && commit_moved(c)) || autocommit_moved(c, sql)))
		return moved_error(c, sql, err);
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? CALX_OK : calx__sq_fail(err, c->db, rc, sql);
}

static int sq_prepare(calx_conn *c, const char *sql, calx_stmt **out, calx_error *err)
{
	*out = NULL;
	calx_stmt *st = calx_sys_calloc(1, sizeof *st);
	if (!st)
		return calx_error_set(err, CALX_ENOMEM, "sqlite: out of memory preparing %.200s", sql);
	st->conn = c;
	st->guard = c->file && is_commit(sql);
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
	if (rc != SQLITE_OK) {
		calx_sys_free(st);
		return calx__sq_fail(err, c->db, rc, sql);
	}
	*out = st;
	return CALX_OK;
}

static int sq_bind(calx_stmt *st, unsigned idx, const calx_value *v, calx_error *err)
{
	int rc, i = (int)idx + 1;
	switch (v->kind) {
	case CALX_VALUE_NULL: rc = sqlite3_bind_null(st->st, i); break;
	case CALX_VALUE_INT: rc = sqlite3_bind_int64(st->st, i, v->u.i); break;
	case CALX_VALUE_REAL:
		/* SQLite stores a NaN as NULL: refuse it rather than lose it */
		if (isnan(v->u.d))
			return calx_error_set(err, CALX_ERANGE, "sqlite: NaN cannot be stored (SQLite turns it into NULL)");
		rc = sqlite3_bind_double(st->st, i, v->u.d);
		break;
	case CALX_VALUE_TEXT:
	case CALX_VALUE_NUMERIC:
		/*
		 * A decimal as text, not a double: a column of TEXT (or no)
		 * affinity keeps it exactly, and one of NUMERIC, INTEGER or REAL
		 * affinity converts it as it converts any number written as text,
		 * in comparisons too.
		 */
		if (v->u.s.n > INT_MAX)
			return calx_error_set(err, CALX_ERANGE, "sqlite: text of %zu bytes is too long", v->u.s.n);
		rc = sqlite3_bind_text(st->st, i, v->u.s.p ? v->u.s.p : "", (int)v->u.s.n, SQLITE_STATIC);
		break;
	case CALX_VALUE_BLOB:
		if (v->u.s.n > INT_MAX)
			return calx_error_set(err, CALX_ERANGE, "sqlite: blob of %zu bytes is too long", v->u.s.n);
		rc = sqlite3_bind_blob(st->st, i, v->u.s.p ? v->u.s.p : "", (int)v->u.s.n, SQLITE_STATIC);
		break;
	default:
		return calx_error_set(err, CALX_EINVAL, "sqlite: bad value kind %d", (int)v->kind);
	}
	return rc == SQLITE_OK ? CALX_OK : calx__sq_fail(err, st->conn->db, rc, sqlite3_sql(st->st));
}

static int sq_step(calx_stmt *st, calx_error *err)
{
	if (!st->running)
		st->conn->statements++;
	if (st->guard && commit_moved(st->conn))
		return moved_error(st->conn, sqlite3_sql(st->st), err);
	int rc = sqlite3_step(st->st);
	st->running = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		return CALX_ROW;
	if (rc == SQLITE_DONE)
		return CALX_DONE;
	return calx__sq_fail(err, st->conn->db, rc, sqlite3_sql(st->st));
}

static unsigned sq_column_count(calx_stmt *st)
{
	return (unsigned)sqlite3_column_count(st->st);
}

static const char *sq_column_name(calx_stmt *st, unsigned idx)
{
	return (int)idx < sqlite3_column_count(st->st) ? sqlite3_column_name(st->st, (int)idx) : NULL;
}

static void sq_column(calx_stmt *st, unsigned idx, calx_value *out)
{
	/*
	 * One column_value, then the value_* readers: the column_* calls each
	 * check the statement and take the connection's mutex again. The value
	 * is "unprotected", which is fine on a connection one thread uses.
	 */
	sqlite3_value *v = sqlite3_column_value(st->st, (int)idx);
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
		out->kind = CALX_VALUE_INT;
		out->u.i = sqlite3_value_int64(v);
		break;
	case SQLITE_FLOAT:
		out->kind = CALX_VALUE_REAL;
		out->u.d = sqlite3_value_double(v);
		break;
	case SQLITE_TEXT:
		out->kind = CALX_VALUE_TEXT;
		out->u.s.p = (const char *)sqlite3_value_text(v);
		out->u.s.n = (size_t)sqlite3_value_bytes(v);
		break;
	case SQLITE_BLOB:
		out->kind = CALX_VALUE_BLOB;
		out->u.s.p = sqlite3_value_blob(v);
		out->u.s.n = (size_t)sqlite3_value_bytes(v);
		break;
	default:
		out->kind = CALX_VALUE_NULL;
		break;
	}
}

static void sq_reset(calx_stmt *st)
{
	/* no clear_bindings: every parameter is bound again before the next step */
	sqlite3_reset(st->st);
	st->running = 0;
}

static void sq_finalize(calx_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->st);
	calx_sys_free(st);
}

static void sq_type_name(const calx_field_desc *f, char *buf, size_t cap)
{
	const char *t = "TEXT";
	switch (f->ctype) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_INT16: case CALX_CTYPE_INT32: case CALX_CTYPE_INT64:
	case CALX_CTYPE_UINT8: case CALX_CTYPE_UINT16: case CALX_CTYPE_UINT32: case CALX_CTYPE_UINT64:
		/* exactly INTEGER, so an integer primary key is the rowid */
		t = "INTEGER";
		break;
	case CALX_CTYPE_BOOL: t = "BOOLEAN"; break;
	case CALX_CTYPE_FLOAT: t = "REAL"; break;
	case CALX_CTYPE_DOUBLE: t = "REAL"; break;
	case CALX_CTYPE_STRING: t = "TEXT"; break;
	case CALX_CTYPE_CHARARRAY:
		snprintf(buf, cap, "VARCHAR(%zu)", f->size ? f->size - 1 : 0);
		return;
	case CALX_CTYPE_BYTEARRAY: case CALX_CTYPE_BYTES: t = "BLOB"; break;
	case CALX_CTYPE_CHAR: t = "VARCHAR(1)"; break;   /* one ASCII character, or none */
	case CALX_CTYPE_DECIMAL: t = "TEXT"; break;       /* the canonical text, every digit kept */
	case CALX_CTYPE_USER: break;   /* the user type names its own (calx__column_type) */
	}
	snprintf(buf, cap, "%s", t);
}

static int64_t sq_rows_affected(calx_stmt *st)
{
	return (int64_t)sqlite3_changes64(st->conn->db);
}

static int64_t sq_last_insert_id(calx_stmt *st)
{
	return (int64_t)sqlite3_last_insert_rowid(st->conn->db);
}

static int sq_broken(calx_conn *c)
{
	return c->moved ? CALX_DIALECT_GONE : 0;     /* no stat here: what a write COMMIT found */
}

static int sq_file_identity(calx_conn *c, uint64_t id[2])
{
	if (!c->has_id)
		return 0;
	id[0] = c->id[0];
	id[1] = c->id[1];
	return 1;
}

static void sq_counters(calx_conn *c, uint64_t *statements, uint64_t *round_trips)
{
	*statements = c->statements;
	*round_trips = c->statements;
}

sqlite3 *calx__sqlite_db(calx_conn *c)
{
	return c->db;
}

const calx_dialect calx_sqlite_dialect = {
	.version = CALX_DIALECT_VERSION,
	.name = "sqlite",
	.numbered_params = 0,
	.max_params = 32766,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind = sq_bind,
	.step = sq_step,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.inspect = calx__sqlite_inspect,
	.column = sq_column,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.type_name = sq_type_name,
	.rows_affected = sq_rows_affected,
	.broken = sq_broken,
	.execute_batch = NULL,
	.counters = sq_counters,
	.file_identity = sq_file_identity,
	.sync_autoincrement = NULL,
	.last_insert_id = sq_last_insert_id,
	.ident_quote = "\"\"",
	.returning = 1,                 /* SQLite 3.35 */
	.ddl_flags = CALX_DDL_FORWARD_FK, /* a REFERENCES clause is resolved when used, not at CREATE TABLE */
	.json_in = CALX_JSON_IN_EACH,     /* JSON is built into SQLite since 3.38 (Debian 12: 3.40) */
	.limit_style = CALX_LIMIT_OFFSET,
	.identity_setval = 0,           /* the rowid continues above the largest key by itself */
	.rowid_keys = 1,
};
