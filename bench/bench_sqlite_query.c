/*
 * The hand-written SQLite contender of the query and concurrency workloads:
 *
 *   bench_sqlite_query WORKLOAD URL N
 *
 *   group_report, join_children   over a graph of N parents (query.h, query_sqlite.c)
 *   mixed                         N transactions on 8 threads (mixed.h, mixed_sqlite.c)
 *
 * Same command line and report line as bench_sqlite (common.h), whose
 * setup and setup_graph build the fixtures.
 */
#include <string.h>
#include "common.h"
#include "hand_sqlite.h"
#include "mixed_hand.h"
#include "query_hand.h"

static const char *const prog = "bench_sqlite_query";

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	const char *w = a.workload;
	if (strcmp(w, "mixed") == 0) {
		mixed_sqlite(&a);       /* a connection a thread; times itself */
		return 0;
	}
	sq_open(a.url, a.sync_off);
	double t0 = bench_now();
	uint64_t check = 0;
	if (strcmp(w, "group_report") == 0)
		check = query_sqlite_report(a.n);
	else if (strcmp(w, "join_children") == 0)
		check = query_sqlite_join(a.n);
	else
		bench_die(prog, "unknown workload '%s'", w);
	bench_report(&a, bench_now() - t0, check);
	if (sqlite3_close(sq_db) != SQLITE_OK)
		sq_fail("close");
	return 0;
}
