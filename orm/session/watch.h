/*
 * Internal: the write-watch (calx_session_set_write_watch, calx/session.h).
 *
 * A flush under CALX_TRACK_ALL must find every persistent object the
 * program changed, and C has no write barrier: without one, it compares
 * every object with its snapshot, in time proportional to the session.
 * Linux (6.7 and later) gives a barrier per memory page without a signal
 * handler: memory registered with a userfaultfd in asynchronous
 * write-protect mode is write-protected by the PAGEMAP_SCAN ioctl, which
 * also reports the pages written since they were last protected; a write
 * to a protected page is resolved by the kernel itself, which marks the
 * page written. The session's object blocks live in page-aligned chunks
 * that know the first block on each page (base/blocks.h), so a flush
 * compares the blocks on written pages only.
 *
 * The written pages are read at the start of the flush's change
 * detection and protected again after the flush (calx__watch_settle),
 * once it has written its snapshots and flags there: a page protected
 * first would take a fault at the flush's own first write to it. Only
 * the pages that hold blocks are protected: a page beyond the last block
 * is populated by its first write (one fault, where a protected page that
 * was never written takes two) and then reads as written. A chunk the
 * watch has not protected yet (new since, or every chunk when the watch
 * starts) is protected and walked whole once.
 */
#ifndef CALX_ORM_WATCH_H
#define CALX_ORM_WATCH_H

#include "session/session.h"

struct calx__plan;

/* Objects a session must hold at two flushes before CALX_WATCH_AUTO starts the watch (at the second). */
#define CALX__WATCH_MIN_OBJS 1024

#define CALX__WATCH_NONE 1      /* not watching: the caller compares every object */

typedef int (*calx__watch_visit)(calx_session *s, struct calx__plan *p, calx__obj *h);

/*
 * For the flush's change detection (CALX_TRACK_ALL): start the watch if
 * it should, then call visit for every live block on a page written since
 * the last call (and on chunks it had not protected). CALX_OK, visit's
 * failure code, or CALX__WATCH_NONE: no watch (or it failed, and stopped
 * for good); the caller then compares every object, after undoing what
 * visit did this call.
 */
int calx__watch_changes(calx_session *s, struct calx__plan *p, calx__watch_visit visit);
/*
 * After a flush that worked (calx__watch_changes chose its objects):
 * write-protect the pages its change detection found written, which it
 * left unprotected while the flush wrote snapshots and flags there, and
 * compare their objects once more (one a listener changed after the
 * flush looked leaves its page unprotected, for the next flush).
 */
void calx__watch_settle(calx_session *s, struct calx__plan *p);
/*
 * Every object is about to be written (a commit's or rollback's expiry):
 * drop the protection of the chunks' pages first, instead of a fault on
 * each page's first write; the next flush protects them again and
 * compares every object, as it would after those writes.
 */
void calx__watch_unprotect(calx_session *s);
/* Stop watching (the session is freed, or calx_session_set_write_watch(s, CALX_WATCH_OFF)). */
void calx__watch_stop(calx_session *s);
/* Chunks from, from->next, ... up to (not including) to are about to be freed: the watch lets them go. */
void calx__watch_forget(calx_session *s, calx__bchunk *from, const calx__bchunk *to);

#endif
