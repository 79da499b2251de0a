/*
 * The query workloads (query.h) written by hand against the sqlite3 C API:
 * the report one prepared statement, bound again per window; the join one
 * prepared statement whose rows fill struct bench_child from blocks of
 * them (graph.h's pool), names malloc'd, as a C programmer holds them.
 */
#include <stdlib.h>
#include "common.h"
#include "graph.h"
#include "hand_sqlite.h"
#include "query.h"
#include "query_hand.h"

uint64_t query_sqlite_report(long n)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT p.id, p.name, count(*), sum(c.value) "
		"FROM bench_parents p JOIN bench_children c ON c.parent_id = p.id "
		"WHERE p.id BETWEEN ?1 AND ?2 AND c.value - p.value * ?3 >= ?4 "
		"GROUP BY p.id, p.name HAVING sum(c.value) > ?5 ORDER BY 4 DESC, p.id");
	uint64_t check = 0;
	sq_exec("BEGIN");
	for (long w = 0; w < report_windows(n); w++) {
		int64_t lo, hi;
		report_window(n, w, &lo, &hi);
		sqlite3_bind_int64(st, 1, lo);
		sqlite3_bind_int64(st, 2, hi);
		sqlite3_bind_int64(st, 3, GRAPH_CHILDREN);
		sqlite3_bind_int64(st, 4, REPORT_FIRST_CHILD);
		sqlite3_bind_int64(st, 5, report_min_sum(lo));
		long pos = 0;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			check += report_check_row(pos++, sqlite3_column_int64(st, 0), (size_t)sqlite3_column_bytes(st, 1),
			                          sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3));
		if (rc != SQLITE_DONE)
			sq_fail("report");
		sqlite3_reset(st);
	}
	sq_exec("COMMIT");
	sqlite3_finalize(st);
	return check;
}

uint64_t query_sqlite_join(long n)
{
	sqlite3_stmt *st = sq_prepare(
		"SELECT c.id, c.parent_id, c.name, c.value "
		"FROM bench_children c JOIN bench_parents p ON p.id = c.parent_id "
		"WHERE p.value < ? ORDER BY c.id");
	sqlite3_bind_int64(st, 1, join_parent_value_below(n));
	graph_pool pool = { NULL, 0 };
	size_t rows = 0, cap = 1024;
	struct bench_child **items = malloc(cap * sizeof *items);
	if (!items)
		bench_die(NULL, "out of memory");
	sq_exec("BEGIN");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct bench_child *c = graph_pool_child(&pool);
		c->id = sqlite3_column_int64(st, 0);
		c->parent_id = sqlite3_column_int64(st, 1);
		c->name = sq_text(st, 2);
		c->value = sqlite3_column_int64(st, 3);
		if (rows == cap) {
			struct bench_child **more = realloc(items, 2 * cap * sizeof *items);
			if (!more)
				bench_die(NULL, "out of memory");
			items = more;
			cap *= 2;
		}
		items[rows++] = c;
	}
	if (rc != SQLITE_DONE)
		sq_fail("join");
	sq_exec("COMMIT");
	sqlite3_finalize(st);
	uint64_t check = 0;
	for (size_t i = 0; i < rows; i++)
		check += join_check_child((long)i, items[i]);
	free(items);
	graph_pool_free(&pool);
	return check;
}
