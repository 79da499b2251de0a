/* The query workloads (query.h) as a calx user writes them (query_calx.c). */
#ifndef CALX_BENCH_QUERY_CALX_H
#define CALX_BENCH_QUERY_CALX_H

#include <stdint.h>
#include <calx/calx.h>

uint64_t query_calx_report(calx_engine *eng, const calx_registry *reg, long n);
uint64_t query_calx_join(calx_engine *eng, const calx_registry *reg, long n);

#endif
