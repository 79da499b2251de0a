/*
 * Internal: exact decimals as text (CALX_VALUE_NUMERIC, calx/types.h), read
 * into the C number types. An integer target gets the decimal only when it
 * is whole and in range, by an exact parse (never through a double); a
 * floating target gets the nearest value, correctly rounded.
 *
 * The text is
 *   [+-] digits [. digits] [(e|E) [+-] digits]    (a digit by the point at least)
 *   NaN | [+-]Infinity | [+-]inf                   (any case)
 * with nothing around it. PostgreSQL sends NUMERIC as [-]digits[.digits],
 * NaN, Infinity or -Infinity; the exponent form is for values a program
 * writes (calx_value_numeric).
 */
#ifndef CALX_ORM_DECIMAL_H
#define CALX_ORM_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum calx__dec {
	CALX__DEC_OK = 0,
	CALX__DEC_SYNTAX,       /* not a decimal by the grammar above */
	CALX__DEC_FRACTION,     /* not a whole number, for an integer */
	CALX__DEC_RANGE,        /* beyond the type (for an integer, the infinities too) */
	CALX__DEC_NAN           /* NaN, for an integer */
} calx__dec;

/* Is p[0..n) a decimal by the grammar above? */
bool calx__dec_valid(const char *p, size_t n);

/* Whole and within int64_t: *out, exactly. "-0" and "0.000" are 0. */
calx__dec calx__dec_to_int64(const char *p, size_t n, int64_t *out);

/*
 * The nearest double / float (ties to even), NaN and the infinities as
 * themselves. A finite decimal beyond the type's largest value is
 * CALX__DEC_RANGE, not an infinity; one below its smallest is 0 or a
 * subnormal, the nearest value. Independent of the locale; errno is kept.
 */
calx__dec calx__dec_to_double(const char *p, size_t n, double *out);
calx__dec calx__dec_to_float(const char *p, size_t n, float *out);

#endif
