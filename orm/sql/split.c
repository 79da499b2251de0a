/*
 * Statements over a dialect's parameter limit, cut into several: a
 * multi-row insert into inserts of fewer rows, an IN list into selects of
 * shorter lists. The list stays where it is; a window over it says which
 * items the statement has this time (sql/shape.c and the compiler read
 * only the window).
 */
#include "calx/errors.h"
#include "sql/compile.h"

static calx__node *list_of(calx__node *owner)
{
	if (owner->kind == CALX__N_IN)
		return owner->kid[CALX__IN_LIST];
	if (owner->kind == CALX__N_INSERT)
		return owner->kid[CALX__INS_ROWS];
	return NULL;
}

int calx__chunks_init(calx__chunks *ch, calx__node *stmt, calx__node *owner, unsigned max_params, calx_error *err)
{
	ch->owner = owner;
	ch->total = ch->per = ch->next = 0;
	calx__node *list = list_of(owner);
	if (!list)
		return calx_error_set(err, CALX_EINVAL, "only an IN list or an insert's rows can be split");
	owner->first = 0;
	owner->count = CALX__ALL;
	size_t all = calx__ast_binds(stmt, NULL, 0);
	size_t per_item = 0, n = 0, in_list = 0;
	if (list->kind == CALX__N_BINDS) {
		/* a bind array is windowed value by value */
		per_item = 1;
		n = in_list = list->vals.n;
	}
	for (calx__node *x = list->kind == CALX__N_BINDS ? NULL : list; x; x = x->next, n++) {
		size_t k = calx__ast_binds(x, NULL, 0);
		if (n && k != per_item)
			return calx_error_set(err, CALX_EINVAL, "cannot split a list whose items differ in parameters");
		per_item = k;
		in_list += k;
	}
	size_t other = all - in_list;
	if (max_params && other + per_item > max_params)
		return calx_error_set(err, CALX_ERANGE,
		                      "one item of the list needs %zu parameters with the statement's %zu others: "
		                      "more than the %u allowed", per_item, other, max_params);
	ch->total = n;
	ch->per = !max_params || !per_item ? n : (max_params - other) / per_item;
	return CALX_OK;
}

bool calx__chunks_next(calx__chunks *ch)
{
	if (ch->next >= ch->total || !ch->per) {
		ch->owner->first = 0;
		ch->owner->count = CALX__ALL;
		return false;
	}
	ch->owner->first = ch->next;
	ch->owner->count = ch->total - ch->next < ch->per ? ch->total - ch->next : ch->per;
	ch->next += ch->owner->count;
	return true;
}
