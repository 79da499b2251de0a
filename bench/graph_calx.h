/*
 * The relationship workloads (graph.h) as a calx user writes them
 * (graph_calx.c), for bench_calx.
 */
#ifndef CALX_BENCH_GRAPH_CALX_H
#define CALX_BENCH_GRAPH_CALX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <calx/calx.h>

/* load_graph, or (joined) load_graph_joined: the children by CALX_LOAD_JOINED instead of select-in. */
uint64_t graph_calx_load(calx_engine *eng, const calx_registry *reg, long n, bool joined);
uint64_t graph_calx_insert(calx_engine *eng, const calx_registry *reg, long n);
/*
 * Not timed: load n parents with their children into one session and
 * print (one JSON line) what calx's heap holds per loaded object, read
 * from *live, the bytes the allocator hook counts.
 */
void graph_calx_memory(calx_engine *eng, const calx_registry *reg, long n, const size_t *live);

#endif
