/*
 * The engine's log of what it decides (calx/trace.h): the pool's choices,
 * retries, the progress of create_all. Nothing is formatted unless a log
 * function is set.
 */
#include <stdarg.h>
#include <stdio.h>
#include "calx/calx.h"
#include "engine/engine.h"

int calx_engine_set_log(calx_engine *eng, calx_log_fn fn, void *ctx)
{
	if (!eng || !eng->d)
		return CALX_EINVAL;
	atomic_store(&eng->log_ctx, ctx);
	atomic_store(&eng->log_fn, fn);
	return CALX_OK;
}

void calx__log(calx_engine *eng, calx_log_level level, const char *what, const char *fmt, ...)
{
	calx_log_fn fn = eng ? atomic_load(&eng->log_fn) : NULL;
	if (!fn)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fn(atomic_load(&eng->log_ctx), level, what, msg);
}

void calx_log_stderr(void *ctx, calx_log_level level, const char *what, const char *msg)
{
	(void)ctx;
	const char *name = level >= CALX_LOG_WARNING ? "WARNING" : level >= CALX_LOG_INFO ? "INFO" : "DEBUG";
	char line[640];
	snprintf(line, sizeof line, "calx %s: %s: %s\n", what, name, msg);
	fputs(line, stderr);            /* one write a message: lines of several threads do not mix */
}
