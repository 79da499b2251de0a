/*
 * Internal: firing the session's listeners.
 */
#ifndef CALX_ORM_EVENTS_H
#define CALX_ORM_EVENTS_H

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

#endif
