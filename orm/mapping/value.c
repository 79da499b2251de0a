#include <float.h>
#include <inttypes.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"

const char *calx__ctype_name(calx_ctype t)
{
	switch (t) {
	case CALX_CTYPE_INT8: return "int8_t";
	case CALX_CTYPE_INT16: return "int16_t";
	case CALX_CTYPE_INT32: return "int32_t";
	case CALX_CTYPE_INT64: return "int64_t";
	case CALX_CTYPE_UINT8: return "uint8_t";
	case CALX_CTYPE_UINT16: return "uint16_t";
	case CALX_CTYPE_UINT32: return "uint32_t";
	case CALX_CTYPE_UINT64: return "uint64_t";
	case CALX_CTYPE_BOOL: return "bool";
	case CALX_CTYPE_FLOAT: return "float";
	case CALX_CTYPE_DOUBLE: return "double";
	case CALX_CTYPE_STRING: return "char *";
	case CALX_CTYPE_CHARARRAY: return "char[]";
	case CALX_CTYPE_BYTEARRAY: return "unsigned char[]";
	case CALX_CTYPE_BYTES: return "calx_bytes";
	case CALX_CTYPE_CHAR: return "char";
	case CALX_CTYPE_DECIMAL: return "calx_decimal";
	case CALX_CTYPE_USER: return "user type";
	}
	return "?";
}

static int field_error(calx_error *err, int code, const calx_field_desc *f, const char *what)
{
	return calx_error_set(err, code, "%s.%s (column \"%s\".\"%s\", %s): %s",
	                      f->owner ? f->owner->name : "?", f->name,
	                      f->owner ? f->owner->table : "?", f->column, calx__ctype_name(f->ctype), what);
}

int calx__field_error(calx_error *err, int code, const calx_field_desc *f, const char *what)
{
	return field_error(err, code, f, what);
}

