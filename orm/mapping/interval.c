/*
 * calx/time.h's calx_interval: PostgreSQL's INTERVAL (months, days and
 * microseconds, kept apart as PostgreSQL keeps them: a month is not a
 * number of days), as canonical text "+M months +D days +S.ffffff seconds"
 * that PostgreSQL reads as input and whose parts are SQLite date()
 * modifiers. Read back from PostgreSQL's output (IntervalStyle postgres:
 * "1 year 2 mons -3 days +04:05:06.789") or the canonical text.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/time.h"

#define USEC_PER_SEC INT64_C(1000000)

/* The canonical text of the three parts into out (sizeof out->text is ample: 66 bytes at most). */
static void format(calx_interval *out, int32_t months, int32_t days, int64_t usec)
{
	uint64_t mag = usec < 0 ? 0 - (uint64_t)usec : (uint64_t)usec;
	memset(out, 0, sizeof *out);
	snprintf(out->text, sizeof out->text, "%+d months %+d days %c%llu.%06u seconds", (int)months, (int)days,
	         usec < 0 ? '-' : '+', (unsigned long long)(mag / 1000000u), (unsigned)(mag % 1000000u));
}

int calx_interval_from_parts(calx_interval *out, int32_t months, int32_t days, int64_t usec)
{
	if (!out)
		return CALX_EINVAL;
	/* the minimums are PostgreSQL's -infinity (version 17): no finite interval */
	if (months == INT32_MIN || days == INT32_MIN || usec == INT64_MIN)
		return CALX_ERANGE;
	format(out, months, days, usec);
	return CALX_OK;
}

/* A signed decimal integer at *p (optional sign, digits) into *out within [-max, max]. */
static bool signed_int(const char **p, const char *end, int64_t max, int64_t *out)
{
	bool neg = false;
	if (*p < end && (**p == '+' || **p == '-'))
		neg = *(*p)++ == '-';
	if (*p >= end || **p < '0' || **p > '9')
		return false;
	int64_t v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (v > (max - (**p - '0')) / 10)
			return false;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = neg ? -v : v;
	return true;
}

static bool word(const char **p, const char *end, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(end - *p) < n || memcmp(*p, w, n))
		return false;
	if (*p + n < end && (*p)[n] != ' ')
		return false;     /* "mon" is not the start of "mons" */
	*p += n;
	return true;
}

/* ".ffffff" (up to six digits; more, non-zero, is finer than a microsecond) at *p into *usec. */
static int fraction(const char **p, const char *end, int64_t *usec)
{
	*usec = 0;
	if (*p >= end || **p != '.')
		return CALX_OK;
	(*p)++;
	int n = 0;
	bool finer = false;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (n < 6)
			*usec = *usec * 10 + (**p - '0');
		else if (**p != '0')
			finer = true;
		n++;
		(*p)++;
	}
	if (!n)
		return CALX_EINVAL;
	for (; n < 6; n++)
		*usec *= 10;
	return finer ? CALX_ERANGE : CALX_OK;
}

/*
 * "[+-]N years|year|mons|mon|months|month|days|day" parts and a last
 * "[+-]N seconds" (the canonical form) or "[+-]H:MM:SS[.f]" (PostgreSQL's),
 * separated by single spaces. CALX_EINVAL if malformed, CALX_ERANGE when a
 * part does not fit.
 */
