/*
 * The query workloads (query.h) written by hand: query_sqlite.c on the
 * connection hand_sqlite.c opened, query_pg.c on hand_pg.c's.
 */
#ifndef CALX_BENCH_QUERY_HAND_H
#define CALX_BENCH_QUERY_HAND_H

#include <stdint.h>

uint64_t query_sqlite_report(long n);
uint64_t query_sqlite_join(long n);
uint64_t query_pg_report(long n);
uint64_t query_pg_join(long n);

#endif
