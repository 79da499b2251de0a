/*
 * Internal: rows as one JSON parameter, an array of objects whose members
 * are named by column, for PostgreSQL's json_populate_recordset (the
 * flush's set statements, sql/set_rows.c). The caller writes the brackets,
 * braces and the commas between rows; these write the members.
 */
#ifndef CALX_SQL_JSON_ROWS_H
#define CALX_SQL_JSON_ROWS_H

#include <stdbool.h>
#include "calx/types.h"
#include "base/buf.h"

/*
 * Append `"column":value` to b, after a comma unless first. The value goes
 * as the text PostgreSQL's input function for the column's type reads,
 * which is what a bound parameter of the row-at-a-time statement would
 * send: integers and finite reals as JSON numbers, NaN and the infinities,
 * text and exact decimals as JSON strings (quotes, backslashes and control
 * characters escaped), bytes as a string of bytea's hex form ("\\x0a1b"),
 * NULL as null. json_text: the value is a CALX(json) field's JSON text,
 * written as it is when it is one JSON object or array with nothing around
 * it (json_populate_recordset keeps such a member's text as it was sent,
 * for a json, jsonb or text column alike).
 *
 * CALX_ETYPE when the value has no exact form here: text holding a NUL byte
 * (which PostgreSQL refuses), a CALX(json) text that is not one well-formed
 * object or array (a scalar would arrive unquoted, or as SQL NULL for
 * JSON's null). The caller then writes those rows a statement a row, which
 * reports them as it always did. Nothing is appended then (b's length is
 * unchanged). Out of memory is b->oom.
 */
int calx__json_member(calx__buf *b, bool first, const char *column, const calx_value *v, bool json_text);

#endif /* CALX_SQL_JSON_ROWS_H */
