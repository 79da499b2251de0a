/*
 * calx/time.h: timestamps, dates and times of day as user types holding
 * their canonical ISO-8601 text, the conversions to and from microseconds
 * since the Unix epoch, and the parser every text goes through (a
 * program's, PostgreSQL's output, SQLite's stored text).
 */
#include <string.h>
#include "calx/calx.h"
#include "calx/time.h"
#include "mapping/time_text.h"

int calx_timestamp_from_unix_usec(calx_timestamp *out, int64_t usec)
{
	if (!out)
		return CALX_EINVAL;
	if (usec < USEC_MIN || usec > USEC_MAX)
		return CALX_ERANGE;
	calx__time_format_usec(usec, out->text);
	return CALX_OK;
}

int calx_timestamptz_from_unix_usec(calx_timestamptz *out, int64_t usec)
{
	if (!out)
		return CALX_EINVAL;
	if (usec < USEC_MIN || usec > USEC_MAX)
		return CALX_ERANGE;
	memset(out, 0, sizeof *out);
	calx__time_format_usec(usec, out->text);
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
	calx__time_parsed r;
	if (calx__time_parse(text, want, false, &r) != CALX_OK || !r.has_time || r.has_offset != tz || r.offset)
		return false;
	char again[27];
	*usec = calx__time_usec_of(&r);
	calx__time_format_usec(*usec, again);
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
	calx__time_parsed r;
	int rc = calx__time_parse(s, n, false, &r);
	if (rc != CALX_OK)
		return rc;
	if (tz && !r.has_offset && utc_unmarked)
		r.has_offset = true;    /* SQLite's CURRENT_TIMESTAMP: UTC, written without an offset */
	if (!r.has_time || r.has_offset != tz)
		return CALX_EINVAL;
	*usec = calx__time_usec_of(&r);
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
	if (day > calx__days_in_month(year, month))
		return CALX_EINVAL;
	*calx__time_put_date(out->text, year, month, day) = '\0';
	return CALX_OK;
}

int calx_date_ymd(const calx_date *d, int *year, int *month, int *day)
{
	calx__time_parsed r;
	if (!d || !memchr(d->text, '\0', sizeof d->text) || strlen(d->text) != 10 ||
	    calx__time_parse(d->text, 10, false, &r) != CALX_OK || r.has_time || r.has_offset)
		return CALX_EINVAL;
	*year = r.y;
	*month = r.mo;
	*day = r.d;
	return CALX_OK;
}

static int parse_date(const char *s, size_t n, calx_date *out)
{
	calx__time_parsed r;
	int rc = calx__time_parse(s, n, false, &r);
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
	*calx__time_put_time(out->text, hour, minute, second, usec) = '\0';
	return CALX_OK;
}

static int parse_time(const char *s, size_t n, calx_time *out)
{
	calx__time_parsed r;
	int rc = calx__time_parse(s, n, true, &r);
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
