/*
 * deferred.c - CALX_TABLE("t", deferred): a struct that maps part of a
 * table the database already has. The runtime (calx_prepare, calx/prepare.h)
 * checks its fields against the live table; here only what the struct may
 * be: a plain table's struct with a mapper, outside any class hierarchy
 * (whose tables calx creates and owns), and the target of no table_only.
 */
#include "internal.h"

void calxr__deferred_check(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *t = &cx->tables[i];
		if (!t->deferred)
			continue;
		if (t->table_only)
			calxr__error(cx, &t->loc, "deferred on struct '%s': a table_only struct has no mapper to prepare; "
			             "map the association table's columns in a struct of their own",
			             t->tag);
		else if (calxr__is_subclass(t) || t->polymorphic_on || t->has_subclasses || t->abstract)
			calxr__error(cx, &t->loc, "deferred on struct '%s': a class hierarchy's tables are calx's own, "
			             "not supported with deferred",
			             t->tag);
	}
}
