/*
 * calx_decimal (calx/decimal.h): exact decimals kept as canonical text.
 * Digit strings only, never a double: every function here works on the
 * text or on int64_t units.
 */
#include <stdio.h>
#include <string.h>
#include "calx/decimal.h"
#include "calx/errors.h"
#include "base/decimal_text.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int calx__decimal_canon(const char *p, size_t n, calx_decimal *out)
{
	size_t i = 0, int_start, int_end, frac_start, frac_end;
	bool neg = false;
	memset(out, 0, sizeof *out);
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	int_start = i;
	while (i < n && is_digit(p[i]))
		i++;
	int_end = i;
	frac_start = frac_end = i;
	if (i < n && p[i] == '.') {
		frac_start = ++i;
		while (i < n && is_digit(p[i]))
			i++;
		frac_end = i;
	}
	if (i != n || (int_end == int_start && frac_end == frac_start))
		return CALX_ETYPE;
	while (int_start < int_end && p[int_start] == '0')
		int_start++;
	while (frac_end > frac_start && p[frac_end - 1] == '0')
		frac_end--;
	size_t n_int = int_end - int_start, n_frac = frac_end - frac_start;
	if (n_int + n_frac > CALX_DECIMAL_MAX_DIGITS)
		return CALX_ERANGE;
	char *o = out->text;
	if (neg && (n_int || n_frac))
		*o++ = '-';               /* no "-0": zero has one spelling */
	if (n_int) {
		memcpy(o, p + int_start, n_int);
		o += n_int;
	} else {
		*o++ = '0';
	}
	if (n_frac) {
		*o++ = '.';
		memcpy(o, p + frac_start, n_frac);
	}
	return CALX_OK;
}

int calx_decimal_parse(calx_decimal *out, const char *s)
{
	if (!out)
		return CALX_EINVAL;
	if (!s) {
		memset(out, 0, sizeof *out);
		return CALX_OK;
	}
	return calx__decimal_canon(s, strlen(s), out);
}

bool calx__decimal_shape(const char *t, size_t cap, unsigned *n_int, unsigned *n_frac)
{
	const char *end = memchr(t, '\0', cap);
	size_t i = 0, n;
	if (!end || end == t)
		return false;
	n = (size_t)(end - t);
	if (t[0] == '-')
		i++;
	size_t int_start = i;
	while (i < n && is_digit(t[i]))
		i++;
	size_t ni = i - int_start;
	if (ni == 0 || (ni > 1 && t[int_start] == '0'))
		return false;
	size_t nf = 0;
	if (i < n && t[i] == '.') {
		size_t fs = ++i;
		while (i < n && is_digit(t[i]))
			i++;
		nf = i - fs;
		if (nf == 0 || t[i - 1] == '0')
			return false;
	}
	if (i != n)
		return false;
	bool zero = ni == 1 && t[int_start] == '0' && nf == 0;
	if (zero && t[0] == '-')
		return false;
	/* "0.5": the leading zero is no digit of the value */
	*n_int = ni == 1 && t[int_start] == '0' ? 0 : (unsigned)ni;
	*n_frac = (unsigned)nf;
	return *n_int + *n_frac <= CALX_DECIMAL_MAX_DIGITS;
}

bool calx_decimal_valid(const calx_decimal *d)
{
	unsigned a, b;
	return d && (d->text[0] == '\0' || calx__decimal_shape(d->text, sizeof d->text, &a, &b));
}

int calx_decimal_digits(const calx_decimal *d, unsigned *int_digits_out, unsigned *frac_digits_out)
{
	unsigned a, b;
	if (!d || !int_digits_out || !frac_digits_out || !calx__decimal_shape(d->text, sizeof d->text, &a, &b))
		return CALX_EINVAL;
	*int_digits_out = a;
	*frac_digits_out = b;
	return CALX_OK;
}

