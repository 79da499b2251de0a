/*
 * CALX(json) fields: the text is checked before it is written, so that
 * malformed JSON never reaches a statement (SQLite's TEXT column would
 * store it; PostgreSQL would refuse it in the middle of a flush).
 */
#include <stdio.h>
#include "calx/calx.h"
#include "base/json.h"
#include "mapping/value.h"

int calx__json_check(const calx_field_desc *f, const char *p, size_t n, calx_error *err)
{
	size_t at;
	const char *why;
	char what[160];
	if (calx__json_valid(p, n, &at, &why))
		return CALX_OK;
	snprintf(what, sizeof what, "not JSON: %s at byte %zu", why, at);
	return calx__field_error(err, CALX_ETYPE, f, what);
}
