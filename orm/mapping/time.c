/*
 * calx/time.h: timestamps, dates and times of day as user types holding
 * their canonical ISO-8601 text, the conversions to and from microseconds
 * since the Unix epoch, and the parser every text goes through (a
 * program's, PostgreSQL's output, SQLite's stored text).
 */
#include <string.h>
#include "calx/calx.h"
#include "calx/time.h"

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_DAY (INT64_C(86400) * USEC_PER_SEC)
/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59.999999 as microseconds since the epoch */
#define USEC_MIN (INT64_C(-719162) * USEC_PER_DAY)
#define USEC_MAX (INT64_C(2932896) * USEC_PER_DAY + USEC_PER_DAY - 1)

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

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* What a text said: a date, a time of day, an offset, each optional as allowed. */
typedef struct parsed {
	int y, mo, d, h, mi, s;
	int64_t usec;                       /* the fraction, in microseconds */
	bool has_date, has_time, has_offset;
	int offset;                         /* seconds east of UTC */
} parsed;

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

static int parse_time_part(const char **p, const char *end, parsed *r)
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

static int parse_offset(const char **p, const char *end, parsed *r)
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
static int parse(const char *s, size_t n, bool time_only, parsed *r)
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
	if (r->mo < 1 || r->mo > 12 || r->d < 1 || r->y < 1 || r->d > days_in_month(r->y, r->mo))
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

static int64_t usec_of(const parsed *r)
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
static char *put_date(char *p, int y, int m, int d)
{
	p = put_digits(p, (unsigned)y, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned)m, 2);
	*p++ = '-';
	return put_digits(p, (unsigned)d, 2);
}

/* "HH:MM:SS.ffffff" at p (no NUL). */
static char *put_time(char *p, int h, int mi, int s, int usec)
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
static void format_usec(int64_t usec, char *out)
{
	int64_t days = (usec >= 0 ? usec : usec - USEC_PER_DAY + 1) / USEC_PER_DAY;
	int64_t rest = usec - days * USEC_PER_DAY;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	int64_t secs = rest / USEC_PER_SEC;
	char *p = put_date(out, y, m, d);
	*p++ = ' ';
	p = put_time(p, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), (int)(rest % USEC_PER_SEC));
	*p = '\0';
}

int calx_timestamp_from_unix_usec(calx_timestamp *out, int64_t usec)
{
	if (!out)
		return CALX_EINVAL;
	if (usec < USEC_MIN || usec > USEC_MAX)
		return CALX_ERANGE;
	format_usec(usec, out->text);
	return CALX_OK;
}

int calx_timestamptz_from_unix_usec(calx_timestamptz *out, int64_t usec)
{
	if (!out)
		return CALX_EINVAL;
	if (usec < USEC_MIN || usec > USEC_MAX)
		return CALX_ERANGE;
	memset(out, 0, sizeof *out);
	format_usec(usec, out->text);
	memcpy(out->text + 26, "+00:00", 7);
	return CALX_OK;
}

/* Is text[0..n) exactly the canonical form of what it parses to (so that equal values have equal text)? */
static bool canonical_timestamp(const char *text, size_t size, bool tz, int64_t *usec)
{
	size_t want = tz ? 32 : 26;
	const char *nul = memchr(text, '\0', size);
	if (!nul || (size_t)(nul - text) != want)
		return false;
	parsed r;
	if (parse(text, want, false, &r) != CALX_OK || !r.has_time || r.has_offset != tz || r.offset)
		return false;
	char again[27];
	*usec = usec_of(&r);
	format_usec(*usec, again);
	return !memcmp(again, text, 26) && (!tz || !memcmp(text + 26, "+00:00", 6));
}

int calx_timestamp_unix_usec(const calx_timestamp *t, int64_t *out)
{
	int64_t u;
	if (!t || !out || !canonical_timestamp(t->text, sizeof t->text, false, &u))
		return CALX_EINVAL;
	*out = u;
	return CALX_OK;
}

int calx_timestamptz_unix_usec(const calx_timestamptz *t, int64_t *out)
{
	int64_t u;
	if (!t || !out || !canonical_timestamp(t->text, sizeof t->text, true, &u))
		return CALX_EINVAL;
	*out = u;
	return CALX_OK;
}

