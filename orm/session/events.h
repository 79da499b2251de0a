/*
 * Internal: firing the session's listeners.
 */
#ifndef CALX_ORM_EVENTS_H
#define CALX_ORM_EVENTS_H

#include <stdbool.h>
#include "calx/events.h"

typedef struct calx__listener {
	calx_event ev;
	const calx_mapper_desc *m;
	calx_listener_fn fn;
	void *payload;
} calx__listener;

typedef struct calx__listeners {
	calx__listener *v;
	size_t n;
	size_t cap;
	unsigned mask;          /* bit ev set: some listener for ev */
} calx__listeners;

struct calx__obj;

/* Run the listeners of ev; the first failure is returned with a message set. */
int calx__fire_listeners(calx_session *s, calx_event ev, const struct calx__obj *h);
/* Most sessions have no listener for most events: test the mask inline. */
#define calx__fire(s, ev, h) \
	(((s)->listeners.mask & (1u << (ev))) ? calx__fire_listeners((s), (ev), (h)) : CALX_OK)

/*
 * Inside a listener: CALX_ESTATE with "<call> inside an <event> listener:
 * <why>"; outside one: CALX_OK.
 */
int calx__refuse_in_listener(calx_session *s, const char *call, const char *why);
/* A new session starts with its registry's listeners (calx_registry_listen). */
int calx__listeners_inherit(calx_session *s, const calx_registry *reg);
/* Is the object h part of the running flush's statements (its insert or delete)? */
bool calx__in_running_flush(const calx_session *s, const struct calx__obj *h, bool deletes);

#endif
