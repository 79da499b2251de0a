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
 *   calx_col_blob  calx_bytes, unsigned char[N]: calx_bytes;
 *   calx_col_decimal calx_decimal (calx/decimal.h): a calx_decimal *
 *                  (the select borrows its text until it runs) or an
 *                  integer; a double does not compile (no binary fraction
 *                  meets money).
 *   calx_col_uuid  calx_uuid, calx_opt_uuid: a pointer to a calx_uuid;
 *   calx_col_timestamp, calx_col_timestamptz, calx_col_date, calx_col_time,
 *   calx_col_interval  calx/time.h's types: a pointer to a value of the
 *                  column's own type (calx_eq(EVENT_AT, &t));
 *   calx_col_user  a type of the program's own (CALX_TYPE(T, user_type(var))):
 *                  a calx_value, as its type binds it (calx_user_type_value).
 * A user-type column's value is also checked through the column's type
 * when the select runs.
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
#include "calx/decimal.h"
#include "calx/nullable.h"
#include "calx/time.h"
#include "calx/uuid.h"
#include "calx/types.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

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
typedef struct calx_col_decimal { calx_field_desc desc; } calx_col_decimal;
typedef struct calx_col_user { calx_field_desc desc; } calx_col_user;
typedef struct calx_col_uuid { calx_field_desc desc; } calx_col_uuid;
typedef struct calx_col_timestamp { calx_field_desc desc; } calx_col_timestamp;
typedef struct calx_col_timestamptz { calx_field_desc desc; } calx_col_timestamptz;
typedef struct calx_col_date { calx_field_desc desc; } calx_col_date;
typedef struct calx_col_time { calx_field_desc desc; } calx_col_time;
typedef struct calx_col_interval { calx_field_desc desc; } calx_col_interval;

/* A value of calx/time.h's and calx/uuid.h's types, by pointer (borrowed), as calx_v takes it. */
static inline calx_value calx__value_uuid(const calx_uuid *u) { return calx_uuid_value(u); }
static inline calx_value calx__value_timestamp(const calx_timestamp *t) { return calx_timestamp_value(t); }
static inline calx_value calx__value_timestamptz(const calx_timestamptz *t) { return calx_timestamptz_value(t); }
static inline calx_value calx__value_date(const calx_date *d) { return calx_date_value(d); }
static inline calx_value calx__value_time(const calx_time *t) { return calx_time_value(t); }
static inline calx_value calx__value_interval(const calx_interval *iv)
{
	return calx_value_text(iv->text[0] ? iv->text : NULL);
}

/* What calx-reflect writes for a handle: CALX_COLUMN_HANDLE(int, &user_mapper.fields[4]). */
#define CALX_COLUMN_HANDLE(kind, fieldp) ((const calx_col_##kind *)(const void *)(fieldp))

#ifdef __cplusplus
}

/*
 * C++ (17 and later): the same checks through overloads and templates, as
 * _Generic and a static assertion in a struct are C's. The names and the
 * messages are the same.
 */
#include <type_traits>
#include "calx/sys/generated.h"

/* calx_v(x): the C value as a calx_value, by x's type (calx/select.h has C's). */
inline calx_value calx_v(const char *x) { return calx_value_text(x); }
inline calx_value calx_v(bool x) { return calx__bool_value(x); }
inline calx_value calx_v(signed char x) { return calx__int_value(x); }
inline calx_value calx_v(short x) { return calx__int_value(x); }
inline calx_value calx_v(int x) { return calx__int_value(x); }
inline calx_value calx_v(long x) { return calx__int_value(x); }
inline calx_value calx_v(long long x) { return calx__int_value(x); }
inline calx_value calx_v(unsigned char x) { return calx__int_value(x); }
inline calx_value calx_v(unsigned short x) { return calx__int_value(x); }
inline calx_value calx_v(unsigned int x) { return calx__int_value(x); }
inline calx_value calx_v(unsigned long x) { return calx__uint_value(x); }
inline calx_value calx_v(unsigned long long x) { return calx__uint_value(x); }
inline calx_value calx_v(float x) { return calx_value_real(x); }
inline calx_value calx_v(double x) { return calx_value_real(x); }
inline calx_value calx_v(calx_opt_int8 x) { return calx__value_opt_int8(x); }
inline calx_value calx_v(calx_opt_int16 x) { return calx__value_opt_int16(x); }
inline calx_value calx_v(calx_opt_int32 x) { return calx__value_opt_int32(x); }
inline calx_value calx_v(calx_opt_int64 x) { return calx__value_opt_int64(x); }
inline calx_value calx_v(calx_opt_uint8 x) { return calx__value_opt_uint8(x); }
inline calx_value calx_v(calx_opt_uint16 x) { return calx__value_opt_uint16(x); }
inline calx_value calx_v(calx_opt_uint32 x) { return calx__value_opt_uint32(x); }
inline calx_value calx_v(calx_opt_uint64 x) { return calx__value_opt_uint64(x); }
inline calx_value calx_v(calx_opt_bool x) { return calx__value_opt_bool(x); }
inline calx_value calx_v(calx_opt_float x) { return calx__value_opt_float(x); }
inline calx_value calx_v(calx_opt_double x) { return calx__value_opt_double(x); }
inline calx_value calx_v(calx_bytes x) { return calx_value_bytes(x); }
inline calx_value calx_v(const calx_decimal *x) { return calx_value_decimal(x); }
inline calx_value calx_v(calx_decimal *x) { return calx_value_decimal(x); }
inline calx_value calx_v(calx_value x) { return x; }
inline calx_value calx_v(const calx_uuid *x) { return calx__value_uuid(x); }
inline calx_value calx_v(const calx_timestamp *x) { return calx__value_timestamp(x); }
inline calx_value calx_v(const calx_timestamptz *x) { return calx__value_timestamptz(x); }
inline calx_value calx_v(const calx_date *x) { return calx__value_date(x); }
inline calx_value calx_v(const calx_time *x) { return calx__value_time(x); }
inline calx_value calx_v(const calx_interval *x) { return calx__value_interval(x); }
template <class E, class = typename std::enable_if<std::is_enum<E>::value>::type>
inline calx_value calx_v(E x) { return calx__int_value((int64_t)x); }

