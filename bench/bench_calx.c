/*
 * The calx contender: each workload written the way a calx user would,
 * through the generated constructors, the session and selects.
 *
 *   bench_calx WORKLOAD URL N [ids=FILE] [sync=off]
 *
 * Workloads (bench/RESULTS.md says what each one mirrors). Every one runs
 * the session as the README's code does (default tracking, CALX_TRACK_ALL);
 * the *_marked rows are the opt-in CALX_TRACK_MARKED, extra rows only.
 *   insert_no_pk, insert_pk_given   N objects, flushed 1,000 at a time, one commit
 *   insert_no_pk_marked, insert_pk_given_marked    the same, CALX_TRACK_MARKED
 *   insert_many                     N structs of an array, one calx_insert_many (keys back), one commit
 *   load_objects                    N rows as objects, one select streamed (yield_per 1,000: passed objects let go)
 *   load_objects_held               the same, every object held in the session (calx_select_hold_passed)
 *   load_pages                      N rows as objects, a fresh session per 1,000-row page
 *   load_columns                    N rows as (id, name, description) tuples
 *   single_insert                   N x (session, insert, commit)
 *   get_cold, get_warm              gets by key (ids=FILE), cold: expunged after each
 *   bulk_update                     N objects loaded 1,000 at a time, changed, flushed
 *   bulk_update_marked              the same, CALX_TRACK_MARKED, each changed object added
 *   bulk_delete                     N objects loaded 1,000 at a time, each deleted, flushed
 *   mem_per_object                  calx's own heap bytes per loaded object (not timed)
 *   load_graph, insert_graph        N parents with 10 children each (graph_calx.c)
 *   load_graph_joined               load_graph's, the children by joined eager loading
 *   memory_graph                    calx's heap bytes per object of a loaded graph (not timed)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/calx.h>
#include "common.h"
#include "graph_calx.h"
#include "models.calx.h"

static const char *const prog = "bench_calx";

static void fail_session(calx_session *s, const char *what)
{
	bench_die(prog, "%s: %s", what, calx_session_errmsg(s));
}

#define CK(s, call)                                   \
	do {                                          \
		if ((call) != CALX_OK)                \
			fail_session((s), #call);     \
	} while (0)

static calx_session *open_session(calx_engine *eng, const calx_registry *reg)
{
	calx_session *s;
	if (calx_session_open(&s, eng, reg) != CALX_OK)
		bench_die(prog, "calx_session_open: %s", calx_engine_errmsg(eng));
	/* CALX_BENCH_WATCH_OFF=1: every flush compares every object (the write-watch's extra row); read once */
	static int watch_off = -1;
	if (watch_off < 0)
		watch_off = getenv("CALX_BENCH_WATCH_OFF") != NULL;
	if (watch_off && calx_session_set_write_watch(s, CALX_WATCH_OFF) != CALX_OK)
		bench_die(prog, "calx_session_set_write_watch: %s", calx_session_errmsg(s));
	return s;
}

static uint64_t row_check(const struct customer *c)
{
	return (uint64_t)c->id + (c->name ? strlen(c->name) : 0) + (c->description ? strlen(c->description) : 0);
}

/*
 * marked: the opt-in bulk idiom, flushes look only at objects handed to
 * calx_session_add (README, "The session"); the headline rows run the
 * default, which compares every object the session holds.
 */
static calx_session *bulk_session(calx_engine *eng, const calx_registry *reg, bool marked)
{
	calx_session *s = open_session(eng, reg);
	if (marked)
		CK(s, calx_session_set_tracking(s, CALX_TRACK_MARKED));
	return s;
}

/*
 * Objects the flushes of a bulk insert compared with their snapshots
 * (calx_session_flush_stats), printed to stderr with
 * CALX_BENCH_FLUSH_STATS=1: what the write-watch saves, counted exactly.
 */
static uint64_t compared_total;
static long flushes_counted, flushes_watched;

static void count_flush(calx_session *s)
{
	calx_flush_stats st;
	calx_session_flush_stats(s, &st);
	compared_total += st.compared;
	flushes_counted++;
	flushes_watched += st.watching;
}

