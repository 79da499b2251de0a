/*
 * calx/column.h - typed column handles.
 *
 * calx-reflect writes one handle per mapped column: USER_NAME, USER_AGE.
 * A handle points at the column's calx_field_desc, but its C type says
 * which values the column takes, so that a comparison with a value of
 * the wrong C type does not compile:
 *
 *   calx_eq(USER_AGE, 30)        compiles: an integer column, an int
 *   calx_eq(USER_AGE, "x")       error: static assertion failed: "calx: ..."
 *   calx_like(USER_AGE, "4%")    error: LIKE needs a text column
 *
 * The kinds and the C values each takes:
 *   calx_col_int   integer columns (int8_t..uint64_t, enums, char_as(integer)):
 *                  any integer type, calx_opt_int* / calx_opt_uint*;
 *   calx_col_real  float, double: any integer or floating type and their
 *                  calx_opt_* wrappers;
 *   calx_col_bool  bool: bool, int (C's true and false are ints), calx_opt_bool;
 *   calx_col_text  char *, char[N], char_as(text): char * and const char *
 *                  (a char[N] field decays to one);
 *   calx_col_blob  calx_bytes, unsigned char[N]: calx_bytes.
 * Every kind also takes a calx_value, checked when the select runs, for
 * values whose type is known only then. A column found at run time (a
 * plain const calx_field_desc *, e.g. from &user_mapper.fields[i]) is
 * untyped: its values are checked when the select runs, as before.
 *
 * A handle converts to const calx_field_desc * with calx_field(h); every
 * calx call that takes a column does that itself. An array of columns of
 * different kinds is an array of calx_field(h).
 *
 * Nothing here is evaluated at run time: the checks are _Generic and
 * _Static_assert, and a handle is the field's address.
 */
#ifndef CALX_COLUMN_H
#define CALX_COLUMN_H

#include "calx/bytes.h"
#include "calx/nullable.h"
#include "calx/types.h"
#include "calx/sys/descriptor.h"

/*
 * The handle types. They are never instantiated: a handle is the address
 * of the mapper's calx_field_desc, converted. Each wraps the descriptor
 * as its first member, so the conversion keeps its alignment and converts
 * back to the same address (C11 6.3.2.3p7, 6.7.2.1p15).
 */
typedef struct calx_col_int { calx_field_desc desc; } calx_col_int;
typedef struct calx_col_real { calx_field_desc desc; } calx_col_real;
typedef struct calx_col_bool { calx_field_desc desc; } calx_col_bool;
typedef struct calx_col_text { calx_field_desc desc; } calx_col_text;
typedef struct calx_col_blob { calx_field_desc desc; } calx_col_blob;

/* What calx-reflect writes for a handle: CALX_COLUMN_HANDLE(int, &user_mapper.fields[4]). */
#define CALX_COLUMN_HANDLE(kind, fieldp) ((const calx_col_##kind *)(const void *)(fieldp))

/*
 * A handle, typed or not, as the descriptor pointer the functions take.
 * A void * (NULL) passes through; anything else (an int, a pointer to
 * another struct) does not compile.
 */
#define calx_field(h) _Generic((h),                                        \
	const calx_field_desc *: (const calx_field_desc *)(const void *)(h), \
	calx_field_desc *: (const calx_field_desc *)(const void *)(h),       \
	void *: (const calx_field_desc *)(const void *)(h),                  \
	const calx_col_int *: (const calx_field_desc *)(const void *)(h),    \
	const calx_col_real *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_bool *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_text *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_blob *: (const calx_field_desc *)(const void *)(h))

/* 1 when a value of x's C type fits a column of the kind, else 0 (constant expressions). */
#define CALX__FITS_INTEGER(x) _Generic((x),                                \
	signed char: 1, short: 1, int: 1, long: 1, long long: 1,             \
	unsigned char: 1, unsigned short: 1, unsigned int: 1,                \
	unsigned long: 1, unsigned long long: 1,                             \
	calx_opt_int8: 1, calx_opt_int16: 1, calx_opt_int32: 1,              \
	calx_opt_int64: 1, calx_opt_uint8: 1, calx_opt_uint16: 1,            \
	calx_opt_uint32: 1, calx_opt_uint64: 1, calx_value: 1, default: 0)
#define CALX__FITS_REAL(x) _Generic((x),                                   \
	float: 1, double: 1, calx_opt_float: 1, calx_opt_double: 1,          \
	default: CALX__FITS_INTEGER(x))
#define CALX__FITS_BOOL(x) _Generic((x),                                   \
	_Bool: 1, int: 1, calx_opt_bool: 1, calx_value: 1, default: 0)
#define CALX__FITS_TEXT(x) _Generic((x),                                   \
	char *: 1, const char *: 1, calx_value: 1, default: 0)
#define CALX__FITS_BLOB(x) _Generic((x),                                   \
	calx_bytes: 1, calx_value: 1, default: 0)

#define CALX__FITS(h, x) _Generic((h),                                     \
	const calx_col_int *: CALX__FITS_INTEGER(x),                         \
	const calx_col_real *: CALX__FITS_REAL(x),                           \
	const calx_col_bool *: CALX__FITS_BOOL(x),                           \
	const calx_col_text *: CALX__FITS_TEXT(x),                           \
	const calx_col_blob *: CALX__FITS_BLOB(x),                           \
	default: 1)

/* A compile-time check inside an expression: a struct may hold a static assertion (C11 6.7.2.1). */
#define CALX__STATIC_CHECK(cond, msg) ((void)sizeof(struct { _Static_assert(cond, msg); char calx__c; }))

/* x as a calx_value, after checking at compile time that it fits h's column. */
#define calx_value_for(h, x)                                                 \
	(CALX__STATIC_CHECK(CALX__FITS(h, x),                                \
	                    "calx: the C type of the value does not fit the column (see calx/column.h)"), \
	 calx_v(x))

/* h must be a text column (or untyped): LIKE, ILIKE. */
#define calx__text_field(h)                                                  \
	(CALX__STATIC_CHECK(_Generic((h), const calx_col_int *: 0, const calx_col_real *: 0, \
	                             const calx_col_bool *: 0, const calx_col_blob *: 0, default: 1), \
	                    "calx: LIKE and ILIKE need a text column (see calx/column.h)"), \
	 calx_field(h))

/* h must be an integer column (or untyped): calx_in_int64. */
#define calx__integer_field(h)                                               \
	(CALX__STATIC_CHECK(_Generic((h), const calx_col_text *: 0, const calx_col_real *: 0, \
	                             const calx_col_bool *: 0, const calx_col_blob *: 0, default: 1), \
	                    "calx: an array of int64_t needs an integer column (see calx/column.h)"), \
	 calx_field(h))

#endif /* CALX_COLUMN_H */
