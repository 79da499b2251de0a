/*
 * The write-watch: which object pages the program wrote since the last
 * flush (watch.h says how). Linux only; elsewhere it never starts.
 */
/* syscall(), for userfaultfd (glibc has no wrapper before 2.36) */
#define _DEFAULT_SOURCE
#include "calx/calx.h"
#include "session/watch.h"
#include "unitofwork/plan.h"

#if defined(__linux__)

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

/*
 * The kernel's interface (linux/userfaultfd.h and linux/fs.h of 6.7), for
 * C libraries whose headers are older: the ABI is fixed, a kernel that
 * lacks it refuses the call and the watch does not start.
 */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define WATCH_FEATURE_WP_UNPOPULATED (1ull << 13)
#define WATCH_FEATURE_WP_ASYNC (1ull << 15)
struct watch_region {
	uint64_t start, end, categories;
};
struct watch_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define WATCH_PAGEMAP_SCAN _IOWR('f', 16, struct watch_scan_arg)
#define WATCH_PAGE_IS_WRITTEN (1ull << 1)
#define WATCH_SCAN_WP_MATCHING (1ull << 0)
#define WATCH_SCAN_CHECK_WPASYNC (1ull << 1)

/* The kernel said it has no such thing: no session of this process tries again. */
static int unavailable;

static bool mappers_fit(const calx_session *s)
{
	/* a block's header is its first bytes, or follows one gap word (a struct aligned to 16): the walk reads it there */
	const calx_registry *reg = s->reg;
	for (unsigned i = 0; i < reg->n_mappers; i++)
		if (reg->mappers[i].obj_off - CALX__HDR_SIZE > sizeof(uint64_t) || reg->mappers[i].desc->align > 16)
			return false;
	return true;
}

static void refuse(calx_session *s, int err)
{
	calx__watch_stop(s);
	s->watch_refused = true;
	if (err == ENOSYS || err == EPERM || err == EINVAL || err == ENOTTY || err == EOPNOTSUPP)
		__atomic_store_n(&unavailable, 1, __ATOMIC_RELAXED);
}

static bool start(calx_session *s)
{
	if (s->watch_refused || s->watch_mode == CALX_WATCH_OFF || __atomic_load_n(&unavailable, __ATOMIC_RELAXED))
		return false;
	/*
	 * AUTO: from the second flush of a session that holds enough objects.
	 * Starting costs a minor fault on the first write to each page after
	 * it (the flush's own snapshots included): a session that flushes a
	 * big graph once, or loads and flushes once, would pay that for nothing.
	 */
	if (s->watch_mode == CALX_WATCH_AUTO) {
		if (s->objs.n < CALX__WATCH_MIN_OBJS)
			return false;
		if (s->big_flushes < 2)
			s->big_flushes++;
		if (s->big_flushes < 2)
			return false;
	}
	if (!mappers_fit(s)) {
		s->watch_refused = true;
		return false;
	}
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (fd < 0) {
		refuse(s, errno);
		return false;
	}
	struct uffdio_api api = { .api = UFFD_API, .features = WATCH_FEATURE_WP_ASYNC | WATCH_FEATURE_WP_UNPOPULATED };
	if (ioctl(fd, UFFDIO_API, &api) != 0) {
		int err = errno;
		close(fd);
		refuse(s, err);
		return false;
	}
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pm < 0) {
		int err = errno;
		close(fd);
		refuse(s, err);
		return false;
	}
	s->watch_fd = fd;
	s->pagemap_fd = pm;
	s->watch_pid = (int)getpid();
	s->watching = true;
	for (calx__bchunk *c = s->blocks.head; c; c = c->next)
		c->watched = c->seen = c->reported = false;
	return true;
}

void calx__watch_stop(calx_session *s)
{
	if (!s->watching)
		return;
	/* closing the userfaultfd unregisters every range and drops the write-protection */
	close(s->watch_fd);
	close(s->pagemap_fd);
	s->watching = false;
	for (calx__bchunk *c = s->blocks.head; c; c = c->next)
		c->watched = c->seen = c->reported = false;
}

void calx__watch_forget(calx_session *s, calx__bchunk *from, const calx__bchunk *to)
{
	for (calx__bchunk *c = from; c && c != to; c = c->next) {
		if (s->watching && c->watched) {
			struct uffdio_range r = { (uintptr_t)c->data, c->size };
			if (ioctl(s->watch_fd, UFFDIO_UNREGISTER, &r) != 0) {
				/* the memory goes back to the allocator: stop rather than leave it registered */
				refuse(s, 0);
				return;
			}
		}
		c->watched = c->seen = c->reported = false;
	}
}

