/*
 * The relationship workloads (graph.h) written by hand against the sqlite3
 * C API. Loading: two prepared statements -- the parents, then their
 * children by the same select-in calx sends (WHERE parent_id IN (?, ...)
 * ORDER BY parent_id, id, one statement per 32,766 keys) -- joined in memory by a
 * hash of parent key -> struct, each child appended to its parent's list
 * and pointed back at it. Loading joined: one prepared statement, the
 * LEFT OUTER JOIN calx sends for CALX_LOAD_JOINED, its rows ordered by
 * parent, so each parent is the previous row's or a new one and no hash is
 * needed. Inserting: each parent, its generated key
 * (sqlite3_last_insert_rowid), then its children with that key, each
 * child's key read back too, in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "graph.h"
#include "hand_sqlite.h"

/* SQLite's default SQLITE_MAX_VARIABLE_NUMBER (and calx's limit for it). */
#define MAX_PARAMS 32766

/* What calx_create_all emits for bench/models.h on SQLite. */
static const char *const ddl[] = {
	"CREATE TABLE IF NOT EXISTS \"bench_parents\" (\n"
	"\t\"id\" INTEGER NOT NULL,\n"
	"\t\"name\" VARCHAR(255),\n"
	"\t\"value\" INTEGER NOT NULL,\n"
	"\tCONSTRAINT \"pk_bench_parents\" PRIMARY KEY (\"id\")\n"
	")",
	"CREATE TABLE IF NOT EXISTS \"bench_children\" (\n"
	"\t\"id\" INTEGER NOT NULL,\n"
	"\t\"parent_id\" INTEGER NOT NULL,\n"
	"\t\"name\" VARCHAR(255),\n"
	"\t\"value\" INTEGER NOT NULL,\n"
	"\tCONSTRAINT \"pk_bench_children\" PRIMARY KEY (\"id\"),\n"
	"\tCONSTRAINT \"fk_bench_children_parent_id_bench_parents\" FOREIGN KEY (\"parent_id\") "
	"REFERENCES \"bench_parents\" (\"id\")\n"
	")",
	"CREATE INDEX IF NOT EXISTS \"ix_bench_children_parent_id\" ON \"bench_children\" (\"parent_id\")",
};

