/*
 * calx_decimal fields (calx/decimal.h) to and from values: exact both
 * ways. A field's NUMERIC(p,s) is read from its sql_type, which calx-reflect
 * writes from CALX(numeric(p, s)) or takes from type("NUMERIC(p,s)").
 *
 * A value is bound as CALX_VALUE_NUMERIC borrowing the field's canonical
 * text: PostgreSQL reads it into NUMERIC exactly, SQLite stores it as is
 * in the TEXT column numeric(p, s) declares there. Loaded values come as
 * PostgreSQL's NUMERIC text, SQLite's TEXT, an INTEGER (a whole number),
 * or a REAL, which only a column of another program's making holds
 * (SQLite's NUMERIC affinity turns "0.99" into a REAL): a REAL is taken
 * when it is the nearest double of a decimal of at most s fraction digits
 * and at most 15 significant digits (DBL_DIG: such a decimal is the only
 * one of its scale with that double), else CALX_ERANGE.
 */
#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "calx/decimal.h"
#include "base/decimal.h"
#include "base/decimal_text.h"
#include "mapping/value.h"

/* At most this much of a value in a message. */
#define SHOWN 48

static bool read_uint(const char **t, unsigned *out)
{
	unsigned v = 0;
	const char *p = *t;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p)) {
		if (v > 1000)
			return false;
		v = v * 10 + (unsigned)(*p++ - '0');
	}
	while (*p == ' ')
		p++;
	*t = p;
	*out = v;
	return true;
}

bool calx__decimal_field_ps(const calx_field_desc *f, unsigned *precision, unsigned *scale)
{
	const char *t = f->sql_type;
	unsigned p, s = 0;
	if (!t || (strncasecmp(t, "NUMERIC", 7) && strncasecmp(t, "DECIMAL", 7)))
		return false;
	t += 7;
	while (*t == ' ')
		t++;
	if (*t++ != '(' || !read_uint(&t, &p))
		return false;
	if (*t == ',' && (t++, !read_uint(&t, &s)))
		return false;
	if (*t != ')' || p == 0 || s > p)
		return false;
	*precision = p;
	*scale = s;
	return true;
}

/* The digits of a canonical value against the column's NUMERIC(p,s): NULL when they fit, else why. */
static const char *over(const calx_field_desc *f, unsigned n_int, unsigned n_frac, char *buf, size_t cap)
{
	unsigned p, s;
	if (!calx__decimal_field_ps(f, &p, &s))
		return NULL;
	if (n_frac > s)
		snprintf(buf, cap, "has %u digits after the point, NUMERIC(%u,%u) keeps %u", n_frac, p, s, s);
	else if (n_int > p - s)
		snprintf(buf, cap, "has %u digits before the point, NUMERIC(%u,%u) keeps %u", n_int, p, s, p - s);
	else
		return NULL;
	return buf;
}

int calx__decimal_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err)
{
	const calx_decimal *d = (const calx_decimal *)(const void *)p;
	unsigned ni, nf;
	char why[96], what[200];
	if (d->text[0] == '\0') {
		out->kind = CALX_VALUE_NULL;
		return CALX_OK;
	}
	if (!calx__decimal_shape(d->text, sizeof d->text, &ni, &nf))
		return calx__field_error(err, CALX_ETYPE, f,
		                         "not a canonical decimal (write it with calx_decimal_parse or calx_decimal_from_units)");
	if (over(f, ni, nf, why, sizeof why)) {
		snprintf(what, sizeof what, "%.*s %s", SHOWN, d->text, why);
		return calx__field_error(err, CALX_ERANGE, f, what);
	}
	out->kind = CALX_VALUE_NUMERIC;
	out->u.s.p = d->text;
	out->u.s.n = strlen(d->text);
	return CALX_OK;
}

/* Text of a value into the field, canonical and within NUMERIC(p,s). */
static int store_text(const calx_field_desc *f, calx_decimal *d, const char *t, size_t n, calx_error *err)
{
	calx_decimal c;
	unsigned ni, nf;
	char why[96], what[200];
	int rc = calx__decimal_canon(t, n, &c);
	if (rc == CALX_ETYPE) {
		/* only digits, signs and points are quoted: the text may be anything */
		bool plain = n <= SHOWN && strspn(t, "0123456789+-.") >= n;
		snprintf(what, sizeof what, "database value %.*s%sis not a decimal", plain ? (int)n : 0, plain ? t : "",
		         plain ? " " : "");
		return calx__field_error(err, CALX_ETYPE, f, what);
	}
	if (rc != CALX_OK || !calx__decimal_shape(c.text, sizeof c.text, &ni, &nf)) {
		snprintf(what, sizeof what, "database value %.*s%s has more than %d digits", (int)(n > SHOWN ? SHOWN : n), t,
		         n > SHOWN ? "..." : "", CALX_DECIMAL_MAX_DIGITS);
		return calx__field_error(err, CALX_ERANGE, f, what);
	}
	if (over(f, ni, nf, why, sizeof why)) {
		snprintf(what, sizeof what, "database value %.*s %s", SHOWN, c.text, why);
		return calx__field_error(err, CALX_ERANGE, f, what);
	}
	*d = c;
	return CALX_OK;
}