/* Visit the live blocks of c that start in [off, end); returns where the walk stopped. */
static int walk(calx_session *s, struct calx__plan *p, calx__watch_visit visit, calx__bchunk *c, size_t *off,
                size_t end)
{
	while (*off < c->used && *off < end) {
		unsigned char *at = c->data + *off;
		uint64_t word;
		__builtin_memcpy(&word, at, sizeof word);
		if (word == CALX__BLOCK_GAP) {
			*off += sizeof word;
			continue;
		}
		calx__obj *h = (calx__obj *)at;
		const calx__mapper *m = calx__obj_mapper(h);
		/* the block began at its gap word, if it has one (obj_off past the header) */
		*off = (*off - (m->obj_off - CALX__HDR_SIZE) + m->block_size + 7) & ~(size_t)7;
		if (h->state == CALX__PERSISTENT) {
			int rc = visit(s, p, h);
			if (rc != CALX_OK)
				return rc;
		}
	}
	return CALX_OK;
}

/*
 * The pages of c that hold blocks, [data, end of the last block). Those
 * after it are left alone: a page the watch protects before anything was
 * written to it costs two faults at its first write (populated, then
 * unprotected) where an untouched one costs the usual one, and a page
 * populated since the last scan reads as written all the same.
 */
static uint64_t used_end(const calx__bchunk *c)
{
	size_t page = calx__page_size();
	return (uintptr_t)c->data + ((c->used + page - 1) & ~(page - 1));
}

/*
 * PAGEMAP_SCAN over c's used pages: the pages written since they were
 * last protected, each run visited; protect: and protected again (the
 * ioctl does both at once). whole: every block visited instead (c is new
 * to the watch). *reported: some page was.
 */
static int scan_chunk(calx_session *s, struct calx__plan *p, calx__watch_visit visit, calx__bchunk *c, bool protect,
                      bool whole, bool *reported, int *err)
{
	struct watch_region regions[64];
	struct watch_scan_arg a = {
		.size = sizeof a,
		.flags = (protect ? WATCH_SCAN_WP_MATCHING : 0) | WATCH_SCAN_CHECK_WPASYNC,
		.start = (uintptr_t)c->data,
		.end = used_end(c),
		.vec = (uintptr_t)regions,
		.vec_len = sizeof regions / sizeof regions[0],
		.category_mask = WATCH_PAGE_IS_WRITTEN,
		.return_mask = WATCH_PAGE_IS_WRITTEN,
	};
	unsigned shift = calx__page_shift();
	size_t next = 0;        /* blocks before this were visited */
	*reported = false;
	while (a.start < a.end) {
		long n = ioctl(s->pagemap_fd, WATCH_PAGEMAP_SCAN, &a);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return CALX__WATCH_NONE;
		}
		*reported |= n > 0;
		for (long i = 0; i < n && !whole; i++) {
			size_t p0 = (size_t)(regions[i].start - (uintptr_t)c->data) >> shift;
			size_t p1 = (size_t)(regions[i].end - (uintptr_t)c->data) >> shift;
			if (c->first[p0] == CALX__NO_BLOCK)
				continue;       /* past the last block: so is the rest */
			size_t off = c->first[p0] > next ? c->first[p0] : next;
			int rc = walk(s, p, visit, c, &off, p1 << shift);
			next = off;
			if (rc != CALX_OK)
				return rc;
		}
		if (a.walk_end >= a.end)
			break;
		a.start = a.walk_end;
	}
	if (whole)
		return walk(s, p, visit, c, &next, c->used);
	return CALX_OK;
}

static calx__bchunk *reverse(calx__bchunk *c)
{
	calx__bchunk *prev = NULL;
	while (c) {
		calx__bchunk *next = c->next;
		c->next = prev;
		prev = c;
		c = next;
	}
	return prev;
}

int calx__watch_changes(calx_session *s, struct calx__plan *p, calx__watch_visit visit)
{
	if (!s->watching && !start(s))
		return CALX__WATCH_NONE;
	if (s->watch_pid != (int)getpid()) {
		/* a forked child: its copies of the pages are not watched */
		refuse(s, 0);
		return CALX__WATCH_NONE;
	}
	/* oldest chunk first: the order the objects were created in, as the object list has it */
	s->blocks.head = reverse(s->blocks.head);
	int rc = CALX_OK, err = 0;
	for (calx__bchunk *c = s->blocks.head; c && rc == CALX_OK; c = c->next) {
		if (!c->watched) {
			struct uffdio_register r = { .range = { (uintptr_t)c->data, c->size }, .mode = UFFDIO_REGISTER_MODE_WP };
			if (ioctl(s->watch_fd, UFFDIO_REGISTER, &r) != 0) {
				err = errno;
				rc = CALX__WATCH_NONE;
				break;
			}
			c->watched = true;
			c->seen = false;
		}
		/*
		 * A chunk new to the watch is protected now and walked whole. The
		 * others' written pages are only read: they stay unprotected while
		 * the flush writes its snapshots and flags (a fault a page, were
		 * they protected), and calx__watch_settle protects them after it.
		 */
		bool whole = !c->seen;
		rc = scan_chunk(s, p, visit, c, whole, whole, &c->reported, &err);
		if (whole)
			c->reported = false;
		c->seen = true;
	}
	s->blocks.head = reverse(s->blocks.head);
	if (rc == CALX__WATCH_NONE)
		refuse(s, err);
	return rc;
}

