#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/events.h"
#include "session/session.h"
#include "unitofwork/plan.h"

const char *calx_event_name(calx_event ev)
{
	switch (ev) {
	case CALX_EVENT_BEFORE_FLUSH: return "before_flush";
	case CALX_EVENT_AFTER_FLUSH: return "after_flush";
	case CALX_EVENT_BEFORE_INSERT: return "before_insert";
	case CALX_EVENT_AFTER_INSERT: return "after_insert";
	case CALX_EVENT_BEFORE_UPDATE: return "before_update";
	case CALX_EVENT_AFTER_UPDATE: return "after_update";
	case CALX_EVENT_BEFORE_DELETE: return "before_delete";
	case CALX_EVENT_AFTER_DELETE: return "after_delete";
	case CALX_EVENT_AFTER_LOAD: return "after_load";
	case CALX_EVENT_AFTER_COMMIT: return "after_commit";
	case CALX_EVENT_AFTER_ROLLBACK: return "after_rollback";
	}
	return "?";
}

int calx_session_listen(calx_session *s, calx_event ev, const calx_mapper_desc *m, calx_listener_fn fn,
                        void *payload)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__refuse_in_listener(s, "calx_session_listen", "not allowed: add listeners before the "
	                                  "operations they are for");
	if (rc != CALX_OK)
		return rc;
	if (!fn || ev < CALX_EVENT_BEFORE_FLUSH || ev > CALX_EVENT_AFTER_ROLLBACK)
		return calx__fail(s, CALX_EINVAL, "calx_session_listen: bad event %d or NULL listener", (int)ev);
	if (m && !calx__registry_find(s->reg, m, &s->err))
		return s->err.code;
	calx__listeners *l = &s->listeners;
	if (calx__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory adding a listener");
	l->v[l->n].ev = ev;
	l->v[l->n].m = m;
	l->v[l->n].fn = fn;
	l->v[l->n++].payload = payload;
	l->mask |= 1u << ev;
	return CALX_OK;
}

int calx_registry_listen(calx_registry *reg, calx_event ev, const calx_mapper_desc *m, calx_listener_fn fn,
                         void *payload)
{
	if (!reg || reg->err.code)
		return CALX_EINVAL;
	if (!fn || ev < CALX_EVENT_BEFORE_FLUSH || ev > CALX_EVENT_AFTER_ROLLBACK)
		return calx_error_set(&reg->err_listen, CALX_EINVAL, "calx_registry_listen: bad event %d or NULL listener",
		                      (int)ev);
	if (m && !calx__registry_find(reg, m, &reg->err_listen))
		return reg->err_listen.code;
	calx__listeners *l = &reg->listeners;
	if (calx__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != 0)
		return calx_error_set(&reg->err_listen, CALX_ENOMEM, "out of memory adding a listener");
	l->v[l->n++] = (calx__listener){ ev, m, fn, payload };
	l->mask |= 1u << ev;
	return CALX_OK;
}

int calx__listeners_inherit(calx_session *s, const calx_registry *reg)
{
	const calx__listeners *from = &reg->listeners;
	calx__listeners *l = &s->listeners;
	if (!from->n)
		return CALX_OK;
	if (calx__grow((void **)&l->v, &l->cap, from->n, sizeof *l->v) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory copying the registry's listeners");
	memcpy(l->v, from->v, from->n * sizeof *l->v);
	l->n = from->n;
	l->mask = from->mask;
	return CALX_OK;
}

int calx__fire_listeners(calx_session *s, calx_event ev, const calx__obj *h)
{
	const calx__listeners *l = &s->listeners;
	const calx_mapper_desc *m = h ? calx__obj_mapper(h)->desc : NULL;
	void *obj = h ? calx__obj_ptr(h) : NULL;
	for (size_t i = 0; i < l->n; i++) {
		const calx__listener *x = &l->v[i];
		if (x->ev != ev || (x->m && x->m != m))
			continue;
		calx_event outer = s->listening;        /* a get in a flush listener may fire after_load */
		const calx__obj *outer_obj = s->listening_obj;
		s->listening = ev;
		s->listening_obj = h;
		int rc = x->fn(s, ev, m, obj, x->payload);
		s->listening = outer;
		s->listening_obj = outer_obj;
		if (rc != CALX_OK) {
			if (rc > 0)
				rc = CALX_ERROR;
			/* keep a message the listener set, else say who stopped it */
			if (s->err.code != rc)
				calx__fail(s, rc, "%s listener on %s returned %s", calx_event_name(ev),
				           m ? m->name : "the session", calx_status_name(rc));
			return rc;
		}
	}
	return CALX_OK;
}

int calx__refuse_in_listener(calx_session *s, const char *call, const char *why)
{
	if (!s->listening)
		return CALX_OK;
	const char *name = calx_event_name(s->listening);
	return calx__fail(s, CALX_ESTATE, "%s inside %s %s listener: %s", call, name[0] == 'a' ? "an" : "a", name,
	                  why);
}

bool calx__in_running_flush(const calx_session *s, const calx__obj *h, bool deletes)
{
	if (!s->flushing)
		return false;
	const calx__objvec *v = deletes ? &s->plan->deletes : &s->plan->inserts;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == h)
			return true;
	return false;
}

int calx_session_delete_as_update(calx_session *s, void *obj)
{
	if (!s)
		return CALX_EINVAL;
	calx__obj *h = obj ? calx__obj_of(s, obj) : NULL;
	if (s->listening != CALX_EVENT_BEFORE_DELETE || !h || h != s->listening_obj)
		return calx__fail(s, CALX_ESTATE, "calx_session_delete_as_update: only inside a before_delete listener, "
		                  "for the object it runs for (the flush's delete of that object becomes an UPDATE)");
	h->flags |= CALX__KEEP_ROW;
	return CALX_OK;
}
