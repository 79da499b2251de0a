/*
 * Internal: the objects reached from one along relationships with a given
 * cascade (cascade_walk.c), for the expunge and refresh-expire cascades.
 */
#ifndef CALX_ORM_SESSION_CASCADE_WALK_H
#define CALX_ORM_SESSION_CASCADE_WALK_H

#include "session/session.h"

/*
 * h, then every object of the session reached from it through loaded
 * relationships whose cascade has a bit of `cascade`, and so on from
 * those: each once, h first, into *reached (the caller frees reached->v).
 * Objects reached are not changed. CALX_ENOMEM (error set) on failure.
 */
int calx__cascade_walk(calx_session *s, calx__obj *h, uint32_t cascade, calx__objvec *reached);

#endif
