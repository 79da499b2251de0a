/*
 * The hand-written contender: the same work as bench_calx, written
 * directly against the sqlite3 C API the way someone who knows it would --
 * statements prepared once and reused (bind, step, reset), one transaction,
 * last_insert_rowid for generated keys, rows loaded into the same struct
 * customer (bench/models.h) with strdup'd strings.
 *
 *   bench_sqlite WORKLOAD URL N [ids=FILE] [sync=off]
 *   bench_sqlite setup URL N       the driver's fixture: the table and rows 1..N
 *
 * Connections get what calx gives its own: foreign keys on, a 5 s busy
 * timeout, WAL for files (and synchronous = OFF when asked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "graph.h"
#include "hand_sqlite.h"
#include "models.h"

static const char *const prog = "bench_sqlite";

/* The DDL SQLAlchemy emits for the Customer model (id is a rowid alias). */
static const char *const ddl =
	"CREATE TABLE IF NOT EXISTS customer (\n"
	"\tid INTEGER NOT NULL, \n"
	"\tname VARCHAR(255), \n"
	"\tdescription VARCHAR(255), \n"
	"\tPRIMARY KEY (id)\n"
	")";

static void open_db(const char *url, bool sync_off)
{
	sq_open(url, sync_off);
	sq_exec(ddl);
}

