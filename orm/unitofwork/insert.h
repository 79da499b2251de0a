/*
 * Internal to orm/unitofwork/: what the insert paths share. insert.c sends
 * rows one statement each (row by row, or pipelined); insert_multi.c sends
 * many rows a statement, with the keys reserved ahead (PostgreSQL), and
 * insert_values_rows.c rows whose keys are given (SQLite).
 */
#ifndef CALX_ORM_UOW_INSERT_H
#define CALX_ORM_UOW_INSERT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "session/session.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"

/* What the rows of one statement shape (a table and its omitted columns) share, found once per run. */
typedef struct calx__ins_shape {
	const calx__mapper *m;
	unsigned sent;          /* parameters per row */
	bool omits;             /* something is left to the database */
	bool by_last_id;        /* ... and it is the integer key, read by last_insert_id */
} calx__ins_shape;

/* Per row, on tables of up to 64 fields: one word, no loop. */
static inline bool calx__ins_same_bits(const uint64_t *a, const uint64_t *b, unsigned words)
{
	if (words == 1)
		return a[0] == b[0];
	return memcmp(a, b, words * sizeof *a) == 0;
}

static inline void calx__ins_copy_bits(uint64_t *to, const uint64_t *from, unsigned words)
{
	if (words == 1)
		to[0] = from[0];
	else
		memcpy(to, from, words * sizeof *to);
}

/*
 * The values of the columns an insert sends, in field order: every field
 * but those in unsent (before_insert normalized the null bits).
 */
int calx__ins_values(calx_session *s, calx__obj *h, const uint64_t *unsent, calx_value *out);

/*
 * The listeners' run of inserts from p->inserts.v[i] (consecutive rows of
 * one mapper, cut before a row whose parent in the run has no key yet):
 * parent keys copied and before_insert listeners run, in order, up to
 * *end. after_run fires the run's after_insert listeners once every row
 * of it is written. The order is the same on every path and dialect.
 */
int calx__ins_before_run(calx_session *s, calx__plan *p, size_t i, size_t *end);
int calx__ins_after_run(calx_session *s, calx__plan *p, size_t i, size_t end);

/* The columns ret (field order) of the row raw is on, into h, but for field skip (-1: none). */
int calx__ins_store_columns(calx_session *s, calx__obj *h, const uint64_t *ret, int skip, calx_stmt *raw);
/* The same into a struct at base that is no object of the session (calx_insert_many's rows): no NULL marks. */
int calx__store_returned(calx_session *s, const calx_mapper_desc *d, void *base, const uint64_t *ret, int skip,
                         calx_stmt *raw);

/* The key the database generated, or reserved, stored in h's autoincrement field. */
int calx__ins_store_key(calx_session *s, calx__obj *h, const calx_value *v);

/*
 * insert_multi.c: rows [i, end) of one run, many rows a statement. Returns
 * CALX_OK with *taken false, having done nothing, when the run does not
 * qualify (SQLite; a short run; a shape it does not cover).
 */
int calx__ins_multi(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, bool *taken);

/*
 * insert_values_rows.c: rows [i, end) of one run, of one mapper and with
 * every column given, many rows a statement on a dialect without
 * execute_batch (SQLite). Rows [i, *done) are inserted and snapshotted
 * when it returns CALX_OK; the caller sends the rest a statement a row
 * (a short rest, or a statement a constraint refused: the row path names
 * the row).
 */
int calx__ins_values_rows(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, size_t *done);

/* Would calx__ins_values_rows take n rows of m (SQLite, a table it covers, enough rows)? */
bool calx__ins_values_rows_fit(const calx_session *s, const calx__mapper *m, size_t n);

/*
 * insert_rowid.c: rows [i, end) of one run, whose one column left to the
 * database (omitted) is the integer key, right after the run's row that
 * the database gave first_key, on a dialect with rowid_keys (SQLite):
 * keys first_key + 1, ... chosen here and the rows sent as given ones
 * (calx__ins_values_rows), when the table's largest key is first_key and
 * the database has no trigger. As calx__ins_values_rows, rows [i, *done)
 * are in; the caller sends the rest a statement a row, with the keys
 * chosen for them.
 */
int calx__ins_rowid_rows(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, int64_t first_key,
                         const uint64_t *omitted, size_t *done);

#endif