void graph_sqlite_setup(long n)
{
	char name[64];
	for (size_t k = 0; k < sizeof ddl / sizeof *ddl; k++)
		sq_exec(ddl[k]);
	sqlite3_stmt *ins_p = sq_prepare("INSERT INTO bench_parents (id, name, value) VALUES (?, ?, ?)");
	sqlite3_stmt *ins_c = sq_prepare("INSERT INTO bench_children (id, parent_id, name, value) VALUES (?, ?, ?, ?)");
	sq_exec("BEGIN");
	for (long i = 0; i < n; i++) {
		graph_parent_name(name, sizeof name, i);
		sqlite3_bind_int64(ins_p, 1, i + 1);
		sqlite3_bind_text(ins_p, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_p, 3, i);
		sq_run(ins_p);
		for (long k = 0; k < GRAPH_CHILDREN; k++) {
			long j = i * GRAPH_CHILDREN + k;
			graph_child_name(name, sizeof name, j);
			sqlite3_bind_int64(ins_c, 1, j + 1);
			sqlite3_bind_int64(ins_c, 2, i + 1);
			sqlite3_bind_text(ins_c, 3, name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins_c, 4, j);
			sq_run(ins_c);
		}
	}
	sq_exec("COMMIT");
	sqlite3_finalize(ins_p);
	sqlite3_finalize(ins_c);
	sq_exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

/* SELECT the children of n parents: "... WHERE parent_id IN (?, ?, ...) ORDER BY parent_id, id". */
static sqlite3_stmt *prepare_children(size_t n)
{
	static const char head[] = "SELECT id, parent_id, name, value FROM bench_children WHERE parent_id IN (";
	static const char tail[] = ") ORDER BY parent_id, id";
	char *sql = malloc(sizeof head + 2 * n + sizeof tail);
	if (!sql)
		bench_die(NULL, "out of memory");
	char *p = sql;
	memcpy(p, head, sizeof head - 1);
	p += sizeof head - 1;
	for (size_t k = 0; k < n; k++) {
		if (k)
			*p++ = ',';
		*p++ = '?';
	}
	memcpy(p, tail, sizeof tail);
	sqlite3_stmt *st = sq_prepare(sql);
	free(sql);
	return st;
}

uint64_t graph_sqlite_load(long n)
{
	struct bench_parent *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(NULL, "out of memory");
	graph_pool pool = { NULL, 0 };
	bench_map by_key;
	bench_map_init(&by_key, (size_t)n);
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, value FROM bench_parents LIMIT ?");
	sqlite3_bind_int64(sel, 1, n);
	sq_exec("BEGIN");
	size_t np = 0;
	int rc = SQLITE_DONE;
	while (np < (size_t)n && (rc = sqlite3_step(sel)) == SQLITE_ROW) {
		struct bench_parent *p = &v[np++];
		p->id = sqlite3_column_int64(sel, 0);
		p->name = sq_text(sel, 1);
		p->value = sqlite3_column_int64(sel, 2);
		bench_map_put(&by_key, p->id, p);
	}
	if (np < (size_t)n && rc != SQLITE_DONE)
		sq_fail("load parents");
	sqlite3_finalize(sel);
	for (size_t lo = 0; lo < np; lo += MAX_PARAMS) {
		size_t k = np - lo < MAX_PARAMS ? np - lo : MAX_PARAMS;
		sqlite3_stmt *kids = prepare_children(k);
		for (size_t i = 0; i < k; i++)
			sqlite3_bind_int64(kids, (int)i + 1, v[lo + i].id);
		while ((rc = sqlite3_step(kids)) == SQLITE_ROW) {
			struct bench_child *c = graph_pool_child(&pool);
			c->id = sqlite3_column_int64(kids, 0);
			c->parent_id = sqlite3_column_int64(kids, 1);
			c->name = sq_text(kids, 2);
			c->value = sqlite3_column_int64(kids, 3);
			struct bench_parent *p = bench_map_get(&by_key, c->parent_id);
			if (!p)
				bench_die(NULL, "child %lld: no parent %lld", (long long)c->id, (long long)c->parent_id);
			c->parent = p;
			graph_append(p, c);
		}
		if (rc != SQLITE_DONE)
			sq_fail("load children");
		sqlite3_finalize(kids);
	}
	sq_exec("COMMIT");
	uint64_t check = 0;
	for (size_t i = 0; i < np; i++)
		check += graph_check_loaded(&v[i]);
	for (size_t i = 0; i < np; i++)
		graph_free_parent(&v[i]);
	graph_pool_free(&pool);
	bench_map_free(&by_key);
	free(v);
	return check;
}

/*
 * calx's statement for load_graph_joined, as its trace prints it: the
 * limit counts parents (a subquery), the rows come ordered by parent then
 * child, and a parent without children comes once with NULL child columns.
 */
static const char joined_sql[] =
	"SELECT \"calx_parent\".\"id\", \"calx_parent\".\"name\", \"calx_parent\".\"value\", "
	"\"calx_join_1\".\"id\", \"calx_join_1\".\"parent_id\", \"calx_join_1\".\"name\", \"calx_join_1\".\"value\" "
	"FROM (SELECT \"bench_parents\".\"id\", \"bench_parents\".\"name\", \"bench_parents\".\"value\" "
	"FROM \"bench_parents\" LIMIT ?) AS \"calx_parent\" "
	"LEFT JOIN \"bench_children\" AS \"calx_join_1\" ON \"calx_join_1\".\"parent_id\" = \"calx_parent\".\"id\" "
	"ORDER BY \"calx_parent\".\"id\" ASC, \"calx_join_1\".\"id\" ASC";

uint64_t graph_sqlite_load_joined(long n)
{
	struct bench_parent *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(NULL, "out of memory");
	graph_pool pool = { NULL, 0 };
	sqlite3_stmt *sel = sq_prepare(joined_sql);
	sqlite3_bind_int64(sel, 1, n);
	size_t np = 0;
	struct bench_parent *p = NULL;
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(sel, 0);
		/* rows come grouped by parent: a new key is a new parent */
		if (!p || p->id != id) {
			if (np == (size_t)n)
				bench_die(NULL, "load joined: more than %ld parents", n);
			p = &v[np++];
			p->id = id;
			p->name = sq_text(sel, 1);
			p->value = sqlite3_column_int64(sel, 2);
		}
		if (sqlite3_column_type(sel, 3) == SQLITE_NULL)
			continue;       /* the LEFT JOIN's row of a parent without children */
		struct bench_child *c = graph_pool_child(&pool);
		c->id = sqlite3_column_int64(sel, 3);
		c->parent_id = sqlite3_column_int64(sel, 4);
		c->name = sq_text(sel, 5);
		c->value = sqlite3_column_int64(sel, 6);
		c->parent = p;
		graph_append(p, c);
	}
	if (rc != SQLITE_DONE)
		sq_fail("load joined");
	sqlite3_finalize(sel);
	uint64_t check = 0;
	for (size_t i = 0; i < np; i++)
		check += graph_check_loaded(&v[i]);
	for (size_t i = 0; i < np; i++)
		graph_free_parent(&v[i]);
	graph_pool_free(&pool);
	free(v);
	return check;
}

