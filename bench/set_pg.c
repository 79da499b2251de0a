/*
 * The set-based PostgreSQL contender: bench_pg's bulk workloads written
 * the way someone who knows PostgreSQL would write them when speed is the
 * point, a statement per 1,000 rows instead of a statement per row, the
 * rows passed as arrays (text-format literals, bench/pg_text.h):
 *
 *   insert_no_pk        INSERT INTO customer (name, description)
 *                       SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id
 *   insert_pk_given     the same with the id array too, no RETURNING
 *   insert_pk_given_copy  COPY customer FROM STDIN, where no key comes back
 *   bulk_update         per chunk: bench_pg's SELECT, then
 *                       UPDATE customer SET description = v.d
 *                       FROM unnest($1::bigint[], $2::text[]) AS v(id, d) WHERE customer.id = v.id
 *   bulk_delete         per chunk: bench_pg's SELECT, then
 *                       DELETE FROM customer WHERE id = ANY($1::bigint[])
 *   array_check         not timed: strings with quotes, backslashes,
 *                       braces, commas, tabs, NULL, sent both ways and
 *                       read back; exits 1 on a difference
 *
 * The *_marked workloads (calx's opt-in tracking mode) run the same work.
 * Rows are built and kept in the same struct customer, as bench_pg does;
 * one transaction.
 *
 *   bench_pg_set WORKLOAD URL N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "hand_pg.h"
#include "models.h"
#include "pg_text.h"

static const char *const prog = "bench_pg_set";

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

static struct customer *build_rows(long n, bool pk_given)
{
	char name[64], desc[64];
	struct customer *v = calloc(n ? (size_t)n : 1, sizeof *v);
	if (!v)
		bench_die(prog, "out of memory");
	for (long i = 0; i < n; i++) {
		bench_name(name, sizeof name, i);
		bench_description(desc, sizeof desc, i);
		v[i].id = pk_given ? i + 1 : 0;
		v[i].name = bench_xstrdup(name);
		v[i].description = bench_xstrdup(desc);
	}
	return v;
}

static uint64_t free_rows(struct customer *v, long n)
{
	uint64_t check = n ? (uint64_t)v[n - 1].id : 0;
	for (long i = 0; i < n; i++)
		free_strings(&v[i]);
	free(v);
	return check;
}

/*
 * Keys back by position: PostgreSQL does not document the order of
 * RETURNING's rows; for INSERT ... SELECT FROM unnest it is the order of
 * the arrays, and the identity hands out keys in that order, so the keys
 * are checked to rise (the program would be wrong otherwise, not slow).
 */
static void take_keys(const PGresult *res, struct customer *v, int k)
{
	if (PQntuples(res) != k)
		bench_die(prog, "INSERT ... RETURNING gave %d rows for %d", PQntuples(res), k);
	for (int j = 0; j < k; j++) {
		v[j].id = pq_text_i64(PQgetvalue(res, j, 0));
		if (j && v[j].id <= v[j - 1].id)
			bench_die(prog, "INSERT ... RETURNING gave its keys out of order");
	}
}

/* The rows built as bench_pg builds them, then a statement of three (or two) arrays per 1,000. */
static uint64_t insert(long n, bool pk_given)
{
	pg_text ids = { 0 }, names = { 0 }, descs = { 0 };
	struct customer *v = build_rows(n, pk_given);
	pq_prepare("ins", pk_given ? "INSERT INTO customer (id, name, description) "
	                             "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])"
	                           : "INSERT INTO customer (name, description) "
	                             "SELECT * FROM unnest($1::text[], $2::text[]) RETURNING id");
	pq_exec("BEGIN");
	for (long first = 0; first < n; first += BENCH_CHUNK) {
		int k = n - first < BENCH_CHUNK ? (int)(n - first) : BENCH_CHUNK;
		pg_array_begin(&ids);
		pg_array_begin(&names);
		pg_array_begin(&descs);
		for (long i = first; i < first + k; i++) {
			if (pk_given)
				pg_array_i64(&ids, v[i].id);
			pg_array_text(&names, v[i].name);
			pg_array_text(&descs, v[i].description);
		}
		pg_array_end(&ids);
		pg_array_end(&names);
		pg_array_end(&descs);
		if (pk_given) {
			const char *params[] = { ids.p, names.p, descs.p };
			pq_run_command("ins", 3, params);
		} else {
			const char *params[] = { names.p, descs.p };
			PGresult *res = pq_run("ins", 2, params, PGRES_TUPLES_OK);
			take_keys(res, &v[first], k);
			PQclear(res);
		}
	}
	pq_exec("COMMIT");
	pg_text_free(&ids);
	pg_text_free(&names);
	pg_text_free(&descs);
	return free_rows(v, n);
}

