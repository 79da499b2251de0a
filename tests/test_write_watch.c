/*
 * The write-watch (calx_session_set_write_watch): a flush under the default
 * tracking compares only the objects on pages the program wrote, and
 * still writes every change: to an integer, a string pointer, a fixed
 * array written in place, by the kernel (read(2) into a field), a NULL
 * set and cleared; in objects created before and after the watch started;
 * in a streamed select that lets objects go; across a rollback. Where the
 * kernel offers the watch (probed here the way calx asks for it), the
 * flush must use it; elsewhere the same changes are found by comparing
 * everything. Both dialects.
 */
#define _DEFAULT_SOURCE         /* syscall(), for the probe */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "helpers.h"
#include "watch.calx.h"

#define N_ITEMS 6000
#define N_NOTES 1200

/* Does this kernel let a process watch its own writes (userfaultfd async write-protect + PAGEMAP_SCAN)? */
static bool kernel_watches(void)
{
#ifdef __linux__
	struct {
		uint64_t api, features, ioctls;
	} api = { 0xAA, (1ull << 15) | (1ull << 13), 0 };
	struct {
		uint64_t start, len, mode, ioctls;
	} reg;
	struct {
		uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
		uint64_t inv, mask, anyof, ret;
	} scan;
	uint64_t regions[3 * 4];
	bool ok = false;
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */);
	if (fd < 0)
		return false;
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (p != MAP_FAILED && pm >= 0 && ioctl(fd, _IOWR(0xAA, 0x3F, __typeof__(api)), &api) == 0) {
		reg = (__typeof__(reg)){ (uintptr_t)p, (uint64_t)page, 1u << 1, 0 };
		scan = (__typeof__(scan)){ .size = sizeof scan, .flags = 3, .start = (uintptr_t)p,
		                           .end = (uintptr_t)p + (uint64_t)page, .vec = (uintptr_t)regions, .vec_len = 4,
		                           .mask = 2, .ret = 2 };
		ok = ioctl(fd, _IOWR(0xAA, 0x00, __typeof__(reg)), &reg) == 0 &&
		     ioctl(pm, _IOWR('f', 16, __typeof__(scan)), &scan) >= 0;
	}
	if (pm >= 0)
		close(pm);
	if (p != MAP_FAILED)
		munmap(p, (size_t)page);
	close(fd);
	return ok;
#else
	return false;
#endif
}

static int setup(void **state)
{
	return fixture_setup_schema(state, &watch_schema);
}

/* What the test expects of each row. */
typedef struct expect {
	int64_t qty;
	char name[24];
	char code[12];
	bool has_price;
	double price;
	int32_t rank;
} expect;

static expect items[N_ITEMS], notes[N_NOTES];

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/* N_ITEMS items and N_NOTES notes, created interleaved (blocks of two sizes on the same pages), flushed. */
static void seed(calx_session *s, struct ww_item **it, struct ww_note **nt)
{
	size_t n = 0;
	for (size_t i = 0; i < N_ITEMS; i++) {
		expect *e = &items[i];
		snprintf(e->name, sizeof e->name, "item %zu", i);
		snprintf(e->code, sizeof e->code, "c%zu", i);
		e->qty = (int64_t)i;
		e->has_price = i % 3 != 0;
		e->price = e->has_price ? (double)i / 4 : 0;
		it[i] = ww_item_new(s, .id = (int64_t)i + 1, .name = calx_strdup(s, e->name), .qty = e->qty,
		                    .price = { e->price, e->has_price });
		assert_non_null(it[i]);
		memcpy(it[i]->code, e->code, sizeof e->code);
		assert_ok(s, calx_session_add(s, it[i]));
		if (i % 5 == 4 && n < N_NOTES) {
			notes[n].rank = (int32_t)n;
			nt[n] = ww_note_new(s, .id = (int64_t)n + 1, .rank = notes[n].rank);
			assert_non_null(nt[n]);
			assert_ok(s, calx_session_add(s, nt[n]));
			n++;
		}
	}
	assert_int_equal(n, N_NOTES);
	assert_ok(s, calx_session_flush(s));
}