int calx__field_get(const calx_field_desc *f, const void *base, bool is_null, calx_value *out, calx_error *err)
{
	const unsigned char *p = (const unsigned char *)base + f->offset;
	if (f->ctype == CALX_CTYPE_USER)
		return calx__user_get(f, p, out, err);      /* NULL as the type says, not the mark */
	out->kind = CALX_VALUE_INT;
	/* a char * and a calx_bytes say NULL by their pointer; the mark only for the others */
	if ((is_null && f->ctype != CALX_CTYPE_STRING && f->ctype != CALX_CTYPE_BYTES) || calx__wrapper_null(f, p)) {
		out->kind = CALX_VALUE_NULL;
		return CALX_OK;
	}
	switch (f->ctype) {
	case CALX_CTYPE_INT8: { int8_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_INT16: { int16_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_INT32: { int32_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_INT64: { int64_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_UINT8: { uint8_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_UINT16: { uint16_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_UINT32: { uint32_t x; memcpy(&x, p, sizeof x); out->u.i = x; break; }
	case CALX_CTYPE_UINT64: {
		uint64_t x;
		memcpy(&x, p, sizeof x);
		if (x > (uint64_t)INT64_MAX) {
			char what[96];
			snprintf(what, sizeof what, "%" PRIu64 " does not fit a 64-bit signed SQL integer", x);
			return field_error(err, CALX_ERANGE, f, what);
		}
		out->u.i = (int64_t)x;
		break;
	}
	case CALX_CTYPE_BOOL: out->u.i = *p != 0; break;
	case CALX_CTYPE_FLOAT: { float x; memcpy(&x, p, sizeof x); out->kind = CALX_VALUE_REAL; out->u.d = x; break; }
	case CALX_CTYPE_DOUBLE: { double x; memcpy(&x, p, sizeof x); out->kind = CALX_VALUE_REAL; out->u.d = x; break; }
	case CALX_CTYPE_STRING: {
		const char *s;
		memcpy(&s, p, sizeof s);
		if (!s) {
			out->kind = CALX_VALUE_NULL;
			break;
		}
		out->kind = CALX_VALUE_TEXT;
		out->u.s.p = s;
		out->u.s.n = strlen(s);
		if (!calx__utf8_valid(s, out->u.s.n))
			return field_error(err, CALX_ETYPE, f, "text is not valid UTF-8");
		if (f->flags & CALX_FIELD_JSON)
			return calx__json_check(f, s, out->u.s.n, err);
		break;
	}
	case CALX_CTYPE_CHARARRAY: {
		const char *end = memchr(p, '\0', f->size);
		if (!end) {
			char what[96];
			snprintf(what, sizeof what, "not NUL-terminated within its %zu bytes", f->size);
			return field_error(err, CALX_ERANGE, f, what);
		}
		out->kind = CALX_VALUE_TEXT;
		out->u.s.p = (const char *)p;
		out->u.s.n = (size_t)(end - (const char *)p);
		if (!calx__utf8_valid(out->u.s.p, out->u.s.n))
			return field_error(err, CALX_ETYPE, f, "text is not valid UTF-8");
		break;
	}
	case CALX_CTYPE_BYTEARRAY:
		/* all N bytes, always: the array has no length of its own */
		out->kind = CALX_VALUE_BLOB;
		out->u.s.p = (const char *)p;
		out->u.s.n = f->size;
		break;
	case CALX_CTYPE_BYTES:
		return calx__bytes_get(f, p, out, err);
	case CALX_CTYPE_CHAR:
		return calx__char_get(f, p, out, err);
	case CALX_CTYPE_DECIMAL:
		return calx__decimal_get(f, p, out, err);
	default:
		return field_error(err, CALX_EINVAL, f, "unknown C type in descriptor");
	}
	if (f->flags & CALX_FIELD_ENUM_TEXT)
		return calx__enum_to_name(f, out, err);      /* enum_field.c: the constant's name */
	return CALX_OK;
}

/*
 * After a scalar is stored: a wrapper's value now has_value. Only set_int
 * and set_real call it, since a wrapper only ever holds a scalar: text and
 * NULL, most of what a row load stores, pass no wrapper test at all.
 */
static inline void scalar_stored(const calx_field_desc *f, unsigned char *p)
{
	if (f->flags & CALX_FIELD_OPTIONAL)
		p[calx__has_value_at(f)] = 1;
}

static int set_int(const calx_field_desc *f, unsigned char *p, int64_t i, calx_error *err)
{
	if (!calx__int_fits(f->ctype, i)) {
		char what[96];
		snprintf(what, sizeof what, "database value %" PRId64 " is out of range", i);
		return field_error(err, CALX_ERANGE, f, what);
	}
	switch (f->ctype) {
	case CALX_CTYPE_INT8: { int8_t x = (int8_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_INT16: { int16_t x = (int16_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_INT32: { int32_t x = (int32_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_INT64: memcpy(p, &i, sizeof i); break;
	case CALX_CTYPE_UINT8: { uint8_t x = (uint8_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_UINT16: { uint16_t x = (uint16_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_UINT32: { uint32_t x = (uint32_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_UINT64: { uint64_t x = (uint64_t)i; memcpy(p, &x, sizeof x); break; }
	case CALX_CTYPE_BOOL: { _Bool x = i != 0; memcpy(p, &x, sizeof x); break; }
	default: break;
	}
	scalar_stored(f, p);
	return CALX_OK;
}

static bool is_integer_ctype(calx_ctype t)
{
	return t >= CALX_CTYPE_INT8 && t <= CALX_CTYPE_BOOL;
}

static int set_real(const calx_field_desc *f, unsigned char *p, double d, calx_error *err)
{
	if (f->ctype == CALX_CTYPE_DOUBLE) {
		memcpy(p, &d, sizeof d);
		scalar_stored(f, p);
		return CALX_OK;
	}
	if (f->ctype == CALX_CTYPE_FLOAT) {
		/*
		 * A float printed with 9 digits (PostgreSQL's REAL) can read back as
		 * a double just above FLT_MAX: up to half an ulp it is FLT_MAX.
		 */
		const double float_round_limit = 3.4028235677973366e+38;
		float x;
		if (isfinite(d) && fabs(d) >= float_round_limit)
			return field_error(err, CALX_ERANGE, f, "database value does not fit a float");
		if (isfinite(d) && fabs(d) > FLT_MAX)
			x = d > 0 ? FLT_MAX : -FLT_MAX;
		else
			x = (float)d;
		memcpy(p, &x, sizeof x);
		scalar_stored(f, p);
		return CALX_OK;
	}
	/* An integral REAL (SQLite gives one from a REAL column) fits an integer field. */
	if (is_integer_ctype(f->ctype) && d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		return set_int(f, p, (int64_t)d, err);
	return field_error(err, CALX_ETYPE, f, "database returned a REAL for an integer field");
}

static bool float_exact(int64_t i)
{
	float x = (float)i;
	return x > -9223372036854775808.0f && x < 9223372036854775808.0f && (int64_t)x == i;
}

static int store_numeric(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx__arena *arena,
                         calx_error *err);

static inline bool is_bytes_ctype(calx_ctype t)
{
	return t == CALX_CTYPE_BYTEARRAY || t == CALX_CTYPE_BYTES;
}


/*
 * A non-NULL v into the C value at p (a wrapper gets has_value when its
 * value is stored: scalar_stored). Inline in calx__field_set: every loaded
 * field goes through it, and a call of its own cost 20 instructions a
 * field in the load benchmarks.
 */
static inline __attribute__((always_inline)) int store(const calx_field_desc *f, unsigned char *p,
                                                       const calx_value *v, calx__arena *arena, calx_error *err)
{
	switch (v->kind) {
	case CALX_VALUE_NULL:
		break;
	case CALX_VALUE_INT:
		if (is_integer_ctype(f->ctype))
			return set_int(f, p, v->u.i, err);
		if (f->ctype == CALX_CTYPE_DOUBLE || f->ctype == CALX_CTYPE_FLOAT) {
			double d = (double)v->u.i;
			/* exact below 2^53 (double) or 2^24 (float); beyond, refuse to round */
			if ((f->ctype == CALX_CTYPE_DOUBLE && (d >= 9223372036854775808.0 || (int64_t)d != v->u.i)) ||
			    (f->ctype == CALX_CTYPE_FLOAT && !float_exact(v->u.i)))
				return field_error(err, CALX_ERANGE, f, "database integer is not exact in this floating type");
			return set_real(f, p, d, err);
		}
		if (f->ctype == CALX_CTYPE_DECIMAL)
			return calx__decimal_store(f, p, v, err);
		return field_error(err, CALX_ETYPE, f, is_bytes_ctype(f->ctype) ? "database returned an INTEGER for a bytes field"
		                                                               : "database returned an INTEGER for a text field");
	case CALX_VALUE_REAL:
		if (f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY || f->ctype == CALX_CTYPE_CHAR)
			return field_error(err, CALX_ETYPE, f, "database returned a REAL for a text field");
		if (is_bytes_ctype(f->ctype))
			return field_error(err, CALX_ETYPE, f, "database returned a REAL for a bytes field");
		if (f->ctype == CALX_CTYPE_DECIMAL)
			return calx__decimal_store(f, p, v, err);
		return set_real(f, p, v->u.d, err);
	case CALX_VALUE_TEXT:
		if (is_bytes_ctype(f->ctype))
			return field_error(err, CALX_ETYPE, f, "database returned TEXT for a bytes field");
		if (!calx__text_valid(v->u.s.p, v->u.s.n)) {
			if (memchr(v->u.s.p, '\0', v->u.s.n))
				return field_error(err, CALX_ERANGE, f, "database text contains a NUL byte");
			return field_error(err, CALX_ETYPE, f, "database text is not valid UTF-8");
		}
		if (f->ctype == CALX_CTYPE_STRING) {
			char *s = calx__arena_strndup(arena, v->u.s.p, v->u.s.n);
			if (!s)
				return field_error(err, CALX_ENOMEM, f, "out of memory copying text");
			memcpy(p, &s, sizeof s);
			return CALX_OK;
		}
		if (f->ctype == CALX_CTYPE_CHARARRAY) {
			if (v->u.s.n >= f->size) {
				char what[128];
				snprintf(what, sizeof what, "database text of %zu bytes does not fit (at most %zu)",
				         v->u.s.n, f->size - 1);
				return field_error(err, CALX_ERANGE, f, what);
			}
			memcpy(p, v->u.s.p, v->u.s.n);
			memset(p + v->u.s.n, 0, f->size - v->u.s.n);
			return CALX_OK;
		}
		if (f->ctype == CALX_CTYPE_CHAR)
			return calx__char_store(f, p, v, err);
		if (f->ctype == CALX_CTYPE_DECIMAL)
			return calx__decimal_store(f, p, v, err);
		if (f->flags & CALX_FIELD_ENUM_TEXT) {
			calx_value c;
			int rc = calx__enum_from_name(f, v, &c, err);
			return rc != CALX_OK ? rc : set_int(f, p, c.u.i, err);
		}
		return field_error(err, CALX_ETYPE, f, "database returned TEXT for a numeric field");
	case CALX_VALUE_BLOB:
		if (is_bytes_ctype(f->ctype))
			return calx__bytes_store(f, p, v, arena, err);
		return field_error(err, CALX_ETYPE, f, "database returned a BLOB");
	case CALX_VALUE_NUMERIC:
		return store_numeric(f, p, v, arena, err);
	}
	return field_error(err, CALX_EINVAL, f, "bad value kind");
}

/* Out of line: the decimal's conversion would otherwise sit in every inlined store. */
__attribute__((noinline)) static int store_numeric(const calx_field_desc *f, unsigned char *p, const calx_value *v,
                                                   calx__arena *arena, calx_error *err)
{
	/* the kind the field's C type takes, exactly or the nearest, then stored as that */
	calx_value c;
	if (f->ctype == CALX_CTYPE_DECIMAL)
		return calx__decimal_store(f, p, v, err);
	int rc = calx__numeric_for_field(f, v, &c, err);
	return rc != CALX_OK ? rc : store(f, p, &c, arena, err);
}

int calx__field_set(const calx_field_desc *f, void *base, const calx_value *v, calx__arena *arena,
                    bool *is_null, calx_error *err)
{
	unsigned char *p = (unsigned char *)base + f->offset;
	if (f->ctype == CALX_CTYPE_USER)
		return calx__user_set(f, p, v, is_null, err);
	if (v->kind == CALX_VALUE_NULL) {
		/* a wrapper's all-zero bytes are its NULL */
		*is_null = true;
		memset(p, 0, f->size);
		return CALX_OK;
	}
	*is_null = false;
	return store(f, p, v, arena, err);     /* a wrapper's has_value: set_int, set_real */
}
