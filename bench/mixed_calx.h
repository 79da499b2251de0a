/* The mixed workload (mixed.h) as a calx user writes it (mixed_calx.c). */
#ifndef CALX_BENCH_MIXED_CALX_H
#define CALX_BENCH_MIXED_CALX_H

#include <calx/calx.h>
#include "common.h"

/* eng's pool must hold MIXED_THREADS connections (pool_size). */
void mixed_calx(const bench_args *a, calx_engine *eng, const calx_registry *reg);

#endif
