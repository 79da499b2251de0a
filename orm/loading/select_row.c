/*
 * calx_select_next_row (calx/row.h): a row of values into a struct of the
 * program's own, each value stored as a loaded object's field is
 * (mapping/value.c), so the same checks hold.
 */
#include <string.h>
#include "calx/row.h"
#include "loading/select_int.h"
#include "mapping/value.h"

int calx_select_next_row(calx_select *q, void *row, const calx_row_field *fields, size_t n)
{
	if (!q)
		return CALX_EINVAL;
	calx_session *s = q->s;
	if (!row || !fields)
		return calx__fail(s, CALX_EINVAL, "calx_select_next_row: the row and its fields are required");
	size_t width = calx__select_width(q);
	if (n > CALX_ROW_MAX || (width && n != width))
		return calx__fail(s, CALX_EINVAL, "calx_select_next_row: the row struct has %zu fields, the select %zu "
		                  "values%s", n, width, n > CALX_ROW_MAX ? " (at most CALX_ROW_MAX, 64)" : "");
	calx_value vals[CALX_ROW_MAX];
	int rc = calx_select_next_values(q, vals);
	if (rc != CALX_ROW)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const calx_row_field *rf = &fields[i];
		calx_field_desc f;
		memset(&f, 0, sizeof f);
		f.name = f.column = rf->name;
		f.ctype = rf->ctype;
		f.flags = rf->flags;
		f.offset = rf->offset;
		f.size = rf->size;
		bool is_null = false;
		if ((rc = calx__field_set(&f, row, &vals[i], &s->arena, &is_null, &s->err)) != CALX_OK)
			return calx__fail_wrap(s, "calx_select_next_row: value %zu into member '%s': %.400s", i + 1, rf->name,
			                       s->err.msg);
		if (is_null && !(rf->flags & CALX_FIELD_OPTIONAL) && rf->ctype != CALX_CTYPE_STRING)
			return calx__fail(s, CALX_ETYPE, "calx_select_next_row: value %zu is NULL and member '%s' (%s) cannot "
			                  "hold NULL: make it a calx_opt_* wrapper (or a char * for text)", i + 1,
			                  rf->name, calx__ctype_name(rf->ctype));
	}
	return CALX_ROW;
}
