/*
 * Internal: the calendar and the ISO-8601 text of calx/time.h's types
 * (time_text.c), shared by time.c (the user types) and their helpers.
 */
#ifndef CALX_ORM_TIME_TEXT_H
#define CALX_ORM_TIME_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_DAY (INT64_C(86400) * USEC_PER_SEC)
/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59.999999 as microseconds since the epoch */
#define USEC_MIN (INT64_C(-719162) * USEC_PER_DAY)
#define USEC_MAX (INT64_C(2932896) * USEC_PER_DAY + USEC_PER_DAY - 1)

/* What a text said: a date, a time of day, an offset, each optional as allowed. */
typedef struct calx__time_parsed {
	int y, mo, d, h, mi, s;
	int64_t usec;                       /* the fraction, in microseconds */
	bool has_date, has_time, has_offset;
	int offset;                         /* seconds east of UTC */
} calx__time_parsed;

/* The days of month m (1..12) of year y. */
int calx__days_in_month(int y, int m);
/*
 * Parse n bytes at s: a date, then 'T' or ' ' and a time of day with an
 * optional fraction and offset (time_only: the time of day alone), into
 * *r; CALX_EINVAL for malformed text, CALX_ERANGE out of range.
 */
int calx__time_parse(const char *s, size_t n, bool time_only, calx__time_parsed *r);
/* What r says as microseconds since the epoch, UTC. */
int64_t calx__time_usec_of(const calx__time_parsed *r);
/* "YYYY-MM-DD" and "HH:MM:SS.ffffff" at p; the end of what was written. */
char *calx__time_put_date(char *p, int y, int m, int d);
char *calx__time_put_time(char *p, int h, int mi, int s, int usec);
/* "YYYY-MM-DD HH:MM:SS.ffffff" of usec (NUL-terminated) into out. */
void calx__time_format_usec(int64_t usec, char *out);

#endif
