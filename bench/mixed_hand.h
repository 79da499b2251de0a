/* The mixed workload (mixed.h) written by hand: mixed_sqlite.c, mixed_pg.c. */
#ifndef CALX_BENCH_MIXED_HAND_H
#define CALX_BENCH_MIXED_HAND_H

#include "common.h"

void mixed_sqlite(const bench_args *a);
void mixed_pg(const bench_args *a);

#endif
