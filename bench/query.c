#include <string.h>
#include "graph.h"
#include "query.h"

long report_windows(long n)
{
	return (n + REPORT_WINDOW - 1) / REPORT_WINDOW;
}

void report_window(long n, long w, int64_t *lo, int64_t *hi)
{
	*lo = (int64_t)w * REPORT_WINDOW + 1;
	*hi = (int64_t)(w + 1) * REPORT_WINDOW < n ? (int64_t)(w + 1) * REPORT_WINDOW : n;
}

/*
 * Parent i's sum is the sum of i * 10 + k for k = REPORT_FIRST_CHILD..9;
 * the bound is that sum for the window's middle parent, so the parents
 * after the middle one are kept.
 */
int64_t report_min_sum(int64_t lo)
{
	int64_t mid = lo - 1 + REPORT_WINDOW / 2, sum = 0;
	for (int64_t k = REPORT_FIRST_CHILD; k < GRAPH_CHILDREN; k++)
		sum += mid * GRAPH_CHILDREN + k;
	return sum;
}

uint64_t report_check_row(long pos, int64_t id, size_t name_len, int64_t count, int64_t sum)
{
	return (uint64_t)(pos + 1) * (uint64_t)id + name_len + (uint64_t)count + (uint64_t)sum;
}

int64_t join_parent_value_below(long n)
{
	return n / 2;
}

uint64_t join_check_child(long pos, const struct bench_child *c)
{
	return (uint64_t)(pos + 1) * (uint64_t)c->id + (uint64_t)c->parent_id + (uint64_t)c->value +
	       (c->name ? strlen(c->name) : 0);
}
