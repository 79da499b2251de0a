/*
 * The hand-written PostgreSQL contender of the query and concurrency
 * workloads:
 *
 *   bench_pg_query WORKLOAD URL N
 *
 *   group_report, join_children   over a graph of N parents (query.h, query_pg.c)
 *   mixed                         N transactions on 8 threads (mixed.h, mixed_pg.c)
 *
 * Same command line and report line as bench_pg (common.h), whose setup
 * and setup_graph build the fixtures.
 */
#include <string.h>
#include "common.h"
#include "hand_pg.h"
#include "mixed_hand.h"
#include "query_hand.h"

static const char *const prog = "bench_pg_query";

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	if (a.sync_off)
		bench_die(prog, "sync=off is an SQLite option");
	const char *w = a.workload;
	if (strcmp(w, "mixed") == 0) {
		mixed_pg(&a);   /* a connection a thread; times itself */
		return 0;
	}
	pq_open(a.url);
	double t0 = bench_now();
	uint64_t check = 0;
	if (strcmp(w, "group_report") == 0)
		check = query_pg_report(a.n);
	else if (strcmp(w, "join_children") == 0)
		check = query_pg_join(a.n);
	else
		bench_die(prog, "unknown workload '%s'", w);
	bench_report(&a, bench_now() - t0, check);
	PQfinish(pq_db);
	return 0;
}
