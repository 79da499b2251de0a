/*
 * NUMERIC results, exactly. PostgreSQL sends NUMERIC as decimal text
 * ([-]digits[.digits], NaN, Infinity, -Infinity), which is handed on as it
 * is, a CALX_VALUE_NUMERIC: the field it goes to decides (an integer field
 * takes it only when whole and in range, read exactly; float and double
 * the nearest value; text fields the text). Every NUMERIC, integral ones
 * included: turning "42.000" into an INT here would make a char * field
 * refuse it and a double field refuse 9007199254740993, which no double
 * holds exactly; the column is a decimal, and the value says so.
 */
#include "pg.h"

void calx__pg_numeric(const char *text, size_t len, calx_value *out)
{
	out->kind = CALX_VALUE_NUMERIC;
	out->u.s.p = text;
	out->u.s.n = len;
}
