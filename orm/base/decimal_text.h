/*
 * Internal: the canonical text of calx_decimal (calx/decimal.h), for the
 * value layer's conversions of decimal fields.
 */
#ifndef CALX_ORM_DECIMAL_TEXT_H
#define CALX_ORM_DECIMAL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include "calx/decimal.h"

/*
 * p[0..n) ([+-]digits[.digits] or [+-].digits) into its canonical form:
 * CALX_OK, CALX_ETYPE (not a decimal) or CALX_ERANGE (more than
 * CALX_DECIMAL_MAX_DIGITS significant digits). *out is NULL on failure.
 */
int calx__decimal_canon(const char *p, size_t n, calx_decimal *out);

/*
 * Is t (NUL-terminated within cap bytes, not empty) canonical? Then its
 * digits before the point (0 for "0.5" and for zero) and after it.
 */
bool calx__decimal_shape(const char *t, size_t cap, unsigned *n_int, unsigned *n_frac);

#endif
