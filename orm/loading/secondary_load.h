/*
 * Internal: many-to-many lists loaded through their secondary table
 * (orm/loading/secondary_load.c), for the lazy load of one object and the
 * select-in load of a result.
 */
#ifndef CALX_ORM_LOADING_SECONDARY_LOAD_H
#define CALX_ORM_LOADING_SECONDARY_LOAD_H

#include "session/session.h"

/*
 * Load list ri (a many-to-many) of every object of objs[0..n) (of one
 * mapper) that has not got it loaded: one SELECT per parameter window.
 * Objects with it loaded already, and every loaded member, go to next
 * (may be NULL) for the next level of a select-in.
 */
int calx__m2m_load(calx_session *s, calx__obj *const *objs, size_t n, unsigned ri, calx__objvec *next);

#endif
