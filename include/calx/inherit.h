/*
 * calx/inherit.h - choices of a class hierarchy's loading (README,
 * "Inheritance").
 *
 * A select of a struct of a joined-table hierarchy reads its subclasses'
 * columns either in the same statement, every table of the hierarchy
 * joined (CALX_LOAD_JOINED: SQLAlchemy's with_polymorphic="*"), or after
 * it, one statement per subclass for the rows of that subclass, by key
 * (CALX_LOAD_SELECTIN: SQLAlchemy's polymorphic_load="selectin"). The
 * root's polymorphic_load("...") sets the mapping's default (joined when
 * it has none); calx_select_polymorphic sets one select's.
 */
#ifndef CALX_INHERIT_H
#define CALX_INHERIT_H

#include "calx/select.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * How select q reads the columns of its struct's joined-table subclasses:
 * CALX_LOAD_JOINED or CALX_LOAD_SELECTIN. Before the select runs;
 * CALX_EINVAL for another strategy, CALX_ESTATE once it ran. A struct
 * outside such a hierarchy loads as before whatever is chosen.
 */
int calx_select_polymorphic(calx_select *q, calx_loading how);

#ifdef __cplusplus
}
#endif

#endif
