#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common.h"

static const char *prog_name = "bench";

void bench_die(const char *prog, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", prog ? prog : prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void bench_parse(int argc, char **argv, const char *prog, bench_args *a)
{
	prog_name = prog;
	memset(a, 0, sizeof *a);
	if (argc < 4) {
		fprintf(stderr, "usage: %s WORKLOAD URL N [ids=FILE] [sync=off]\n", prog);
		exit(2);
	}
	a->workload = argv[1];
	a->url = argv[2];
	char *end;
	errno = 0;
	a->n = strtol(argv[3], &end, 10);
	if (errno || *end || a->n < 0)
		bench_die(prog, "bad row count '%s'", argv[3]);
	for (int i = 4; i < argc; i++) {
		if (strncmp(argv[i], "ids=", 4) == 0)
			a->ids_file = argv[i] + 4;
		else if (strcmp(argv[i], "sync=off") == 0)
			a->sync_off = true;
		else
			bench_die(prog, "unknown option '%s'", argv[i]);
	}
}

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int bench_name(char *buf, size_t cap, long i)
{
	return snprintf(buf, cap, "customer name %ld", i);
}

int bench_description(char *buf, size_t cap, long i)
{
	return snprintf(buf, cap, "customer description %ld", i);
}

char *bench_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		bench_die(NULL, "out of memory");
	return p;
}

int64_t *bench_read_ids(const char *path, size_t *n_out)
{
	if (!path)
		bench_die(NULL, "this workload needs ids=FILE");
	FILE *f = fopen(path, "r");
	if (!f)
		bench_die(NULL, "cannot open %s: %s", path, strerror(errno));
	size_t n = 0, cap = 1024;
	int64_t *v = malloc(cap * sizeof *v);
	long long x;
	while (v && fscanf(f, "%lld", &x) == 1) {
		if (n == cap) {
			int64_t *nv = realloc(v, 2 * cap * sizeof *v);
			if (!nv) {
				free(v);
				v = NULL;
				break;
			}
			v = nv;
			cap *= 2;
		}
		v[n++] = (int64_t)x;
	}
	fclose(f);
	if (!v)
		bench_die(NULL, "out of memory reading %s", path);
	*n_out = n;
	return v;
}

void bench_report(const bench_args *a, double seconds, uint64_t check)
{
	printf("{\"workload\": \"%s\", \"n\": %ld, \"seconds\": %.6f, \"check\": %" PRIu64 "}\n",
	       a->workload, a->n, seconds, check);
	fflush(stdout);
}

static size_t slot_of(const bench_map *m, int64_t key)
{
	uint64_t x = (uint64_t)key;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x & (m->cap - 1);
}

void bench_map_init(bench_map *m, size_t expected)
{
	m->cap = 16;
	while (m->cap < expected * 2)
		m->cap *= 2;
	m->n = 0;
	m->keys = malloc(m->cap * sizeof *m->keys);
	m->vals = calloc(m->cap, sizeof *m->vals);
	if (!m->keys || !m->vals)
		bench_die(NULL, "out of memory");
}

void bench_map_put(bench_map *m, int64_t key, void *val)
{
	size_t i = slot_of(m, key);
	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->vals[i]) {
		if ((m->n + 1) * 2 > m->cap)
			bench_die(NULL, "bench_map: sized for fewer keys");
		m->n++;
	}
	m->keys[i] = key;
	m->vals[i] = val;
}

void *bench_map_get(const bench_map *m, int64_t key)
{
	for (size_t i = slot_of(m, key); m->vals[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return m->vals[i];
	return NULL;
}

void bench_map_free(bench_map *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
}

void bench_dispatch(const char *prog, const bench_workloads *wl, const bench_args *a)
{
	uint64_t check = 0;
	double t0 = bench_now(), t = -1;
	const char *w = a->workload;
	if (strcmp(w, "setup") == 0) {
		wl->setup(a->n);
		return;
	} else if (strcmp(w, "setup_graph") == 0) {
		wl->setup_graph(a->n);
		return;
	} else if (strcmp(w, "load_graph") == 0) {
		check = wl->load_graph(a->n);
	} else if (strcmp(w, "load_graph_joined") == 0) {
		check = wl->load_graph_joined(a->n);
	} else if (strcmp(w, "insert_graph") == 0) {
		check = wl->insert_graph(a->n);
	} else if (strcmp(w, "insert_no_pk") == 0 || strcmp(w, "insert_many") == 0 ||
	           strcmp(w, "insert_no_pk_marked") == 0) {
		/*
		 * insert_many: the same rows, keys read back; the hand-written insert is that already.
		 * *_marked: calx's opt-in CALX_TRACK_MARKED; the hand-written work is the same.
		 */
		check = wl->insert(a->n, false);
	} else if (strcmp(w, "insert_pk_given") == 0 || strcmp(w, "insert_pk_given_marked") == 0) {
		check = wl->insert(a->n, true);
	} else if (strcmp(w, "insert_no_pk_values") == 0 && wl->insert_values) {
		check = wl->insert_values(a->n, BENCH_KEYS_RETURNING);
	} else if (strcmp(w, "insert_no_pk_values_rowid") == 0 && wl->insert_values) {
		check = wl->insert_values(a->n, BENCH_KEYS_ROWID);
	} else if (strcmp(w, "insert_pk_given_values") == 0 && wl->insert_values) {
		check = wl->insert_values(a->n, BENCH_KEYS_GIVEN);
	} else if (strcmp(w, "load_objects") == 0 || strcmp(w, "load_objects_held") == 0) {
		/* load_objects_held: the same rows; the hand-written loop frees each buffer anyway */
		check = wl->load_objects(a->n);
	} else if (strcmp(w, "load_pages") == 0) {
		check = wl->load_pages(a->n);
	} else if (strcmp(w, "load_columns") == 0) {
		check = wl->load_columns(a->n);
	} else if (strcmp(w, "single_insert") == 0) {
		check = wl->single_insert(a->n);
	} else if (strcmp(w, "get_cold") == 0 || strcmp(w, "get_warm") == 0) {
		size_t n_ids;
		int64_t *ids = bench_read_ids(a->ids_file, &n_ids);
		if ((long)n_ids > a->n)
			n_ids = (size_t)a->n;
		t = wl->get_keys(ids, n_ids, strcmp(w, "get_warm") == 0, &check);
		free(ids);
	} else if (strcmp(w, "bulk_update") == 0 || strcmp(w, "bulk_update_marked") == 0) {
		check = wl->bulk_update(a->n);
	} else if (strcmp(w, "bulk_delete") == 0) {
		check = wl->bulk_delete(a->n);
	} else {
		bench_die(prog, "unknown workload '%s'", w);
	}
	if (t < 0)
		t = bench_now() - t0;
	bench_report(a, t, check);
}
