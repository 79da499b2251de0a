/*
 * The query workloads (query.h) written by hand against libpq: prepared
 * statements with text parameters, each result read whole (PQexecPrepared),
 * the join's rows into struct bench_child from blocks of them (graph.h's
 * pool), names malloc'd.
 */
#include <stdlib.h>
#include "common.h"
#include "graph.h"
#include "hand_pg.h"
#include "query.h"
#include "query_hand.h"

uint64_t query_pg_report(long n)
{
	pq_prepare("report",
	           "SELECT p.id, p.name, count(*), sum(c.value) "
	           "FROM bench_parents p JOIN bench_children c ON c.parent_id = p.id "
	           "WHERE p.id BETWEEN $1 AND $2 AND c.value - p.value * $3 >= $4 "
	           "GROUP BY p.id, p.name HAVING sum(c.value) > $5 ORDER BY 4 DESC, p.id");
	char b[5][24];
	const char *params[5] = { b[0], b[1], b[2], b[3], b[4] };
	pq_i64_text(b[2], GRAPH_CHILDREN);
	pq_i64_text(b[3], REPORT_FIRST_CHILD);
	uint64_t check = 0;
	pq_exec("BEGIN");
	for (long w = 0; w < report_windows(n); w++) {
		int64_t lo, hi;
		report_window(n, w, &lo, &hi);
		pq_i64_text(b[0], lo);
		pq_i64_text(b[1], hi);
		pq_i64_text(b[4], report_min_sum(lo));
		PGresult *res = pq_run("report", 5, params, PGRES_TUPLES_OK);
		int rows = PQntuples(res);
		for (int i = 0; i < rows; i++)
			check += report_check_row(i, pq_text_i64(PQgetvalue(res, i, 0)), (size_t)PQgetlength(res, i, 1),
			                          pq_text_i64(PQgetvalue(res, i, 2)), pq_text_i64(PQgetvalue(res, i, 3)));
		PQclear(res);
	}
	pq_exec("COMMIT");
	return check;
}

uint64_t query_pg_join(long n)
{
	pq_prepare("join",
	           "SELECT c.id, c.parent_id, c.name, c.value "
	           "FROM bench_children c JOIN bench_parents p ON p.id = c.parent_id "
	           "WHERE p.value < $1 ORDER BY c.id");
	char bound[24];
	const char *params[1] = { pq_i64_text(bound, join_parent_value_below(n)) };
	pq_exec("BEGIN");
	PGresult *res = pq_run("join", 1, params, PGRES_TUPLES_OK);
	int rows = PQntuples(res);
	graph_pool pool = { NULL, 0 };
	struct bench_child **items = malloc((rows ? (size_t)rows : 1) * sizeof *items);
	if (!items)
		bench_die(NULL, "out of memory");
	for (int i = 0; i < rows; i++) {
		struct bench_child *c = graph_pool_child(&pool);
		c->id = pq_text_i64(PQgetvalue(res, i, 0));
		c->parent_id = pq_text_i64(PQgetvalue(res, i, 1));
		c->name = pq_text(res, i, 2);
		c->value = pq_text_i64(PQgetvalue(res, i, 3));
		items[i] = c;
	}
	PQclear(res);
	pq_exec("COMMIT");
	uint64_t check = 0;
	for (int i = 0; i < rows; i++)
		check += join_check_child(i, items[i]);
	free(items);
	graph_pool_free(&pool);
	return check;
}
