/*
 * calx/events.h - listeners on a session's unit of work.
 *
 * Plugins (timestamps, soft delete, audit columns) are built on these alone.
 * A listener returns CALX_OK to go on; any other status stops the operation:
 * a before_* or after_* listener inside a flush fails the flush (the
 * transaction is rolled back as for any failed flush), an after_load
 * listener fails the get or select that loaded the row.
 *
 * What a listener may call: it may create, add and delete objects (they are
 * written by the same flush, in another round of statements; a flush that
 * still has new objects after 16 rounds fails with CALX_ESTATE), change
 * fields of the object it is given (before_insert, before_update), and get
 * or select (no autoflush happens inside a flush). calx_session_flush,
 * calx_session_commit and calx_session_rollback return CALX_ESTATE when
 * called from a listener during a flush, and calx_session_free must not be
 * called from one. A change an after_* listener makes to an object's
 * fields is written by the next flush (under CALX_TRACK_MARKED, when the
 * object is marked).
 */
#ifndef CALX_EVENTS_H
#define CALX_EVENTS_H

#include "calx/session.h"

typedef enum calx_event {
	CALX_EVENT_BEFORE_FLUSH = 1,  /* obj and mapper are NULL; may add objects */
	CALX_EVENT_AFTER_FLUSH,       /* every statement succeeded */
	CALX_EVENT_BEFORE_INSERT,     /* may change the object's fields */
	CALX_EVENT_AFTER_INSERT,      /* generated keys are in the object */
	CALX_EVENT_BEFORE_UPDATE,     /* the object has changes; may change more fields */
	CALX_EVENT_AFTER_UPDATE,
	CALX_EVENT_BEFORE_DELETE,
	CALX_EVENT_AFTER_DELETE,
	CALX_EVENT_AFTER_LOAD         /* a row became a new object in the session */
} calx_event;

typedef int (*calx_listener_fn)(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj,
                                void *payload);

/*
 * Call fn for ev on objects of mapper m (NULL: every mapper), in the order
 * listeners were added. The listener lives as long as the session.
 */
int calx_session_listen(calx_session *s, calx_event ev, const calx_mapper_desc *m, calx_listener_fn fn,
                        void *payload);

/* A short name: "before_insert". */
const char *calx_event_name(calx_event ev);

#endif /* CALX_EVENTS_H */