/* Every row in the database as expected (a second session). */
static void check_rows(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &ww_item_mapper);
	calx_order_by(q, WW_ITEM_ID, CALX_ASC);
	void **v;
	size_t n;
	assert_ok(s, calx_select_all(q, &v, &n));
	assert_int_equal(n, N_ITEMS);
	for (size_t i = 0; i < n; i++) {
		const struct ww_item *x = v[i];
		const expect *e = &items[i];
		if (x->qty != e->qty || strcmp(x->name, e->name) != 0 || strcmp(x->code, e->code) != 0 ||
		    x->price.has_value != e->has_price || (e->has_price && x->price.value != e->price))
			fail_msg("item %zu: %lld '%s' '%s' %d %g, want %lld '%s' '%s' %d %g", i, (long long)x->qty, x->name,
			         x->code, x->price.has_value, x->price.value, (long long)e->qty, e->name, e->code,
			         e->has_price, e->price);
	}
	calx_select_free(q);
	q = calx_select_new(s, &ww_note_mapper);
	calx_order_by(q, WW_NOTE_ID, CALX_ASC);
	assert_ok(s, calx_select_all(q, &v, &n));
	assert_int_equal(n, N_NOTES);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(((const struct ww_note *)v[i])->rank, notes[i].rank);
	calx_select_free(q);
	calx_session_free(s);
}

static calx_flush_stats flushed(calx_session *s)
{
	calx_flush_stats st;
	assert_ok(s, calx_session_flush(s));
	calx_session_flush_stats(s, &st);
	return st;
}

/* One change of one of four kinds to item i, noted in items[]. */
static void change(calx_session *s, struct ww_item *x, size_t i, unsigned kind)
{
	expect *e = &items[i];
	switch (kind % 4) {
	case 0:
		x->qty = e->qty = e->qty * 7 + 1;
		break;
	case 1:
		snprintf(e->name, sizeof e->name, "renamed %zu.%u", i, kind);
		x->name = calx_strdup(s, e->name);
		break;
	case 2:
		/* in place: the pointer-free bytes of the struct itself */
		snprintf(e->code, sizeof e->code, "k%u-%zu", kind % 100, i % 1000);
		memcpy(x->code, e->code, sizeof x->code);
		break;
	default:
		e->has_price = !e->has_price;
		e->price = e->has_price ? (double)kind + 0.5 : 0;
		x->price.has_value = e->has_price;
		x->price.value = e->price;
		break;
	}
}

static struct ww_item *it[N_ITEMS];
static struct ww_note *nt[N_NOTES];

static void only_written_pages_are_compared(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	bool kernel = kernel_watches();
	assert_ok(s, calx_session_set_write_watch(s, CALX_WATCH_ON));
	seed(s, it, nt);
	/* the inserts' snapshots were written after the pages were protected: once more, then nothing */
	calx_flush_stats st = flushed(s);
	assert_int_equal(st.watching, kernel);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.held, N_ITEMS + N_NOTES);
	assert_int_equal(st.compared, kernel ? 0 : N_ITEMS + N_NOTES);
	uint32_t x = 12345;
	for (unsigned round = 0; round < 30; round++) {
		size_t changed = 0;
		for (int k = 0; k < 7; k++, changed++) {
			size_t i = lcg(&x) % N_ITEMS;
			change(s, it[i], i, round + (unsigned)k);
		}
		if (round % 3 == 0) {
			size_t j = lcg(&x) % N_NOTES;
			nt[j]->rank = notes[j].rank = notes[j].rank + 1000;
			changed++;
		}
		st = flushed(s);
		assert_int_equal(st.watching, kernel);
		if (kernel) {
			assert_true(st.compared >= changed);
			/* the changed objects' pages, and those the last flush wrote: a few hundred of 7,200 */
			if (st.compared > (N_ITEMS + N_NOTES) / 4)
				fail_msg("round %u: %llu objects compared of %d", round, (unsigned long long)st.compared,
				         N_ITEMS + N_NOTES);
		}
	}
	/* the kernel writes into a field: read(2) from a pipe */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "piped", 6), 6);
	assert_int_equal(read(fds[0], it[4321]->code, 6), 6);
	memcpy(items[4321].code, "piped", 6);
	close(fds[0]);
	close(fds[1]);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_ok(s, calx_session_commit(s));
	check_rows(fx);
}