static int timespec_usec(const struct timespec *ts, int64_t *out)
{
	if (!ts || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return CALX_EINVAL;
	if (ts->tv_nsec % 1000)
		return CALX_ERANGE;     /* nanoseconds the type cannot keep: refused, not rounded */
	if ((int64_t)ts->tv_sec < USEC_MIN / USEC_PER_SEC || (int64_t)ts->tv_sec > USEC_MAX / USEC_PER_SEC)
		return CALX_ERANGE;
	*out = (int64_t)ts->tv_sec * USEC_PER_SEC + ts->tv_nsec / 1000;
	return CALX_OK;
}

int calx_timestamp_from_timespec(calx_timestamp *out, const struct timespec *ts)
{
	int64_t u;
	int rc = timespec_usec(ts, &u);
	return rc != CALX_OK ? rc : calx_timestamp_from_unix_usec(out, u);
}

int calx_timestamptz_from_timespec(calx_timestamptz *out, const struct timespec *ts)
{
	int64_t u;
	int rc = timespec_usec(ts, &u);
	return rc != CALX_OK ? rc : calx_timestamptz_from_unix_usec(out, u);
}

static int now_usec(int64_t *out)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return CALX_EIO;
	/* "now" is read to the microsecond: the clock's finer part is not a value anyone gave */
	*out = (int64_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
	return CALX_OK;
}

int calx_timestamp_now(calx_timestamp *out)
{
	int64_t u;
	int rc = now_usec(&u);
	return rc != CALX_OK ? rc : calx_timestamp_from_unix_usec(out, u);
}

int calx_timestamptz_now(calx_timestamptz *out)
{
	int64_t u;
	int rc = now_usec(&u);
	return rc != CALX_OK ? rc : calx_timestamptz_from_unix_usec(out, u);
}

calx_timestamp calx_timestamp_new_now(void)
{
	calx_timestamp t;
	memset(&t, 0, sizeof t);
	if (calx_timestamp_now(&t) != CALX_OK)
		memset(&t, 0, sizeof t);
	return t;
}

calx_timestamptz calx_timestamptz_new_now(void)
{
	calx_timestamptz t;
	memset(&t, 0, sizeof t);
	if (calx_timestamptz_now(&t) != CALX_OK)
		memset(&t, 0, sizeof t);
	return t;
}

/* A timestamp text (tz: with an offset, converted to UTC) to microseconds in range. */
static int parse_timestamp(const char *s, size_t n, bool tz, bool utc_unmarked, int64_t *usec)
{
	parsed r;
	int rc = parse(s, n, false, &r);
	if (rc != CALX_OK)
		return rc;
	if (tz && !r.has_offset && utc_unmarked)
		r.has_offset = true;    /* SQLite's CURRENT_TIMESTAMP: UTC, written without an offset */
	if (!r.has_time || r.has_offset != tz)
		return CALX_EINVAL;
	*usec = usec_of(&r);
	return *usec < USEC_MIN || *usec > USEC_MAX ? CALX_ERANGE : CALX_OK;
}

int calx_timestamp_parse(calx_timestamp *out, const char *text)
{
	int64_t u;
	if (!out || !text)
		return CALX_EINVAL;
	int rc = parse_timestamp(text, strlen(text), false, false, &u);
	return rc != CALX_OK ? rc : calx_timestamp_from_unix_usec(out, u);
}

int calx_timestamptz_parse(calx_timestamptz *out, const char *text)
{
	int64_t u;
	if (!out || !text)
		return CALX_EINVAL;
	int rc = parse_timestamp(text, strlen(text), true, false, &u);
	return rc != CALX_OK ? rc : calx_timestamptz_from_unix_usec(out, u);
}

int calx_date_from_ymd(calx_date *out, int year, int month, int day)
{
	if (!out || month < 1 || month > 12 || day < 1)
		return CALX_EINVAL;
	if (year < 1 || year > 9999)
		return CALX_ERANGE;
	if (day > days_in_month(year, month))
		return CALX_EINVAL;
	*put_date(out->text, year, month, day) = '\0';
	return CALX_OK;
}

int calx_date_ymd(const calx_date *d, int *year, int *month, int *day)
{
	parsed r;
	if (!d || !memchr(d->text, '\0', sizeof d->text) || strlen(d->text) != 10 ||
	    parse(d->text, 10, false, &r) != CALX_OK || r.has_time || r.has_offset)
		return CALX_EINVAL;
	*year = r.y;
	*month = r.mo;
	*day = r.d;
	return CALX_OK;
}

static int parse_date(const char *s, size_t n, calx_date *out)
{
	parsed r;
	int rc = parse(s, n, false, &r);
	if (rc != CALX_OK)
		return rc;
	if (r.has_time || r.has_offset)
		return CALX_EINVAL;
	return calx_date_from_ymd(out, r.y, r.mo, r.d);
}

int calx_date_parse(calx_date *out, const char *text)
{
	calx_date d;
	if (!out || !text)
		return CALX_EINVAL;
	int rc = parse_date(text, strlen(text), &d);
	if (rc == CALX_OK)
		*out = d;
	return rc;
}

int calx_time_from_parts(calx_time *out, int hour, int minute, int second, int usec)
{
	if (!out)
		return CALX_EINVAL;
	if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || usec < 0 ||
	    usec > 999999)
		return CALX_ERANGE;
	*put_time(out->text, hour, minute, second, usec) = '\0';
	return CALX_OK;
}

