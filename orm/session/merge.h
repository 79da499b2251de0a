/*
 * Internal: SQLAlchemy's merge (merge.c for one object, merge_cascade.c
 * for the walk along relationships with the merge cascade).
 *
 * A merge source is a struct of a mapped type and where it lives: an object
 * of this session (from == s), an object of another session (from, with its
 * header: NULL marks and loaded bits), or a plain struct the program filled
 * (from NULL: no header, so no NULL marks, and a relationship counts as
 * given when its pointer is set or its list is not empty).
 */
#ifndef CALX_ORM_SESSION_MERGE_H
#define CALX_ORM_SESSION_MERGE_H

#include "session/session.h"

typedef struct calx__merge_src {
	calx_session *from;             /* the session owning it; NULL for a plain struct */
	const calx__mapper *m;          /* the merging session's mapper of its type */
	const void *ptr;                /* the struct */
	calx__obj *h;                   /* its header in from; NULL for a plain struct */
} calx__merge_src;

/*
 * The session's object for src, without following relationships: src
 * itself when it is already this session's persistent or pending object;
 * else the identity map's or the loaded row's instance for src's key, with
 * src's mapped fields copied onto it; else a new pending object with them.
 */
int calx__merge_one(calx_session *s, const calx__merge_src *src, calx__obj **out);

/*
 * calx__merge_one for src, then the same along every relationship with the
 * merge cascade that src gives, each object once: the session's object
 * gets the merged objects in its pointers and lists. Autoflush is off
 * meanwhile (as in SQLAlchemy: half-merged objects are not flushed).
 */
int calx__merge_graph(calx_session *s, const calx__merge_src *src, calx__obj **out);

#endif
