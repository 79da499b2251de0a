/*
 * The session's errors: its message (set, and wrapped keeping the
 * driver's detail), the detail's accessor, and the flush error kept apart
 * that every refusal of a session to be rolled back quotes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"

/* The session's message, formatted through a copy: callers pass the old message as an argument. */
static void set_message(calx_session *s, const char *fmt, va_list ap)
{
	char msg[sizeof s->err.msg];
	vsnprintf(msg, sizeof msg, fmt, ap);
	memcpy(s->err.msg, msg, sizeof msg);
}

int calx__fail(calx_session *s, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(s, fmt, ap);
	va_end(ap);
	s->err.code = code;
	memset(&s->err.driver, 0, sizeof s->err.driver);
	return code;
}

int calx__fail_wrap(calx_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_message(s, fmt, ap);
	va_end(ap);
	return s->err.code;
}

const calx_driver_error *calx_session_error_detail(const calx_session *s)
{
	static const calx_driver_error none;
	return s ? &s->err.driver : &none;
}

int calx_session_errcode(const calx_session *s)
{
	return s ? s->err.code : CALX_EINVAL;
}

const char *calx_session_errmsg(const calx_session *s)
{
	if (!s)
		return "session is NULL";
	return s->err.code ? s->err.msg : "";
}

void calx__keep_flush_error(calx_session *s, const calx_error *e)
{
	if (!s->flush_err)
		s->flush_err = calx__malloc(sizeof *s->flush_err);
	if (s->flush_err)
		*s->flush_err = *e;
}

int calx__session_unusable(calx_session *s)
{
	/* the flush's own error, kept apart: refusal after refusal quotes it, not the refusal before */
	calx_error fallback;
	const calx_error *cause = s->flush_err;
	if (!cause) {
		fallback = s->err;
		cause = &fallback;
	}
	if (s->sp.failed)
		calx__fail(s, CALX_ESTATE,
		           "a flush failed inside a savepoint and the database was rolled back to it; call "
		           "calx_session_rollback_nested() (or calx_session_rollback()) first (the flush failed "
		           "with: %.300s)", cause->msg);
	else
		calx__fail(s, CALX_ESTATE,
		           "this session's transaction was rolled back after a failed flush; "
		           "call calx_session_rollback() first (the flush failed with: %.400s)", cause->msg);
	s->err.driver = cause->driver;
	return CALX_ESTATE;
}

