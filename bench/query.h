/*
 * Two workloads of the query language over the graph (bench/graph.h:
 * parent i has id i + 1, value i and children with values i * 10 + k,
 * k = 0..9), each done by every contender the same way.
 *
 *   group_report N   a report per window of REPORT_WINDOW parents (ids
 *                    lo..hi), N / REPORT_WINDOW of them (the last window
 *                    shorter): per parent, the count and the sum of the
 *                    values of its children whose value is at least
 *                    parent.value * 10 + REPORT_FIRST_CHILD, kept when
 *                    that sum is above report_min_sum(lo), ordered by the
 *                    sum (descending), then the parent's id:
 *
 *       SELECT p.id, p.name, count(*), sum(c.value)
 *       FROM bench_parents p JOIN bench_children c ON c.parent_id = p.id
 *       WHERE p.id BETWEEN lo AND hi AND c.value - p.value * 10 >= 3
 *       GROUP BY p.id, p.name HAVING sum(c.value) > min
 *       ORDER BY sum(c.value) DESC, p.id
 *
 *   join_children N  the children of the parents whose value is below
 *                    join_parent_value_below(N) (half the graph), as
 *                    objects (struct bench_child), by one select joined to
 *                    their parent and ordered by the child's id:
 *
 *       SELECT c.* FROM bench_children c JOIN bench_parents p ON p.id = c.parent_id
 *       WHERE p.value < N / 2 ORDER BY c.id
 *
 * N is the fixture's parents (run.py builds it with bench_sqlite / bench_pg
 * setup_graph). The checksums weigh each row by its place, so a contender
 * that got the order wrong disagrees with the others.
 */
#ifndef CALX_BENCH_QUERY_H
#define CALX_BENCH_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "models.h"

#define REPORT_WINDOW 100
#define REPORT_FIRST_CHILD 3

/* The reports group_report N runs (windows of REPORT_WINDOW parents). */
long report_windows(long n);
/* The parent ids of window w: *lo..*hi. */
void report_window(long n, long w, int64_t *lo, int64_t *hi);
/* The HAVING bound of the window starting at id lo: keeps about half its parents. */
int64_t report_min_sum(int64_t lo);
/* One row of a report, the pos-th (from 0) of its window. */
uint64_t report_check_row(long pos, int64_t id, size_t name_len, int64_t count, int64_t sum);

/* join_children N: the parents' value bound. */
int64_t join_parent_value_below(long n);
/* The pos-th child (from 0) of the join. */
uint64_t join_check_child(long pos, const struct bench_child *c);

#endif