static void load_row(sqlite3_stmt *st, struct customer *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->name = sq_text(st, 1);
	c->description = sq_text(st, 2);
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

/* Build N structs, insert each as it is made, keep them all (as a session does). */
static uint64_t insert(long n, bool pk_given)
{
	char name[64], desc[64];
	struct customer *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(prog, "out of memory");
	sqlite3_stmt *ins = sq_prepare(pk_given ? "INSERT INTO customer (id, name, description) VALUES (?, ?, ?)"
	                                     : "INSERT INTO customer (name, description) VALUES (?, ?)");
	int col = pk_given ? 2 : 1;
	sq_exec("BEGIN");
	for (long i = 0; i < n; i++) {
		struct customer *c = &v[i];
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		c->id = pk_given ? i + 1 : 0;
		c->name = bench_xstrdup(name);
		c->description = bench_xstrdup(desc);
		if (pk_given)
			sqlite3_bind_int64(ins, 1, c->id);
		sqlite3_bind_text(ins, col, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, col + 1, c->description, -1, SQLITE_STATIC);
		sq_run(ins);
		if (!pk_given)
			c->id = sqlite3_last_insert_rowid(sq_db);
	}
	sq_exec("COMMIT");
	sqlite3_finalize(ins);
	uint64_t check = n ? (uint64_t)v[n - 1].id : 0;
	for (long i = 0; i < n; i++)
		free_strings(&v[i]);
	free(v);
	return check;
}

/*
 * The same rows as insert(), VALUES_ROWS a statement: INSERT ... VALUES
 * (?, ?), (?, ?), ..., prepared once for full statements and once for the
 * last, shorter one. Generated keys come back one of two ways:
 * - RETURNING id (SQLite 3.35 or later). SQLite does not promise the order
 *   of RETURNING's rows; it gives them in the order of the VALUES, and the
 *   keys, which it assigns in that order, are checked to rise (a program
 *   relying on the order should check it too).
 * - ROWID: from sqlite3_last_insert_rowid, the last row's, counting back.
 *   Right only while SQLite gives each new row the largest rowid plus one
 *   (its usual algorithm, not the one it falls back to once the largest is
 *   2^63 - 1) and nothing else (a trigger) inserts into the table during
 *   the statement: what a program that knows its schema may assume, a
 *   library may not.
 */
#ifndef VALUES_ROWS  /* -DVALUES_ROWS=N measures another size */
#define VALUES_ROWS 100
#endif

static sqlite3_stmt *prepare_values(int rows, bench_keys keys)
{
	bool pk_given = keys == BENCH_KEYS_GIVEN;
	char sql[64 + VALUES_ROWS * sizeof ", (?, ?, ?)"];
	int len = snprintf(sql, sizeof sql, "INSERT INTO customer (%sname, description) VALUES ",
	                   pk_given ? "id, " : "");
	for (int r = 0; r < rows; r++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s%s", r ? ", " : "",
		                pk_given ? "(?, ?, ?)" : "(?, ?)");
	if (keys == BENCH_KEYS_RETURNING)
		snprintf(sql + len, sizeof sql - (size_t)len, " RETURNING id");
	return sq_prepare(sql);
}

static uint64_t insert_values(long n, bench_keys keys)
{
	bool pk_given = keys == BENCH_KEYS_GIVEN;
	char name[64], desc[64];
	struct customer *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(prog, "out of memory");
	sqlite3_stmt *full = prepare_values(VALUES_ROWS, keys), *tail = NULL;
	sq_exec("BEGIN");
	for (long first = 0; first < n; first += VALUES_ROWS) {
		int rows = n - first < VALUES_ROWS ? (int)(n - first) : VALUES_ROWS;
		sqlite3_stmt *ins = rows == VALUES_ROWS ? full : (tail = prepare_values(rows, keys));
		int p = 1;
		for (long i = first; i < first + rows; i++) {
			struct customer *c = &v[i];
			bench_name(name, sizeof name, i);
			bench_description(desc, sizeof desc, i);
			c->id = pk_given ? i + 1 : 0;
			c->name = bench_xstrdup(name);
			c->description = bench_xstrdup(desc);
			if (pk_given)
				sqlite3_bind_int64(ins, p++, c->id);
			sqlite3_bind_text(ins, p++, c->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(ins, p++, c->description, -1, SQLITE_STATIC);
		}
		if (keys != BENCH_KEYS_RETURNING) {
			sq_run(ins);
			if (keys == BENCH_KEYS_ROWID) {
				int64_t last = sqlite3_last_insert_rowid(sq_db);
				for (long i = first; i < first + rows; i++)
					v[i].id = last - (first + rows - 1 - i);
			}
			continue;
		}
		int rc;
		long i = first;
		while ((rc = sqlite3_step(ins)) == SQLITE_ROW) {
			if (i == first + rows)
				bench_die(prog, "INSERT ... RETURNING gave more rows than it inserted");
			v[i].id = sqlite3_column_int64(ins, 0);
			if (i > first && v[i].id <= v[i - 1].id)
				bench_die(prog, "INSERT ... RETURNING gave its keys out of order");
			i++;
		}
		if (rc != SQLITE_DONE || i != first + rows)
			sq_fail("insert values");
		sqlite3_reset(ins);
	}
	sq_exec("COMMIT");
	sqlite3_finalize(full);
	sqlite3_finalize(tail);
	uint64_t check = n ? (uint64_t)v[n - 1].id : 0;
	for (long i = 0; i < n; i++)
		free_strings(&v[i]);
	free(v);
	return check;
}

/* Stream the rows into a 1,000-struct buffer, use a full buffer, free it, go on. */
static uint64_t load_objects(long n)
{
	struct customer buf[BENCH_CHUNK];
	uint64_t check = 0;
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer LIMIT ?");
	sqlite3_bind_int64(sel, 1, n);
	sq_exec("BEGIN");
	int rc, k = 0;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		load_row(sel, &buf[k++]);
		if (k == BENCH_CHUNK) {
			for (int j = 0; j < k; j++) {
				check += row_check(&buf[j]);
				free_strings(&buf[j]);
			}
			k = 0;
		}
	}
	if (rc != SQLITE_DONE)
		sq_fail("load");
	for (int j = 0; j < k; j++) {
		check += row_check(&buf[j]);
		free_strings(&buf[j]);
	}
	sq_exec("COMMIT");
	sqlite3_finalize(sel);
	return check;
}

static uint64_t load_pages(long n)
{
	struct customer buf[BENCH_CHUNK];
	uint64_t check = 0;
	int64_t last = 0;
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer WHERE id > ? ORDER BY id LIMIT ?");
	sq_exec("BEGIN");
	for (long got = 0; got < n;) {
		long want = n - got < BENCH_CHUNK ? n - got : BENCH_CHUNK;
		sqlite3_bind_int64(sel, 1, last);
		sqlite3_bind_int64(sel, 2, want);
		int rc, k = 0;
		while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
			load_row(sel, &buf[k++]);
		if (rc != SQLITE_DONE)
			sq_fail("page");
		sqlite3_reset(sel);
		for (int j = 0; j < k; j++) {
			check += row_check(&buf[j]);
			last = buf[j].id;
			free_strings(&buf[j]);
		}
		if (k == 0)
			break;
		got += k;
	}
	sq_exec("COMMIT");
	sqlite3_finalize(sel);
	return check;
}

static uint64_t load_columns(long n)
{
	uint64_t check = 0;
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer LIMIT ?");
	sqlite3_bind_int64(sel, 1, n);
	sq_exec("BEGIN");
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(sel, 0);
		sqlite3_column_text(sel, 1);
		size_t nn = (size_t)sqlite3_column_bytes(sel, 1);
		sqlite3_column_text(sel, 2);
		size_t nd = (size_t)sqlite3_column_bytes(sel, 2);
		check += (uint64_t)id + nn + nd;
	}
	if (rc != SQLITE_DONE)
		sq_fail("load");
	sq_exec("COMMIT");
	sqlite3_finalize(sel);
	return check;
}