static uint64_t insert(calx_engine *eng, const calx_registry *reg, long n, bool pk_given, bool marked)
{
	char name[64], desc[64];
	uint64_t check = 0;
	calx_session *s = bulk_session(eng, reg, marked);
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		long end = chunk + BENCH_CHUNK < n ? chunk + BENCH_CHUNK : n;
		for (long i = chunk; i < end; i++) {
			bench_name(name, sizeof name, i);
			bench_description(desc, sizeof desc, i);
			struct customer *c = customer_new(s, .id = pk_given ? i + 1 : 0,
			                                  .name = calx_strdup(s, name),
			                                  .description = calx_strdup(s, desc));
			if (!c || !c->name || !c->description)
				fail_session(s, "customer_new");
			CK(s, calx_session_add(s, c));
			if (i == n - 1) {
				CK(s, calx_session_commit(s));  /* also flushes the last chunk */
				count_flush(s);
				check = (uint64_t)c->id;        /* the key the database generated */
			}
		}
		if (end < n) {
			CK(s, calx_session_flush(s));
			count_flush(s);
		}
	}
	calx_session_free(s);
	if (getenv("CALX_BENCH_FLUSH_STATS"))
		fprintf(stderr, "flushes %ld (%ld watched), objects compared %llu\n", flushes_counted, flushes_watched,
		        (unsigned long long)compared_total);
	return check;
}

/*
 * calx_insert_many: the N structs built as the hand-written programs build
 * them, then one call, the keys written back (CALX_INSERT_RETURNING), one
 * commit. The rows do not enter the session.
 */
static uint64_t insert_many(calx_engine *eng, const calx_registry *reg, long n)
{
	char name[64], desc[64];
	struct customer *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(prog, "out of memory");
	for (long i = 0; i < n; i++) {
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		v[i].name = bench_xstrdup(name);
		v[i].description = bench_xstrdup(desc);
	}
	calx_session *s = open_session(eng, reg);
	CK(s, calx_insert_many(s, &customer_mapper, v, (size_t)n, CALX_INSERT_RETURNING, NULL));
	CK(s, calx_session_commit(s));
	uint64_t check = n ? (uint64_t)v[n - 1].id : 0;
	calx_session_free(s);
	for (long i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].description);
	}
	free(v);
	return check;
}

/*
 * SQLAlchemy's yield_per(1000): the objects let go a batch at a time as the
 * loop moves on; held: calx_select_hold_passed, every object stays in the session.
 */
static uint64_t load_objects(calx_engine *eng, const calx_registry *reg, long n, bool held)
{
	uint64_t check = 0;
	calx_session *s = open_session(eng, reg);
	calx_select *q = calx_select_new(s, &customer_mapper);
	if (!q)
		fail_session(s, "calx_select_new");
	calx_limit(q, n);
	calx_select_yield_per(q, BENCH_CHUNK);
	if (held && calx_select_hold_passed(q) != CALX_OK)
		fail_session(s, "calx_select_hold_passed");
	struct customer *c;
	int rc;
	while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW)
		check += row_check(c);
	if (rc != CALX_DONE)
		fail_session(s, "calx_select_next");
	calx_select_free(q);
	calx_session_free(s);
	return check;
}

/* Keyset pages: a fresh session (an empty identity map, a freed arena) per page. */
static uint64_t load_pages(calx_engine *eng, const calx_registry *reg, long n)
{
	uint64_t check = 0;
	int64_t last = 0;
	for (long got = 0; got < n;) {
		long want = n - got < BENCH_CHUNK ? n - got : BENCH_CHUNK;
		calx_session *s = open_session(eng, reg);
		calx_select *q = calx_select_new(s, &customer_mapper);
		if (!q)
			fail_session(s, "calx_select_new");
		calx_where(q, calx_gt(CUSTOMER_ID, last));
		calx_order_by(q, CUSTOMER_ID, CALX_ASC);
		calx_limit(q, want);
		struct customer *c;
		long rows = 0;
		int rc;
		while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW) {
			check += row_check(c);
			last = c->id;
			rows++;
		}
		if (rc != CALX_DONE)
			fail_session(s, "calx_select_next");
		calx_select_free(q);
		calx_session_free(s);
		if (rows == 0)
			break;
		got += rows;
	}
	return check;
}

