/*
 * calx/sys/dialect.h - the vtable a database dialect implements.
 *
 * The ORM reaches a database only through this table. A dialect translates
 * driver errors into calx statuses and keeps the driver's detail (sqlite
 * result code, SQLSTATE) in the message. The struct only grows at the end;
 * `version` says how much of it a dialect fills.
 *
 * A dialect never writes the runtime's SQL: the runtime compiles every
 * statement itself (orm/sql/) from the members below -- placeholders,
 * identifier quotes, RETURNING, LIMIT/OFFSET syntax, type names, the
 * parameter limit -- and hands the text to prepare() or exec().
 */
#ifndef CALX_SYS_DIALECT_H
#define CALX_SYS_DIALECT_H

#include <stddef.h>
#include <stdint.h>
#include "calx/errors.h"
#include "calx/types.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CALX_DIALECT_VERSION 2

/* calx_dialect.ddl_flags */
#define CALX_DDL_FORWARD_FK 1u

/* What the broken hook returns besides 0 (usable). */
#define CALX_DIALECT_LOST 1
#define CALX_DIALECT_GONE 2
#define CALX_ERRMSG_MAX 512

/* calx_dialect.limit_style: how a select is paged. */
#define CALX_LIMIT_OFFSET 0     /* LIMIT n OFFSET m; an offset alone needs LIMIT -1 (SQLite) */
#define CALX_LIMIT_SEPARATE 1   /* LIMIT n and OFFSET m, each on its own (PostgreSQL) */
#define CALX_LIMIT_FETCH 2      /* OFFSET m ROWS FETCH FIRST n ROWS ONLY (SQL:2008) */

/* A status with its message; filled by whoever fails. */
typedef struct calx_error {
	int code;
	char msg[CALX_ERRMSG_MAX];
	/*
	 * What the driver said (calx/errors.h). calx_error_set clears it; a
	 * dialect fills it after, where a statement failed.
	 */
	calx_driver_error driver;
} calx_error;

