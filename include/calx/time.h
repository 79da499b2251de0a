/*
 * calx/time.h - timestamps (with and without time zone), dates and times
 * of day, each a C value type holding its canonical ISO-8601 text.
 *
 *   struct CALX_TABLE("tt_events") event {
 *       int64_t id CALX(primary_key);
 *       calx_timestamptz created_at CALX(not_null, server_default(postgresql="now()", sqlite="CURRENT_TIMESTAMP"));
 *       calx_timestamp due;               // nullable: all zero is SQL NULL
 *       calx_date day;
 *       calx_time at;
 *   };
 *
 * Why text: a value is bound after it is read from the struct, so what it
 * binds must live in the struct; and the canonical text is what SQLite
 * stores, sorts and hands to date() and strftime(). It is fixed-width
 * (every digit, six of them after the second), so text order is time
 * order, and it holds microseconds exactly, nothing finer: a
 * struct timespec with a sub-microsecond part is CALX_ERANGE, never
 * rounded.
 *
 *   type               text                               PostgreSQL                 SQLite
 *   calx_timestamp     "YYYY-MM-DD HH:MM:SS.ffffff"       TIMESTAMP                  TIMESTAMP (text)
 *   calx_timestamptz   "YYYY-MM-DD HH:MM:SS.ffffff+00:00" TIMESTAMP WITH TIME ZONE   TIMESTAMP WITH TIME ZONE (text)
 *   calx_date          "YYYY-MM-DD"                       DATE                       DATE (text)
 *   calx_time          "HH:MM:SS.ffffff"                  TIME                       TIME (text)
 *   calx_interval      "+M months +D days +S.ffffff seconds" INTERVAL                 TEXT
 *
 * A calx_timestamptz is always kept in UTC: a value read from PostgreSQL
 * in the session's time zone (any offset, to the second) is converted.
 * The range, the same on both dialects, is years 0001 to 9999 (what
 * four-digit text sorts; PostgreSQL itself goes further): from
 * 0001-01-01 00:00:00.000000 to 9999-12-31 23:59:59.999999; a time of day
 * from 00:00:00.000000 to 23:59:59.999999. Beyond is CALX_ERANGE, in
 * these helpers and when a database value is loaded.
 *
 * NULL: an all-zero value (text "") is SQL NULL, as a NULL char * is; the
 * column is nullable unless the field says not_null. Equality is the
 * text's. Set a field only through these helpers: a field whose text is
 * not canonical is refused when it is bound (CALX_EINVAL).
 */
#ifndef CALX_TIME_H
#define CALX_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "calx/types.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct calx_timestamp { char text[27]; } calx_timestamp;
typedef struct calx_timestamptz { char text[33]; } calx_timestamptz;
typedef struct calx_date { char text[11]; } calx_date;
typedef struct calx_time { char text[16]; } calx_time;
/*
 * An interval as PostgreSQL keeps it: months, days and microseconds, each
 * apart (a month is not a number of days). Text "+14 months +3 days
 * -4.500000 seconds": PostgreSQL reads it, and each part is a SQLite
 * date() modifier. INTERVAL on PostgreSQL, TEXT on SQLite. Months and
 * days from -2147483647 to 2147483647, microseconds from -INT64_MAX to
 * INT64_MAX (the minimums are PostgreSQL 17's -infinity: CALX_ERANGE).
 */
typedef struct calx_interval { char text[72]; } calx_interval;

/* The user types calx-reflect gives fields of these types. */
extern const calx_user_type calx_timestamp_type;
extern const calx_user_type calx_timestamptz_type;
extern const calx_user_type calx_date_type;
extern const calx_user_type calx_time_type;
extern const calx_user_type calx_interval_type;