static void copy_send(const pg_text *b)
{
	if (b->n && PQputCopyData(pq_db, b->p, (int)b->n) != 1)
		pq_fail("COPY data", NULL);
}

static void copy_finish(const char *what)
{
	if (PQputCopyEnd(pq_db, NULL) != 1)
		pq_fail(what, NULL);
	PGresult *res = PQgetResult(pq_db);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		pq_fail(what, res);
	PQclear(res);
	while ((res = PQgetResult(pq_db)) != NULL)
		PQclear(res);
}

/* Keys given, none to read back: COPY, the rows sent 1,000 lines a buffer. */
static uint64_t insert_copy(long n)
{
	pg_text lines = { 0 };
	struct customer *v = build_rows(n, true);
	pq_exec("BEGIN");
	PGresult *res = PQexec(pq_db, "COPY customer (id, name, description) FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN)
		pq_fail("COPY customer", res);
	PQclear(res);
	pg_text_reset(&lines);
	for (long i = 0; i < n; i++) {
		pg_copy_i64(&lines, v[i].id, 0);
		pg_copy_text(&lines, v[i].name, 0);
		pg_copy_text(&lines, v[i].description, 1);
		if ((i + 1) % BENCH_CHUNK == 0) {
			copy_send(&lines);
			pg_text_reset(&lines);
		}
	}
	copy_send(&lines);
	copy_finish("COPY customer");
	pq_exec("COMMIT");
	pg_text_free(&lines);
	return free_rows(v, n);
}

/* bench_pg's chunk: the rows with id in (lo, lo + 1,000] into buf; their count. */
static int select_chunk(long lo, struct customer *buf)
{
	char a[24], b[24];
	const char *sp[] = { pq_i64_text(a, lo), pq_i64_text(b, lo + BENCH_CHUNK) };
	PGresult *res = pq_run("sel", 2, sp, PGRES_TUPLES_OK);
	int k = PQntuples(res);
	if (k > BENCH_CHUNK)
		bench_die(prog, "chunk of %d rows", k);
	for (int j = 0; j < k; j++)
		load_row(res, j, &buf[j]);
	PQclear(res);
	return k;
}

static uint64_t bulk_update(long n)
{
	struct customer buf[BENCH_CHUNK];
	pg_text ids = { 0 }, descs = { 0 };
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer WHERE id > $1 AND id <= $2");
	pq_prepare("upd", "UPDATE customer SET description = v.d "
	                  "FROM unnest($1::bigint[], $2::text[]) AS v(id, d) WHERE customer.id = v.id");
	pq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		int k = select_chunk(chunk, buf);
		pg_array_begin(&ids);
		pg_array_begin(&descs);
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
			pg_array_i64(&ids, c->id);
			pg_array_text(&descs, c->description);
			free_strings(c);
		}
		pg_array_end(&ids);
		pg_array_end(&descs);
		if (k) {
			const char *up[] = { ids.p, descs.p };
			pq_run_command("upd", 2, up);
		}
	}
	pq_exec("COMMIT");
	pg_text_free(&ids);
	pg_text_free(&descs);
	return check;
}

static uint64_t bulk_delete(long n)
{
	struct customer buf[BENCH_CHUNK];
	pg_text ids = { 0 };
	uint64_t check = 0;
	pq_prepare("sel", "SELECT id, name, description FROM customer WHERE id > $1 AND id <= $2");
	pq_prepare("del", "DELETE FROM customer WHERE id = ANY($1::bigint[])");
	pq_exec("BEGIN");
	for (long chunk = 0; chunk < n; chunk += BENCH_CHUNK) {
		int k = select_chunk(chunk, buf);
		pg_array_begin(&ids);
		for (int j = 0; j < k; j++) {
			check += row_check(&buf[j]);
			pg_array_i64(&ids, buf[j].id);
			free_strings(&buf[j]);
		}
		pg_array_end(&ids);
		if (k) {
			const char *dp[] = { ids.p };
			pq_run_command("del", 1, dp);
		}
	}
	pq_exec("COMMIT");
	pg_text_free(&ids);
	return check;
}

/* ---- array_check: the escaping, both ways, against the server ---- */

