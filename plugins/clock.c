/*
 * One clock reading per flush (a before_flush listener keeps it on the
 * session), and time written into a field by the field's type.
 */
#include <time.h>
#include "clock.h"

/* The session's reading: its address is the key of calx_session_info. */
static const char flush_clock_key = 0;

typedef struct flush_clock {
	int64_t usec;
	int in_flush;
} flush_clock;

static int read_clock(int64_t *usec)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return CALX_ERROR;
	*usec = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	return CALX_OK;
}

static int on_flush(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)m;
	(void)obj;
	(void)payload;
	flush_clock *c = calx_session_info(s, &flush_clock_key);
	if (!c) {
		if (!(c = calx_session_alloc(s, sizeof *c)))
			return calx_session_errcode(s);
		int rc = calx_session_set_info(s, &flush_clock_key, c);
		if (rc != CALX_OK)
			return rc;
	}
	c->in_flush = ev == CALX_EVENT_BEFORE_FLUSH;
	return c->in_flush ? read_clock(&c->usec) : CALX_OK;
}

int calx_plugin_clock_listen(calx_registry *reg)
{
	/* once per registry: the plugins enabled on it share the reading */
	if (calx_registry_info(reg, &flush_clock_key))
		return CALX_OK;
	int rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_FLUSH, NULL, on_flush, NULL);
	if (rc == CALX_OK)
		rc = calx_registry_listen(reg, CALX_EVENT_AFTER_FLUSH, NULL, on_flush, NULL);
	if (rc == CALX_OK)
		rc = calx_registry_set_info(reg, &flush_clock_key, (void *)&flush_clock_key);
	return rc;
}

int calx_plugin_clock_now(calx_session *s, int64_t *usec)
{
	const flush_clock *c = calx_session_info(s, &flush_clock_key);
	if (c && c->in_flush) {
		*usec = c->usec;
		return CALX_OK;
	}
	return read_clock(usec);
}

int calx_plugin_set_time(calx_session *s, void *obj, const calx_field_desc *col, int64_t usec)
{
	if (col->ctype == CALX_CTYPE_INT64)
		return calx_field_set_value(s, obj, col, calx_value_int(usec));
	/* calx/time.h writes the canonical text: "YYYY-MM-DD HH:MM:SS.ffffff", "+00:00" for a timestamptz */
	bool tz = col->ctype == CALX_CTYPE_USER && col->user_type == &calx_timestamptz_type;
	bool text = col->ctype == CALX_CTYPE_STRING || col->ctype == CALX_CTYPE_CHARARRAY ||
	            (col->ctype == CALX_CTYPE_USER && col->user_type == &calx_timestamp_type);
	if (tz) {
		calx_timestamptz t;
		int rc = calx_timestamptz_from_unix_usec(&t, usec);
		return rc == CALX_OK ? calx_field_set_value(s, obj, col, calx_value_text(t.text)) : rc;
	}
	if (text) {
		calx_timestamp t;
		int rc = calx_timestamp_from_unix_usec(&t, usec);
		return rc == CALX_OK ? calx_field_set_value(s, obj, col, calx_value_text(t.text)) : rc;
	}
	return CALX_ETYPE;
}

const calx_field_desc *calx_plugin_field(const calx_mapper_desc *m, const calx_field_desc *col)
{
	if (!col || col->owner == m)
		return col;
	return calx_mapper_column(m, col->name);
}

bool calx_plugin_is_a(const calx_mapper_desc *m, const calx_mapper_desc *of)
{
	for (; m; m = m->parent)
		if (m == of)
			return true;
	return false;
}

calx_plugin_cols *calx_plugin_cols_keep(calx_registry *reg, calx_plugin_cols c)
{
	calx_plugin_cols *p = calx_registry_alloc(reg, sizeof *p);
	if (p)
		*p = c;
	return p;
}