static int parse(const char *s, size_t n, calx_interval *out)
{
	const char *p = s, *end = s + n;
	int64_t months = 0, days = 0, usec = 0;
	bool any = false;
	while (p < end) {
		if (any) {
			if (*p != ' ')
				return CALX_EINVAL;
			p++;
		}
		any = true;
		const char *start = p;
		int64_t v;
		if (!signed_int(&p, end, INT64_MAX, &v))
			return CALX_EINVAL;
		if (p < end && *p == ':') {
			/* H:MM:SS[.f]: the time, last; its sign is the number's */
			bool neg = *start == '-';
			int64_t mm, ss, f, h = neg ? -v : v;
			p++;
			if (!signed_int(&p, end, 59, &mm) || mm < 0 || p >= end || *p++ != ':' ||
			    !signed_int(&p, end, 59, &ss) || ss < 0)
				return CALX_EINVAL;
			int rc = fraction(&p, end, &f);
			if (rc != CALX_OK)
				return rc;
			int64_t t;
			if (__builtin_mul_overflow(h, 3600 * USEC_PER_SEC, &t) ||
			    __builtin_add_overflow(t, (mm * 60 + ss) * USEC_PER_SEC + f, &t))
				return CALX_ERANGE;
			if (__builtin_add_overflow(usec, neg ? -t : t, &usec))
				return CALX_ERANGE;
			if (p != end)
				return CALX_EINVAL;
			break;
		}
		if (p < end && *p == '.') {
			/* "S.ffffff seconds": the canonical seconds */
			int64_t f;
			int rc = fraction(&p, end, &f);
			if (rc != CALX_OK)
				return rc;
			if (p >= end || *p++ != ' ' || !(word(&p, end, "seconds") || word(&p, end, "second")))
				return CALX_EINVAL;
			bool neg = *start == '-';
			int64_t t;
			if (__builtin_mul_overflow(v, USEC_PER_SEC, &t) || __builtin_add_overflow(t, neg ? -f : f, &t) ||
			    __builtin_add_overflow(usec, t, &usec))
				return CALX_ERANGE;
			continue;
		}
		if (p >= end || *p++ != ' ')
			return CALX_EINVAL;
		int64_t add;
		if (word(&p, end, "years") || word(&p, end, "year")) {
			if (__builtin_mul_overflow(v, 12, &add) || __builtin_add_overflow(months, add, &months))
				return CALX_ERANGE;
		} else if (word(&p, end, "months") || word(&p, end, "month") || word(&p, end, "mons") ||
			   word(&p, end, "mon")) {
			if (__builtin_add_overflow(months, v, &months))
				return CALX_ERANGE;
		} else if (word(&p, end, "days") || word(&p, end, "day")) {
			if (__builtin_add_overflow(days, v, &days))
				return CALX_ERANGE;
		} else if (word(&p, end, "seconds") || word(&p, end, "second")) {
			int64_t t;
			if (__builtin_mul_overflow(v, USEC_PER_SEC, &t) || __builtin_add_overflow(usec, t, &usec))
				return CALX_ERANGE;
		} else {
			return CALX_EINVAL;
		}
	}
	if (!any)
		return CALX_EINVAL;
	if (months <= INT32_MIN || months > INT32_MAX || days <= INT32_MIN || days > INT32_MAX)
		return CALX_ERANGE;
	return calx_interval_from_parts(out, (int32_t)months, (int32_t)days, usec);
}

int calx_interval_parse(calx_interval *out, const char *text)
{
	calx_interval v;
	if (!out || !text)
		return CALX_EINVAL;
	int rc = parse(text, strlen(text), &v);
	if (rc == CALX_OK)
		*out = v;
	return rc;
}

int calx_interval_parts(const calx_interval *iv, int32_t *months, int32_t *days, int64_t *usec)
{
	calx_interval again;
	if (!iv || !months || !days || !usec || !memchr(iv->text, '\0', sizeof iv->text) || !iv->text[0])
		return CALX_EINVAL;
	size_t n = strlen(iv->text);
	if (parse(iv->text, n, &again) != CALX_OK || strcmp(again.text, iv->text))
		return CALX_EINVAL;     /* set through the helpers: canonical text only */
	long long m, d, sec;
	unsigned frac;
	char sign;
	if (sscanf(iv->text, "%lld months %lld days %c%lld.%6u seconds", &m, &d, &sign, &sec, &frac) != 5)
		return CALX_EINVAL;
	int64_t u = (int64_t)sec * USEC_PER_SEC + frac;
	*months = (int32_t)m;
	*days = (int32_t)d;
	*usec = sign == '-' ? -u : u;
	return CALX_OK;
}

static int iv_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)t, (void)buf, (void)cap;
	int32_t m, d;
	int64_t u;
	const calx_interval *iv = field;
	if (calx_interval_parts(iv, &m, &d, &u) != CALX_OK)
		return CALX_EINVAL;
	*out = calx_value_textn(iv->text, strlen(iv->text));
	return CALX_OK;
}

static int iv_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	(void)t;
	if (in->kind != CALX_VALUE_TEXT)
		return CALX_ETYPE;
	int rc = parse(in->u.s.p, in->u.s.n, field);
	return rc == CALX_EINVAL ? CALX_ETYPE : rc;
}

static bool iv_is_null(const calx_user_type *t, const void *field)
{
	(void)t;
	return !((const calx_interval *)field)->text[0];
}

static bool iv_equal(const calx_user_type *t, const void *a, const void *b)
{
	(void)t;
	return strncmp(((const calx_interval *)a)->text, ((const calx_interval *)b)->text,
	               sizeof ((const calx_interval *)a)->text) == 0;
}

static const char *iv_sql(const calx_user_type *t, const char *dialect)
{
	(void)t;
	/* SQLite: TEXT, not INTERVAL, whose "INT" would give the column integer affinity */
	return !strcmp(dialect, "postgresql") ? "INTERVAL" : "TEXT";
}

const calx_user_type calx_interval_type = {
	.version = CALX_USER_TYPE_VERSION, .name = "calx_interval", .to_value = iv_to_value,
	.from_value = iv_from_value, .equal = iv_equal, .sql_type = iv_sql, .is_null = iv_is_null,
	.size = sizeof(calx_interval),
};
