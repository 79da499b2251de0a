/*
 * The inheritance seed comparisons' dumps (seed_dump.h): the database is
 * read through its own driver (raw_query.c), never through calx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "seeds/raw_query.h"
#include "seeds/seed_dump.h"

void seed_put(seed_dump *d, const char *s)
{
	size_t n = strlen(s);
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4096;
		while (cap < d->len + n + 1)
			cap *= 2;
		char *grown = realloc(d->text, cap);
		assert_non_null(grown);
		d->text = grown;
		d->cap = cap;
	}
	memcpy(d->text + d->len, s, n + 1);
	d->len += n;
}

static void put_query(const fixture *fx, seed_dump *d, const char *sql)
{
	char *rows;
	assert_int_equal(raw_query(fx, sql, &rows), 0);
	seed_put(d, rows);
	free(rows);
}

/* SQLite: PRAGMA table_info and foreign_key_list, with SQLite's affinity rules. */
static void schema_sqlite(const fixture *fx, seed_dump *d, const char *t)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
	         "SELECT name, CASE WHEN upper(type) LIKE '%%INT%%' THEN 'integer' "
	         "WHEN upper(type) LIKE '%%CHAR%%' OR upper(type) LIKE '%%CLOB%%' OR upper(type) LIKE '%%TEXT%%' THEN 'text' "
	         "WHEN type = '' OR upper(type) LIKE '%%BLOB%%' THEN 'blob' "
	         "WHEN upper(type) LIKE '%%REAL%%' OR upper(type) LIKE '%%FLOA%%' OR upper(type) LIKE '%%DOUB%%' THEN 'real' "
	         "ELSE 'numeric' END, CASE WHEN \"notnull\" OR pk THEN 1 ELSE 0 END, CASE WHEN pk THEN 1 ELSE 0 END "
	         "FROM pragma_table_info('%s') ORDER BY name",
	         t);
	put_query(fx, d, sql);
	snprintf(sql, sizeof sql,
	         "SELECT 'fk', \"from\", \"table\", \"to\", upper(on_delete) FROM pragma_foreign_key_list('%s') "
	         "ORDER BY \"from\", \"table\", \"to\", on_delete",
	         t);
	put_query(fx, d, sql);
}

/* PostgreSQL: information_schema's columns, primary key and referential constraints. */
static void schema_postgresql(const fixture *fx, seed_dump *d, const char *t)
{
	char sql[2048];
	snprintf(sql, sizeof sql,
	         "SELECT c.column_name, CASE WHEN c.data_type LIKE '%%int%%' THEN 'integer' "
	         "WHEN c.data_type LIKE '%%char%%' OR c.data_type = 'text' THEN 'text' WHEN c.data_type = 'bytea' THEN 'blob' "
	         "WHEN c.data_type IN ('real', 'double precision') THEN 'real' ELSE 'numeric' END, "
	         "CASE WHEN c.is_nullable = 'NO' OR k.column_name IS NOT NULL THEN 1 ELSE 0 END, "
	         "CASE WHEN k.column_name IS NOT NULL THEN 1 ELSE 0 END "
	         "FROM information_schema.columns c LEFT JOIN (SELECT kcu.column_name FROM information_schema.table_constraints tc "
	         "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name "
	         "AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name "
	         "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name = '%s' AND tc.table_schema = current_schema()) k "
	         "ON k.column_name = c.column_name WHERE c.table_name = '%s' AND c.table_schema = current_schema() "
	         "ORDER BY c.column_name COLLATE \"C\"",
	         t, t);
	put_query(fx, d, sql);
	snprintf(sql, sizeof sql,
	         "SELECT 'fk', kcu.column_name, ref.table_name, ref.column_name, rc.delete_rule "
	         "FROM information_schema.referential_constraints rc JOIN information_schema.key_column_usage kcu "
	         "ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema "
	         "JOIN information_schema.key_column_usage ref ON ref.constraint_name = rc.unique_constraint_name "
	         "AND ref.constraint_schema = rc.unique_constraint_schema AND ref.ordinal_position = kcu.position_in_unique_constraint "
	         "WHERE kcu.table_name = '%s' AND kcu.table_schema = current_schema() ORDER BY 2, 3, 4, 5",
	         t);
	put_query(fx, d, sql);
}

void seed_dump_schema(const fixture *fx, seed_dump *d, const char *const *tables, size_t n)
{
	seed_put(d, "== schema\n");
	for (size_t i = 0; i < n; i++) {
		seed_put(d, "-- ");
		seed_put(d, tables[i]);
		seed_put(d, "\n");
		if (ON_SQLITE(fx))
			schema_sqlite(fx, d, tables[i]);
		else
			schema_postgresql(fx, d, tables[i]);
	}
}

void seed_commit_and_dump(fixture *fx, seed_dump *d, const char *step, const seed_query *q, size_t n)
{
	assert_ok(fx->s, calx_session_commit(fx->s));
	seed_put(d, "== ");
	seed_put(d, step);
	seed_put(d, "\n");
	for (size_t i = 0; i < n; i++) {
		seed_put(d, "-- ");
		seed_put(d, q[i].table);
		seed_put(d, "\n");
		put_query(fx, d, q[i].sql);
	}
}

char *seed_read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		print_error("%s: cannot open (written by its SQLAlchemy script in the build: ninja %s)\n", path, path);
		return NULL;
	}
	seed_dump d = { 0 };
	char buf[4096];
	size_t got;
	seed_put(&d, "");
	while ((got = fread(buf, 1, sizeof buf - 1, f)) > 0) {
		buf[got] = '\0';
		seed_put(&d, buf);
	}
	fclose(f);
	return d.text;
}

static void report_difference(const char *want, const char *got)
{
	unsigned line = 1;
	const char *w = want, *g = got;
	while (*w && *w == *g) {
		if (*w == '\n') {
			line++;
			want = w + 1;
			got = g + 1;
		}
		w++;
		g++;
	}
	print_error("calx differs from SQLAlchemy at line %u:\n  SQLAlchemy: %.*s\n  calx:       %.*s\n", line,
	            (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

void seed_compare(const char *want, const char *got, const char *want_path)
{
	if (strcmp(want, got) != 0) {
		report_difference(want, got);
		print_error("--- SQLAlchemy (%s)\n%s--- calx\n%s", want_path, want, got);
	}
	assert_string_equal(want, got);
}
