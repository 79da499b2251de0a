/*
 * Internal: the rows of a PostgreSQL set insert (calx__prepare_insert_arrays,
 * sql/statements.h) as its parameters, one array literal a column and a
 * statement, for the flush (unitofwork/insert_multi.c) and for inserts of
 * many rows from an array of structs (loading/bulk_insert.c).
 */
#ifndef CALX_SQL_INSERT_ARRAYS_H
#define CALX_SQL_INSERT_ARRAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/buf.h"
#include "sql/statements.h"

typedef struct calx__arrays {
	/* the sent columns, by their place in a row, whose bytes go as bytea's text or as a UUID's */
	uint64_t bytea[CALX__ROWS_MAX_WORDS], uuid[CALX__ROWS_MAX_WORDS];
	calx__buf text;                 /* every array, each after the last one's NUL */
} calx__arrays;

#define CALX__ARRAYS_INIT { { 0 }, { 0 }, CALX__BUF_INIT }

/*
 * Whether each of m's sent columns can go as one array of its own type:
 * not one whose type is itself an array, which unnest() would flatten.
 * Notes in a which columns take bytes, and as what text.
 */
bool calx__arrays_fit(calx__arrays *a, const calx_dialect *d, const calx__mapper *m, const uint64_t *sent);

/*
 * n rows of k values (row after row in vals) as statements of up to `per`
 * rows: out[s * k + c] is statement s's array of column c, text that stays
 * valid until calx__arrays_free. CALX_OK; CALX__NO_ARRAY_FORM, nothing
 * made, for bytes whose column is neither bytea nor uuid (the binary form
 * of a type calx does not know: the caller sends the rows another way);
 * CALX_ERANGE for text holding a NUL byte, which PostgreSQL cannot store,
 * with its row in *bad; CALX_ENOMEM.
 */
#define CALX__NO_ARRAY_FORM 1
int calx__arrays_make(calx__arrays *a, const calx_value *vals, size_t n, unsigned k, size_t per, calx_value *out,
                      size_t *bad, calx_error *err);

void calx__arrays_free(calx__arrays *a);

/*
 * Statements of `per` rows of k columns to send a round trip: at most
 * 16,384 values in flight, at least one statement, as the dialect's batch
 * bounds what is in flight by parameters (dialects/postgresql/pg_batch.c).
 */
static inline size_t calx__arrays_group(size_t per, unsigned k)
{
	size_t values = per * k;
	return values && 16384 / values ? 16384 / values : 1;
}

#endif /* CALX_SQL_INSERT_ARRAYS_H */
