/*
 * The hand-written PostgreSQL contender: the same work as bench_calx,
 * written directly against libpq the way someone who knows it would --
 * statements prepared once (PQprepare) and reused with text parameters,
 * one transaction where bench_sqlite uses one, bulk inserts and the bulk
 * delete's DELETEs pipelined (pipeline mode, non-blocking, results read
 * while rows are still being sent, a Sync every 1,000 rows; the bulk
 * update is not), rows loaded into the same struct customer
 * (bench/models.h) with strdup'd strings.
 *
 *   bench_pg WORKLOAD URL N [ids=FILE]
 *   bench_pg setup URL N        the driver's fixture: the customer table as
 *                               calx_create_all makes it, and a table
 *                               customer_fixture_N holding rows 1..N
 *
 * URL is anything PQconnectdb takes (postgresql://...), as calx's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "graph.h"
#include "hand_pg.h"
#include "models.h"

static const char *const prog = "bench_pg";

static void open_db(const char *url)
{
	pq_open(url);
	pq_exec(pq_customer_ddl);
}

static void load_row(const PGresult *res, int row, struct customer *c)
{
	c->id = pq_text_i64(PQgetvalue(res, row, 0));
	c->name = pq_text(res, row, 1);
	c->description = pq_text(res, row, 2);
}

static void free_strings(struct customer *c)
{
	free(c->name);
	free(c->description);
}

static uint64_t row_check(const struct customer *c)
{
	return (uint64_t)c->id + (c->name ? strlen(c->name) : 0) + (c->description ? strlen(c->description) : 0);
}

/* Build N structs, insert each as it is made (pipelined), keep them all (as a session does). */
static uint64_t insert(long n, bool pk_given)
{
	char name[64], desc[64], id[24];
	struct customer *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(prog, "out of memory");
	pq_prepare("ins", pk_given ? "INSERT INTO customer (id, name, description) VALUES ($1, $2, $3)"
	                        : "INSERT INTO customer (name, description) VALUES ($1, $2) RETURNING id");
	pq_exec("BEGIN");
	pq_pipeline p;
	pq_pipeline_begin(&p, n, pk_given ? NULL : &v[0].id, sizeof *v);
	for (long i = 0; i < n; i++) {
		struct customer *c = &v[i];
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		c->id = pk_given ? i + 1 : 0;
		c->name = bench_xstrdup(name);
		c->description = bench_xstrdup(desc);
		const char *params[3], **q = params;
		if (pk_given)
			*q++ = pq_i64_text(id, c->id);
		*q++ = c->name;
		*q++ = c->description;
		pq_pipeline_send(&p, "ins", (int)(q - params), params);
	}
	pq_pipeline_end(&p);
	pq_exec("COMMIT");
	uint64_t check = n ? (uint64_t)v[n - 1].id : 0;
	for (long i = 0; i < n; i++)
		free_strings(&v[i]);
	free(v);
	return check;
}

/* One result, its rows into a 1,000-struct buffer, used and freed a buffer at a time. */
static uint64_t load_objects(long n)
{
	struct customer buf[BENCH_CHUNK];
	char lim[24];
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer LIMIT $1");
	pq_exec("BEGIN");
	const char *params[] = { pq_i64_text(lim, n) };
	PGresult *res = pq_run("sel", 1, params, PGRES_TUPLES_OK);
	int rows = PQntuples(res), k = 0;
	for (int r = 0; r < rows; r++) {
		load_row(res, r, &buf[k++]);
		if (k == BENCH_CHUNK || r == rows - 1) {
			for (int j = 0; j < k; j++) {
				check += row_check(&buf[j]);
				free_strings(&buf[j]);
			}
			k = 0;
		}
	}
	PQclear(res);
	pq_exec("COMMIT");
	return check;
}

static uint64_t load_pages(long n)
{
	struct customer buf[BENCH_CHUNK];
	char last_s[24], want_s[24];
	uint64_t check = 0;
	int64_t last = 0;
	pq_prepare("page", "SELECT id, name, description FROM customer WHERE id > $1 ORDER BY id LIMIT $2");
	pq_exec("BEGIN");
	for (long got = 0; got < n;) {
		long want = n - got < BENCH_CHUNK ? n - got : BENCH_CHUNK;
		const char *params[] = { pq_i64_text(last_s, last), pq_i64_text(want_s, want) };
		PGresult *res = pq_run("page", 2, params, PGRES_TUPLES_OK);
		int k = PQntuples(res);
		if (k > BENCH_CHUNK)
			bench_die(prog, "page of %d rows", k);
		for (int j = 0; j < k; j++)
			load_row(res, j, &buf[j]);
		PQclear(res);
		for (int j = 0; j < k; j++) {
			check += row_check(&buf[j]);
			last = buf[j].id;
			free_strings(&buf[j]);
		}
		if (k == 0)
			break;
		got += k;
	}
	pq_exec("COMMIT");
	return check;
}

