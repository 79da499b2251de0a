/*
 * calx_create_all_checked: create_all that first compares the registry
 * with the database. CREATE TABLE IF NOT EXISTS passes over a table that
 * exists with other columns, and the program learns of it at its first
 * insert ("table authors has no column named country"); this says so
 * before anything runs. Tables missing altogether are what create_all
 * creates, and tables the registry does not know belong to someone else:
 * neither is drift here.
 */
#include <string.h>
#include "calx/calx.h"
#include "calx/inspect.h"
#include "base/buf.h"
#include "engine/engine.h"
#include "mapping/registry.h"
#include "schema/schema.h"

/* Drifts named in the message; the rest are counted. */
enum { NAMED_MAX = 8 };

static bool is_drift(const calx_drift *e)
{
	return e->kind != CALX_DRIFT_MISSING_TABLE && e->kind != CALX_DRIFT_EXTRA_TABLE;
}

int calx_create_all_checked(const calx_registry *reg, calx_engine *eng, unsigned flags)
{
	calx_drift_list *diff;
	int rc = calx_schema_diff(reg, eng, &diff);
	if (rc != CALX_OK)
		return rc;
	unsigned n = 0;
	for (unsigned i = 0; i < calx_drift_list_count(diff); i++)
		n += is_drift(calx_drift_list_entry(diff, i));
	if (n == 0) {
		calx_drift_list_free(diff);
		return calx_create_all(reg, eng);
	}
	calx__buf b = CALX__BUF_INIT;
	unsigned named = 0;
	for (unsigned i = 0; i < calx_drift_list_count(diff) && named < NAMED_MAX; i++) {
		const calx_drift *e = calx_drift_list_entry(diff, i);
		if (!is_drift(e))
			continue;
		calx__buf_puts(&b, named++ ? "; " : "");
		calx__buf_puts(&b, e->text);
	}
	if (n > named)
		calx__buf_printf(&b, "; and %u more", n - named);
	calx_drift_list_free(diff);
	calx_error *err = calx__engine_err(eng);
	if (b.oom) {
		calx__buf_free(&b);
		return calx_error_set(err, CALX_ENOMEM, "create_all: out of memory describing schema drift");
	}
	if (flags & CALX_CREATE_IGNORE_DRIFT) {
		calx__log(eng, CALX_LOG_WARNING, "create_all", "schema drift (%u), going on as asked: %s", n, b.p);
		calx__buf_free(&b);
		return calx_create_all(reg, eng);
	}
	rc = calx_error_set(err, CALX_ESTATE, "create_all: schema drift (%u): %.440s", n, b.p);
	calx__buf_free(&b);
	return rc;
}
