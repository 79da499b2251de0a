/*
 * calx/errors.h - status codes.
 *
 * Every calx call that can fail returns an int status: CALX_OK (0) on
 * success, a negative CALX_E* code on failure. Iterating calls also return
 * the positive CALX_ROW / CALX_DONE. The failing object (session, engine,
 * registry) keeps a message with context; see calx_session_errmsg().
 */
#ifndef CALX_ERRORS_H
#define CALX_ERRORS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum calx_status {
	CALX_OK = 0,
	CALX_ROW = 100,           /* a row is available */
	CALX_DONE = 101,          /* no more rows */

	CALX_ERROR = -1,          /* anything not listed below */
	CALX_ENOMEM = -2,         /* an allocation failed */
	CALX_EINVAL = -3,         /* a bad argument (NULL, wrong mapper, ...) */
	CALX_ENOTFOUND = -4,      /* no such row, mapper, column, ... */
	CALX_ERANGE = -5,         /* a value does not fit its C or SQL type */
	CALX_ETYPE = -6,          /* a value of the wrong kind for a column */
	CALX_EUNIQUE = -7,        /* unique or primary key violation */
	CALX_EFOREIGNKEY = -8,    /* foreign key violation */
	CALX_ENOTNULL = -9,       /* NULL into a NOT NULL column, or a required field missing */
	CALX_ECHECK = -10,        /* check constraint violation */
	CALX_EBUSY = -11,         /* the database is locked or the resource in use */
	CALX_EIO = -12,           /* I/O error, disk full, corrupt database */
	CALX_ECONNECT = -13,      /* cannot connect / connection lost */
	CALX_ESTATE = -14,        /* call not allowed now (failed flush: roll back first) */
	CALX_EVERSION = -15,      /* descriptor or vtable version mismatch */
	CALX_ERETRY = -16,        /* serialization failure or deadlock: safe to retry */
	CALX_ETIMEOUT = -17,      /* statement timeout */
	CALX_EUNKNOWN = -18,      /* connection lost during COMMIT: outcome unknown */
	CALX_EMULTIPLE = -19      /* one row expected, several found */
} calx_status;

/* A short constant name for a status ("CALX_EUNIQUE"); never NULL. */
const char *calx_status_name(int status);

/*
 * What the database driver said about the last failure, for a program
 * that acts on it (calx_session_error_detail, calx_engine_error_detail).
 * Fields the driver did not give are "" (number 0). A failure of calx's
 * own (a value refused before it reached the database) has none.
 *   code        PostgreSQL's SQLSTATE ("23505"); the name of SQLite's
 *               extended result code ("SQLITE_CONSTRAINT_UNIQUE")
 *   number      SQLite's extended result code (2067); 0 on PostgreSQL
 *   sys_errno   the operating system's errno behind an I/O or open
 *               failure (SQLite), else 0
 *   constraint  the constraint's name (PostgreSQL; SQLite names CHECK
 *               constraints only)
 *   table, column  where the driver says them (PostgreSQL's fields;
 *               SQLite's "table.column" of UNIQUE and NOT NULL failures)
 *   statement   the SQL that failed, cut to fit
 */
typedef struct calx_driver_error {
	char code[40];
	int number;
	int sys_errno;
	char constraint[64];
	char table[64];
	char column[64];
	char statement[256];
} calx_driver_error;

#ifdef __cplusplus
}
#endif

#endif /* CALX_ERRORS_H */
