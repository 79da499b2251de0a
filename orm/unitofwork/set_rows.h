/*
 * Internal to orm/unitofwork/: what the set statements of updates
 * (update_set.c) and deletes (delete_set.c) share (set_send.c).
 */
#ifndef CALX_ORM_UOW_SET_ROWS_H
#define CALX_ORM_UOW_SET_ROWS_H

#include "base/buf.h"
#include "session/session.h"
#include "sql/statements.h"

/*
 * A run shorter than this keeps a statement a row: a set statement costs
 * three round trips (SAVEPOINT, the statement, RELEASE), so it pays from a
 * few rows on, and a session that writes a handful of objects sends what it
 * always did. (On SQLite, where the savepoint costs no round trip, 16 rows
 * a statement were where it began to pay: update_set.c.)
 */
#define CALX__SET_MIN 16
/* Rows a set statement holds at most (its one parameter is their JSON text). */
#define CALX__SET_ROWS 1000

/* May m's rows go by set statements of JSON rows on this session's dialect (not a joined-table subclass)? */
bool calx__set_mapper_ok(const calx_session *s, const calx__mapper *m);
/* The mapper's part of that, whatever the dialect: not a joined-table subclass, a key, a narrow enough table. */
bool calx__set_mapper_fits(const calx_session *s, const calx__mapper *m);

/*
 * Member `"column":value` of field f's value v to b (sql/json_rows.h), with
 * a calx_uuid's 16 bytes as the UUID's text, which is what PostgreSQL's
 * uuid reads from them. CALX_ETYPE: no exact form (text with a NUL byte, a
 * user type's other bytes, whose meaning only the column's binary format
 * knows): the row goes a statement a row.
 */
int calx__set_member(calx__buf *b, bool first, const calx_field_desc *f, const calx_value *v);
/* The key and version members of h's row, as its snapshot has them (what the row statement matches on). */
int calx__set_key_members(calx_session *s, calx__buf *b, const calx__obj *h);

/*
 * Run st, whose parameters are params[0..n_params) and then, with b, the
 * rows' JSON (b's text), inside a savepoint, expecting it to change `rows`
 * rows. *all true: it did, the savepoint is released. *all
 * false: it failed or changed fewer, and everything it did is rolled back
 * (the caller writes the rows one at a time, which reports the row at
 * fault). An error return: the savepoint could not be rolled back either
 * (the connection is gone); s->err says why the statement failed.
 */
int calx__set_send(calx_session *s, calx__stmt *st, const calx_value *params, size_t n_params, calx__buf *b,
                   size_t rows, bool *all);

#endif