static const char *const awkward[] = {
	"plain", "", "NULL", "with \"quotes\"", "back\\slash", "\\\"", "{braces}", "a,b", " spaced ",
	"}{", "tab\there", "new\nline", "cr\rhere", "\\N", "ünïcødé", NULL, "last",
};
#define N_AWKWARD (sizeof awkward / sizeof awkward[0])

static int differ(const char *want, const PGresult *res, int row, int col)
{
	if (!want)
		return !PQgetisnull(res, row, col);
	return PQgetisnull(res, row, col) || strcmp(want, PQgetvalue(res, row, col)) != 0;
}

static void array_check(void)
{
	pg_text t = { 0 }, ids = { 0 };
	int bad = 0;
	pg_array_begin(&t);
	pg_array_begin(&ids);
	for (size_t i = 0; i < N_AWKWARD; i++) {
		pg_array_text(&t, awkward[i]);
		pg_array_i64(&ids, (int64_t)i - 3);     /* negative keys too */
	}
	pg_array_end(&t);
	pg_array_end(&ids);
	const char *params[] = { ids.p, t.p };
	PGresult *res = PQexecParams(pq_db, "SELECT v.id, v.s FROM unnest($1::bigint[], $2::text[]) "
	                                    "WITH ORDINALITY AS v(id, s, i) ORDER BY v.i",
	                             2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != (int)N_AWKWARD)
		pq_fail("array_check: unnest", res);
	for (size_t i = 0; i < N_AWKWARD; i++) {
		if (differ(awkward[i], res, (int)i, 1) || pq_text_i64(PQgetvalue(res, (int)i, 0)) != (int64_t)i - 3) {
			fprintf(stderr, "%s: array element %zu came back as '%s'\n", prog, i, PQgetvalue(res, (int)i, 1));
			bad = 1;
		}
	}
	PQclear(res);

	pq_exec("CREATE TEMPORARY TABLE bench_set_copy_check (i BIGINT, s TEXT)");
	res = PQexec(pq_db, "COPY bench_set_copy_check (i, s) FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN)
		pq_fail("array_check: COPY", res);
	PQclear(res);
	pg_text_reset(&t);
	for (size_t i = 0; i < N_AWKWARD; i++) {
		pg_copy_i64(&t, (int64_t)i, 0);
		pg_copy_text(&t, awkward[i], 1);
	}
	copy_send(&t);
	copy_finish("array_check: COPY");
	res = PQexec(pq_db, "SELECT i, s FROM bench_set_copy_check ORDER BY i");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != (int)N_AWKWARD)
		pq_fail("array_check: reading COPY's rows", res);
	for (size_t i = 0; i < N_AWKWARD; i++) {
		if (differ(awkward[i], res, (int)i, 1)) {
			fprintf(stderr, "%s: COPY row %zu came back as '%s'\n", prog, i, PQgetvalue(res, (int)i, 1));
			bad = 1;
		}
	}
	PQclear(res);
	pg_text_free(&t);
	pg_text_free(&ids);
	if (bad)
		bench_die(prog, "array_check: the server read back something else");
	printf("{\"workload\": \"array_check\", \"elements\": %zu, \"ok\": true}\n", N_AWKWARD);
}

int main(int argc, char **argv)
{
	bench_args a;
	bench_parse(argc, argv, prog, &a);
	if (a.sync_off)
		bench_die(prog, "sync=off is an SQLite option");
	pq_open(a.url);
	pq_exec(pq_customer_ddl);
	const char *w = a.workload;
	if (strcmp(w, "array_check") == 0) {
		array_check();
		PQfinish(pq_db);
		return 0;
	}
	uint64_t check;
	double t0 = bench_now();
	if (strcmp(w, "insert_no_pk") == 0 || strcmp(w, "insert_no_pk_marked") == 0)
		check = insert(a.n, false);
	else if (strcmp(w, "insert_pk_given") == 0 || strcmp(w, "insert_pk_given_marked") == 0)
		check = insert(a.n, true);
	else if (strcmp(w, "insert_pk_given_copy") == 0)
		check = insert_copy(a.n);
	else if (strcmp(w, "bulk_update") == 0 || strcmp(w, "bulk_update_marked") == 0)
		check = bulk_update(a.n);
	else if (strcmp(w, "bulk_delete") == 0)
		check = bulk_delete(a.n);
	else
		bench_die(prog, "'%s' is not a set-based workload", w);
	bench_report(&a, bench_now() - t0, check);
	PQfinish(pq_db);
	return 0;
}