static uint64_t load_columns(long n)
{
	char lim[24];
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer LIMIT $1");
	pq_exec("BEGIN");
	const char *params[] = { pq_i64_text(lim, n) };
	PGresult *res = pq_run("sel", 1, params, PGRES_TUPLES_OK);
	int rows = PQntuples(res);
	for (int r = 0; r < rows; r++) {
		int64_t id = pq_text_i64(PQgetvalue(res, r, 0));
		size_t nn = PQgetisnull(res, r, 1) ? 0 : (size_t)PQgetlength(res, r, 1);
		size_t nd = PQgetisnull(res, r, 2) ? 0 : (size_t)PQgetlength(res, r, 2);
		check += (uint64_t)id + nn + nd;
	}
	PQclear(res);
	pq_exec("COMMIT");
	return check;
}

/* Each insert its own transaction; the statements stay prepared across them. */
static uint64_t single_insert(long n)
{
	char name[64], desc[64];
	uint64_t check = 0;
	pq_prepare("begin", "BEGIN");
	pq_prepare("commit", "COMMIT");
	pq_prepare("ins", "INSERT INTO customer (name, description) VALUES ($1, $2) RETURNING id");
	for (long i = 0; i < n; i++) {
		struct customer c;
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		c.name = bench_xstrdup(name);
		c.description = bench_xstrdup(desc);
		pq_run_command("begin", 0, NULL);
		const char *params[] = { c.name, c.description };
		PGresult *res = pq_run("ins", 2, params, PGRES_TUPLES_OK);
		c.id = pq_text_i64(PQgetvalue(res, 0, 0));
		PQclear(res);
		pq_run_command("commit", 0, NULL);
		check += (uint64_t)c.id;
		free_strings(&c);
	}
	return check;
}

static struct customer *get_row(int64_t id)
{
	char key[24];
	const char *params[] = { pq_i64_text(key, id) };
	PGresult *res = pq_run("get", 1, params, PGRES_TUPLES_OK);
	if (PQntuples(res) != 1)
		bench_die(prog, "get: no customer %lld", (long long)id);
	struct customer *c = malloc(sizeof *c);
	if (!c)
		bench_die(prog, "out of memory");
	load_row(res, 0, c);
	PQclear(res);
	return c;
}

/* Cold: a SELECT per key, the struct freed after use. Warm: keys looked up in a hash of loaded structs. */
static double get_keys(const int64_t *ids, size_t n, bool warm, uint64_t *check)
{
	pq_prepare("get", "SELECT id, name, description FROM customer WHERE id = $1");
	bench_map map;
	bench_map_init(&map, warm ? n : 1);
	pq_exec("BEGIN");
	if (warm)
		for (size_t i = 0; i < n; i++)
			bench_map_put(&map, ids[i], get_row(ids[i]));
	uint64_t sum = 0;
	double t0 = bench_now();
	for (size_t i = 0; i < n; i++) {
		if (warm) {
			struct customer *c = bench_map_get(&map, ids[i]);
			if (!c)
				c = get_row(ids[i]);
			sum += row_check(c);
		} else {
			struct customer *c = get_row(ids[i]);
			sum += row_check(c);
			free_strings(c);
			free(c);
		}
	}
	double t = bench_now() - t0;
	pq_exec("COMMIT");
	for (size_t i = 0; i < map.cap; i++) {
		if (map.vals[i]) {
			free_strings(map.vals[i]);
			free(map.vals[i]);
		}
	}
	bench_map_free(&map);
	*check = sum;
	return t;
}