static uint64_t load_columns(calx_engine *eng, const calx_registry *reg, long n)
{
	const calx_field_desc *const cols[] = { calx_field(CUSTOMER_ID), calx_field(CUSTOMER_NAME),
	                                        calx_field(CUSTOMER_DESCRIPTION) };
	uint64_t check = 0;
	calx_session *s = open_session(eng, reg);
	calx_select *q = calx_select_new(s, &customer_mapper);
	if (!q)
		fail_session(s, "calx_select_new");
	calx_limit(q, n);
	CK(s, calx_select_columns(q, cols, 3));
	calx_value v[3];
	int rc;
	while ((rc = calx_select_next_values(q, v)) == CALX_ROW)
		check += (uint64_t)v[0].u.i + (v[1].kind == CALX_VALUE_TEXT ? v[1].u.s.n : 0) +
		         (v[2].kind == CALX_VALUE_TEXT ? v[2].u.s.n : 0);
	if (rc != CALX_DONE)
		fail_session(s, "calx_select_next_values");
	calx_select_free(q);
	calx_session_free(s);
	return check;
}

/* SQLAlchemy's single_inserts: a new session, one object, commit, close. */
static uint64_t single_insert(calx_engine *eng, const calx_registry *reg, long n)
{
	char name[64], desc[64];
	uint64_t check = 0;
	for (long i = 0; i < n; i++) {
		calx_session *s = open_session(eng, reg);
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		struct customer *c = customer_new(s, .name = calx_strdup(s, name), .description = calx_strdup(s, desc));
		if (!c || !c->name || !c->description)
			fail_session(s, "customer_new");
		CK(s, calx_session_add(s, c));
		CK(s, calx_session_commit(s));
		check += (uint64_t)c->id;
		calx_session_free(s);
	}
	return check;
}

static uint64_t get_pass(calx_session *s, const int64_t *ids, size_t n, bool expunge)
{
	uint64_t check = 0;
	for (size_t i = 0; i < n; i++) {
		struct customer *c;
		CK(s, customer_get(s, ids[i], &c));
		check += row_check(c);
		if (expunge)
			CK(s, calx_session_expunge(s, c));
	}
	return check;
}

static double get_keys(calx_engine *eng, const calx_registry *reg, const int64_t *ids, size_t n, bool warm,
                       uint64_t *check)
{
	calx_session *s = open_session(eng, reg);
	if (warm)
		get_pass(s, ids, n, false);     /* not timed: fills the identity map */
	double t0 = bench_now();
	*check = get_pass(s, ids, n, !warm);
	double t = bench_now() - t0;
	calx_session_free(s);
	return t;
}

static uint64_t bulk_update(calx_engine *eng, const calx_registry *reg, long n, bool marked)
{
	char buf[300];
	uint64_t check = 0;
	calx_session *s = bulk_session(eng, reg, marked);
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		calx_select *q = calx_select_new(s, &customer_mapper);
		if (!q)
			fail_session(s, "calx_select_new");
		calx_where(q, calx_and(calx_gt(CUSTOMER_ID, chunk), calx_le(CUSTOMER_ID, chunk + BENCH_CHUNK)));
		struct customer *c;
		int rc;
		while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW) {
			/* the same string work as the hand-written contender: copy, append */
			const char *old = c->description ? c->description : "";
			size_t len = strlen(old);
			if (len + sizeof "updated" > sizeof buf)
				bench_die(prog, "description too long");
			memcpy(buf, old, len);
			memcpy(buf + len, "updated", sizeof "updated");
			if (!(c->description = calx_strdup(s, buf)))
				fail_session(s, "calx_strdup");
			if (marked)
				CK(s, calx_session_add(s, c));      /* "I changed it" */
			check += row_check(c);
		}
		if (rc != CALX_DONE)
			fail_session(s, "calx_select_next");
		calx_select_free(q);
		CK(s, calx_session_flush(s));
	}
	CK(s, calx_session_commit(s));
	calx_session_free(s);
	return check;
}