/* Microseconds since 1970-01-01 00:00:00 UTC (the Unix epoch), within the range above. */
int calx_timestamp_from_unix_usec(calx_timestamp *out, int64_t usec);
int calx_timestamptz_from_unix_usec(calx_timestamptz *out, int64_t usec);
/* A value's microseconds since the epoch: CALX_EINVAL when it is NULL or not canonical. */
int calx_timestamp_unix_usec(const calx_timestamp *t, int64_t *out);
int calx_timestamptz_unix_usec(const calx_timestamptz *t, int64_t *out);
/* From a struct timespec (seconds since the epoch): CALX_ERANGE when tv_nsec is not whole microseconds. */
int calx_timestamp_from_timespec(calx_timestamp *out, const struct timespec *ts);
int calx_timestamptz_from_timespec(calx_timestamptz *out, const struct timespec *ts);
/* The current time (CLOCK_REALTIME, read to the microsecond), UTC. */
int calx_timestamp_now(calx_timestamp *out);
int calx_timestamptz_now(calx_timestamptz *out);
/* The same for default_factory(...); NULL (all zero) if the clock fails. */
calx_timestamp calx_timestamp_new_now(void);
calx_timestamptz calx_timestamptz_new_now(void);

/*
 * ISO-8601 text: "YYYY-MM-DD", then 'T' or ' ' and "HH:MM" with optional
 * ":SS" and a fraction of any length (digits past the sixth must be 0,
 * else CALX_ERANGE). A timestamp takes no offset; a timestamptz needs one
 * ("Z", "+HH", "+HH:MM", "+HH:MM:SS", or "-") and is converted to UTC.
 * CALX_EINVAL for malformed text, CALX_ERANGE out of range; *out unchanged.
 */
int calx_timestamp_parse(calx_timestamp *out, const char *text);
int calx_timestamptz_parse(calx_timestamptz *out, const char *text);

/* A date from its year (1..9999), month and day, and back; "YYYY-MM-DD" text. */
int calx_date_from_ymd(calx_date *out, int year, int month, int day);
int calx_date_ymd(const calx_date *d, int *year, int *month, int *day);
int calx_date_parse(calx_date *out, const char *text);
/* A time of day; "HH:MM[:SS[.ffffff]]" text. */
int calx_time_from_parts(calx_time *out, int hour, int minute, int second, int usec);
int calx_time_parse(calx_time *out, const char *text);

/*
 * An interval from its parts, and back (CALX_EINVAL when it is NULL or
 * not canonical). _parse takes the canonical text or PostgreSQL's output
 * ("1 year 2 mons -3 days +04:05:06.789"): years are 12 months.
 */
int calx_interval_from_parts(calx_interval *out, int32_t months, int32_t days, int64_t usec);
int calx_interval_parts(const calx_interval *iv, int32_t *months, int32_t *days, int64_t *usec);
int calx_interval_parse(calx_interval *out, const char *text);

/* Is the value SQL NULL (all zero)? */
static inline bool calx_timestamp_is_null(const calx_timestamp *t) { return !t->text[0]; }
static inline bool calx_timestamptz_is_null(const calx_timestamptz *t) { return !t->text[0]; }
static inline bool calx_date_is_null(const calx_date *d) { return !d->text[0]; }
static inline bool calx_time_is_null(const calx_time *t) { return !t->text[0]; }
static inline bool calx_interval_is_null(const calx_interval *iv) { return !iv->text[0]; }

/* A value to compare a column of the type with: its text, borrowed (NULL: SQL NULL). */
static inline calx_value calx_timestamp_value(const calx_timestamp *t) { return calx_value_text(t->text[0] ? t->text : NULL); }
static inline calx_value calx_timestamptz_value(const calx_timestamptz *t) { return calx_value_text(t->text[0] ? t->text : NULL); }
static inline calx_value calx_date_value(const calx_date *d) { return calx_value_text(d->text[0] ? d->text : NULL); }
static inline calx_value calx_time_value(const calx_time *t) { return calx_value_text(t->text[0] ? t->text : NULL); }

#ifdef __cplusplus
}
#endif

#endif /* CALX_TIME_H */