inline const calx_field_desc *calx_field(const calx_field_desc *h) { return h; }
inline const calx_field_desc *calx_field(std::nullptr_t) { return nullptr; }
inline const calx_field_desc *calx_field(const calx_col_int *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_real *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_bool *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_text *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_blob *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_decimal *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_user *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_uuid *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_timestamp *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_timestamptz *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_date *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_time *h) { return &h->desc; }
inline const calx_field_desc *calx_field(const calx_col_interval *h) { return &h->desc; }

template <class X> struct calx__is_opt_int : std::false_type {};
template <> struct calx__is_opt_int<calx_opt_int8> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_int16> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_int32> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_int64> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_uint8> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_uint16> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_uint32> : std::true_type {};
template <> struct calx__is_opt_int<calx_opt_uint64> : std::true_type {};

template <class H, class X> struct calx__fits : std::true_type {};     /* an untyped column: at run time */
template <class X> struct calx__fits<const calx_col_int *, X>
	: std::integral_constant<bool, (std::is_integral<X>::value && !std::is_same<X, bool>::value &&
	                                !std::is_same<X, char>::value) || std::is_enum<X>::value ||
	                               calx__is_opt_int<X>::value || std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_real *, X>
	: std::integral_constant<bool, calx__fits<const calx_col_int *, X>::value || std::is_floating_point<X>::value ||
	                               std::is_same<X, calx_opt_float>::value || std::is_same<X, calx_opt_double>::value> {};
template <class X> struct calx__fits<const calx_col_bool *, X>
	: std::integral_constant<bool, std::is_same<X, bool>::value || std::is_same<X, int>::value ||
	                               std::is_same<X, calx_opt_bool>::value || std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_text *, X>
	: std::integral_constant<bool, std::is_same<typename std::decay<X>::type, char *>::value ||
	                               std::is_same<typename std::decay<X>::type, const char *>::value ||
	                               std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_blob *, X>
	: std::integral_constant<bool, std::is_same<X, calx_bytes>::value || std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_decimal *, X>
	: std::integral_constant<bool, std::is_same<typename std::decay<X>::type, calx_decimal *>::value ||
	                               std::is_same<typename std::decay<X>::type, const calx_decimal *>::value ||
	                               (std::is_integral<X>::value && !std::is_same<X, bool>::value &&
	                                !std::is_same<X, char>::value) ||
	                               std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_user *, X>
	: std::integral_constant<bool, std::is_same<X, calx_value>::value> {};
/* a built-in user type's column: a pointer to its own C type (const or not), or a calx_value */
template <class T, class X> struct calx__fits_ptr
	: std::integral_constant<bool, std::is_same<X, const T *>::value || std::is_same<X, T *>::value ||
	                               std::is_same<X, calx_value>::value> {};
template <class X> struct calx__fits<const calx_col_uuid *, X> : calx__fits_ptr<calx_uuid, X> {};
template <class X> struct calx__fits<const calx_col_timestamp *, X> : calx__fits_ptr<calx_timestamp, X> {};
template <class X> struct calx__fits<const calx_col_timestamptz *, X> : calx__fits_ptr<calx_timestamptz, X> {};
template <class X> struct calx__fits<const calx_col_date *, X> : calx__fits_ptr<calx_date, X> {};
template <class X> struct calx__fits<const calx_col_time *, X> : calx__fits_ptr<calx_time, X> {};
template <class X> struct calx__fits<const calx_col_interval *, X> : calx__fits_ptr<calx_interval, X> {};

template <class H, class X> inline calx_value calx_value_for(H, const X &x)
{
	static_assert(calx__fits<H, typename std::decay<X>::type>::value,
	              "calx: the C type of the value does not fit the column (see calx/column.h)");
	return calx_v(x);
}