/* Each insert its own transaction; the statements stay prepared across them. */
static uint64_t single_insert(long n)
{
	char name[64], desc[64];
	uint64_t check = 0;
	sqlite3_stmt *begin = sq_prepare("BEGIN");
	sqlite3_stmt *commit = sq_prepare("COMMIT");
	sqlite3_stmt *ins = sq_prepare("INSERT INTO customer (name, description) VALUES (?, ?)");
	for (long i = 0; i < n; i++) {
		struct customer c;
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		c.name = bench_xstrdup(name);
		c.description = bench_xstrdup(desc);
		sq_run(begin);
		sqlite3_bind_text(ins, 1, c.name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, c.description, -1, SQLITE_STATIC);
		sq_run(ins);
		c.id = sqlite3_last_insert_rowid(sq_db);
		sq_run(commit);
		check += (uint64_t)c.id;
		free_strings(&c);
	}
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_finalize(ins);
	return check;
}

static struct customer *get_row(sqlite3_stmt *sel, int64_t id)
{
	sqlite3_bind_int64(sel, 1, id);
	struct customer *c = NULL;
	int rc = sqlite3_step(sel);
	if (rc == SQLITE_ROW) {
		if (!(c = malloc(sizeof *c)))
			bench_die(prog, "out of memory");
		load_row(sel, c);
	} else if (rc != SQLITE_DONE) {
		sq_fail("get");
	}
	sqlite3_reset(sel);
	if (!c)
		bench_die(prog, "get: no customer %lld", (long long)id);
	return c;
}

/* Cold: a SELECT per key, the struct freed after use. Warm: keys looked up in a hash of loaded structs. */
static double get_keys(const int64_t *ids, size_t n, bool warm, uint64_t *check)
{
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer WHERE id = ?");
	bench_map map;
	bench_map_init(&map, warm ? n : 1);
	sq_exec("BEGIN");
	if (warm)
		for (size_t i = 0; i < n; i++)
			bench_map_put(&map, ids[i], get_row(sel, ids[i]));
	uint64_t sum = 0;
	double t0 = bench_now();
	for (size_t i = 0; i < n; i++) {
		if (warm) {
			struct customer *c = bench_map_get(&map, ids[i]);
			if (!c)
				c = get_row(sel, ids[i]);
			sum += row_check(c);
		} else {
			struct customer *c = get_row(sel, ids[i]);
			sum += row_check(c);
			free_strings(c);
			free(c);
		}
	}
	double t = bench_now() - t0;
	sq_exec("COMMIT");
	for (size_t i = 0; i < map.cap; i++) {
		if (map.vals[i]) {
			free_strings(map.vals[i]);
			free(map.vals[i]);
		}
	}
	bench_map_free(&map);
	sqlite3_finalize(sel);
	*check = sum;
	return t;
}