/* printf into err->msg and set err->code; returns code. */
int calx_error_set(calx_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/*
 * The library's allocator (calx_set_allocator), for dialects: their own
 * structs go through the same hook as everything else, so a test that
 * fails the Nth allocation reaches them too. Free with calx_sys_free.
 */
void *calx_sys_calloc(size_t n, size_t size);
char *calx_sys_strdup(const char *s);
void calx_sys_free(void *ptr);

typedef struct calx_conn calx_conn;   /* defined by each dialect */
typedef struct calx_stmt calx_stmt;   /* defined by each dialect */
struct calx_inspection;               /* calx/inspect.h: filled through calx/sys/catalog.h */

enum { CALX_JSON_IN_NONE = 0, CALX_JSON_IN_EACH = 1, CALX_JSON_IN_ELEMENTS = 2 };

typedef struct calx_dialect {
	unsigned version;                 /* CALX_DIALECT_VERSION */
	const char *name;                 /* "sqlite": also the URL scheme */
	unsigned numbered_params;         /* 1: $1, $2 ...; 0: ? */
	unsigned max_params;              /* bound parameters per statement */

	/* url is the whole URL, scheme included. */
	int (*connect)(calx_conn **out, const char *url, calx_error *err);
	void (*disconnect)(calx_conn *c);
	/* One or more statements without parameters or rows (DDL, BEGIN, ...). */
	int (*exec)(calx_conn *c, const char *sql, calx_error *err);

	int (*prepare)(calx_conn *c, const char *sql, calx_stmt **out, calx_error *err);
	/*
	 * idx counts from 0. Text and blob bytes are borrowed: the caller keeps
	 * them valid until the statement is reset or finalized. Text is
	 * NUL-terminated at u.s.n (and may hold no other NUL).
	 */
	int (*bind)(calx_stmt *st, unsigned idx, const calx_value *v, calx_error *err);
	/* CALX_ROW, CALX_DONE, or an error status with err filled. */
	int (*step)(calx_stmt *st, calx_error *err);
	unsigned (*column_count)(calx_stmt *st);
	/* Text and blob bytes stay valid until the next step, reset or finalize. */
	void (*column)(calx_stmt *st, unsigned idx, calx_value *out);
	/* Ready to step again: the caller binds every parameter again first. */
	void (*reset)(calx_stmt *st);
	void (*finalize)(calx_stmt *st);

	/*
	 * The SQL type of a column in DDL ("INTEGER", "VARCHAR(64)"), written
	 * into buf. The field's explicit sql_type and variants are resolved by
	 * the caller; this picks the type for the C type alone.
	 */
	void (*type_name)(const calx_field_desc *f, char *buf, size_t cap);

	/* Rows changed by the statement's last completed INSERT/UPDATE/DELETE. */
	int64_t (*rows_affected)(calx_stmt *st);

	/*
	 * Is the connection unusable? 0: no. CALX_DIALECT_LOST (1): the
	 * connection is lost; the pool discards it and connects anew.
	 * CALX_DIALECT_GONE: the database itself is gone (a SQLite file
	 * deleted or replaced while open); the pool discards it and the engine
	 * refuses every later checkout with CALX_EIO: a new connection would
	 * open another database.
	 */
	int (*broken)(calx_conn *c);

	/*
	 * Optional (NULL: the caller binds and steps row by row). Run the
	 * prepared statement once per row of params -- n_rows * n_params
	 * values, row-major -- sending many rows per round trip. After each
	 * row, row_cb(payload, row, st) may read what the row returned with
	 * column(). On failure *failed_row is the row at fault, and the
	 * connection is ready for the next command (a ROLLBACK).
	 */
	int (*execute_batch)(calx_stmt *st, size_t n_rows, unsigned n_params, const calx_value *params,
	                     int (*row_cb)(void *payload, size_t row, calx_stmt *st), void *payload,
	                     size_t *failed_row, calx_error *err);

	/* Statements executed and round trips to the server, since connect. */
	void (*counters)(calx_conn *c, uint64_t *statements, uint64_t *round_trips);

	/*
	 * Unused since version 2 (leave it NULL): the runtime moves identity
	 * generators itself, with a statement it compiles (identity_setval).
	 */
	int (*sync_autoincrement)(calx_conn *c, const char *table, const char *column, calx_error *err);

	/*
	 * Optional: the integer key the statement's last INSERT generated, when
	 * that is cheaper than RETURNING (SQLite's RETURNING goes through a
	 * temporary table on every row).
	 */
	int64_t (*last_insert_id)(calx_stmt *st);

	/* --- version 2: what the SQL compiler needs ------------------------- */

	/*
	 * The opening and closing quote of identifiers ("\"\"" for
	 * standard SQL); a closing quote inside a name is written twice.
	 */
	const char *ident_quote;
	unsigned returning;               /* 1: INSERT/UPDATE/DELETE ... RETURNING */
	unsigned limit_style;             /* CALX_LIMIT_* */
	/*
	 * 1: an identity column's generator does not move past explicit keys
	 * by itself; after such inserts the runtime runs
	 * SELECT setval(pg_get_serial_sequence(table, column), max(column)).
	 */
	unsigned identity_setval;
	/*
	 * CALX_DDL_* bits (took the place of reserved_flags, which was 0).
	 * CALX_DDL_FORWARD_FK: CREATE TABLE may name a table created later in
	 * a foreign key (SQLite). Without it, a foreign key that closes a
	 * cycle of tables is added by ALTER TABLE ... ADD CONSTRAINT once
	 * every table exists, and dropped first by drop_all.
	 */
	unsigned ddl_flags;

	/*
	 * Optional (NULL: the database has no file, as PostgreSQL). An opaque
	 * identity of the database file this connection opened (SQLite:
	 * st_dev and st_ino, taken once at connect); returns 1 and fills id,
	 * or 0 when it has none (:memory:). The engine records its first
	 * connection's and refuses a later connection whose identity differs
	 * (the file was deleted or replaced while open): CALX_EIO, and the
	 * engine refuses from then on. Took the place of reserved[4].
	 */
	int (*file_identity)(calx_conn *c, uint64_t id[2]);

	/*
	 * 1: a statement's result arrives whole unless read through a
	 * server-side cursor (DECLARE ... CURSOR, FETCH FORWARD n: PostgreSQL),
	 * so the runtime streams selects that way; 0: rows are stepped one at a
	 * time anyway (SQLite). Took the place of reserved[0].
	 */
	unsigned server_cursors;
	/*
	 * How a long IN list goes as one JSON array parameter (CALX_JSON_IN_*):
	 * EACH: col IN (SELECT value FROM json_each(?)) (SQLite); ELEMENTS:
	 * col IN (SELECT CAST(value AS type) FROM
	 * json_array_elements_text(CAST($n AS json))) (PostgreSQL); NONE:
	 * lists bind each value, up to max_params. Took the place of
	 * reserved_u.
	 */
	unsigned json_in;

	/*
	 * Optional (NULL: the dialect names no columns). The name of result
	 * column idx of the statement's current row (after a step gave
	 * CALX_ROW), as the database reports it; valid until the next step,
	 * reset or finalize; NULL past the last column. calx_text's rows
	 * mapped onto structs by column name need it. Took the place of
	 * reserved[0].
	 */
	const char *(*column_name)(calx_stmt *st, unsigned idx);
	/*
	 * Optional (NULL: the dialect cannot inspect; calx_inspect says so).
	 * Live schemas (calx/inspect.h): add the tables of schema (NULL: the
	 * connection's default schema) to `into` through calx/sys/catalog.h,
	 * each with its columns, primary key, foreign keys, unique
	 * constraints, indexes and checks, as the database's catalog reports
	 * them. A schema that does not exist is CALX_ENOTFOUND. Took the place
	 * of reserved[0].
	 */
	int (*inspect)(calx_conn *c, const char *schema, struct calx_inspection *into, calx_error *err);
	/*
	 * Optional (NULL: each statement is its own round trip). Run the
	 * n_before statements of before, which return no rows, then st, all
	 * prepared on one connection and bound, in one round trip; st's
	 * result is then its own, as if its first step had run it (the next
	 * step gives its first row). Stops at the first failure, which it
	 * returns; nothing after it runs. The runtime sends a server-side
	 * cursor's CLOSE and DECLARE with its first FETCH this way. Took the
	 * place of reserved[0].
	 */
	int (*step_after)(calx_stmt *const *before, unsigned n_before, calx_stmt *st, calx_error *err);
	/*
	 * Optional (NULL: they run as any statement). The runtime's own BEGIN,
	 * COMMIT and ROLLBACK on c, prepared once per connection, named to
	 * the dialect before each BEGIN runs. A dialect that can send a
	 * statement with the next one may hold BEGIN back until the
	 * transaction's first statement, and let the COMMIT or ROLLBACK of a
	 * transaction that ran none send nothing; PostgreSQL takes a
	 * transaction's snapshot at its first statement, so nothing a program
	 * sees changes.
	 */
	void (*txn_statements)(calx_conn *c, calx_stmt *begin, calx_stmt *commit, calx_stmt *rollback);
	/*
	 * Optional (NULL: it runs when stepped). st, about to be stepped,
	 * returns no rows and cannot fail in a transaction that has not
	 * failed: the flush's SAVEPOINT around a set statement and its
	 * RELEASE. A dialect that can send a statement with the next one may
	 * hold st back until then (its step answers CALX_DONE), and drop it
	 * if the transaction's COMMIT or ROLLBACK comes first, which ends its
	 * savepoint anyway. A failure of st is then the next statement's
	 * step's, with st's text.
	 */
	void (*may_defer)(calx_conn *c, calx_stmt *st);
	/*
	 * 1: an integer primary key is the table's rowid, which an INSERT that
	 * leaves it out sets to one above the largest key in the table, and a
	 * transaction that has inserted a row holds the database's only write
	 * lock until it ends (SQLite). The runtime may then choose the keys of
	 * a run of new rows itself, above the one its first row was given,
	 * and send them many rows a statement (orm/unitofwork/insert_rowid.c).
	 */
	unsigned rowid_keys;
} calx_dialect;

/* The dialects compiled into this libcalx. */
extern const calx_dialect calx_sqlite_dialect;
extern const calx_dialect calx_postgresql_dialect;

#ifdef __cplusplus
}
#endif

#endif /* CALX_SYS_DIALECT_H */
