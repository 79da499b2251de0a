/*
 * Internal: the FROM of a concrete-table hierarchy's statements
 * (concrete_union.c, SQLAlchemy's polymorphic_union): a UNION ALL of the
 * tables of a struct and its subclasses, each branch reading the
 * hierarchy's wide row (the root's columns, then each subclass's own,
 * NULL where its table has none) with its struct's identity as a literal
 * in the discriminator's place, under the struct's table name, so that a
 * column of any struct of the hierarchy names the union's.
 */
#ifndef CALX_ORM_SQL_CONCRETE_UNION_H
#define CALX_ORM_SQL_CONCRETE_UNION_H

#include "mapping/registry.h"
#include "sql/ast.h"

/* (SELECT ... FROM t1 UNION ALL SELECT ... FROM t2 ...) AS alias (m's table when NULL); NULL with a->oom. */
calx__node *calx__concrete_from(calx__ast *a, const calx__mapper *m, const char *alias);
/* The hierarchy's wide row read from u (calx__concrete_from), appended at *tail; false with a->oom. */
bool calx__concrete_cols(calx__ast *a, const calx__mapper *m, const calx__node *u, calx__node ***tail);
/* SELECT the wide row FROM the union of m WHERE the root's key = ? (a get of m, concrete); NULL with a->oom. */
calx__node *calx__concrete_get(calx__ast *a, const calx__mapper *m);

#endif
