/*
 * Internal: converting between C fields and calx_values, with every range
 * and length check. Nothing is truncated or wrapped silently.
 */
#ifndef CALX_ORM_VALUE_H
#define CALX_ORM_VALUE_H

#include <stdbool.h>
#include "calx/types.h"
#include "calx/sys/descriptor.h"
#include "calx/sys/dialect.h"
#include "base/arena.h"
#include "base/utf8.h"

/*
 * The value of field f in the struct at base. is_null forces SQL NULL (for
 * scalars whose null bit is set). Text borrows the struct's bytes.
 */
int calx__field_get(const calx_field_desc *f, const void *base, bool is_null, calx_value *out, calx_error *err);
/*
 * Store v into field f of the struct at base. Strings are copied into the
 * arena. *is_null tells whether v was NULL (the field is then zeroed).
 */
int calx__field_set(const calx_field_desc *f, void *base, const calx_value *v, calx__arena *arena,
                    bool *is_null, calx_error *err);
/* Are the field's bytes in a and b the same value? (strings by content) */
bool calx__field_equal(const calx_field_desc *f, const void *a, const void *b);
/* Is the field all zero (0, false, NULL pointer, empty array)? */
bool calx__field_zero(const calx_field_desc *f, const void *base);

/*
 * Is field f NULL? null_flag: the field's NULL mark in the session (for
 * types whose bytes cannot say NULL themselves). A NULL field holds zero;
 * any other value was assigned since the mark was set.
 */
bool calx__field_is_null(const calx_field_desc *f, const void *base, bool null_flag);

/*
 * At insert, is field f left for the database to fill (an autoincrement key
 * or a server default that the struct does not give)? null_flag: the
 * field's NULL mark in the session. The unit of work omits such a column
 * and reads its value back.
 */
bool calx__field_left_to_db(const calx_field_desc *f, const void *base, bool null_flag);

/* A readable C type name for messages. */
const char *calx__ctype_name(calx_ctype t);

#endif