static const int64_t pow10_table[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
	1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
	100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

int calx_decimal_from_units(calx_decimal *out, int64_t units, unsigned scale)
{
	char digits[24], text[48];
	if (!out || scale > 18)
		return CALX_EINVAL;
	/* the magnitude as unsigned: INT64_MIN has no positive int64_t */
	uint64_t mag = units < 0 ? (uint64_t)0 - (uint64_t)units : (uint64_t)units;
	/* at least scale + 1 digits, so that the point has a digit before it */
	int n = snprintf(digits, sizeof digits, "%0*llu", (int)scale + 1, (unsigned long long)mag);
	snprintf(text, sizeof text, "%s%.*s.%s", units < 0 ? "-" : "", n - (int)scale, digits, digits + n - (int)scale);
	return calx__decimal_canon(text, strlen(text), out);
}

int calx_decimal_to_units(const calx_decimal *d, unsigned scale, int64_t *out)
{
	unsigned ni, nf;
	if (!d || !out || scale > 18 || !calx__decimal_shape(d->text, sizeof d->text, &ni, &nf))
		return CALX_EINVAL;
	if (nf > scale)
		return CALX_ERANGE;
	const char *t = d->text;
	bool neg = *t == '-';
	if (neg)
		t++;
	/* accumulate the magnitude as a negative number: it reaches INT64_MIN */
	int64_t acc = 0;
	for (; *t; t++) {
		if (*t == '.')
			continue;
		int dig = *t - '0';
		if (acc < (INT64_MIN + dig) / 10)
			return CALX_ERANGE;
		acc = acc * 10 - dig;
	}
	int64_t f = pow10_table[scale - nf];
	if (acc < INT64_MIN / f)
		return CALX_ERANGE;
	acc *= f;
	if (!neg && acc == INT64_MIN)
		return CALX_ERANGE;
	*out = neg ? acc : -acc;
	return CALX_OK;
}

/* Magnitudes of two canonical non-negative texts (no sign). */
static int cmp_magnitude(const char *a, const char *b)
{
	size_t ia = strcspn(a, "."), ib = strcspn(b, ".");
	/* "0.5" and "0" have no integer digits of value */
	size_t va = ia == 1 && a[0] == '0' ? 0 : ia, vb = ib == 1 && b[0] == '0' ? 0 : ib;
	if (va != vb)
		return va < vb ? -1 : 1;
	int c = memcmp(a, b, ia);
	if (c)
		return c < 0 ? -1 : 1;
	/* the fractions, the shorter padded with zeros */
	const char *fa = a[ia] ? a + ia + 1 : "", *fb = b[ib] ? b + ib + 1 : "";
	size_t la = strlen(fa), lb = strlen(fb);
	for (size_t i = 0; i < la || i < lb; i++) {
		char ca = i < la ? fa[i] : '0', cb = i < lb ? fb[i] : '0';
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

int calx_decimal_cmp(const calx_decimal *a, const calx_decimal *b)
{
	bool na = a->text[0] == '\0', nb = b->text[0] == '\0';
	if (na || nb)
		return na && nb ? 0 : na ? -1 : 1;
	if (!calx_decimal_valid(a) || !calx_decimal_valid(b)) {
		int c = strncmp(a->text, b->text, sizeof a->text);
		return (c > 0) - (c < 0);
	}
	bool sa = a->text[0] == '-', sb = b->text[0] == '-';
	if (sa != sb)
		return sa ? -1 : 1;
	int c = cmp_magnitude(a->text + sa, b->text + sb);
	return sa ? -c : c;
}

int calx_decimal_format(const calx_decimal *d, unsigned scale, char *buf, size_t cap)
{
	unsigned ni, nf;
	if (!d || !buf || !calx__decimal_shape(d->text, sizeof d->text, &ni, &nf))
		return CALX_EINVAL;
	if (nf > scale)
		return CALX_ERANGE;
	size_t len = strlen(d->text);
	size_t need = len + (nf == 0 && scale ? 1 : 0) + (scale - nf) + 1;
	if (need > cap)
		return CALX_ERANGE;
	memcpy(buf, d->text, len);
	if (nf == 0 && scale)
		buf[len++] = '.';
	memset(buf + len, '0', scale - nf);
	buf[len + scale - nf] = '\0';
	return CALX_OK;
}
