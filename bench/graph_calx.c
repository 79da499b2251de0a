/*
 * The relationship workloads (graph.h) written the way a calx user would:
 * the parents by one select with calx_select_load(..., CALX_LOAD_SELECTIN)
 * on their children (load_graph_joined: CALX_LOAD_JOINED, the children in
 * the parents' own statement), every row with calx_select_all; the graph built with
 * the generated constructors and bench_parent_children_append, the
 * parents added (save-update cascade adds the children), one commit. The
 * session is the default one (tracking every object, expire on commit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "graph.h"
#include "graph_calx.h"
#include "models.calx.h"

static void fail_session(calx_session *s, const char *what)
{
	bench_die(NULL, "%s: %s", what, calx_session_errmsg(s));
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
		bench_die(NULL, "calx_session_open: %s", calx_engine_errmsg(eng));
	/* CALX_BENCH_WATCH_OFF=1: the write-watch off, as in bench_calx.c */
	if (getenv("CALX_BENCH_WATCH_OFF") && calx_session_set_write_watch(s, CALX_WATCH_OFF) != CALX_OK)
		bench_die(NULL, "calx_session_set_write_watch: %s", calx_session_errmsg(s));
	return s;
}

/* N parents, their children loaded by strategy how: *q's array of n_out parents. */
static struct bench_parent **load(calx_session *s, calx_select **q, long n, calx_loading how, size_t *n_out)
{
	void **items;
	if (!(*q = calx_select_new(s, &bench_parent_mapper)))
		fail_session(s, "calx_select_new");
	calx_limit(*q, n);
	CK(s, calx_select_load(*q, BENCH_PARENT_REL_CHILDREN, how));
	CK(s, calx_select_all(*q, &items, n_out));
	return (struct bench_parent **)items;
}

uint64_t graph_calx_load(calx_engine *eng, const calx_registry *reg, long n, bool joined)
{
	uint64_t check = 0;
	calx_session *s = open_session(eng, reg);
	calx_select *q;
	size_t np;
	struct bench_parent **parents = load(s, &q, n, joined ? CALX_LOAD_JOINED : CALX_LOAD_SELECTIN, &np);
	for (size_t i = 0; i < np; i++)
		check += graph_check_loaded(parents[i]);
	calx_select_free(q);
	calx_session_free(s);
	return check;
}

uint64_t graph_calx_insert(calx_engine *eng, const calx_registry *reg, long n)
{
	char name[64];
	uint64_t check = 0;
	/* the program's own handles on what it built, to read the keys back */
	struct bench_parent **parents = malloc((n ? (size_t)n : 1) * sizeof *parents);
	if (!parents)
		bench_die(NULL, "out of memory");
	calx_session *s = open_session(eng, reg);
	for (long i = 0; i < n; i++) {
		graph_parent_name(name, sizeof name, i);
		struct bench_parent *p = bench_parent_new(s, .name = calx_strdup(s, name), .value = i);
		if (!p || !p->name)
			fail_session(s, "bench_parent_new");
		for (long k = 0; k < GRAPH_CHILDREN; k++) {
			long j = i * GRAPH_CHILDREN + k;
			graph_child_name(name, sizeof name, j);
			struct bench_child *c = bench_child_new(s, .name = calx_strdup(s, name), .value = j);
			if (!c || !c->name)
				fail_session(s, "bench_child_new");
			CK(s, bench_parent_children_append(s, p, c));
		}
		CK(s, calx_session_add(s, p));
		parents[i] = p;
	}
	CK(s, calx_session_commit(s));
	/* the structs keep what the flush wrote into them (expiry marks them, it does not clear them) */
	for (long i = 0; i < n; i++)
		check += graph_check_inserted(parents[i]);
	calx_session_free(s);
	free(parents);
	return check;
}

void graph_calx_memory(calx_engine *eng, const calx_registry *reg, long n, const size_t *live)
{
	calx_session *s = open_session(eng, reg);
	size_t before = *live;
	calx_select *q;
	size_t np, nchildren = 0, payload = 0;
	struct bench_parent **parents = load(s, &q, n, CALX_LOAD_SELECTIN, &np);
	for (size_t i = 0; i < np; i++) {
		const struct bench_parent *p = parents[i];
		payload += sizeof *p + strlen(p->name) + 1 + p->children.n * sizeof *p->children.items;
		for (size_t k = 0; k < p->children.n; k++)
			payload += sizeof *p->children.items[k] + strlen(p->children.items[k]->name) + 1;
		nchildren += p->children.n;
	}
	calx_select_free(q);    /* the select's array of parents is not the session's */
	size_t held = *live - before, objects = np + nchildren;
	calx_session_free(s);
	if (!objects)
		bench_die(NULL, "graph memory: nothing loaded");
	printf("{\"workload\": \"memory_graph\", \"n\": %ld, \"parents\": %zu, \"children\": %zu, \"calx_bytes\": %zu, "
	       "\"payload_bytes\": %zu, \"bytes_per_object\": %.1f, \"payload_per_object\": %.1f, "
	       "\"overhead_per_object\": %.1f, \"sizeof_parent\": %zu, \"sizeof_child\": %zu}\n",
	       n, np, nchildren, held, payload, (double)held / (double)objects, (double)payload / (double)objects,
	       ((double)held - (double)payload) / (double)objects, sizeof(struct bench_parent),
	       sizeof(struct bench_child));
}