/*
 * SQLAlchemy's session.delete loop: per 1,000 keys, select, delete each
 * object, flush; one commit. The checksum is taken from each row before it
 * is deleted.
 */
static uint64_t bulk_delete(calx_engine *eng, const calx_registry *reg, long n)
{
	uint64_t check = 0;
	calx_session *s = open_session(eng, reg);
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		calx_select *q = calx_select_new(s, &customer_mapper);
		if (!q)
			fail_session(s, "calx_select_new");
		calx_where(q, calx_and(calx_gt(CUSTOMER_ID, chunk), calx_le(CUSTOMER_ID, chunk + BENCH_CHUNK)));
		struct customer *c;
		int rc;
		while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW) {
			check += row_check(c);
			CK(s, calx_session_delete(s, c));
		}
		if (rc != CALX_DONE)
			fail_session(s, "calx_select_next");
		calx_select_free(q);
		CK(s, calx_session_flush(s));
	}
	CK(s, calx_session_commit(s));
	calx_session_free(s);
	return check;
}

/*
 * Memory: count the bytes calx holds through its allocator hook (each block
 * carries its size in a header the count leaves out), load N objects into
 * one session, and report what it holds per object beyond the struct and
 * its two strings.
 */
typedef struct counted {
	size_t live;
	size_t peak;
} counted;

#define COUNT_HDR 16

static void *counting_alloc(void *payload, void *ptr, size_t size)
{
	counted *c = payload;
	size_t old = 0;
	unsigned char *base = NULL;
	if (ptr) {
		base = (unsigned char *)ptr - COUNT_HDR;
		memcpy(&old, base, sizeof old);
	}
	if (size == 0) {
		free(base);
		c->live -= old;
		return NULL;
	}
	unsigned char *p = realloc(base, size + COUNT_HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof size);
	c->live = c->live - old + size;
	if (c->live > c->peak)
		c->peak = c->live;
	return p + COUNT_HDR;
}

