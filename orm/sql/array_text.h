/*
 * Internal: values as the elements of a PostgreSQL array literal,
 * {1,2,3} or {"a","b \"c\""}, for a statement that compares a column with
 * = ANY($1) and leaves the parameter's type to the server, which takes it
 * as an array of the column's own type and reads each element with that
 * type's input function, as it reads a row-at-a-time statement's untyped
 * parameter (sql/array_text.c; the flush's set deletes, sql/set_rows.c).
 */
#ifndef CALX_SQL_ARRAY_TEXT_H
#define CALX_SQL_ARRAY_TEXT_H

#include <stdbool.h>
#include "calx/types.h"
#include "base/buf.h"

/*
 * Append v to b as an array element, after a comma unless first; the
 * caller writes the braces. An integer goes as its digits, text in double
 * quotes with its quotes and backslashes escaped. CALX_ETYPE, nothing
 * appended, for any other kind and for text holding a NUL byte (which
 * PostgreSQL refuses): the caller sends those rows another way. Out of
 * memory is b->oom.
 */
int calx__array_element(calx__buf *b, bool first, const calx_value *v);

/*
 * The same for a value of any kind but bytes, as a row-at-a-time
 * statement's text parameter would give it (sql/insert_arrays.c): NULL
 * unquoted, a real with 17 digits ("NaN", "Infinity" by name), a decimal's
 * text quoted. CALX_ETYPE, nothing appended, for text holding a NUL byte
 * and for bytes (CALX_VALUE_BLOB), whose text depends on the column's type.
 */
int calx__array_value(calx__buf *b, bool first, const calx_value *v);

/*
 * Bytes (CALX_VALUE_BLOB) as the text of the type their binary parameter
 * is read as: bytea's \x and two hex digits a byte (bytea true), or the
 * hex digits alone, which PostgreSQL's uuid reads.
 */
void calx__array_bytes(calx__buf *b, bool first, const calx_value *v, bool bytea);

#endif /* CALX_SQL_ARRAY_TEXT_H */
