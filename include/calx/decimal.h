/*
 * calx/decimal.h - exact decimals for money: NUMERIC(p,s).
 *
 *   struct CALX_TABLE("prices") price {
 *       int64_t id CALX(primary_key);
 *       calx_decimal amount CALX(numeric(10, 2));   // NUMERIC(10,2); NULL when empty
 *   };
 *
 *   calx_decimal d;
 *   if (calx_decimal_parse(&d, "19.990") != CALX_OK) ...   // d.text is "19.99"
 *   struct price *p = price_new(s, .amount = d);
 *   int64_t cents;
 *   calx_decimal_to_units(&p->amount, 2, &cents);          // 1999
 *
 * A calx_decimal holds its value as decimal text in a canonical form, so
 * that no binary fraction ever stands between the program and the
 * database: [-]digits[.digits] with no leading zero before another digit,
 * no trailing zero after the point, no point without a digit after it,
 * and no "-0" (zero is "0"). "19.90" is written "19.9"; the column's
 * scale only says how many fraction digits the value may have. Every
 * calx_decimal_* function writes the canonical form; write text[] by hand
 * only in that form (CALX_DECIMAL("19.9")): a field holding anything else
 * is refused when it is written (CALX_ETYPE), because SQLite compares the
 * stored text as text.
 *
 * NULL: the empty text (all zero: a designated initializer that leaves
 * the field out gives NULL, as for a char *). CALX_DECIMAL_NULL spells it.
 *
 * At most CALX_DECIMAL_MAX_DIGITS (38) significant digits in all; a
 * column's NUMERIC(p,s) is checked when a value is written or loaded:
 * more than p - s digits before the point or more than s after it is
 * CALX_ERANGE, naming the column.
 *
 * This header includes calx/types.h and the standard headers.
 */
#ifndef CALX_DECIMAL_H
#define CALX_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calx/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most digits a calx_decimal holds (integer and fraction digits together). */
#define CALX_DECIMAL_MAX_DIGITS 38

typedef struct calx_decimal {
	/* canonical decimal text, NUL-terminated; "" is SQL NULL */
	char text[48];
} calx_decimal;

/* Initializers: .amount = CALX_DECIMAL("19.99") (canonical text only), CALX_DECIMAL_NULL. */
#define CALX_DECIMAL(s) { s }
#define CALX_DECIMAL_NULL { "" }

static inline bool calx_decimal_is_null(const calx_decimal *d)
{
	return d->text[0] == '\0';
}

/*
 * d as a value to compare with (calx_v(&d) in a select): a decimal
 * borrowing d's text, so d must stay as it is until the select has run;
 * SQL NULL when d is NULL or empty.
 */
static inline calx_value calx_value_decimal(const calx_decimal *d)
{
	return d && d->text[0] ? calx_value_numeric(d->text) : calx_value_null();
}

/*
 * Parse s ([+-]digits[.digits] or [+-].digits, nothing around it) into
 * its canonical form. CALX_ETYPE for text that is not a decimal, CALX_ERANGE
 * past CALX_DECIMAL_MAX_DIGITS significant digits; *out is then NULL.
 * NULL s gives NULL.
 */
int calx_decimal_parse(calx_decimal *out, const char *s);

/* units / 10^scale (scale 0..18): calx_decimal_from_units(&d, 1999, 2) is 19.99. */
int calx_decimal_from_units(calx_decimal *out, int64_t units, unsigned scale);

/*
 * d * 10^scale as an integer (scale 0..18), exactly: CALX_ERANGE when d has
 * more than scale fraction digits or the result does not fit int64_t,
 * CALX_EINVAL for NULL or a non-canonical d.
 */
int calx_decimal_to_units(const calx_decimal *d, unsigned scale, int64_t *out);

/*
 * Compare by value: <0, 0, >0. NULL sorts before every value and equals
 * NULL. Text that is not canonical compares as its bytes after NULLs' rule
 * (check it with calx_decimal_valid first).
 */
int calx_decimal_cmp(const calx_decimal *a, const calx_decimal *b);

/* Is d NULL or a value in the canonical form? */
bool calx_decimal_valid(const calx_decimal *d);

/*
 * Digits of a canonical value: before the point (0 for "0.5") and after.
 * Zero has 0 and 0. CALX_EINVAL for NULL or a non-canonical d.
 */
int calx_decimal_digits(const calx_decimal *d, unsigned *int_digits_out, unsigned *frac_digits_out);

/*
 * d with exactly scale fraction digits ("19.9" at scale 2 is "19.90"),
 * NUL-terminated in buf. CALX_ERANGE when d has more fraction digits or
 * buf is too small, CALX_EINVAL for NULL or a non-canonical d.
 */
int calx_decimal_format(const calx_decimal *d, unsigned scale, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* CALX_DECIMAL_H */