uint64_t graph_sqlite_insert(long n)
{
	char name[64];
	size_t nc = (size_t)n * GRAPH_CHILDREN;
	struct bench_parent *v = calloc(n ? (size_t)n : 1, sizeof *v);
	struct bench_child *kids = calloc(nc ? nc : 1, sizeof *kids);
	if (!v || !kids)
		bench_die(NULL, "out of memory");
	sqlite3_stmt *ins_p = sq_prepare("INSERT INTO bench_parents (name, value) VALUES (?, ?)");
	sqlite3_stmt *ins_c = sq_prepare("INSERT INTO bench_children (parent_id, name, value) VALUES (?, ?, ?)");
	sq_exec("BEGIN");
	for (long i = 0; i < n; i++) {
		struct bench_parent *p = &v[i];
		graph_parent_name(name, sizeof name, i);
		p->name = bench_xstrdup(name);
		p->value = i;
		sqlite3_bind_text(ins_p, 1, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_p, 2, p->value);
		sq_run(ins_p);
		p->id = sqlite3_last_insert_rowid(sq_db);
		for (long k = 0; k < GRAPH_CHILDREN; k++) {
			long j = i * GRAPH_CHILDREN + k;
			struct bench_child *c = &kids[j];
			graph_child_name(name, sizeof name, j);
			c->name = bench_xstrdup(name);
			c->value = j;
			c->parent = p;
			c->parent_id = p->id;
			graph_append(p, c);
			sqlite3_bind_int64(ins_c, 1, c->parent_id);
			sqlite3_bind_text(ins_c, 2, c->name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins_c, 3, c->value);
			sq_run(ins_c);
			c->id = sqlite3_last_insert_rowid(sq_db);
		}
	}
	sq_exec("COMMIT");
	sqlite3_finalize(ins_p);
	sqlite3_finalize(ins_c);
	uint64_t check = 0;
	for (long i = 0; i < n; i++)
		check += graph_check_inserted(&v[i]);
	for (long i = 0; i < n; i++)
		graph_free_parent(&v[i]);
	for (size_t j = 0; j < nc; j++)
		free(kids[j].name);
	free(kids);
	free(v);
	return check;
}