static void objects_made_after_the_start_are_watched(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	bool kernel = kernel_watches();
	assert_ok(s, calx_session_set_write_watch(s, CALX_WATCH_ON));
	/* the watch starts on an empty session: every block comes later, in chunks it registers as they appear */
	calx_flush_stats st = flushed(s);
	seed(s, it, nt);
	st = flushed(s);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, kernel ? 0 : N_ITEMS + N_NOTES);
	for (size_t i = 0; i < N_ITEMS; i += 997)
		change(s, it[i], i, (unsigned)i);
	assert_ok(s, calx_session_commit(s));
	check_rows(fx);
}

static void auto_starts_at_a_thousand_objects(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	seed(s, it, nt);
	assert_ok(s, calx_session_commit(s));
	bool kernel = kernel_watches();
	/* a session of 100 objects compares them all */
	calx_session *small = fixture_session(fx);
	calx_select *q = calx_select_new(small, &ww_item_mapper);
	calx_limit(q, 100);
	void **v;
	size_t n;
	assert_ok(small, calx_select_all(q, &v, &n));
	assert_int_equal(n, 100);
	calx_flush_stats st = flushed(small);
	assert_false(st.watching);
	assert_int_equal(st.compared, 100);
	calx_select_free(q);
	calx_session_free(small);
	/*
	 * 6,000: the first flush compares everything without the watch; the
	 * second starts it (comparing everything once more), then it looks at
	 * written pages
	 */
	calx_session *big = fixture_session(fx);
	q = calx_select_new(big, &ww_item_mapper);
	calx_order_by(q, WW_ITEM_ID, CALX_ASC);
	assert_ok(big, calx_select_all(q, &v, &n));
	assert_int_equal(n, N_ITEMS);
	st = flushed(big);
	assert_false(st.watching);
	assert_int_equal(st.compared, N_ITEMS);
	st = flushed(big);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, N_ITEMS);
	change(big, v[17], 17, 0);
	change(big, v[5017], 5017, 3);
	st = flushed(big);
	assert_int_equal(st.watching, kernel);
	if (kernel)
		assert_in_range(st.compared, 2, 200);
	/* off: everything, every time */
	assert_ok(big, calx_session_set_write_watch(big, CALX_WATCH_OFF));
	st = flushed(big);
	assert_false(st.watching);
	assert_int_equal(st.compared, N_ITEMS);
	change(big, v[18], 18, 1);
	assert_int_equal(calx_session_set_write_watch(big, (calx_watch_mode)7), CALX_EINVAL);
	assert_ok(big, calx_session_commit(big));
	calx_select_free(q);
	calx_session_free(big);
	check_rows(fx);
}

static void a_streamed_select_that_lets_go(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	seed(s, it, nt);
	assert_ok(s, calx_session_commit(s));
	calx_session *r = fixture_session(fx);
	assert_ok(r, calx_session_set_write_watch(r, CALX_WATCH_ON));
	calx_select *q = calx_select_new(r, &ww_item_mapper);
	calx_order_by(q, WW_ITEM_ID, CALX_ASC);
	calx_select_yield_per(q, 500);
	calx_select_release_passed(q);
	struct ww_item *x, *kept[8];
	size_t n = 0, k = 0;
	int rc;
	while ((rc = calx_select_next(q, (void **)&x)) == CALX_ROW) {
		size_t i = (size_t)x->id - 1;
		if (i % 977 == 5)
			change(r, x, i, (unsigned)i);   /* changed: it stays */
		if (i % 1499 == 0 && k < 8)
			assert_ok(r, calx_select_keep(q, kept[k++] = x));
		if (++n % 1000 == 0)
			assert_ok(r, calx_session_flush(r));    /* the watch sees batches come and go */
	}
	assert_int_equal(rc, CALX_DONE);
	assert_int_equal(n, N_ITEMS);
	calx_select_free(q);
	for (size_t j = 0; j < k; j++)
		change(r, kept[j], (size_t)kept[j]->id - 1, 2);
	calx_flush_stats st = flushed(r);
	assert_int_equal(st.watching, kernel_watches());
	assert_ok(r, calx_session_commit(r));
	calx_session_free(r);
	check_rows(fx);
}

