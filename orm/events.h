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
int calx__fire(calx_session *s, calx_event ev, const struct calx__obj *h);

#endif
