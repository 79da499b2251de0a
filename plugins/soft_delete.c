/*
 * Soft delete: a before_delete listener stamps deleted_at and keeps the
 * row (calx_session_delete_as_update), and a criterion leaves stamped rows
 * out of every load. Objects to delete for real are listed on the session.
 */
#include <string.h>
#include <calx/plugins/soft_delete.h>
#include "clock.h"

/* The objects calx_soft_delete_hard asked for, on the session under this key. */
static const char hard_key = 0;

typedef struct hard_list {
	void **v;
	size_t n, cap;
} hard_list;

/* Was obj asked to go for real? Then it leaves the list. */
static bool take_hard(calx_session *s, const void *obj)
{
	hard_list *l = calx_session_info(s, &hard_key);
	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i] == obj) {
			l->v[i] = l->v[--l->n];
			return true;
		}
	return false;
}

static int before_delete(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	const calx_field_desc *deleted_at = payload;
	/* the struct it was enabled on, or one of its single-table subclasses */
	if (!calx_plugin_is_a(m, deleted_at->owner) || take_hard(s, obj))
		return CALX_OK;
	const calx_field_desc *col = calx_plugin_field(m, deleted_at);
	int64_t now;
	int rc = col ? calx_plugin_clock_now(s, &now) : CALX_EINVAL;
	if (rc == CALX_OK)
		rc = calx_plugin_set_time(s, obj, col, now);
	return rc == CALX_OK ? calx_session_delete_as_update(s, obj) : rc;
}

int (calx_soft_delete_enable)(calx_registry *reg, const calx_mapper_desc *m, const calx_field_desc *deleted_at)
{
	if (!reg || !m || !deleted_at || deleted_at->owner != m)
		return calx_registry_set_error(reg, CALX_EINVAL, "calx_soft_delete_enable: the field is not one of the struct's");
	bool time_type = deleted_at->ctype == CALX_CTYPE_INT64 || deleted_at->ctype == CALX_CTYPE_STRING ||
	                 deleted_at->ctype == CALX_CTYPE_CHARARRAY ||
	                 (deleted_at->ctype == CALX_CTYPE_USER &&
	                  (deleted_at->user_type == &calx_timestamp_type || deleted_at->user_type == &calx_timestamptz_type));
	bool nullable = !(deleted_at->flags & CALX_FIELD_NOT_NULL) &&
	                (deleted_at->ctype != CALX_CTYPE_INT64 || (deleted_at->flags & CALX_FIELD_OPTIONAL));
	if (!time_type || !nullable)
		return calx_registry_set_error(reg, CALX_EINVAL,
		                               "calx_soft_delete_enable on %s: %s must hold a time and be nullable "
		                               "(calx_timestamp, calx_timestamptz, char *, char[N], calx_opt_int64)",
		                               m->name, deleted_at->name);
	int rc = calx_registry_add_criteria(reg, m, (calx_is_null_expr)(deleted_at));
	if (rc == CALX_OK)
		rc = calx_plugin_clock_listen(reg);
	if (rc == CALX_OK)
		rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_DELETE, NULL, before_delete, (void *)deleted_at);
	return rc;
}

int calx_soft_delete_hard(calx_session *s, void *obj)
{
	if (!s || !obj)
		return CALX_EINVAL;
	hard_list *l = calx_session_info(s, &hard_key);
	if (!l) {
		if (!(l = calx_session_alloc(s, sizeof *l)))
			return calx_session_errcode(s);
		int rc = calx_session_set_info(s, &hard_key, l);
		if (rc != CALX_OK)
			return rc;
	}
	if (l->n == l->cap) {
		/* session memory is not given back: the list moves to a block twice the size */
		size_t cap = l->cap ? 2 * l->cap : 8;
		void **v = calx_session_alloc(s, cap * sizeof *v);
		if (!v)
			return calx_session_errcode(s);
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	int rc = calx_session_delete(s, obj);
	if (rc == CALX_OK)
		l->v[l->n++] = obj;
	return rc;
}
