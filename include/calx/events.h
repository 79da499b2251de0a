/*
 * calx/events.h - listeners on a session's unit of work.
 *
 * Plugins (timestamps, soft delete, audit columns) are built on these alone.
 *
 * Order, the same on both dialects and every write path: inserts by runs
 * (the consecutive new objects of one mapper in flush order, cut before
 * one whose parent in the run has no key yet): every before_insert of a
 * run, its INSERTs, every after_insert. Updates by runs of one mapper
 * likewise (after_update only where an UPDATE was sent). Deletes by round:
 * every before_delete, then the DELETEs, then every after_delete.
 * A listener returns CALX_OK to go on; any other status stops the operation:
 * a before_* or after_* listener inside a flush fails the flush (the
 * transaction is rolled back as for any failed flush), an after_load
 * listener fails the get or select that loaded the row.
 *
 * What a listener may call. "flush" is before_flush, before/after insert,
 * update and delete, and after_flush; "load" is after_load (which a get or
 * select inside a flush listener may also fire). A refused call returns
 * CALX_ESTATE with a message naming the event ("calx_session_delete inside
 * an after_insert listener: ...") and changes nothing: if the listener then
 * returns CALX_OK the operation goes on and writes its whole unit of work;
 * if it returns the error, the flush fails as a whole (rolled back).
 *
 *   call                               flush listener     after_load
 *   calx_session_add                   yes (1)            yes (next flush)
 *   calx_session_delete                yes (2)            yes (next flush)
 *   calx_object_new, *_new,
 *     calx_field_set_null / _set_text  yes (3)            yes
 *   calx_session_get / _get_key,
 *     calx_select_* runs               yes, no autoflush  yes, no autoflush
 *                                      and no reload of expired objects (5)
 *   calx_session_set_autoflush         yes (the setting for later operations)
 *   calx_session_flush / _commit /
 *     _rollback                        CALX_ESTATE        CALX_ESTATE
 *   calx_session_begin_nested /
 *     _commit_nested / _rollback_nested CALX_ESTATE       CALX_ESTATE
 *   calx_session_expunge / _expunge_all CALX_ESTATE       CALX_ESTATE
 *   calx_session_expire / _expire_all /
 *     _refresh                         CALX_ESTATE        CALX_ESTATE
 *   calx_session_set_expire_on_commit  yes (read when a commit ends, the running one's too)
 *   calx_session_merge                 CALX_ESTATE        CALX_ESTATE
 *   calx_session_delete_as_update      before_delete, for its own object; else CALX_ESTATE
 *   calx_field_set_value, calx_session_set_info,
 *     calx_session_alloc, calx_session_set_error (calx/plugin.h)
 *                                      yes                yes
 *   calx_session_listen                CALX_ESTATE        CALX_ESTATE
 *   calx_session_set_tracking          CALX_ESTATE        CALX_ESTATE
 *   calx_session_free                  ignored (4)        ignored (4)
 *
 * (1) A new object is inserted by the same flush, in another round of
 *     statements (a flush that still has new objects after 16 rounds fails
 *     with CALX_ESTATE); added in after_flush, by the next flush (commit
 *     runs it: 16 at most). Adding back an object whose delete the running
 *     flush makes is CALX_ESTATE: its row is gone.
 * (2) The row is deleted by the same flush, in another round (after_flush:
 *     by the next flush, which commit runs). Deleting an object whose insert
 *     the running flush makes (before_insert, after_insert) is CALX_ESTATE,
 *     never a silent no-op: delete it after the flush, or in before_flush
 *     (where a pending object is just dropped, as outside a flush).
 * (3) before_insert and before_update may change the object's fields and
 *     the statement writes them; a change an after_* listener makes is
 *     written by the next flush (under CALX_TRACK_MARKED, when marked).
 * (5) An expired object (calx/session.h) found by a get or a select in a
 *     listener is handed out as it is, still expired: the running flush or
 *     load may be writing it. The first get or select after the operation
 *     returns reloads it.
 * (4) calx_session_free returns nothing: inside a listener it frees
 *     nothing (the operation that called the listener still uses the
 *     session) and sets CALX_ESTATE as the session's error; free the
 *     session after that operation returns.
 */
#ifndef CALX_EVENTS_H
#define CALX_EVENTS_H

#include "calx/session.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum calx_event {
	CALX_EVENT_BEFORE_FLUSH = 1,  /* obj and mapper are NULL; may add objects */
	CALX_EVENT_AFTER_FLUSH,       /* every statement succeeded */
	CALX_EVENT_BEFORE_INSERT,     /* may change the object's fields */
	CALX_EVENT_AFTER_INSERT,      /* generated keys are in the object */
	CALX_EVENT_BEFORE_UPDATE,     /* the object has changes; may change more fields */
	CALX_EVENT_AFTER_UPDATE,
	CALX_EVENT_BEFORE_DELETE,
	CALX_EVENT_AFTER_DELETE,
	CALX_EVENT_AFTER_LOAD,        /* a row became a new object in the session */
	/*
	 * The transaction ended: obj and mapper are NULL. The commit or
	 * rollback stands whatever the listener returns; a status other than
	 * CALX_OK is what the call returns. A listener may get and select (a
	 * new transaction), not flush, commit or roll back.
	 */
	CALX_EVENT_AFTER_COMMIT,
	CALX_EVENT_AFTER_ROLLBACK
} calx_event;

typedef int (*calx_listener_fn)(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj,
                                void *payload);

/*
 * Call fn for ev on objects of mapper m (NULL: every mapper), in the order
 * listeners were added. The listener lives as long as the session.
 */
int calx_session_listen(calx_session *s, calx_event ev, const calx_mapper_desc *m, calx_listener_fn fn,
                        void *payload);

/*
 * The same for every session of reg opened afterwards (SQLAlchemy's
 * listeners on a mapper class, or on the Session class): the session
 * starts with the registry's listeners, in the order they were added, and
 * they run before the session's own. Add them before sessions are opened
 * (sessions opened before do not see them), from one thread: the registry
 * is shared by sessions on other threads. CALX_EINVAL for a bad event, a
 * NULL listener or a mapper the registry does not map.
 */
int calx_registry_listen(calx_registry *reg, calx_event ev, const calx_mapper_desc *m, calx_listener_fn fn,
                         void *payload);

/*
 * Inside a before_delete listener, for the object obj it runs for: the
 * flush writes obj's changed fields with an UPDATE instead of deleting its
 * row, and obj stays in the session, persistent (soft delete: set
 * deleted_at, then call this). No after_delete fires for it, nor
 * before_update or after_update. What the delete set in motion before its
 * listeners ran still happens: objects deleted with it by a cascade are
 * deleted (each may be kept by its own listener), and keys of children a
 * relationship set NULL stay NULL. CALX_ESTATE anywhere else.
 */
int calx_session_delete_as_update(calx_session *s, void *obj);

/* A short name: "before_insert". */
const char *calx_event_name(calx_event ev);

#ifdef __cplusplus
}
#endif

#endif /* CALX_EVENTS_H */
