/*
 * Internal: the statements the rest of the runtime sends, by shape.
 *
 * The unit of work, the loader and the session never write SQL text: they
 * ask for a prepared statement of a given shape (a mapper and a set of
 * columns) and bind its parameters in the order documented here. What the
 * text looks like, and how it is cached, is orm/sql/'s business: each of
 * these shapes has a compact key that stands for its syntax tree, so a
 * statement the connection has prepared before is found without building
 * anything; the tree is built and compiled only the first time.
 *
 * Column sets are bitsets over the mapper's field indices, one uint64_t per
 * 64 fields (calx__mapper.field_words words), so tables of any width work.
 */
#ifndef CALX_ORM_SQL_STATEMENTS_H
#define CALX_ORM_SQL_STATEMENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "calx/sys/dialect.h"
#include "engine/engine.h"
#include "mapping/registry.h"
#include "sql/ast.h"

static inline bool calx__bit(const uint64_t *bits, unsigned i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static inline void calx__bit_set(uint64_t *bits, unsigned i, bool on)
{
	if (on)
		bits[i / 64] |= (uint64_t)1 << (i % 64);
	else
		bits[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/*
 * INSERT INTO table (sent columns, field order) VALUES (...)
 * [RETURNING returned columns, field order]. Parameters: the sent columns'
 * values in field order. returning may be NULL (nothing returned).
 */
int calx__prepare_insert(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                         calx__stmt **out, calx_error *err);

/*
 * The same with `rows` rows of values: parameters row after row. For
 * mappers of up to CALX__ROWS_MAX_WORDS field words (512 fields); wider
 * ones insert row by row.
 */
#define CALX__ROWS_MAX_WORDS 8
int calx__prepare_insert_rows(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                              size_t rows, calx__stmt **out, calx_error *err);

/*
 * PostgreSQL: INSERT INTO table (sent columns) SELECT * FROM unnest(one
 * array a sent column, of the table column's own type) [RETURNING
 * returned columns] (sql/insert_arrays.c). Parameters: the sent columns'
 * arrays in field order, each an array literal (sql/array_text.h) of the
 * statement's rows, never NULL, all of one length.
 */
int calx__prepare_insert_arrays(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                                calx__stmt **out, calx_error *err);

/*
 * Reserve n values of m's autoincrement column from its sequence, before
 * the rows are sent (dialects with identity_setval: PostgreSQL), calling
 * each(payload, i, key) for i in [0, n). CALX_ENOTFOUND when the column
 * has no sequence (a key default of some other kind): the caller leaves
 * the key to the database instead.
 */
int calx__reserve_keys(calx__conn *c, const calx__mapper *m, size_t n,
                       int (*each)(void *payload, size_t i, const calx_value *key), void *payload, calx_error *err);

/*
 * The largest value of m's autoincrement key in its table (0 when it is
 * empty), and whether the database has any trigger (dialects with
 * rowid_keys: SQLite; sql/rowid_keys.c).
 */
int calx__rowid_max(calx__conn *c, const calx__mapper *m, int64_t *max, bool *triggers, calx_error *err);

/*
 * UPDATE table SET set columns WHERE primary key [AND version].
 * Parameters: the set columns' values in field order, then the primary key
 * columns in m->pk order, then the version field when m->version >= 0.
 */
int calx__prepare_update(calx__conn *c, const calx__mapper *m, const uint64_t *set, calx__stmt **out,
                         calx_error *err);

/* DELETE FROM table WHERE primary key [AND version]; parameters as for update's key. */
int calx__prepare_delete(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err);

/*
 * Set statements (sql/set_rows.c): many rows' updates or deletes in one
 * statement, the rows in one parameter, a JSON array of objects named by
 * column (sql/json_rows.h) that PostgreSQL's json_populate_recordset turns
 * into rows of the table's own row type, so every value is read by the
 * column's own type as a row-at-a-time parameter is:
 *
 *   UPDATE t SET c = r.c, ..., version = r.version + $1
 *     FROM json_populate_recordset(CAST(NULL AS t), $2) AS r
 *     WHERE t.key = r.key [AND t.version = r.version]
 *   DELETE FROM t USING json_populate_recordset(CAST(NULL AS t), $1) AS r
 *     WHERE t.key = r.key [AND t.version = r.version]
 *
 * The rows carry the set columns' new values and the key and version as
 * the snapshot has them. Parameters: for an update of a versioned mapper,
 * the version's step (1) first; then the rows' JSON text. Only where
 * calx__set_rows_supported says so (PostgreSQL).
 */
static inline bool calx__set_rows_supported(const calx_dialect *d)
{
	/* the dialect whose JSON functions the compiler writes (json_array_elements_text): PostgreSQL's */
	return d->version >= 2 && d->json_in == CALX_JSON_IN_ELEMENTS;
}
int calx__prepare_update_set(calx__conn *c, const calx__mapper *m, const uint64_t *set, calx__stmt **out,
                             calx_error *err);
/*
 * SQLite's set statement for updates: the rows as binds of a VALUES list
 * (SQLite 3.33 and later; calx needs 3.35, for RETURNING), rows of them:
 *
 *   UPDATE t SET c = r.columnK, ..., version = r.columnV + ?
 *     FROM (VALUES (?, ...), ...) AS r
 *     WHERE t.key = r.column1 [AND ...] [AND t.version = r.columnV]
 *
 * A row is the key columns in m->pk order and the version as the snapshot
 * has them, then the set columns' new values in field order (the
 * version's excepted): calx__update_values_width binds. Parameters: for a
 * versioned mapper whose set has the version, the version's step (1)
 * first; then the rows' values, row after row. Only where
 * calx__set_values_supported says so.
 */
static inline bool calx__set_values_supported(const calx_dialect *d)
{
	/* the dialect that reads UPDATE ... FROM (VALUES ...) and sends a statement a row otherwise (no execute_batch) */
	return d->version >= 2 && d->name && !strcmp(d->name, "sqlite") && !d->execute_batch;
}
int calx__prepare_update_values(calx__conn *c, const calx__mapper *m, const uint64_t *set, size_t rows,
                                calx__stmt **out, calx_error *err);
unsigned calx__update_values_width(const calx__mapper *m, const uint64_t *set);
int calx__prepare_delete_set(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err);
/*
 * The set delete of a mapper with a one-column key and no version:
 *
 *   DELETE FROM t WHERE t.key = ANY($1)
 *
 * $1 an array literal of the keys (sql/array_text.h), its type left to the
 * server: an array of the key column's own type, each element read by that
 * type's input function. Half the server's time of the JSON form, measured
 * on PostgreSQL 15, 100,000 rows 1,000 a statement: 84 ms against 142.
 */
int calx__prepare_delete_any(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err);
/* The name the rows' columns are qualified by in those statements: "calx_rows", unless that is t's name. */
const char *calx__set_rows_alias(const calx_mapper_desc *m);

/*
 * SELECT every field (field order) FROM table WHERE primary key.
 * Parameters: the key columns in m->pk order.
 */
int calx__prepare_get(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err);

/*
 * After inserts with explicit values in m's autoincrement column: move the
 * column's generator above them, on dialects whose generators do not move
 * by themselves (identity_setval); nothing elsewhere.
 */
int calx__sync_autoincrement(calx__conn *c, const calx__mapper *m, calx_error *err);

/*
 * Transaction control. BEGIN prepares COMMIT and ROLLBACK too, so a
 * connection lost before COMMIT is noticed there: a COMMIT that fails on
 * a connection that is then found lost is CALX_EUNKNOWN (it may have
 * happened).
 */
typedef enum calx__txn_op { CALX__TXN_BEGIN, CALX__TXN_COMMIT, CALX__TXN_ROLLBACK } calx__txn_op;
int calx__txn(calx__conn *c, calx__txn_op op, calx_error *err);

/* The pool's pre-ping: one cheap round trip (SELECT 1); fails on a dead connection. */
int calx__ping(calx__conn *c, calx_error *err);
/* SAVEPOINT name, RELEASE SAVEPOINT name, ROLLBACK TO SAVEPOINT name. */
typedef enum calx__savepoint_op { CALX__SAVEPOINT, CALX__RELEASE, CALX__ROLLBACK_TO } calx__savepoint_op;
int calx__savepoint(calx__conn *c, calx__savepoint_op op, const char *name, calx_error *err);
/*
 * The same for a SAVEPOINT or RELEASE the dialect may send with the next
 * statement (calx_dialect.may_defer): the flush's own around a set
 * statement, whose failure, in a transaction that has not failed, cannot
 * happen.
 */
int calx__savepoint_deferred(calx__conn *c, calx__savepoint_op op, const char *name, calx_error *err);
/* Server-side cursor slot k (orm/loading/select_stream.c) is named calx_c<k>: into buf. */
void calx__cursor_name(int slot, char *buf, size_t cap);
/* CLOSE the cursor of that slot. */
int calx__cursor_close(calx__conn *c, int slot, calx_error *err);

/*
 * Any statement as a tree (in a's arena): prepared through the caches by
 * its shape, with every bind's value bound. The values' text must stay
 * valid until the statement is released.
 */
int calx__sql_prepare(calx__conn *c, calx__ast *a, calx__node *stmt, calx__stmt **out, calx_error *err);
/* A statement without parameters or rows (DDL), compiled and run through the dialect's exec. */
int calx__sql_exec(calx__conn *c, calx__node *stmt, calx_error *err);
/*
 * Is there a row of fk's parent table whose referenced columns equal vals
 * (fk->n_columns values)? *found says (sql/fk_probe.c).
 */
int calx__fk_probe(calx__conn *c, const calx_fk_desc *fk, const calx_value *vals, bool *found, calx_error *err);

#endif
