/*
 * The calendar (proleptic Gregorian, days since the epoch) and the
 * ISO-8601 text every value of calx/time.h's types goes through: the
 * parser (a program's text, PostgreSQL's output, SQLite's stored text)
 * and the canonical form.
 */
#include <stddef.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/time_text.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (eras of 400 years, March-based years). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int calx__days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}


static bool digits(const char **p, const char *end, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (*p >= end || (*p)[0] < '0' || (*p)[0] > '9')
			return false;
		v = v * 10 + ((*p)[0] - '0');
		(*p)++;
	}
	*out = v;
	return true;
}

static int parse_time_part(const char **p, const char *end, calx__time_parsed *r)
{
	if (!digits(p, end, 2, &r->h) || *p >= end || **p != ':' || (++*p, !digits(p, end, 2, &r->mi)))
		return CALX_EINVAL;
	r->s = 0;
	r->usec = 0;
	if (*p < end && **p == ':') {
		++*p;
		if (!digits(p, end, 2, &r->s))
			return CALX_EINVAL;
		if (*p < end && **p == '.') {
			++*p;
			int n = 0;
			bool finer = false;
			while (*p < end && **p >= '0' && **p <= '9') {
				if (n < 6)
					r->usec = r->usec * 10 + (**p - '0');
				else if (**p != '0')
					finer = true;     /* a part finer than a microsecond: kept nowhere */
				n++;
				++*p;
			}
			if (!n)
				return CALX_EINVAL;
			for (; n < 6; n++)
				r->usec *= 10;
			if (finer)
				return CALX_ERANGE;
		}
	}
	if (r->h > 23 || r->mi > 59 || r->s > 59)
		return CALX_ERANGE;
	r->has_time = true;
	return CALX_OK;
}

static int parse_offset(const char **p, const char *end, calx__time_parsed *r)
{
	if (*p >= end)
		return CALX_OK;
	if (**p == 'Z' || **p == 'z') {
		++*p;
		r->has_offset = true;
		return CALX_OK;
	}
	if (**p != '+' && **p != '-')
		return CALX_EINVAL;
	int sign = **p == '-' ? -1 : 1, hh, mm = 0, ss = 0;
	++*p;
	if (!digits(p, end, 2, &hh))
		return CALX_EINVAL;
	if (*p < end && **p == ':') {
		++*p;
		if (!digits(p, end, 2, &mm))
			return CALX_EINVAL;
		if (*p < end && **p == ':' && (++*p, !digits(p, end, 2, &ss)))
			return CALX_EINVAL;
	} else if (*p < end && **p >= '0' && **p <= '9' && !digits(p, end, 2, &mm)) {
		return CALX_EINVAL;
	}
	if (hh > 23 || mm > 59 || ss > 59)
		return CALX_ERANGE;
	r->offset = sign * (hh * 3600 + mm * 60 + ss);
	r->has_offset = true;
	return CALX_OK;
}

/* "YYYY-MM-DD[(T| )HH:MM[:SS[.f]]][offset]" or, with time_only, "HH:MM[:SS[.f]]". */
int calx__time_parse(const char *s, size_t n, bool time_only, calx__time_parsed *r)
{
	const char *p = s, *end = s + n;
	memset(r, 0, sizeof *r);
	int rc;
	if (time_only) {
		if ((rc = parse_time_part(&p, end, r)) != CALX_OK)
			return rc;
		return p == end ? CALX_OK : CALX_EINVAL;
	}
	if (!digits(&p, end, 4, &r->y))
		return CALX_EINVAL;
	if (p < end && *p >= '0' && *p <= '9')
		return CALX_ERANGE;     /* a year of five digits or more */
	if (p >= end || *p++ != '-' || !digits(&p, end, 2, &r->mo) || p >= end ||
	    *p++ != '-' || !digits(&p, end, 2, &r->d))
		return CALX_EINVAL;
	if (p < end && p[0] >= '0' && p[0] <= '9')
		return CALX_ERANGE;      /* a fifth digit of the day, or a year of five: beyond four digits */
	if (r->mo < 1 || r->mo > 12 || r->d < 1 || r->y < 1 || r->d > calx__days_in_month(r->y, r->mo))
		return r->y < 1 ? CALX_ERANGE : CALX_EINVAL;
	r->has_date = true;
	if (p < end && (*p == 'T' || *p == 't' || *p == ' ')) {
		p++;
		if ((rc = parse_time_part(&p, end, r)) != CALX_OK)
			return rc;
	}
	if ((rc = parse_offset(&p, end, r)) != CALX_OK)
		return rc;
	if (p < end) {
		/* PostgreSQL's " BC": before year 1, out of range; anything else is malformed */
		return n - (size_t)(p - s) == 3 && !memcmp(p, " BC", 3) ? CALX_ERANGE : CALX_EINVAL;
	}
	return CALX_OK;
}

int64_t calx__time_usec_of(const calx__time_parsed *r)
{
	return days_from_civil(r->y, r->mo, r->d) * USEC_PER_DAY +
	       ((int64_t)r->h * 3600 + r->mi * 60 + r->s - r->offset) * USEC_PER_SEC + r->usec;
}

/* v as exactly n decimal digits (v < 10^n, checked by the callers' ranges). */
static char *put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

/* "YYYY-MM-DD" at p (no NUL); the year in 1..9999. */
char *calx__time_put_date(char *p, int y, int m, int d)
{
	p = put_digits(p, (unsigned)y, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned)m, 2);
	*p++ = '-';
	return put_digits(p, (unsigned)d, 2);
}

/* "HH:MM:SS.ffffff" at p (no NUL). */
char *calx__time_put_time(char *p, int h, int mi, int s, int usec)
{
	p = put_digits(p, (unsigned)h, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)mi, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)s, 2);
	*p++ = '.';
	return put_digits(p, (unsigned)usec, 6);
}

/* usec within the range into "YYYY-MM-DD HH:MM:SS.ffffff" (27 bytes with the NUL). */
void calx__time_format_usec(int64_t usec, char *out)
{
	int64_t days = (usec >= 0 ? usec : usec - USEC_PER_DAY + 1) / USEC_PER_DAY;
	int64_t rest = usec - days * USEC_PER_DAY;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	int64_t secs = rest / USEC_PER_SEC;
	char *p = calx__time_put_date(out, y, m, d);
	*p++ = ' ';
	p = calx__time_put_time(p, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), (int)(rest % USEC_PER_SEC));
	*p = '\0';
}

