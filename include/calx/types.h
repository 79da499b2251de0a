/*
 * calx/types.h - values as they cross between C fields and SQL.
 */
#ifndef CALX_TYPES_H
#define CALX_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum calx_value_kind {
	CALX_VALUE_NULL = 0,
	CALX_VALUE_INT,           /* int64_t */
	CALX_VALUE_REAL,          /* double */
	CALX_VALUE_TEXT,          /* UTF-8, not NUL-terminated: p + n */
	CALX_VALUE_BLOB,          /* bytes: p + n */
	CALX_VALUE_NUMERIC        /* an exact decimal, as text: p + n (below) */
} calx_value_kind;

/*
 * A value. Text, blob and numeric values borrow their bytes: whoever hands
 * one over keeps the bytes alive for as long as the receiver's contract
 * says.
 *
 * CALX_VALUE_NUMERIC is a decimal number kept exactly, as its text:
 *   [+-] digits [. digits] [(e|E) [+-] digits]  |  NaN  |  [+-]Infinity
 * (any case, "inf" too, nothing around it). PostgreSQL's NUMERIC values
 * load as one ([-]digits[.digits], NaN, Infinity, -Infinity). A field
 * takes it by its C type: an integer field only when it is a whole number
 * in the field's range (read exactly, never through a double), else
 * CALX_ETYPE (a fraction, NaN) or CALX_ERANGE; float and double the
 * nearest value (NaN and the infinities as themselves; a finite decimal
 * beyond the type is CALX_ERANGE); char * and char[N] the text itself.
 * Bound as a parameter, it is sent as its text, which both databases read
 * as the column's type (exact into NUMERIC, TEXT or untyped columns).
 */
typedef struct calx_value {
	calx_value_kind kind;
	union {
		int64_t i;
		double d;
		struct {
			const char *p;
			size_t n;
		} s;
	} u;
} calx_value;

/*
 * A value of kind k with its union zeroed, made field by field: GCC 12
 * compiles the initializer { k, { 0 } } followed by a store to one member
 * into stack stores that the return's loads cannot forward from, a stall
 * of some 30 cycles in every value made (a warm get's calx_v spent more
 * than the identity map's lookup in it).
 */
static inline calx_value calx__value_empty(calx_value_kind k)
{
	calx_value v;
	v.kind = k;
	v.u.s.p = NULL;
	v.u.s.n = 0;
	return v;
}

static inline calx_value calx_value_null(void)
{
	return calx__value_empty(CALX_VALUE_NULL);
}

static inline calx_value calx_value_int(int64_t i)
{
	calx_value v = calx__value_empty(CALX_VALUE_INT);
	v.u.i = i;
	return v;
}

static inline calx_value calx_value_real(double d)
{
	calx_value v = calx__value_empty(CALX_VALUE_REAL);
	v.u.d = d;
	return v;
}

/*
 * n bytes at p as a BLOB / BYTEA value (borrowed: a comparison copies
 * them). A NULL p with n > 0 is refused where the value is used
 * (CALX_EINVAL); a NULL p with n == 0 is the empty blob.
 */
static inline calx_value calx_value_blob(const void *p, size_t n)
{
	calx_value v = calx__value_empty(CALX_VALUE_BLOB);
	v.u.s.p = (const char *)p;
	v.u.s.n = n;
	return v;
}

/* Text from a NUL-terminated string; NULL gives SQL NULL. */
calx_value calx_value_text(const char *s);
calx_value calx_value_textn(const char *p, size_t n);
/*
 * An exact decimal from its text ("19.99", "-1e-30"); NULL gives SQL NULL.
 * The text is checked when the value is used (a comparison refuses a
 * malformed one with CALX_ETYPE).
 */
calx_value calx_value_numeric(const char *s);
calx_value calx_value_numericn(const char *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* CALX_TYPES_H */
