/*
 * NUMERIC results, exactly. PostgreSQL sends NUMERIC as decimal text; an
 * integral one that fits int64 becomes an INT value (so 9007199254740993
 * stays itself, and "3.000" is 3), anything else the nearest double --
 * unless that double would pass for a different integer: a field of an
 * integer type takes an integral REAL in range (mapping/value.c), so a
 * value such as 9007199254740993.5, 1.00000000000000000001 or
 * -9223372036854775809, whose nearest double is integral, comes back as
 * its text instead, which numeric fields refuse (CALX_ETYPE) rather than
 * store a rounded number.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include "pg.h"

void calx__pg_numeric(const char *text, size_t len, calx_value *out)
{
	const char *p = text;
	bool neg = *p == '-', digits = false, overflow = false, integral = true;
	if (*p == '-' || *p == '+')
		p++;
	uint64_t mag = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits = true) {
		if (mag > (UINT64_MAX - 9) / 10)
			overflow = true;
		else
			mag = mag * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			integral = integral && *p == '0';
	uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (digits && integral && !*p && !overflow && mag <= limit) {
		out->kind = CALX_VALUE_INT;
		out->u.i = neg ? (mag == limit ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
		return;
	}
	double d = strtod(text, NULL);
	if (isfinite(d) && d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
		out->kind = CALX_VALUE_TEXT;
		out->u.s.p = text;
		out->u.s.n = len;
		return;
	}
	out->kind = CALX_VALUE_REAL;
	out->u.d = d;
}
