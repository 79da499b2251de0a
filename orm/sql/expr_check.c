/*
 * Is a value one a column can be compared with? The client's checks that
 * keep a comparison from failing on the server (PostgreSQL aborts the
 * transaction) or matching nothing (SQLite): the value's kind against the
 * column's C type, integers within its range, decimals and doubles whole
 * for integer columns, text valid UTF-8, NULL refused.
 */
#include <inttypes.h>
#include "calx/calx.h"
#include "base/decimal.h"
#include "base/utf8.h"
#include "sql/expr.h"
#include "mapping/value.h"

/*
 * A decimal against column f, as it will be bound: an integer column gets
 * an INT (PostgreSQL reads "42.000" as no bigint, and a fraction or a
 * value beyond int64_t would fail there and match nothing on SQLite: both
 * are refused here instead); any other column the decimal's text.
 */
static int check_numeric(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.n;
	int64_t i;
	if (!calx__dec_valid(p, n))
		return calx_error_set(err, CALX_ETYPE, "%s.%s compared with a malformed decimal", f->owner->name, f->name);
	if (f->ctype > CALX_CTYPE_BOOL)
		return CALX_OK;
	int shown = (int)(n > 40 ? 40 : n);
	switch (calx__dec_to_int64(p, n, &i)) {
	case CALX__DEC_OK:
		if (!calx__int_fits(f->ctype, i))
			return calx_error_set(err, CALX_ERANGE, "%s.%s (%s) compared with %.*s, out of its range",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype), shown, p);
		*bind = calx_value_int(i);
		return CALX_OK;
	case CALX__DEC_FRACTION:
	case CALX__DEC_NAN:
		return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with %.*s, which is not a whole number",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype), shown, p);
	default:
		return calx_error_set(err, CALX_ERANGE, "%s.%s (%s) compared with %.*s, beyond a 64-bit integer",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype), shown, p);
	}
}

/*
 * A double against an integer column f: bound as the integer it is. NaN
 * or a fraction is CALX_ETYPE, a value beyond int64_t (an unsigned 64-bit
 * value above INT64_MAX, through calx_v) CALX_ERANGE, on the client: the
 * server would fail the statement (PostgreSQL 22P02), aborting the
 * transaction, and SQLite would match nothing.
 */
static int check_real(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err)
{
	double d = v->u.d;
	if (d != d)
		return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with NaN, which is not a whole number",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype));
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return calx_error_set(err, CALX_ERANGE, "%s.%s (%s) compared with %.17g, beyond a 64-bit integer",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype), d);
	int64_t i = (int64_t)d;
	if ((double)i != d)
		return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with %.17g, which is not a whole number",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype), d);
	if (!calx__int_fits(f->ctype, i))
		return calx_error_set(err, CALX_ERANGE, "%s.%s (%s) compared with %.17g, out of its range",
		                      f->owner->name, f->name, calx__ctype_name(f->ctype), d);
	*bind = calx_value_int(i);
	return CALX_OK;
}

int calx__expr_check_value(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err)
{
	if (f->ctype == CALX_CTYPE_USER && v->kind != CALX_VALUE_NULL)
		return calx__user_check_value(f, v, bind, err);    /* through the column's type */
	bool text_col = f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY || f->ctype == CALX_CTYPE_CHAR;
	bool bytes_col = f->ctype == CALX_CTYPE_BYTEARRAY || f->ctype == CALX_CTYPE_BYTES;
	*bind = *v;
	if (f->ctype == CALX_CTYPE_DECIMAL && v->kind != CALX_VALUE_NULL)
		return calx__decimal_check_compare(f, v, err);     /* mapping/decimal_field.c */
	if ((f->flags & CALX_FIELD_ENUM_TEXT) && v->kind != CALX_VALUE_NULL)
		return calx__enum_check_compare(f, v, bind, err);  /* mapping/enum_field.c */
	/* bytes compare with bytes only: PostgreSQL would read text as a bytea literal, SQLite never match */
	if (bytes_col != (v->kind == CALX_VALUE_BLOB) && v->kind != CALX_VALUE_NULL)
		return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with %s", f->owner->name, f->name,
		                      calx__ctype_name(f->ctype),
		                      bytes_col ? "a value that is not bytes (use calx_value_blob or a calx_bytes)" : "bytes");
	switch (v->kind) {
	case CALX_VALUE_NULL:
		return calx_error_set(err, CALX_EINVAL,
		                      "comparison of %s.%s with NULL never matches in SQL: use calx_is_null()",
		                      f->owner->name, f->name);
	case CALX_VALUE_TEXT:
		if (!calx__text_valid(v->u.s.p, v->u.s.n))
			return calx_error_set(err, CALX_ETYPE,
			                      "%s.%s compared with text that is not valid UTF-8 or holds a NUL byte",
			                      f->owner->name, f->name);
		if (!text_col)
			return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with a string",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype));
		if (f->flags & CALX_FIELD_JSON)
			return calx__json_check(f, v->u.s.p, v->u.s.n, err);     /* mapping/json_field.c */
		return CALX_OK;
	case CALX_VALUE_BLOB:
		return CALX_OK;         /* a bytes column, checked above */
	case CALX_VALUE_NUMERIC:
		/* a decimal goes with text columns too: its text, exact (a char * on a NUMERIC column) */
		return check_numeric(f, v, bind, err);
	default:
		if (text_col)
			return calx_error_set(err, CALX_ETYPE, "%s.%s (%s) compared with a number",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype));
		if (v->kind == CALX_VALUE_REAL && f->ctype <= CALX_CTYPE_BOOL)
			return check_real(f, v, bind, err);
		if (v->kind == CALX_VALUE_INT && f->ctype <= CALX_CTYPE_BOOL && !calx__int_fits(f->ctype, v->u.i))
			return calx_error_set(err, CALX_ERANGE, "%s.%s (%s) compared with %" PRId64 ", out of its range",
			                      f->owner->name, f->name, calx__ctype_name(f->ctype), v->u.i);
		return CALX_OK;
	}
}
