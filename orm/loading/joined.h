/*
 * Internal: joined eager loading (orm/loading/joined.c). A select whose
 * relationships load joined (by its options or their declared
 * lazy("joined")) is one statement: the parent's columns, then each joined
 * target's, by LEFT OUTER JOIN (sql/joined_select.h). Each row gives the
 * parent (once: rows are de-duplicated by identity, in the order first
 * seen, by the runs of rows the statement's order makes where it makes
 * them) and the related objects that are there; after the last row every
 * joined relationship of every parent is set and marked loaded, all at
 * once, so a failure leaves them as they were.
 */
#ifndef CALX_ORM_LOADING_JOINED_H
#define CALX_ORM_LOADING_JOINED_H

#include <stdbool.h>
#include "session/session.h"
#include "sql/ast.h"
#include "loading/selectin.h"

typedef struct calx__joined calx__joined;

/* Does a select of m with these options join anything? */
bool calx__joined_wanted(const calx__mapper *m, const calx__load_opt *opts, size_t n_opts);

/*
 * The joins of a select of m: every relationship that loads joined and
 * whose parents' relationships, up to the select's struct, load joined
 * too (a joined one below a select-in one loads select-in instead). A
 * declared lazy("joined") is not followed into a relationship already on
 * its path (a self-referential tree would join itself 8 times); options
 * go as deep as they say. *out is NULL when nothing joins. A many-to-many
 * relationship joins two tables (its association table, then its target).
 * CALX_EINVAL when the joins would add more than CALX__JOINS_MAX tables.
 */
int calx__joined_plan(calx_session *s, const calx__mapper *m, const calx__load_opt *opts, size_t n_opts,
                      calx__joined **out);
void calx__joined_free(calx__joined *j);

/*
 * The joined select from sel (SELECT m's columns FROM t [WHERE] [ORDER]
 * [LIMIT/OFFSET], as select.c builds it): NULL when memory ran out (a->oom).
 * A limit or offset with a joined list counts parents: sel goes into a
 * subquery.
 */
calx__node *calx__joined_select(calx__ast *a, calx__joined *j, calx__node *sel, calx__node *t);

/* One row: *out the select's object, *first whether this row is the first to name it. */
int calx__joined_row(calx_session *s, calx__joined *j, calx__stmt *st, calx__obj **out, bool *first);

/* After the last row: every joined relationship set and marked loaded, or (on failure) none. */
int calx__joined_finish(calx_session *s, calx__joined *j);

/* load.c: a row whose m columns start at column first (the select's own object: 0). */
int calx__load_row_at(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first, calx__obj **out);
/* The same, its key columns read already into key[0..n_pk) (as the dialect's column gave them, this row). */
int calx__load_row_keyed(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const calx_value *key, calx__obj **out);

#endif