/* The decimal of at most s fraction digits whose nearest double is x, as text; false when there is none. */
static bool real_as_text(double x, unsigned s, char *buf, size_t cap)
{
	double back;
	if (!isfinite(x) || s > 17 || fabs(x) >= 1e17)
		return false;
	int n = snprintf(buf, cap, "%.*f", (int)s, x);
	if (n <= 0 || (size_t)n >= cap)
		return false;
	/* the locale's radix character, whatever it is, becomes '.' */
	for (char *c = buf; *c; c++)
		if (!isdigit((unsigned char)*c) && *c != '-') {
			size_t rest = strspn(c + 1, "0123456789");
			size_t radix = strlen(c) - rest;
			c[0] = '.';
			memmove(c + 1, c + radix, rest + 1);
			break;
		}
	if (calx__dec_to_double(buf, strlen(buf), &back) != CALX__DEC_OK || back != x)
		return false;
	/* more than DBL_DIG significant digits: another decimal of the scale may share the double */
	unsigned sig = 0;
	bool lead = true;
	for (const char *c = buf; *c; c++)
		if (isdigit((unsigned char)*c) && !(lead && *c == '0')) {
			lead = false;
			sig++;
		}
	return sig <= DBL_DIG;
}

int calx__decimal_store(const calx_field_desc *f, unsigned char *p, const calx_value *v, calx_error *err)
{
	calx_decimal *d = (calx_decimal *)(void *)p;
	char buf[64], what[200];
	unsigned prec, s;
	switch (v->kind) {
	case CALX_VALUE_NUMERIC:
	case CALX_VALUE_TEXT:
		return store_text(f, d, v->u.s.p, v->u.s.n, err);
	case CALX_VALUE_INT:
		snprintf(buf, sizeof buf, "%" PRId64, v->u.i);
		return store_text(f, d, buf, strlen(buf), err);
	case CALX_VALUE_REAL:
		if (!calx__decimal_field_ps(f, &prec, &s))
			s = DBL_DIG;
		if (!real_as_text(v->u.d, s, buf, sizeof buf)) {
			snprintf(what, sizeof what, "database REAL %.17g is no decimal of at most %u fraction and %d significant digits",
			         v->u.d, s, DBL_DIG);
			return calx__field_error(err, CALX_ERANGE, f, what);
		}
		return store_text(f, d, buf, strlen(buf), err);
	case CALX_VALUE_BLOB:
		return calx__field_error(err, CALX_ETYPE, f, "database returned a BLOB for a decimal field");
	case CALX_VALUE_NULL:
		memset(d, 0, sizeof *d);
		return CALX_OK;
	}
	return calx__field_error(err, CALX_EINVAL, f, "bad value kind");
}

bool calx__decimal_equal(const unsigned char *a, const unsigned char *b)
{
	return calx_decimal_cmp((const calx_decimal *)(const void *)a, (const calx_decimal *)(const void *)b) == 0;
}

int calx__decimal_check_compare(const calx_field_desc *f, const calx_value *v, calx_error *err)
{
	calx_decimal c;
	char what[200];
	switch (v->kind) {
	case CALX_VALUE_INT:
		return CALX_OK;           /* whole: "5" on SQLite, where TEXT affinity makes the bound 5 text */
	case CALX_VALUE_NUMERIC:
		if (calx__value_span_bad(v) || calx__decimal_canon(v->u.s.p, v->u.s.n, &c) != CALX_OK)
			return calx__field_error(err, CALX_ETYPE, f, "compared with a malformed decimal");
		if (strlen(c.text) != v->u.s.n || memcmp(c.text, v->u.s.p, v->u.s.n) != 0) {
			snprintf(what, sizeof what,
			         "compared with %.*s, not in calx_decimal's canonical form (%s): use a calx_decimal or calx_decimal_parse",
			         (int)(v->u.s.n > SHOWN ? SHOWN : v->u.s.n), v->u.s.p, c.text);
			return calx__field_error(err, CALX_ETYPE, f, what);
		}
		return CALX_OK;
	case CALX_VALUE_REAL:
		return calx__field_error(err, CALX_ETYPE, f, "compared with a floating value: compare with a calx_decimal");
	default:
		return calx__field_error(err, CALX_ETYPE, f, "compared with a value that is not a number");
	}
}
