/*
 * Internal: how the session's objects follow an UPDATE or DELETE by
 * criteria (calx/bulk.h): the where clause evaluated in C on objects in
 * memory (CALX_SYNC_EVALUATE), and the change applied to the objects it
 * matched or whose keys the statement returned (CALX_SYNC_FETCH).
 */
#ifndef CALX_ORM_SESSION_BULK_SYNC_H
#define CALX_ORM_SESSION_BULK_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/calx.h"
#include "session/session.h"
#include "sql/expr.h"

/* One SET of an update: a bound value (checked against the column), or an expression computed by the database. */
typedef struct calx__bulk_set {
	const calx_field_desc *col;
	calx_expr *value;               /* owned */
	bool literal;                   /* value is a calx_lit: bind is what the column gets */
	calx_value bind;
} calx__bulk_set;

/*
 * Can where be evaluated in C on m's objects, as the database would? CALX_OK,
 * or CALX_EINVAL naming what cannot (in s->err), before anything is sent.
 * what: "update users" / "delete users", for the message.
 */
int calx__bulk_check_evaluable(calx_session *s, const calx__mapper *m, const calx_expr *where, const char *what);

/* The persistent objects of m, not expired, for which where (NULL: every one) is true, appended to *out. */
int calx__bulk_evaluate(calx_session *s, const calx__mapper *m, const calx_expr *where, calx__objvec *out);

/*
 * After the statement ran: h takes the update's values (field and snapshot:
 * the row has them), or is expired when one is an expression or the values
 * cannot be stored in memory. Rollback gives it back its state.
 */
int calx__bulk_sync_update(calx_session *s, calx__obj *h, const calx__bulk_set *sets, size_t n);
/* h's row is gone: h leaves the identity map as a flushed delete's object would (expired inside a savepoint). */
int calx__bulk_sync_delete(calx_session *s, calx__obj *h);

#endif