static void a_rollback_then_more_changes(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	seed(s, it, nt);
	assert_ok(s, calx_session_commit(s));
	calx_session *r = fixture_session(fx);
	assert_ok(r, calx_session_set_write_watch(r, CALX_WATCH_ON));
	calx_select *q = calx_select_new(r, &ww_item_mapper);
	calx_order_by(q, WW_ITEM_ID, CALX_ASC);
	void **v;
	size_t n;
	assert_ok(r, calx_select_all(q, &v, &n));
	assert_ok(r, calx_session_flush(r));
	expect saved[3] = { items[10], items[2000], items[5999] };
	change(r, v[10], 10, 0);
	change(r, v[2000], 2000, 1);
	change(r, v[5999], 5999, 2);
	assert_ok(r, calx_session_flush(r));
	assert_ok(r, calx_session_rollback(r));
	items[10] = saved[0], items[2000] = saved[1], items[5999] = saved[2];
	/* the rollback expired every object; each reloads as it is handed out again */
	calx_select_free(q);
	q = calx_select_new(r, &ww_item_mapper);
	calx_order_by(q, WW_ITEM_ID, CALX_ASC);
	assert_ok(r, calx_select_all(q, &v, &n));
	assert_string_equal(((struct ww_item *)v[2000])->name, items[2000].name);
	change(r, v[3000], 3000, 3);
	change(r, v[10], 10, 2);
	calx_flush_stats st = flushed(r);
	assert_int_equal(st.watching, kernel_watches());
	assert_ok(r, calx_session_commit(r));
	calx_select_free(q);
	calx_session_free(r);
	check_rows(fx);
}

/*
 * An after_update listener writes after the flush looked: into the object
 * just updated (past its new snapshot) and into one on another page that
 * the flush did not touch. The flush leaves those pages unprotected while
 * it writes and protects them when it is done: the next flush must still
 * find both changes.
 */
static int late_write(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s, (void)ev, (void)m;
	if (!*(bool *)payload)
		return CALX_OK;
	struct ww_item *x = obj;
	size_t i = (size_t)x->id - 1, j = (i + N_ITEMS / 2) % N_ITEMS;
	x->qty = items[i].qty = items[i].qty + 1000;
	it[j]->qty = items[j].qty = items[j].qty + 7;
	return CALX_OK;
}

static void a_listener_writes_during_the_flush(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	bool kernel = kernel_watches();
	assert_ok(s, calx_session_set_write_watch(s, CALX_WATCH_ON));
	seed(s, it, nt);
	calx_flush_stats st = flushed(s);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, kernel ? 0 : N_ITEMS + N_NOTES);
	bool on = true;
	assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_UPDATE, &ww_item_mapper, late_write, &on));
	change(s, it[10], 10, 0);
	change(s, it[4000], 4000, 1);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	/* the listener's writes are no change the flush sent: the next one sends them (and fires again) */
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	if (kernel)
		assert_true(st.compared >= 4);
	/* until the listener's writes land on rows the flush does not update again: a flush of nothing more */
	on = false;
	st = flushed(s);
	st = flushed(s);
	if (kernel)
		assert_int_equal(st.compared, 0);
	assert_ok(s, calx_session_commit(s));
	check_rows(fx);
}

/*
 * A commit and expire_all write every object's header: the watch drops
 * its protection first (no fault a page), and the flush after compares
 * every object once, then written pages again. Changes made to the
 * expired objects, without reloading them, are written.
 */
