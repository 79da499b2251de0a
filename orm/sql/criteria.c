/*
 * The registry's criteria in a statement (calx_registry_add_criteria,
 * calx/criteria.h): each condition lowered as if it were the where of a
 * select of the struct it was added on, whose table is the from-element
 * t: a select's own table, a select-in's, a joined load's alias, a
 * many-to-many load's target.
 */
#include "calx/calx.h"
#include "sql/expr.h"

int calx__sql_criteria(calx__ast *a, const calx__crit *c, unsigned n, calx__node *t, unsigned *aliases,
                       calx__node **where, calx_error *err)
{
	for (unsigned i = 0; i < n; i++) {
		calx__scope_entry entry = { c[i].on, t, NULL };
		calx__scope sc = { c[i].on, &entry, 1, NULL, NULL, aliases };
		calx__node *cond = NULL;
		int rc = calx__expr_lower(c[i].e, a, &sc, &cond, err);
		if (rc != CALX_OK)
			return rc;
		*where = *where ? calx__ast_binary(a, CALX__OP_AND, *where, cond) : cond;
		if (a->oom)
			return calx_error_set(err, CALX_ENOMEM, "out of memory adding the criteria of %s", c[i].on->name);
	}
	return CALX_OK;
}