static void mem_per_object(const bench_args *a, counted *cnt, calx_engine *eng, const calx_registry *reg)
{
	calx_session *s = open_session(eng, reg);
	size_t before = cnt->live;
	calx_select *q = calx_select_new(s, &customer_mapper);
	if (!q)
		fail_session(s, "calx_select_new");
	struct customer *c;
	int rc;
	long rows = 0;
	size_t payload = 0;
	while ((rc = calx_select_next(q, (void **)&c)) == CALX_ROW) {
		rows++;
		payload += sizeof *c + strlen(c->name) + 1 + strlen(c->description) + 1;
	}
	if (rc != CALX_DONE)
		fail_session(s, "calx_select_next");
	size_t held = cnt->live - before;   /* the select's finished statement is released */
	calx_select_free(q);
	calx_session_free(s);
	if (rows == 0)
		bench_die(prog, "mem_per_object: no rows");
	printf("{\"workload\": \"%s\", \"n\": %ld, \"rows\": %ld, \"calx_bytes\": %zu, "
	       "\"payload_bytes\": %zu, \"bytes_per_object\": %.1f, \"payload_per_object\": %.1f, "
	       "\"overhead_per_object\": %.1f, \"sizeof_struct\": %zu}\n",
	       a->workload, a->n, rows, held, payload, (double)held / (double)rows,
	       (double)payload / (double)rows, ((double)held - (double)payload) / (double)rows,
	       sizeof(struct customer));
}

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	static counted cnt;
	if (strcmp(a.workload, "mem_per_object") == 0 || strcmp(a.workload, "memory_graph") == 0)
		calx_set_allocator(counting_alloc, &cnt);

	calx_engine *eng;
	calx_registry *reg;
	if (calx_engine_open(&eng, a.url) != CALX_OK)
		bench_die(prog, "calx_engine_open %s: %s", a.url, calx_engine_errmsg(eng));
	/*
	 * A per-connection pragma: the engine's pool hands this single-threaded
	 * program the one connection it opened, so setting it there is enough.
	 */
	if (a.sync_off && calx_engine_exec(eng, "PRAGMA synchronous = OFF") != CALX_OK)
		bench_die(prog, "PRAGMA synchronous: %s", calx_engine_errmsg(eng));
	if (calx_registry_open(&reg, &models_schema, NULL) != CALX_OK)
		bench_die(prog, "calx_registry_open: %s", calx_registry_errmsg(reg));
	/* A file database comes with the table made by the driver; a memory one needs it. */
	if (calx_create_all(reg, eng) != CALX_OK)
		bench_die(prog, "calx_create_all: %s", calx_engine_errmsg(eng));

	uint64_t check = 0;
	double t0 = bench_now(), t = -1;
	const char *w = a.workload;
	if (strcmp(w, "insert_no_pk") == 0 || strcmp(w, "insert_no_pk_values") == 0 ||
	    strcmp(w, "insert_no_pk_values_rowid") == 0) {
		/* *_values: the hand-written contender's multi-row INSERTs; calx runs its headline insert */
		check = insert(eng, reg, a.n, false, false);
	} else if (strcmp(w, "insert_pk_given") == 0 || strcmp(w, "insert_pk_given_values") == 0 ||
	           strcmp(w, "insert_pk_given_copy") == 0) {
		/* *_copy: the set-based contender's COPY FROM STDIN; calx runs its headline insert */
		check = insert(eng, reg, a.n, true, false);
	} else if (strcmp(w, "insert_no_pk_marked") == 0) {
		check = insert(eng, reg, a.n, false, true);
	} else if (strcmp(w, "insert_pk_given_marked") == 0) {
		check = insert(eng, reg, a.n, true, true);
	} else if (strcmp(w, "insert_many") == 0) {
		check = insert_many(eng, reg, a.n);
	} else if (strcmp(w, "load_objects") == 0) {
		check = load_objects(eng, reg, a.n, false);
	} else if (strcmp(w, "load_objects_held") == 0) {
		check = load_objects(eng, reg, a.n, true);
	} else if (strcmp(w, "load_pages") == 0) {
		check = load_pages(eng, reg, a.n);
	} else if (strcmp(w, "load_columns") == 0) {
		check = load_columns(eng, reg, a.n);
	} else if (strcmp(w, "single_insert") == 0) {
		check = single_insert(eng, reg, a.n);
	} else if (strcmp(w, "get_cold") == 0 || strcmp(w, "get_warm") == 0) {
		size_t n_ids;
		int64_t *ids = bench_read_ids(a.ids_file, &n_ids);
		if ((long)n_ids > a.n)
			n_ids = (size_t)a.n;
		t = get_keys(eng, reg, ids, n_ids, strcmp(w, "get_warm") == 0, &check);
		free(ids);
	} else if (strcmp(w, "bulk_update") == 0) {
		check = bulk_update(eng, reg, a.n, false);
	} else if (strcmp(w, "bulk_update_marked") == 0) {
		check = bulk_update(eng, reg, a.n, true);
	} else if (strcmp(w, "bulk_delete") == 0) {
		check = bulk_delete(eng, reg, a.n);
	} else if (strcmp(w, "load_graph") == 0) {
		check = graph_calx_load(eng, reg, a.n, false);
	} else if (strcmp(w, "load_graph_joined") == 0) {
		check = graph_calx_load(eng, reg, a.n, true);
	} else if (strcmp(w, "insert_graph") == 0) {
		check = graph_calx_insert(eng, reg, a.n);
	} else if (strcmp(w, "memory_graph") == 0) {
		graph_calx_memory(eng, reg, a.n, &cnt.live);
		calx_registry_free(reg);
		calx_engine_free(eng);
		return 0;
	} else if (strcmp(w, "mem_per_object") == 0) {
		mem_per_object(&a, &cnt, eng, reg);
		calx_registry_free(reg);
		calx_engine_free(eng);
		return 0;
	} else {
		bench_die(prog, "unknown workload '%s'", w);
	}
	if (t < 0)
		t = bench_now() - t0;
	bench_report(&a, t, check);
	calx_registry_free(reg);
	calx_engine_free(eng);
	return 0;
}
