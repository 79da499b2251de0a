#include <stdarg.h>
#include <stdio.h>
#include "calx/calx.h"
#include "calx/sys/dialect.h"

int calx_error_set(calx_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->code = code;
	calx_driver_error *d = &err->driver;   /* a new error: what a driver said before is not about it */
	d->code[0] = d->constraint[0] = d->table[0] = d->column[0] = d->statement[0] = '\0';
	d->number = d->sys_errno = 0;
	return code;
}

const char *calx_status_name(int status)
{
	switch (status) {
	case CALX_OK: return "CALX_OK";
	case CALX_ROW: return "CALX_ROW";
	case CALX_DONE: return "CALX_DONE";
	case CALX_ERROR: return "CALX_ERROR";
	case CALX_ENOMEM: return "CALX_ENOMEM";
	case CALX_EINVAL: return "CALX_EINVAL";
	case CALX_ENOTFOUND: return "CALX_ENOTFOUND";
	case CALX_ERANGE: return "CALX_ERANGE";
	case CALX_ETYPE: return "CALX_ETYPE";
	case CALX_EUNIQUE: return "CALX_EUNIQUE";
	case CALX_EFOREIGNKEY: return "CALX_EFOREIGNKEY";
	case CALX_ENOTNULL: return "CALX_ENOTNULL";
	case CALX_ECHECK: return "CALX_ECHECK";
	case CALX_EBUSY: return "CALX_EBUSY";
	case CALX_EIO: return "CALX_EIO";
	case CALX_ECONNECT: return "CALX_ECONNECT";
	case CALX_ESTATE: return "CALX_ESTATE";
	case CALX_EVERSION: return "CALX_EVERSION";
	case CALX_ERETRY: return "CALX_ERETRY";
	case CALX_ETIMEOUT: return "CALX_ETIMEOUT";
	case CALX_EUNKNOWN: return "CALX_EUNKNOWN";
	case CALX_EMULTIPLE: return "CALX_EMULTIPLE";
	}
	return "CALX_E?";
}

const char *calx_version(void)
{
	return CALX_VERSION;
}
