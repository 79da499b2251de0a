/*
 * Internal: the FROM of a joined-table hierarchy's statements
 * (joined_inherit.c): a get of a joined subclass over its chain's tables,
 * and a select's wide row over every table of the hierarchy.
 */
#ifndef CALX_ORM_SQL_JOINED_INHERIT_H
#define CALX_ORM_SQL_JOINED_INHERIT_H

#include <stdbool.h>
#include "mapping/registry.h"
#include "sql/ast.h"

/* SELECT m's fields FROM its chain's tables INNER JOINed WHERE the root's key (m joined); NULL with a->oom. */
calx__node *calx__joined_get(calx__ast *a, const calx__mapper *m);
/* The same WHERE the root's (one-column) key IN (keys[0..n)), the values bound: select-in polymorphic loading. */
calx__node *calx__joined_get_in(calx__ast *a, const calx__mapper *m, const calx_value *keys, size_t n);
/* Has m's hierarchy a joined-table subclass? */
bool calx__joined_hierarchy(const calx__mapper *m);
/*
 * The select of m whose FROM is *from, rt its root table's node: every
 * joined table of the hierarchy joined to rt (m's chain INNER, the
 * others LEFT; chain_only: m's chain alone), their own columns appended
 * at *cols_tail (after the root table's). CALX_ENOMEM, or CALX_EINVAL
 * when rt is not in *from.
 */
int calx__joined_wide(calx__ast *a, const calx__mapper *m, calx__node *rt, bool chain_only, calx__node **from,
                      calx__node ***cols_tail);

#endif
