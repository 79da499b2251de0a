/*
 * The query workloads (query.h) written the way a calx user would: the
 * report through the query language (a select of values: a join along the
 * relationship, group by, aggregates, having, order by expression), built
 * and freed per report; the join as a select of objects joined to their
 * parent, read into the default session (identity map, change tracking).
 */
#include <stdio.h>
#include <stdlib.h>
#include "common.h"
#include "graph.h"
#include "query.h"
#include "query_calx.h"
#include "models.calx.h"

static void fail_session(calx_session *s, const char *what)
{
	bench_die(NULL, "%s: %s", what, calx_session_errmsg(s));
}

static calx_session *open_session(calx_engine *eng, const calx_registry *reg)
{
	calx_session *s;
	if (calx_session_open(&s, eng, reg) != CALX_OK)
		bench_die(NULL, "calx_session_open: %s", calx_engine_errmsg(eng));
	return s;
}

static uint64_t report(calx_session *s, int64_t lo, int64_t hi)
{
	calx_select *q = calx_select_new(s, &bench_parent_mapper);
	if (!q)
		fail_session(s, "calx_select_new");
	calx_join_rel(q, NULL, BENCH_PARENT_REL_CHILDREN);
	calx_expr *cols[] = { calx_col(BENCH_PARENT_ID), calx_col(BENCH_PARENT_NAME), calx_count_star(),
		              calx_sum(calx_col(BENCH_CHILD_VALUE)) };
	if (calx_select_exprs(q, cols, 4) != CALX_OK)
		fail_session(s, "calx_select_exprs");
	calx_where(q, calx_and(calx_between(BENCH_PARENT_ID, lo, hi),
	                       calx_cmp(CALX_OP_GE,
	                                calx_sub(calx_col(BENCH_CHILD_VALUE),
	                                         calx_mul(calx_col(BENCH_PARENT_VALUE), calx_lit(GRAPH_CHILDREN))),
	                                calx_lit(REPORT_FIRST_CHILD))));
	calx_group_by(q, calx_col(BENCH_PARENT_ID));
	calx_group_by(q, calx_col(BENCH_PARENT_NAME));
	calx_having(q, calx_cmp(CALX_OP_GT, calx_sum(calx_col(BENCH_CHILD_VALUE)), calx_lit(report_min_sum(lo))));
	calx_order_by_expr(q, calx_sum(calx_col(BENCH_CHILD_VALUE)), CALX_DESC);
	calx_order_by(q, BENCH_PARENT_ID, CALX_ASC);
	calx_value v[4];
	uint64_t check = 0;
	long pos = 0;
	int rc;
	while ((rc = calx_select_next_values(q, v)) == CALX_ROW)
		check += report_check_row(pos++, v[0].u.i, v[1].kind == CALX_VALUE_TEXT ? v[1].u.s.n : 0, v[2].u.i,
		                          v[3].u.i);
	if (rc != CALX_DONE)
		fail_session(s, "report");
	calx_select_free(q);
	return check;
}

uint64_t query_calx_report(calx_engine *eng, const calx_registry *reg, long n)
{
	uint64_t check = 0;
	calx_session *s = open_session(eng, reg);
	for (long w = 0; w < report_windows(n); w++) {
		int64_t lo, hi;
		report_window(n, w, &lo, &hi);
		check += report(s, lo, hi);
	}
	if (calx_session_commit(s) != CALX_OK)
		fail_session(s, "calx_session_commit");
	calx_session_free(s);
	return check;
}

uint64_t query_calx_join(calx_engine *eng, const calx_registry *reg, long n)
{
	calx_session *s = open_session(eng, reg);
	calx_select *q = calx_select_new(s, &bench_child_mapper);
	if (!q)
		fail_session(s, "calx_select_new");
	calx_join_rel(q, NULL, BENCH_CHILD_REL_PARENT);
	calx_where(q, calx_lt(BENCH_PARENT_VALUE, join_parent_value_below(n)));
	calx_order_by(q, BENCH_CHILD_ID, CALX_ASC);
	void **items;
	size_t rows;
	if (calx_select_all(q, &items, &rows) != CALX_OK)
		fail_session(s, "join");
	uint64_t check = 0;
	for (size_t i = 0; i < rows; i++)
		check += join_check_child((long)i, items[i]);
	calx_select_free(q);
	if (calx_session_commit(s) != CALX_OK)
		fail_session(s, "calx_session_commit");
	calx_session_free(s);
	return check;
}
