/*
 * calx/row.h - rows of a select of values into a struct of the program's
 * own (a typed row: SQLAlchemy's Row as a C struct).
 *
 *   struct artist_tracks { char *name; int64_t tracks; calx_opt_double avg_ms; };
 *   static const calx_row_field artist_tracks_row[] = {
 *       CALX_ROW_FIELD(struct artist_tracks, name),
 *       CALX_ROW_FIELD(struct artist_tracks, tracks),
 *       CALX_ROW_FIELD(struct artist_tracks, avg_ms),
 *   };
 *   calx_select_exprs(q, exprs, 3);          // name, count(*), avg(ms)
 *   struct artist_tracks r;
 *   while ((rc = calx_select_next_row(q, &r, artist_tracks_row, 3)) == CALX_ROW) ...
 *
 * CALX_ROW_FIELD reads the member's C type at compile time: int8_t ..
 * uint64_t, bool, float, double, char * (or const char *), char[N], and
 * the calx_opt_* wrappers. A member of any other type does not compile.
 * Each value is stored as a loaded object's field is, with the same checks:
 * an integer beyond the member's type, a fraction into an integer, text
 * longer than a char[N] are errors (CALX_ERANGE, CALX_ETYPE), never a
 * changed value; a NULL needs a calx_opt_* member or a char * (which gets
 * NULL), else it is CALX_ETYPE. Text of a char * member is copied into the
 * session and lives with it, as a loaded object's text does: for millions
 * of rows read calx_select_next_values, whose text is borrowed.
 */
#ifndef CALX_ROW_H
#define CALX_ROW_H

#include <stddef.h>
#include <stdint.h>
#include "calx/nullable.h"
#include "calx/select.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_row_field {
	const char *name;               /* the member, for messages */
	calx_ctype ctype;
	uint32_t flags;                 /* CALX_FIELD_OPTIONAL for a calx_opt_* member */
	size_t offset;
	size_t size;
} calx_row_field;

/* The most values a row may have. */
#define CALX_ROW_MAX 64

/*
 * The next row into *row (fields[0..n), one per value of the select, in
 * order). CALX_ROW, CALX_DONE, or an error kept on the session (n not the
 * select's number of values: CALX_EINVAL).
 */
int calx_select_next_row(calx_select *q, void *row, const calx_row_field *fields, size_t n);

#ifndef __cplusplus
#define CALX__ROW_KIND(T, m) _Generic(&((T *)0)->m,                            \
	int8_t *: CALX_CTYPE_INT8, int16_t *: CALX_CTYPE_INT16,                    \
	int32_t *: CALX_CTYPE_INT32, int64_t *: CALX_CTYPE_INT64,                  \
	uint8_t *: CALX_CTYPE_UINT8, uint16_t *: CALX_CTYPE_UINT16,                \
	uint32_t *: CALX_CTYPE_UINT32, uint64_t *: CALX_CTYPE_UINT64,              \
	bool *: CALX_CTYPE_BOOL, float *: CALX_CTYPE_FLOAT, double *: CALX_CTYPE_DOUBLE, \
	char **: CALX_CTYPE_STRING, const char **: CALX_CTYPE_STRING,              \
	char (*)[sizeof(((T *)0)->m)]: CALX_CTYPE_CHARARRAY,                       \
	calx_opt_int8 *: CALX_CTYPE_INT8, calx_opt_int16 *: CALX_CTYPE_INT16,      \
	calx_opt_int32 *: CALX_CTYPE_INT32, calx_opt_int64 *: CALX_CTYPE_INT64,    \
	calx_opt_uint8 *: CALX_CTYPE_UINT8, calx_opt_uint16 *: CALX_CTYPE_UINT16,  \
	calx_opt_uint32 *: CALX_CTYPE_UINT32, calx_opt_uint64 *: CALX_CTYPE_UINT64, \
	calx_opt_bool *: CALX_CTYPE_BOOL, calx_opt_float *: CALX_CTYPE_FLOAT,      \
	calx_opt_double *: CALX_CTYPE_DOUBLE)
#define CALX__ROW_OPTIONAL(T, m) _Generic(&((T *)0)->m,                        \
	calx_opt_int8 *: CALX_FIELD_OPTIONAL, calx_opt_int16 *: CALX_FIELD_OPTIONAL, \
	calx_opt_int32 *: CALX_FIELD_OPTIONAL, calx_opt_int64 *: CALX_FIELD_OPTIONAL, \
	calx_opt_uint8 *: CALX_FIELD_OPTIONAL, calx_opt_uint16 *: CALX_FIELD_OPTIONAL, \
	calx_opt_uint32 *: CALX_FIELD_OPTIONAL, calx_opt_uint64 *: CALX_FIELD_OPTIONAL, \
	calx_opt_bool *: CALX_FIELD_OPTIONAL, calx_opt_float *: CALX_FIELD_OPTIONAL, \
	calx_opt_double *: CALX_FIELD_OPTIONAL, default: 0)

/* One member of a row struct T, described for calx_select_next_row. */
#define CALX_ROW_FIELD(T, m) { #m, CALX__ROW_KIND(T, m), CALX__ROW_OPTIONAL(T, m), offsetof(T, m), \
	                       sizeof(((T *)0)->m) }
#endif

#ifdef __cplusplus
}
#endif

#endif /* CALX_ROW_H */
