/*
 * Internal: a long IN list as one JSON array parameter (sql/in_json.c).
 */
#ifndef CALX_SQL_IN_JSON_H
#define CALX_SQL_IN_JSON_H

#include "calx/errors.h"
#include "calx/types.h"
#include "sql/ast.h"

/* Lists longer than this go as one JSON parameter; shorter ones bind each value. */
#define CALX__IN_JSON_MIN 64

/*
 * vals (already checked against the column) as a JSON array, in a's arena:
 * *out is its text. CALX_ETYPE when a value has no exact JSON form (bytes,
 * decimals, NaN and the infinities, text holding a NUL: the caller binds
 * the list one value at a time instead); CALX_ENOMEM.
 */
int calx__in_json(calx__ast *a, const calx_value *vals, size_t n, calx_value *out);

#endif /* CALX_SQL_IN_JSON_H */
