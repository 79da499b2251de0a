/*
 * calx/types.h - values as they cross between C fields and SQL.
 */
#ifndef CALX_TYPES_H
#define CALX_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum calx_value_kind {
	CALX_VALUE_NULL = 0,
	CALX_VALUE_INT,           /* int64_t */
	CALX_VALUE_REAL,          /* double */
	CALX_VALUE_TEXT,          /* UTF-8, not NUL-terminated: p + n */
	CALX_VALUE_BLOB           /* bytes: p + n */
} calx_value_kind;

/*
 * A value. Text and blob values borrow their bytes: whoever hands one over
 * keeps the bytes alive for as long as the receiver's contract says.
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

static inline calx_value calx_value_null(void)
{
	calx_value v = { CALX_VALUE_NULL, { 0 } };
	return v;
}

static inline calx_value calx_value_int(int64_t i)
{
	calx_value v = { CALX_VALUE_INT, { 0 } };
	v.u.i = i;
	return v;
}

static inline calx_value calx_value_real(double d)
{
	calx_value v = { CALX_VALUE_REAL, { 0 } };
	v.u.d = d;
	return v;
}

/* Text from a NUL-terminated string; NULL gives SQL NULL. */
calx_value calx_value_text(const char *s);
calx_value calx_value_textn(const char *p, size_t n);

#endif /* CALX_TYPES_H */
