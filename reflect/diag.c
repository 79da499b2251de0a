/*
 * reflect/diag.c - errors go to the caller's sink, each exactly once.
 *
 * A mixin's field is checked again in every table that embeds it; the same
 * message at the same place is reported only the first time.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool seen_before(calxr__ctx *cx, const calxr__loc *loc, const char *msg)
{
	char *key;
	int n = snprintf(NULL, 0, "%s:%u:%u:%s", loc && loc->file ? loc->file : "",
			 loc ? loc->line : 0, loc ? loc->col : 0, msg);

	if (n < 0 || !(key = malloc((size_t)n + 1)))
		return false; /* better a repeated message than a lost one */
	snprintf(key, (size_t)n + 1, "%s:%u:%u:%s", loc && loc->file ? loc->file : "",
		 loc ? loc->line : 0, loc ? loc->col : 0, msg);
	for (unsigned i = 0; i < cx->n_seen; i++)
		if (!strcmp(cx->seen[i], key)) {
			free(key);
			return true;
		}
	if (!calxr__push(cx, &cx->seen, &cx->n_seen, sizeof *cx->seen)) {
		free(key);
		return false;
	}
	cx->seen[cx->n_seen - 1] = key;
	return false;
}

void calxr__error(calxr__ctx *cx, const calxr__loc *loc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (seen_before(cx, loc, msg))
		return;
	cx->errors++;
	if (cx->diag)
		cx->diag(cx->payload, loc ? loc->file : NULL, loc ? loc->line : 0, loc ? loc->col : 0, msg);
}

void calxr__oom(calxr__ctx *cx)
{
	/* Reported once, at the end of the run, so a failing malloc cannot recurse here. */
	cx->oom = true;
}

void calxr__ctx_free_diags(calxr__ctx *cx)
{
	calxr__strv_free(cx->seen, cx->n_seen);
	cx->seen = NULL;
	cx->n_seen = 0;
}

char *calxr__clang_message(calxr__ctx *cx, const char *msg)
{
	/* CALX_TYPE(T, ...) declares struct calx__typemap_T: a second one is a C redefinition. */
	static const char redef[] = "redefinition of 'calx__typemap_";
	if (!strncmp(msg, redef, sizeof redef - 1)) {
		const char *t = msg + sizeof redef - 1;
		size_t n = strcspn(t, "'");
		return calxr__printf(cx, "CALX_TYPE(%.*s) is given twice: keep one per typedef, with every dialect variant in it (CALX_TYPE(%.*s, \"SQL\", \"postgresql:SQL\"))",
				    (int)n, t, (int)n, t);
	}
	return calxr__strdup(cx, msg);
}
