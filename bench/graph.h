/*
 * The relationship workloads: a graph of parents, each with
 * GRAPH_CHILDREN children (bench/models.h: bench_parent, bench_child).
 *
 *   load_graph N     N parents and all their children, the children by
 *                    select-in (one more statement, WHERE parent_id IN the
 *                    parents' keys), every list and back-pointer set
 *   load_graph_joined N
 *                    the same, the children by joined eager loading (the
 *                    parents' own statement, LEFT OUTER JOIN children, the
 *                    limit counting parents in a subquery)
 *   insert_graph N   N parents built with their children linked, inserted
 *                    in one flush and one transaction, every generated key
 *                    read back into its struct
 *   setup_graph N    the fixture (hand-written contenders only): the two
 *                    tables and N parents with their children
 *
 * Parent i (from 0) is named "parent i" with value i; its child k is
 * named "child j" with value j, j = i * GRAPH_CHILDREN + k. Every
 * contender reports the same checksum, computed from the structs it
 * ended with (graph_check_loaded for both loads, graph_check_inserted; the SQLAlchemy
 * contender computes the same sums), so none can skip work.
 */
#ifndef CALX_BENCH_GRAPH_H
#define CALX_BENCH_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include "models.h"

#define GRAPH_CHILDREN 10

int graph_parent_name(char *buf, size_t cap, long i);
int graph_child_name(char *buf, size_t cap, long j);

/*
 * A loaded parent: its id, value, name length, and per child its id,
 * parent_id, value, name length and 1 when its back-pointer is p.
 */
uint64_t graph_check_loaded(const struct bench_parent *p);
/* An inserted parent: its key, and per child its key, 1 when its parent_id is p's key, 1 when its back-pointer is p. */
uint64_t graph_check_inserted(const struct bench_parent *p);

/*
 * The hand-written contenders' side of the graph: children allocated in
 * blocks of structs, lists grown by doubling (as a C programmer would
 * fill a CALX_LIST by hand), strings malloc'd.
 */
typedef struct graph_pool {
	struct graph_block *blocks;
	size_t used;            /* children taken from the newest block */
} graph_pool;

/* A zeroed child from the pool. */
struct bench_child *graph_pool_child(graph_pool *pool);
/* Free every child's name, then the blocks. */
void graph_pool_free(graph_pool *pool);
/* Append c to p->children (and nothing else). */
void graph_append(struct bench_parent *p, struct bench_child *c);
/* Free p's name and list (its children belong to the pool). */
void graph_free_parent(struct bench_parent *p);

/* The hand-written workloads (graph_sqlite.c, graph_pg.c). */
void graph_sqlite_setup(long n);
uint64_t graph_sqlite_load(long n);
uint64_t graph_sqlite_load_joined(long n);
uint64_t graph_sqlite_insert(long n);
void graph_pg_setup(long n);
uint64_t graph_pg_load(long n);
uint64_t graph_pg_load_joined(long n);
uint64_t graph_pg_insert(long n);

#endif
