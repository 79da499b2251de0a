/*
 * SQLite's errors as calx statuses and messages: the extended result code
 * decides the status, and the error's detail (calx/errors.h) gets the
 * code's name, the errno behind it, the statement, and what SQLite's
 * message names (a UNIQUE or NOT NULL failure's table and column, a CHECK
 * constraint's name).
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "calx/errors.h"
#include "calx/sys/dialect.h"
#include "sq_errors.h"

int calx__sq_status(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
		return CALX_EUNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return CALX_EFOREIGNKEY;
	case SQLITE_CONSTRAINT_NOTNULL:
		return CALX_ENOTNULL;
	case SQLITE_CONSTRAINT_CHECK:
		return CALX_ECHECK;
	}
	switch (rc & 0xff) {
	case SQLITE_NOMEM: return CALX_ENOMEM;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return CALX_EBUSY;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL: return CALX_EIO;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_AUTH: return CALX_ECONNECT;
	case SQLITE_TOOBIG:
	case SQLITE_RANGE: return CALX_ERANGE;
	case SQLITE_MISMATCH: return CALX_ETYPE;
	case SQLITE_CONSTRAINT: return CALX_ECHECK;
	}
	return CALX_ERROR;
}

/* The name of an extended result code, as sqlite3.h spells it ("" when not listed). */
const char *calx__sq_code_name(int xrc)
{
	static const struct { int code; const char *name; } names[] = {
		{ SQLITE_CONSTRAINT_UNIQUE, "SQLITE_CONSTRAINT_UNIQUE" },
		{ SQLITE_CONSTRAINT_PRIMARYKEY, "SQLITE_CONSTRAINT_PRIMARYKEY" },
		{ SQLITE_CONSTRAINT_ROWID, "SQLITE_CONSTRAINT_ROWID" },
		{ SQLITE_CONSTRAINT_FOREIGNKEY, "SQLITE_CONSTRAINT_FOREIGNKEY" },
		{ SQLITE_CONSTRAINT_NOTNULL, "SQLITE_CONSTRAINT_NOTNULL" },
		{ SQLITE_CONSTRAINT_CHECK, "SQLITE_CONSTRAINT_CHECK" },
		{ SQLITE_CONSTRAINT_TRIGGER, "SQLITE_CONSTRAINT_TRIGGER" },
		{ SQLITE_BUSY_SNAPSHOT, "SQLITE_BUSY_SNAPSHOT" },
		{ SQLITE_BUSY_RECOVERY, "SQLITE_BUSY_RECOVERY" },
		{ SQLITE_READONLY_DBMOVED, "SQLITE_READONLY_DBMOVED" },
		{ SQLITE_IOERR_WRITE, "SQLITE_IOERR_WRITE" },
		{ SQLITE_IOERR_READ, "SQLITE_IOERR_READ" },
		{ SQLITE_IOERR_FSYNC, "SQLITE_IOERR_FSYNC" },
		{ SQLITE_CANTOPEN_ISDIR, "SQLITE_CANTOPEN_ISDIR" },
		{ SQLITE_CANTOPEN_FULLPATH, "SQLITE_CANTOPEN_FULLPATH" },
		{ SQLITE_ERROR, "SQLITE_ERROR" }, { SQLITE_INTERNAL, "SQLITE_INTERNAL" },
		{ SQLITE_PERM, "SQLITE_PERM" }, { SQLITE_ABORT, "SQLITE_ABORT" }, { SQLITE_BUSY, "SQLITE_BUSY" },
		{ SQLITE_LOCKED, "SQLITE_LOCKED" }, { SQLITE_NOMEM, "SQLITE_NOMEM" },
		{ SQLITE_READONLY, "SQLITE_READONLY" }, { SQLITE_INTERRUPT, "SQLITE_INTERRUPT" },
		{ SQLITE_IOERR, "SQLITE_IOERR" }, { SQLITE_CORRUPT, "SQLITE_CORRUPT" },
		{ SQLITE_FULL, "SQLITE_FULL" }, { SQLITE_CANTOPEN, "SQLITE_CANTOPEN" },
		{ SQLITE_PROTOCOL, "SQLITE_PROTOCOL" }, { SQLITE_SCHEMA, "SQLITE_SCHEMA" },
		{ SQLITE_TOOBIG, "SQLITE_TOOBIG" }, { SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT" },
		{ SQLITE_MISMATCH, "SQLITE_MISMATCH" }, { SQLITE_MISUSE, "SQLITE_MISUSE" },
		{ SQLITE_AUTH, "SQLITE_AUTH" }, { SQLITE_RANGE, "SQLITE_RANGE" }, { SQLITE_NOTADB, "SQLITE_NOTADB" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == xrc)
			return names[i].name;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].code == (xrc & 0xff))
			return names[i].name;   /* an extended code not listed: its primary code's name */
	return "";
}

/*
 * What SQLite's message names: "UNIQUE constraint failed: users.name"
 * (and NOT NULL) give the table and the column, "CHECK constraint failed:
 * ck_users_age" the constraint. A UNIQUE over several columns names them
 * all ("t.a, t.b"): the first is kept.
 */
static void named_in_message(calx_driver_error *d, const char *msg)
{
	const char *at;
	if ((at = strstr(msg, "UNIQUE constraint failed: ")) || (at = strstr(msg, "NOT NULL constraint failed: "))) {
		at = strstr(at, ": ") + 2;
		size_t t = strcspn(at, ".");
		if (at[t] == '.') {
			snprintf(d->table, sizeof d->table, "%.*s", (int)t, at);
			snprintf(d->column, sizeof d->column, "%.*s", (int)strcspn(at + t + 1, ", "), at + t + 1);
		}
	} else if ((at = strstr(msg, "CHECK constraint failed: "))) {
		snprintf(d->constraint, sizeof d->constraint, "%s", at + 25);
	}
}

int calx__sq_fail(calx_error *err, sqlite3 *db, int rc, const char *sql)
{
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	int xrc = db ? sqlite3_extended_errcode(db) : rc;
	if (!xrc)
		xrc = rc;
	/* the usual first mistake: the schema was never created */
	const char *hint = !strncmp(msg, "no such table", 13) ? "; calx_create_all(reg, eng) creates the tables" : "";
	if (sql)
		calx_error_set(err, calx__sq_status(xrc), "sqlite: %.200s: %s (sqlite code %d)%s", sql, msg, xrc, hint);
	else
		calx_error_set(err, calx__sq_status(xrc), "sqlite: %s (sqlite code %d)%s", msg, xrc, hint);
	calx_driver_error *d = &err->driver;
	snprintf(d->code, sizeof d->code, "%s", calx__sq_code_name(xrc));
	d->number = xrc;
	d->sys_errno = db ? sqlite3_system_errno(db) : 0;
	snprintf(d->statement, sizeof d->statement, "%s", sql ? sql : "");
	named_in_message(d, msg);
	return err->code;
}