static int parse_time(const char *s, size_t n, calx_time *out)
{
	parsed r;
	int rc = parse(s, n, true, &r);
	return rc != CALX_OK ? rc : calx_time_from_parts(out, r.h, r.mi, r.s, (int)r.usec);
}

int calx_time_parse(calx_time *out, const char *text)
{
	calx_time t;
	if (!out || !text)
		return CALX_EINVAL;
	int rc = parse_time(text, strlen(text), &t);
	if (rc == CALX_OK)
		*out = t;
	return rc;
}

/*
 * The user types. to_value checks the field's text is canonical (set
 * through the helpers) and hands it over, borrowed from the field;
 * from_value parses what the database gave into canonical text.
 */
static int text_out(const char *text, size_t size, size_t want, calx_value *out)
{
	const char *nul = memchr(text, '\0', size);
	if (!nul || (size_t)(nul - text) != want)
		return CALX_EINVAL;
	*out = calx_value_textn(text, want);
	return CALX_OK;
}

static int ts_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	bool tz = t->size == sizeof(calx_timestamptz);
	int64_t u;
	if (!canonical_timestamp(field, t->size, tz, &u))
		return CALX_EINVAL;
	return text_out(field, t->size, tz ? 32 : 26, out);
}

static int ts_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	bool tz = t->size == sizeof(calx_timestamptz);
	int64_t u;
	if (in->kind != CALX_VALUE_TEXT)
		return CALX_ETYPE;
	int rc = parse_timestamp(in->u.s.p, in->u.s.n, tz, true, &u);
	if (rc == CALX_EINVAL)
		return CALX_ETYPE;
	if (rc != CALX_OK)
		return rc;
	return tz ? calx_timestamptz_from_unix_usec(field, u) : calx_timestamp_from_unix_usec(field, u);
}

static int date_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)t, (void)buf, (void)cap;
	int y, m, d;
	if (calx_date_ymd(field, &y, &m, &d) != CALX_OK)
		return CALX_EINVAL;
	return text_out(field, sizeof(calx_date), 10, out);
}

static int date_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	(void)t;
	if (in->kind != CALX_VALUE_TEXT)
		return CALX_ETYPE;
	int rc = parse_date(in->u.s.p, in->u.s.n, field);
	return rc == CALX_EINVAL ? CALX_ETYPE : rc;
}

static int time_to_value(const calx_user_type *t, const void *field, calx_value *out, char *buf, size_t cap)
{
	(void)t, (void)buf, (void)cap;
	calx_time again;
	const calx_time *f = field;
	if (!memchr(f->text, '\0', sizeof f->text) || strlen(f->text) != 15 ||
	    parse_time(f->text, 15, &again) != CALX_OK || memcmp(again.text, f->text, 15))
		return CALX_EINVAL;
	return text_out(field, sizeof(calx_time), 15, out);
}

static int time_from_value(const calx_user_type *t, const calx_value *in, void *field)
{
	(void)t;
	if (in->kind != CALX_VALUE_TEXT)
		return CALX_ETYPE;
	int rc = parse_time(in->u.s.p, in->u.s.n, field);
	return rc == CALX_EINVAL ? CALX_ETYPE : rc;
}

/* All four: NULL is the empty text, equality the text's. */
static bool text_is_null(const calx_user_type *t, const void *field)
{
	(void)t;
	return !((const char *)field)[0];
}

static bool text_equal(const calx_user_type *t, const void *a, const void *b)
{
	return strncmp(a, b, t->size) == 0;
}

static const char *ts_sql(const calx_user_type *t, const char *dialect)
{
	(void)t, (void)dialect;
	return "TIMESTAMP";
}

static const char *tstz_sql(const calx_user_type *t, const char *dialect)
{
	(void)t, (void)dialect;
	return "TIMESTAMP WITH TIME ZONE";
}

static const char *date_sql(const calx_user_type *t, const char *dialect)
{
	(void)t, (void)dialect;
	return "DATE";
}

static const char *time_sql(const calx_user_type *t, const char *dialect)
{
	(void)t, (void)dialect;
	return "TIME";
}

#define TEXT_TYPE(var, tname, to, from, sql, ctype)                                                       \
	const calx_user_type var = { .version = CALX_USER_TYPE_VERSION, .name = tname, .to_value = to,       \
	                             .from_value = from, .equal = text_equal, .sql_type = sql,              \
	                             .is_null = text_is_null, .size = sizeof(ctype) }

TEXT_TYPE(calx_timestamp_type, "calx_timestamp", ts_to_value, ts_from_value, ts_sql, calx_timestamp);
TEXT_TYPE(calx_timestamptz_type, "calx_timestamptz", ts_to_value, ts_from_value, tstz_sql, calx_timestamptz);
TEXT_TYPE(calx_date_type, "calx_date", date_to_value, date_from_value, date_sql, calx_date);
TEXT_TYPE(calx_time_type, "calx_time", time_to_value, time_from_value, time_sql, calx_time);
