#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/decimal.h"

/* Exponents saturate here: far beyond any NUMERIC or double, far below int64 overflow. */
#define EXP_LIMIT 1000000000000000LL
/*
 * A double's halfway points have at most 767 significant digits (a float's
 * 112), so the first 800 digits decide the rounding, except for an exact
 * tie: a nonzero digit after them (one "sticky" 1) tells a tie from a value
 * just above it.
 */
#define KEEP_DIGITS 800
#define CANON_MAX (1 + KEEP_DIGITS + 1 + 1 + 24)

enum form { FINITE, NOT_A_NUMBER, INFINITE };

/* A parsed decimal: integer digits ip[0..in), fraction fp[0..fn), times 10^exp. */
typedef struct dec {
	enum form form;
	bool neg;
	const char *ip, *fp;
	size_t in, fn;
	int64_t exp;
} dec;

/* Its nonzero part: digits first..last (of ip then fp), the value D x 10^e10. */
typedef struct sig {
	size_t first, last;
	int64_t e10;
} sig;

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* p[0..n) is w (lowercase letters) in any case. */
static bool word(const char *p, size_t n, const char *w)
{
	if (n != strlen(w))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((p[i] | 0x20) != w[i])
			return false;
	return true;
}

static bool parse(const char *p, size_t n, dec *d)
{
	size_t i = 0;
	memset(d, 0, sizeof *d);
	if (!p)
		return false;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		d->neg = p[i++] == '-';
	if (word(p + i, n - i, "nan")) {
		d->form = NOT_A_NUMBER;
		return i == 0;              /* PostgreSQL's NaN has no sign */
	}
	if (word(p + i, n - i, "infinity") || word(p + i, n - i, "inf")) {
		d->form = INFINITE;
		return true;
	}
	d->ip = p + i;
	while (i < n && is_digit(p[i]))
		i++;
	d->in = (size_t)(p + i - d->ip);
	if (i < n && p[i] == '.') {
		d->fp = p + ++i;
		while (i < n && is_digit(p[i]))
			i++;
		d->fn = (size_t)(p + i - d->fp);
	}
	if (d->in + d->fn == 0)
		return false;
	if (i < n && (p[i] == 'e' || p[i] == 'E')) {
		bool eneg = false;
		int64_t e = 0;
		if (++i < n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		if (i == n || !is_digit(p[i]))
			return false;
		for (; i < n && is_digit(p[i]); i++)
			if (e < EXP_LIMIT)
				e = e * 10 + (p[i] - '0');
		d->exp = eneg ? -e : e;
	}
	return i == n;
}

static char digit(const dec *d, size_t k)
{
	return k < d->in ? d->ip[k] : d->fp[k - d->in];
}

/* False when the value is zero. */
static bool significant(const dec *d, sig *s)
{
	size_t len = d->in + d->fn, k = 0;
	while (k < len && digit(d, k) == '0')
		k++;
	if (k == len)
		return false;
	s->first = k;
	for (k = len; digit(d, k - 1) == '0'; k--)
		;
	s->last = k - 1;
	/* trailing zeros go into the exponent, so D has none: D x 10^e10 is whole iff e10 >= 0 */
	s->e10 = d->exp - (int64_t)d->fn + (int64_t)(len - 1 - s->last);
	return true;
}

bool calx__dec_valid(const char *p, size_t n)
{
	dec d;
	return parse(p, n, &d);
}

calx__dec calx__dec_to_int64(const char *p, size_t n, int64_t *out)
{
	dec d;
	sig s;
	if (!parse(p, n, &d))
		return CALX__DEC_SYNTAX;
	if (d.form == NOT_A_NUMBER)
		return CALX__DEC_NAN;
	if (d.form == INFINITE)
		return CALX__DEC_RANGE;
	if (!significant(&d, &s)) {
		*out = 0;
		return CALX__DEC_OK;
	}
	if (s.e10 < 0)
		return CALX__DEC_FRACTION;
	if ((int64_t)(s.last - s.first + 1) + s.e10 > 19)
		return CALX__DEC_RANGE;
	/* at most 19 digits: below 10^19 < 2^64, so no step overflows */
	uint64_t mag = 0;
	for (size_t k = s.first; k <= s.last; k++)
		mag = mag * 10 + (uint64_t)(digit(&d, k) - '0');
	for (int64_t e = 0; e < s.e10; e++)
		mag *= 10;
	uint64_t limit = d.neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (mag > limit)
		return CALX__DEC_RANGE;
	*out = !d.neg ? (int64_t)mag : mag == limit ? INT64_MIN : -(int64_t)mag;
	return CALX__DEC_OK;
}

/*
 * The value as [-]DDDe[-]X: digits, '-' and 'e' only, which strtod reads
 * alike in every locale (a decimal point is the locale's; an exponent is
 * not). At most KEEP_DIGITS digits, then the sticky 1.
 */
static void canonical(const dec *d, const sig *s, char *buf)
{
	char *b = buf;
	size_t k = s->last - s->first + 1, take = k > KEEP_DIGITS ? KEEP_DIGITS : k;
	int64_t e = s->e10;
	if (d->neg)
		*b++ = '-';
	for (size_t i = 0; i < take; i++)
		*b++ = digit(d, s->first + i);
	if (k > take) {
		/* the digits dropped hold a nonzero one (the last digit is nonzero) */
		*b++ = '1';
		e += (int64_t)(k - take - 1);
	}
	snprintf(b, (size_t)(buf + CANON_MAX - b), "e%lld", (long long)e);
}

/* Shared by double and float: *special set for NaN, infinities and zero. */
static calx__dec prepare(const char *p, size_t n, char *buf, double *special)
{
	dec d;
	sig s;
	if (!parse(p, n, &d))
		return CALX__DEC_SYNTAX;
	buf[0] = '\0';
	if (d.form == NOT_A_NUMBER)
		*special = NAN;
	else if (d.form == INFINITE)
		*special = d.neg ? -INFINITY : INFINITY;
	else if (!significant(&d, &s))
		*special = d.neg ? -0.0 : 0.0;
	else
		canonical(&d, &s, buf);
	return CALX__DEC_OK;
}

calx__dec calx__dec_to_double(const char *p, size_t n, double *out)
{
	char buf[CANON_MAX];
	double x = 0;
	calx__dec rc = prepare(p, n, buf, &x);
	if (rc != CALX__DEC_OK || !buf[0]) {
		if (rc == CALX__DEC_OK)
			*out = x;
		return rc;
	}
	int saved = errno;          /* strtod reports overflow and underflow in errno: not ours to change */
	x = strtod(buf, NULL);
	errno = saved;
	if (isinf(x))
		return CALX__DEC_RANGE;
	*out = x;
	return CALX__DEC_OK;
}

calx__dec calx__dec_to_float(const char *p, size_t n, float *out)
{
	char buf[CANON_MAX];
	double special = 0;
	calx__dec rc = prepare(p, n, buf, &special);
	if (rc != CALX__DEC_OK || !buf[0]) {
		if (rc == CALX__DEC_OK)
			*out = (float)special;
		return rc;
	}
	/* strtof, not strtod then a cast: rounding twice can miss the nearest float */
	int saved = errno;
	float x = strtof(buf, NULL);
	errno = saved;
	if (isinf(x))
		return CALX__DEC_RANGE;
	*out = x;
	return CALX__DEC_OK;
}