static void changes_after_a_commit_and_an_expiry(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	bool kernel = kernel_watches();
	assert_ok(s, calx_session_set_write_watch(s, CALX_WATCH_ON));
	seed(s, it, nt);
	calx_flush_stats st = flushed(s);
	assert_ok(s, calx_session_commit(s));
	change(s, it[3], 3, 0);
	change(s, it[5998], 5998, 2);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, N_ITEMS + N_NOTES);
	/* the pages that flush wrote (two objects'), then none */
	st = flushed(s);
	if (kernel)
		assert_in_range(st.compared, 2, 400);
	st = flushed(s);
	if (kernel)
		assert_int_equal(st.compared, 0);
	assert_ok(s, calx_session_expire_all(s));
	change(s, it[77], 77, 3);
	nt[900]->rank = notes[900].rank = 4242;
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, N_ITEMS + N_NOTES);
	assert_ok(s, calx_session_commit(s));
	check_rows(fx);
}

/*
 * Structs aligned to 16, their blocks among notes' (other sizes, so the
 * gap words fall on every kind of boundary): each header is 8 bytes into
 * its block, after a gap word the walk steps over. Watched, every change
 * found, nothing compared that was not written.
 */
#define N_ALIGNED 3000
static void a_struct_aligned_to_16_is_watched(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	bool kernel = kernel_watches();
	static struct ww_aligned *al[N_ALIGNED];
	static int64_t weight[N_ALIGNED];
	assert_ok(s, calx_session_set_write_watch(s, CALX_WATCH_ON));
	for (size_t i = 0, n = 0; i < N_ALIGNED; i++) {
		weight[i] = (int64_t)i * 3;
		al[i] = ww_aligned_new(s, .id = (int64_t)i + 1, .weight = weight[i], .label = NULL);
		assert_non_null(al[i]);
		assert_int_equal((uintptr_t)al[i] % 16, 0);
		assert_ok(s, calx_session_add(s, al[i]));
		if (i % 3 == 1 && n < N_NOTES) {
			nt[n] = ww_note_new(s, .id = (int64_t)n + 1, .rank = (int32_t)n);
			assert_non_null(nt[n]);
			assert_ok(s, calx_session_add(s, nt[n]));
			n++;
		}
	}
	calx_flush_stats st = flushed(s);
	st = flushed(s);
	st = flushed(s);
	assert_int_equal(st.watching, kernel);
	assert_int_equal(st.compared, kernel ? 0 : st.held);
	uint32_t x = 777;
	for (unsigned round = 0; round < 20; round++) {
		for (int k = 0; k < 5; k++) {
			size_t i = lcg(&x) % N_ALIGNED;
			al[i]->weight = weight[i] = weight[i] * 5 + round;
		}
		st = flushed(s);
		assert_int_equal(st.watching, kernel);
		if (kernel) {
			assert_true(st.compared >= 5);
			if (st.compared > st.held / 4)
				fail_msg("round %u: %llu objects compared of %llu", round, (unsigned long long)st.compared,
				         (unsigned long long)st.held);
		}
	}
	assert_ok(s, calx_session_commit(s));
	calx_session *t = fixture_session(fx);
	calx_select *q = calx_select_new(t, &ww_aligned_mapper);
	calx_order_by(q, WW_ALIGNED_ID, CALX_ASC);
	void **v;
	size_t n;
	assert_ok(t, calx_select_all(q, &v, &n));
	assert_int_equal(n, N_ALIGNED);
	for (size_t i = 0; i < n; i++)
		if (((const struct ww_aligned *)v[i])->weight != weight[i])
			fail_msg("aligned row %zu: weight %lld, want %lld", i,
			         (long long)((const struct ww_aligned *)v[i])->weight, (long long)weight[i]);
	calx_select_free(q);
	calx_session_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_written_pages_are_compared, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(objects_made_after_the_start_are_watched, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(auto_starts_at_a_thousand_objects, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_streamed_select_that_lets_go, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_rollback_then_more_changes, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_listener_writes_during_the_flush, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(changes_after_a_commit_and_an_expiry, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(a_struct_aligned_to_16_is_watched, setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("write_watch", tests);
}