/*
 * The flush is done: protect the pages its change detection left
 * unprotected. A page written during the flush is reported here too: its
 * objects are compared once more (the flush's own writes leave them equal
 * to their snapshots), and one still changed (a listener wrote it after
 * the flush had looked) leaves its page unprotected, so the next flush
 * finds it as if the program had written it after this one.
 */
static int still_changed(calx_session *s, struct calx__plan *p, calx__obj *h)
{
	(void)p;
	s->flush_compared++;
	if (calx__state_unchanged(h))
		return CALX_OK;
	calx__state_normalize_nulls(h);
	if (!calx__state_dirty(h))
		return CALX_OK;
	const calx__mapper *m = calx__obj_mapper(h);
	uintptr_t page = calx__page_size(), at = (uintptr_t)h & ~(page - 1);
	uintptr_t block_end = (uintptr_t)h - (m->obj_off - CALX__HDR_SIZE) + m->block_size;
	uintptr_t end = (block_end + page - 1) & ~(page - 1);
	struct uffdio_writeprotect w = { .range = { at, end - at }, .mode = 0 };
	return ioctl(s->watch_fd, UFFDIO_WRITEPROTECT, &w) == 0 ? CALX_OK : CALX__WATCH_NONE;
}

void calx__watch_settle(calx_session *s, struct calx__plan *p)
{
	if (!s->watching)
		return;
	int err = 0;
	for (calx__bchunk *c = s->blocks.head; c; c = c->next) {
		if (!c->reported)
			continue;
		bool reported;
		c->reported = false;
		int rc = scan_chunk(s, p, still_changed, c, true, false, &reported, &err);
		if (rc != CALX_OK) {
			refuse(s, err);
			return;
		}
	}
}

void calx__watch_unprotect(calx_session *s)
{
	if (!s->watching)
		return;
	for (calx__bchunk *c = s->blocks.head; c; c = c->next) {
		if (!c->watched || !c->used)
			continue;
		struct uffdio_writeprotect w = { .range = { (uintptr_t)c->data, used_end(c) - (uintptr_t)c->data },
			                         .mode = 0 };
		if (ioctl(s->watch_fd, UFFDIO_WRITEPROTECT, &w) != 0) {
			refuse(s, errno);
			return;
		}
		/* every page will read as written: protected and walked whole at the start of the next flush */
		c->seen = c->reported = false;
	}
}

#else

int calx__watch_changes(calx_session *s, struct calx__plan *p, calx__watch_visit visit)
{
	(void)s, (void)p, (void)visit;
	return CALX__WATCH_NONE;
}

void calx__watch_stop(calx_session *s)
{
	s->watching = false;
}

void calx__watch_settle(calx_session *s, struct calx__plan *p)
{
	(void)s, (void)p;
}

void calx__watch_unprotect(calx_session *s)
{
	(void)s;
}

void calx__watch_forget(calx_session *s, calx__bchunk *from, const calx__bchunk *to)
{
	(void)s, (void)from, (void)to;
}

#endif

int calx_session_set_write_watch(calx_session *s, calx_watch_mode mode)
{
	if (!s)
		return CALX_EINVAL;
	int rc = calx__refuse_in_listener(s, "calx_session_set_write_watch",
	                                  "not allowed: the running flush chose its objects already");
	if (rc != CALX_OK)
		return rc;
	if (mode != CALX_WATCH_AUTO && mode != CALX_WATCH_ON && mode != CALX_WATCH_OFF)
		return calx__fail(s, CALX_EINVAL, "calx_session_set_write_watch: no mode %d", (int)mode);
	if (mode == CALX_WATCH_OFF)
		calx__watch_stop(s);
	s->watch_mode = (uint8_t)mode;
	return CALX_OK;
}

void calx_session_flush_stats(const calx_session *s, calx_flush_stats *out)
{
	if (!out)
		return;
	*out = (calx_flush_stats){ 0 };
	if (!s)
		return;
	out->compared = s->flush_compared;
	out->held = s->objs.n;
	out->watching = s->flush_watched;
}