/* Is H one of the typed handles (calx_field_desc pointers are untyped: checked when the select runs)? */
template <class H> struct calx__typed_handle
	: std::integral_constant<bool,
	                         std::is_same<H, const calx_col_int *>::value || std::is_same<H, const calx_col_text *>::value ||
	                         std::is_same<H, const calx_col_real *>::value || std::is_same<H, const calx_col_bool *>::value ||
	                         std::is_same<H, const calx_col_blob *>::value || std::is_same<H, const calx_col_decimal *>::value ||
	                         std::is_same<H, const calx_col_user *>::value || std::is_same<H, const calx_col_uuid *>::value ||
	                         std::is_same<H, const calx_col_timestamp *>::value ||
	                         std::is_same<H, const calx_col_timestamptz *>::value ||
	                         std::is_same<H, const calx_col_date *>::value || std::is_same<H, const calx_col_time *>::value ||
	                         std::is_same<H, const calx_col_interval *>::value> {};

template <class H> inline const calx_field_desc *calx__text_field(H h)
{
	static_assert(!calx__typed_handle<H>::value || std::is_same<H, const calx_col_text *>::value,
	              "calx: LIKE and ILIKE need a text column (see calx/column.h)");
	return calx_field(h);
}

template <class H> inline const calx_field_desc *calx__integer_field(H h)
{
	static_assert(!calx__typed_handle<H>::value || std::is_same<H, const calx_col_int *>::value,
	              "calx: an array of int64_t needs an integer column (see calx/column.h)");
	return calx_field(h);
}
#else
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
	const calx_col_blob *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_decimal *: (const calx_field_desc *)(const void *)(h), \
	const calx_col_user *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_uuid *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_timestamp *: (const calx_field_desc *)(const void *)(h), \
	const calx_col_timestamptz *: (const calx_field_desc *)(const void *)(h), \
	const calx_col_date *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_time *: (const calx_field_desc *)(const void *)(h),   \
	const calx_col_interval *: (const calx_field_desc *)(const void *)(h))

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
#define CALX__FITS_DECIMAL(x) _Generic((x),                                \
	calx_decimal *: 1, const calx_decimal *: 1,                          \
	signed char: 1, short: 1, int: 1, long: 1, long long: 1,             \
	unsigned char: 1, unsigned short: 1, unsigned int: 1,                \
	unsigned long: 1, unsigned long long: 1, calx_value: 1, default: 0)
/* a built-in user type's column: a pointer to a T (const or not), or a calx_value */
#define CALX__FITS_PTR(x, T) _Generic((x), const T *: 1, T *: 1, calx_value: 1, default: 0)

#define CALX__FITS(h, x) _Generic((h),                                     \
	const calx_col_int *: CALX__FITS_INTEGER(x),                         \
	const calx_col_real *: CALX__FITS_REAL(x),                           \
	const calx_col_bool *: CALX__FITS_BOOL(x),                           \
	const calx_col_text *: CALX__FITS_TEXT(x),                           \
	const calx_col_blob *: CALX__FITS_BLOB(x),                           \
	const calx_col_decimal *: CALX__FITS_DECIMAL(x),                     \
	const calx_col_user *: _Generic((x), calx_value: 1, default: 0),     \
	const calx_col_uuid *: CALX__FITS_PTR(x, calx_uuid),                 \
	const calx_col_timestamp *: CALX__FITS_PTR(x, calx_timestamp),       \
	const calx_col_timestamptz *: CALX__FITS_PTR(x, calx_timestamptz),   \
	const calx_col_date *: CALX__FITS_PTR(x, calx_date),                 \
	const calx_col_time *: CALX__FITS_PTR(x, calx_time),                 \
	const calx_col_interval *: CALX__FITS_PTR(x, calx_interval),         \
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
	                             const calx_col_bool *: 0, const calx_col_blob *: 0, const calx_col_user *: 0, \
	                             const calx_col_uuid *: 0, const calx_col_timestamp *: 0, const calx_col_timestamptz *: 0, \
	                             const calx_col_date *: 0, const calx_col_time *: 0, const calx_col_interval *: 0, const calx_col_decimal *: 0, default: 1), \
	                    "calx: LIKE and ILIKE need a text column (see calx/column.h)"), \
	 calx_field(h))

/* h must be an integer column (or untyped): calx_in_int64. */
#define calx__integer_field(h)                                               \
	(CALX__STATIC_CHECK(_Generic((h), const calx_col_text *: 0, const calx_col_real *: 0, \
	                             const calx_col_bool *: 0, const calx_col_blob *: 0, const calx_col_user *: 0, \
	                             const calx_col_uuid *: 0, const calx_col_timestamp *: 0, const calx_col_timestamptz *: 0, \
	                             const calx_col_date *: 0, const calx_col_time *: 0, const calx_col_interval *: 0, const calx_col_decimal *: 0, default: 1), \
	                    "calx: an array of int64_t needs an integer column (see calx/column.h)"), \
	 calx_field(h))

#endif /* __cplusplus */

#endif /* CALX_COLUMN_H */