static uint64_t bulk_update(long n)
{
	struct customer buf[BENCH_CHUNK];
	char lo[24], hi[24], key[24];
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer WHERE id > $1 AND id <= $2");
	pq_prepare("upd", "UPDATE customer SET description = $1 WHERE id = $2");
	pq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		const char *sp[] = { pq_i64_text(lo, chunk), pq_i64_text(hi, chunk + BENCH_CHUNK) };
		PGresult *res = pq_run("sel", 2, sp, PGRES_TUPLES_OK);
		int k = PQntuples(res);
		if (k > BENCH_CHUNK)
			bench_die(prog, "chunk of %d rows", k);
		for (int j = 0; j < k; j++)
			load_row(res, j, &buf[j]);
		PQclear(res);
		for (int j = 0; j < k; j++) {
			struct customer *c = &buf[j];
			const char *old = c->description ? c->description : "";
			size_t len = strlen(old);
			char *d = malloc(len + sizeof "updated");
			if (!d)
				bench_die(prog, "out of memory");
			memcpy(d, old, len);
			memcpy(d + len, "updated", sizeof "updated");
			free(c->description);
			c->description = d;
			check += row_check(c);
		}
		for (int j = 0; j < k; j++) {
			const char *up[] = { buf[j].description, pq_i64_text(key, buf[j].id) };
			pq_run_command("upd", 2, up);
			free_strings(&buf[j]);
		}
	}
	pq_exec("COMMIT");
	return check;
}

/*
 * bulk_update's chunks, loaded the same way; each chunk's deletes, a
 * prepared DELETE a row, pipelined as the inserts are.
 */
static uint64_t bulk_delete(long n)
{
	struct customer buf[BENCH_CHUNK];
	char lo[24], hi[24], keys[BENCH_CHUNK][24];
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer WHERE id > $1 AND id <= $2");
	pq_prepare("del", "DELETE FROM customer WHERE id = $1");
	pq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		const char *sp[] = { pq_i64_text(lo, chunk), pq_i64_text(hi, chunk + BENCH_CHUNK) };
		PGresult *res = pq_run("sel", 2, sp, PGRES_TUPLES_OK);
		int k = PQntuples(res);
		if (k > BENCH_CHUNK)
			bench_die(prog, "chunk of %d rows", k);
		for (int j = 0; j < k; j++)
			load_row(res, j, &buf[j]);
		PQclear(res);
		if (k == 0)
			continue;
		pq_pipeline p;
		pq_pipeline_begin(&p, k, NULL, 0);
		for (int j = 0; j < k; j++) {
			check += row_check(&buf[j]);
			const char *dp[] = { pq_i64_text(keys[j], buf[j].id) };
			pq_pipeline_send(&p, "del", 1, dp);
			free_strings(&buf[j]);
		}
		pq_pipeline_end(&p);
	}
	pq_exec("COMMIT");
	return check;
}

/*
 * The fixture: the customer table (empty, as calx makes it) and
 * customer_fixture_N with rows 1..N, written with COPY. The driver copies
 * it into customer before every run.
 */
static void setup(long n)
{
	char sql[256], line[160], name[64], desc[64], id[24];
	snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS customer_fixture_%ld", n);
	pq_exec(sql);
	snprintf(sql, sizeof sql,
	         "CREATE TABLE customer_fixture_%ld (id BIGINT NOT NULL, name VARCHAR(255), description VARCHAR(255))", n);
	pq_exec(sql);
	snprintf(sql, sizeof sql, "COPY customer_fixture_%ld (id, name, description) FROM STDIN", n);
	PGresult *res = PQexec(pq_db, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN)
		pq_fail(sql, res);
	PQclear(res);
	for (long i = 1; i <= n; i++) {
		bench_name(name, sizeof name, i - 1);
		bench_description(desc, sizeof desc, i - 1);
		int len = snprintf(line, sizeof line, "%s\t%s\t%s\n", pq_i64_text(id, i), name, desc);
		if (PQputCopyData(pq_db, line, len) != 1)
			pq_fail("COPY", NULL);
	}
	if (PQputCopyEnd(pq_db, NULL) != 1)
		pq_fail("COPY", NULL);
	res = PQgetResult(pq_db);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		pq_fail("COPY", res);
	PQclear(res);
	while ((res = PQgetResult(pq_db)) != NULL)
		PQclear(res);
}

static const bench_workloads workloads = {
	.setup = setup,
	.insert = insert,
	.load_objects = load_objects,
	.load_pages = load_pages,
	.load_columns = load_columns,
	.single_insert = single_insert,
	.get_keys = get_keys,
	.bulk_update = bulk_update,
	.bulk_delete = bulk_delete,
	.setup_graph = graph_pg_setup,
	.load_graph = graph_pg_load,
	.load_graph_joined = graph_pg_load_joined,
	.insert_graph = graph_pg_insert,
};

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	if (a.sync_off)
		bench_die(prog, "sync=off is an SQLite option");
	open_db(a.url);
	bench_dispatch(prog, &workloads, &a);
	PQfinish(pq_db);
	return 0;
}
