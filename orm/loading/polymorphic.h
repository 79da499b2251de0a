/*
 * Internal: polymorphic loading (polymorphic.c). A row of a hierarchy's
 * table becomes an object of the struct its discriminator names,
 * allocated at that struct's size, whichever struct of the hierarchy the
 * statement asked for. Only mappers with poly set come here.
 */
#ifndef CALX_ORM_POLYMORPHIC_H
#define CALX_ORM_POLYMORPHIC_H

#include <stdbool.h>
#include "session/session.h"
#include "sql/ast.h"

/*
 * A row of m's statement whose columns start at `first`: m's fields
 * (wide false), or every column of m's table in table order (wide true,
 * a select's own statement, see calx__poly_where). A struct with columns
 * the statement did not read is read whole by its key (one get).
 */
int calx__poly_load_row(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first, bool wide,
                        calx__obj **out);

/*
 * A select of subclass m reads only its rows: *where ANDed with
 * "discriminator IN (m's identity and its subclasses')". Nothing for a
 * root. Out of memory sets a->oom.
 */
void calx__poly_where(const calx__mapper *m, calx__ast *a, calx__node *t, calx__node **where);

/* The struct of m's hierarchy whose identity the row's discriminator holds (*x), or CALX_ETYPE. */
int calx__poly_struct_of(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const calx__mapper **x);

/*
 * polymorphic_selectin.c: select-in polymorphic loading of a joined-table
 * hierarchy (polymorphic_load("selectin") on its root, or
 * calx_select_polymorphic). _wanted: does select q load so (it then reads
 * every row first, as a select-in relationship load does)? _row: a row of
 * q's statement (its struct's fields); a row of a subclass with tables of
 * its own, not in the identity map, waits (*out NULL) for _finish, which
 * reads those by one statement per subclass, by key, and puts each in
 * q->items where its row was. _free: what waits.
 */
struct calx_select;
bool calx__poly_selectin_wanted(const struct calx_select *q);
int calx__poly_select_row(struct calx_select *q, calx__obj **out);
int calx__poly_selectin_finish(struct calx_select *q);
void calx__poly_selectin_free(struct calx_select *q);

/*
 * polymorphic_joined.c: a select q of a struct of a joined-table
 * hierarchy, its FROM *from over table node t: the hierarchy's other
 * tables joined, their columns appended at *cols_tail (q->wide); nothing
 * for other hierarchies. Sets q's error.
 */
int calx__poly_joined_from(struct calx_select *q, calx__ast *a, calx__node *t, calx__node **from,
                           calx__node ***cols_tail);

/*
 * A relationship's select-in load of a hierarchy's root (selectin_keys.c):
 * is m a joined-table hierarchy's root? Then sel (from t, the root's
 * columns selected) gets the subclasses' tables joined and their columns,
 * and its rows load as a select's do (calx__poly_load_row, wide).
 */
bool calx__poly_wide_target(const calx__mapper *m);
int calx__poly_join_subclasses(calx__ast *a, const calx__mapper *root, calx__node *t, calx__node *sel);

/*
 * polymorphic_concrete.c: the wide row of a concrete-table hierarchy's
 * union (first its first column) as an object of x, the struct its
 * discriminator named; CALX_ESTATE when the session has the key as
 * another struct's (a key in two tables).
 */
int calx__poly_concrete_row(calx_session *s, const calx__mapper *x, calx__stmt *st, unsigned first, calx__obj **out);

/* A get of m found an object of another struct of the hierarchy: CALX_ENOTFOUND, as SQLAlchemy's get gives None. */
int calx__poly_not_a(calx_session *s, const calx__obj *h, const calx__mapper *m);

/*
 * load.c: the row as mapper m's object, whatever its discriminator: field f
 * from column first + cols[f], or first + f when cols is NULL.
 */
int calx__load_row_exact(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const unsigned *cols, calx__obj **out);

#endif
