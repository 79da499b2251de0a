/*
 * NUMERIC values (exact decimal text, calx/types.h) into fields: each C
 * type gets the value it can hold without a silent change -- an integer
 * only a whole number, read exactly (never through a double, which would
 * turn 1.00000000000000000001 into 1); a float or double the nearest
 * value, as SQLAlchemy's Float(asdecimal=False) does; text the decimal as
 * the database wrote it, as lossless as SQLAlchemy's Decimal.
 */
#include <stdio.h>
#include "calx/calx.h"
#include "base/decimal.h"
#include "mapping/value.h"

/* At most this much of a decimal in a message: a NUMERIC can have 147,000 digits. */
#define SHOWN 40

static int refuse(calx_error *err, int code, const calx_field_desc *f, const calx_value *v, const char *why)
{
	char what[160];
	int shown = (int)(v->u.s.n > SHOWN ? SHOWN : v->u.s.n);
	/* the text is valid by now: digits, signs, '.', 'e' or letters of NaN/Infinity, safe to quote */
	snprintf(what, sizeof what, "database value %.*s%s %s", shown, v->u.s.p, v->u.s.n > SHOWN ? "..." : "", why);
	return calx__field_error(err, code, f, what);
}

int calx__numeric_for_field(const calx_field_desc *f, const calx_value *v, calx_value *out, calx_error *err)
{
	const char *p = v->u.s.p;
	size_t n = v->u.s.n;
	if (!calx__dec_valid(p, n))
		return calx__field_error(err, CALX_ETYPE, f, "database returned a malformed decimal");
	switch (f->ctype) {
	case CALX_CTYPE_STRING:
	case CALX_CTYPE_CHARARRAY:
	case CALX_CTYPE_CHAR:           /* its text: "7" fits a char, "42" does not (stored as text) */
	case CALX_CTYPE_DECIMAL:        /* its text, checked against NUMERIC(p,s) when it is stored */
		*out = *v;
		out->kind = CALX_VALUE_TEXT;
		return CALX_OK;
	case CALX_CTYPE_FLOAT: {
		float x;
		/* straight to the nearest float: through a double, a value could be rounded twice */
		if (calx__dec_to_float(p, n, &x) != CALX__DEC_OK)
			return refuse(err, CALX_ERANGE, f, v, "does not fit a float");
		*out = calx_value_real(x);
		return CALX_OK;
	}
	case CALX_CTYPE_DOUBLE: {
		double x;
		if (calx__dec_to_double(p, n, &x) != CALX__DEC_OK)
			return refuse(err, CALX_ERANGE, f, v, "does not fit a double");
		*out = calx_value_real(x);
		return CALX_OK;
	}
	case CALX_CTYPE_INT8: case CALX_CTYPE_INT16: case CALX_CTYPE_INT32: case CALX_CTYPE_INT64:
	case CALX_CTYPE_UINT8: case CALX_CTYPE_UINT16: case CALX_CTYPE_UINT32: case CALX_CTYPE_UINT64:
	case CALX_CTYPE_BOOL: {
		int64_t i;
		switch (calx__dec_to_int64(p, n, &i)) {
		case CALX__DEC_OK:
			*out = calx_value_int(i);   /* the field's own range: checked when it is stored */
			return CALX_OK;
		case CALX__DEC_FRACTION:
			return refuse(err, CALX_ETYPE, f, v, "is not a whole number");
		case CALX__DEC_NAN:
			return refuse(err, CALX_ETYPE, f, v, "is not a number");
		default:
			return refuse(err, CALX_ERANGE, f, v, "is out of range");
		}
	}
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
		return refuse(err, CALX_ETYPE, f, v, "is a number, not bytes");
	case CALX_CTYPE_USER:
		break;          /* never here: a user type takes the value itself (usertype.c) */
	}
	return calx__field_error(err, CALX_EINVAL, f, "unknown C type in descriptor");
}
