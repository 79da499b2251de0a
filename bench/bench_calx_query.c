/*
 * The calx contender of the query and concurrency workloads:
 *
 *   bench_calx_query WORKLOAD URL N
 *
 *   group_report, join_children   over a graph of N parents (query.h, query_calx.c)
 *   mixed                         N transactions on 8 threads (mixed.h, mixed_calx.c)
 *
 * Same command line and report line as bench_calx (common.h). The engine's
 * pool is sized for the mixed workload's threads (pool_size 8, as the
 * SQLAlchemy contender's), the rest of it calx's defaults.
 */
#include <string.h>
#include <calx/calx.h>
#include "common.h"
#include "mixed.h"
#include "mixed_calx.h"
#include "query_calx.h"
#include "models.calx.h"

static const char *const prog = "bench_calx_query";

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	calx_engine_opts o = CALX_ENGINE_OPTS_INIT;
	o.pool_size = MIXED_THREADS;
	calx_engine *eng;
	calx_registry *reg;
	if (calx_engine_open_opts(&eng, a.url, &o) != CALX_OK)
		bench_die(prog, "calx_engine_open_opts %s: %s", a.url, calx_engine_errmsg(eng));
	if (calx_registry_open(&reg, &models_schema, NULL) != CALX_OK)
		bench_die(prog, "calx_registry_open: %s", calx_registry_errmsg(reg));
	if (calx_create_all(reg, eng) != CALX_OK)
		bench_die(prog, "calx_create_all: %s", calx_engine_errmsg(eng));

	const char *w = a.workload;
	double t0 = bench_now();
	uint64_t check;
	if (strcmp(w, "group_report") == 0) {
		check = query_calx_report(eng, reg, a.n);
	} else if (strcmp(w, "join_children") == 0) {
		check = query_calx_join(eng, reg, a.n);
	} else if (strcmp(w, "mixed") == 0) {
		mixed_calx(&a, eng, reg);       /* times itself, prints its own line */
		check = 0;
		t0 = -1;
	} else {
		bench_die(prog, "unknown workload '%s'", w);
	}
	if (t0 >= 0)
		bench_report(&a, bench_now() - t0, check);
	calx_registry_free(reg);
	calx_engine_free(eng);
	return 0;
}
