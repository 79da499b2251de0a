/*
 * calx/bulk.h - UPDATE and DELETE by criteria (SQLAlchemy's
 * update(User).where(...).values(...) and delete(User).where(...)).
 *
 *   calx_update *u = calx_update_new(s, &user_mapper);
 *   calx_update_where(u, calx_lt(USER_AGE, 18));
 *   calx_update_set(u, USER_NOTE, calx_lit("minor"));
 *   calx_update_set(u, USER_SCORE, calx_add(calx_col(USER_SCORE), calx_lit(1.0)));
 *   uint64_t rows;
 *   rc = calx_update_run(u, CALX_SYNC_EVALUATE, &rows);
 *   calx_update_free(u);
 *
 *   calx_delete *d = calx_delete_new(s, &user_mapper);
 *   calx_delete_where(d, calx_eq(USER_NAME, "bob"));
 *   rc = calx_delete_run(d, CALX_SYNC_FETCH, &rows);
 *   calx_delete_free(d);
 *
 * One statement changes every matching row; the unit of work is bypassed
 * (no listeners, no cascades, no version check: the database's ON DELETE
 * rules apply). Conditions and values are the select's expressions
 * (calx/select.h): columns of the struct's table, bound values, subqueries.
 * No where: every row. The session's pending changes are flushed first
 * when it autoflushes, and the statement runs in the session's
 * transaction (calx_session_commit makes it last).
 *
 * How the session's objects in memory follow (synchronize_session):
 * - CALX_SYNC_EVALUATE: the where clause is evaluated in C on every
 *   persistent object of the struct in the session, before the statement
 *   is sent; matching ones get the new values (an update) or leave the
 *   identity map (a delete). A where that cannot be evaluated in C -- LIKE,
 *   arithmetic, functions, subqueries, an order comparison of text or
 *   bytes (the database's collation decides it), a decimal -- is
 *   CALX_EINVAL before anything is sent: use CALX_SYNC_FETCH. Expired
 *   objects are not evaluated: they reload as they are next handed out.
 * - CALX_SYNC_FETCH: the statement returns the matching rows' keys
 *   (RETURNING, both dialects), and the objects of those keys get the new
 *   values or leave the identity map.
 * - CALX_SYNC_NONE: the session is left alone; objects keep what they
 *   had until they are expired (calx_session_commit expires them).
 * An update's value that is an expression of columns (score + 1) is not
 * computed in C: the matching objects are expired instead, and reload as
 * they are next handed out. Deleted objects in a savepoint are expired
 * instead of leaving the map (rolling back to the savepoint brings their
 * rows back); a rollback of the transaction gives every synchronised
 * object the state it had. A struct of an inheritance hierarchy takes
 * CALX_SYNC_FETCH or CALX_SYNC_NONE.
 *
 * Builders keep their first error (a column of another table, a NULL
 * expression from a failed allocation) and report it from the run. A
 * statement runs once; run again is CALX_ESTATE.
 */
#ifndef CALX_BULK_H
#define CALX_BULK_H

#include <stdint.h>
#include "calx/select.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_bulk calx_update;
typedef struct calx_bulk calx_delete;

typedef enum calx_sync { CALX_SYNC_NONE = 0, CALX_SYNC_EVALUATE = 1, CALX_SYNC_FETCH = 2 } calx_sync;

/* NULL if memory ran out or m is not registered (the error is on the session). */
calx_update *calx_update_new(calx_session *s, const calx_mapper_desc *m);
/* ANDed with any earlier one; takes ownership of cond. */
void calx_update_where(calx_update *u, calx_expr *cond);
/* SET col = value: calx_lit(x), calx_lit(calx_value_null()), or an expression of the table's columns; takes value. */
void calx_update_set(calx_update *u, const calx_field_desc *col, calx_expr *value);
/* *rows (may be NULL): the rows changed. */
int calx_update_run(calx_update *u, calx_sync sync, uint64_t *rows);
void calx_update_free(calx_update *u);

calx_delete *calx_delete_new(calx_session *s, const calx_mapper_desc *m);
void calx_delete_where(calx_delete *d, calx_expr *cond);
int calx_delete_run(calx_delete *d, calx_sync sync, uint64_t *rows);
void calx_delete_free(calx_delete *d);

/* calx_update_set takes a typed column handle too (calx/column.h). */
#define calx_update_set(u, col, ...) (calx_update_set)((u), calx_field(col), __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* CALX_BULK_H */
