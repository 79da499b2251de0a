/*
 * calx/plugin.h: a field's value whatever its C type, data on a session,
 * memory that lives as long as the session.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/value.h"
#include "session/session.h"

typedef struct calx__info {
	const void *key;
	void *value;
} calx__info;

int (calx_field_set_value)(calx_session *s, void *obj, const calx_field_desc *col, calx_value v)
{
	if (!s)
		return CALX_EINVAL;
	calx__obj *h = calx__field_owner(s, obj, col);
	if (!h)
		return s->err.code;
	/* NULL by the rules of calx_field_set_null: where the field can hold it, marked for a char[N] */
	if (v.kind == CALX_VALUE_NULL)
		return calx_field_set_null(s, obj, col, true);
	if (calx__value_span_bad(&v))
		return calx__fail(s, CALX_EINVAL, "%s.%s: a value whose bytes cannot be read (a NULL pointer with a length)",
		                  calx__obj_mapper(h)->desc->name, col->name);
	int rc = calx__mark(s, h);
	if (rc != CALX_OK)
		return rc;
	/* the loader's store: every check comes before the field is written, so a refused value leaves it as it was */
	bool is_null;
	calx_error why = { 0 };
	if ((rc = calx__field_set(col, obj, &v, &s->arena, &is_null, &why)) != CALX_OK)
		return calx__fail(s, rc, "calx_field_set_value %s.%s: %s", calx__obj_mapper(h)->desc->name, col->name, why.msg);
	calx__obj_mark_null(h, col->index, false);
	return CALX_OK;
}

int (calx_field_get_value)(calx_session *s, const void *obj, const calx_field_desc *col, calx_value *out)
{
	if (!s || !out)
		return CALX_EINVAL;
	calx__obj *h = calx__field_owner(s, obj, col);
	if (!h)
		return s->err.code;
	return calx__field_get(col, obj, calx__field_null(h, col), out, &s->err);
}

int calx_session_set_info(calx_session *s, const void *key, void *value)
{
	if (!s || !key)
		return CALX_EINVAL;
	for (size_t i = 0; i < s->n_info; i++)
		if (s->info[i].key == key) {
			if (value)
				s->info[i].value = value;
			else
				s->info[i] = s->info[--s->n_info];
			return CALX_OK;
		}
	if (!value)
		return CALX_OK;
	if (calx__grow((void **)&s->info, &s->cap_info, s->n_info + 1, sizeof *s->info) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory in calx_session_set_info");
	s->info[s->n_info++] = (calx__info){ key, value };
	return CALX_OK;
}

void *calx_session_info(const calx_session *s, const void *key)
{
	for (size_t i = 0; s && i < s->n_info; i++)
		if (s->info[i].key == key)
			return s->info[i].value;
	return NULL;
}

void *calx_session_alloc(calx_session *s, size_t n)
{
	if (!s || !n)
		return NULL;
	void *p = calx__arena_alloc(&s->arena, n, alignof(max_align_t));
	if (!p) {
		calx__fail(s, CALX_ENOMEM, "out of memory in calx_session_alloc (%zu bytes)", n);
		return NULL;
	}
	memset(p, 0, n);
	return p;
}

int calx_session_set_error(calx_session *s, int code, const char *fmt, ...)
{
	if (!s)
		return CALX_EINVAL;
	char msg[CALX_ERRMSG_MAX] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
	}
	return calx__fail(s, code, "%s", msg);
}