static uint64_t bulk_update(long n)
{
	struct customer buf[BENCH_CHUNK + 1];
	uint64_t check = 0;
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer WHERE id > ? AND id <= ?");
	sqlite3_stmt *upd = sq_prepare("UPDATE customer SET description = ? WHERE id = ?");
	sq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		sqlite3_bind_int64(sel, 1, chunk);
		sqlite3_bind_int64(sel, 2, chunk + BENCH_CHUNK);
		int rc = SQLITE_DONE, k = 0;
		while (k <= BENCH_CHUNK && (rc = sqlite3_step(sel)) == SQLITE_ROW)
			load_row(sel, &buf[k++]);
		if (k > BENCH_CHUNK || rc != SQLITE_DONE)
			sq_fail("select chunk");
		sqlite3_reset(sel);
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
			sqlite3_bind_text(upd, 1, buf[j].description, -1, SQLITE_STATIC);
			sqlite3_bind_int64(upd, 2, buf[j].id);
			sq_run(upd);
			free_strings(&buf[j]);
		}
	}
	sq_exec("COMMIT");
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return check;
}

/* bulk_update's chunks, loaded the same way, each row deleted by a prepared DELETE. */
static uint64_t bulk_delete(long n)
{
	struct customer buf[BENCH_CHUNK + 1];
	uint64_t check = 0;
	sqlite3_stmt *sel = sq_prepare("SELECT id, name, description FROM customer WHERE id > ? AND id <= ?");
	sqlite3_stmt *del = sq_prepare("DELETE FROM customer WHERE id = ?");
	sq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		sqlite3_bind_int64(sel, 1, chunk);
		sqlite3_bind_int64(sel, 2, chunk + BENCH_CHUNK);
		int rc = SQLITE_DONE, k = 0;
		while (k <= BENCH_CHUNK && (rc = sqlite3_step(sel)) == SQLITE_ROW)
			load_row(sel, &buf[k++]);
		if (k > BENCH_CHUNK || rc != SQLITE_DONE)
			sq_fail("select chunk");
		sqlite3_reset(sel);
		for (int j = 0; j < k; j++) {
			check += row_check(&buf[j]);
			sqlite3_bind_int64(del, 1, buf[j].id);
			sq_run(del);
			free_strings(&buf[j]);
		}
	}
	sq_exec("COMMIT");
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	return check;
}

/* The fixture: the table, rows 1..N, WAL checkpointed into the main file. */
static void setup(long n)
{
	char name[64], desc[64];
	sqlite3_stmt *ins = sq_prepare("INSERT INTO customer (id, name, description) VALUES (?, ?, ?)");
	sq_exec("BEGIN");
	for (long i = 1; i <= n; i++) {
		bench_name(name, sizeof name, i - 1);
		bench_description(desc, sizeof desc, i - 1);
		sqlite3_bind_int64(ins, 1, i);
		sqlite3_bind_text(ins, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, desc, -1, SQLITE_STATIC);
		sq_run(ins);
	}
	sq_exec("COMMIT");
	sqlite3_finalize(ins);
	sq_exec("PRAGMA wal_checkpoint(TRUNCATE)");
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
	.insert_values = insert_values,
	.setup_graph = graph_sqlite_setup,
	.load_graph = graph_sqlite_load,
	.load_graph_joined = graph_sqlite_load_joined,
	.insert_graph = graph_sqlite_insert,
};

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	open_db(a.url, a.sync_off);
	bench_dispatch(prog, &workloads, &a);
	if (sqlite3_close(sq_db) != SQLITE_OK)
		sq_fail("close");
	return 0;
}
