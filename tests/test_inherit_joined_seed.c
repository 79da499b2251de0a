/*
 * The seed comparison for joined-table inheritance: SQLAlchemy's
 * joined-table inheritance example (a company's people, engineers and
 * managers; tests/models/inherit_joined.h) runs the scenario of
 * tests/seeds/inherit_joined_sqla.py step for step, and leaves the rows
 * SQLAlchemy 1.4 leaves. The schema calx created is compared with the one
 * SQLAlchemy created by inspecting the databases (SQLite's pragmas,
 * PostgreSQL's information_schema), never by comparing DDL text: column
 * names, type affinity, nullability, primary and foreign keys. On both
 * dialects; the database is read through its own driver (raw_query.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "seeds/raw_query.h"
#include "inherit_joined.calx.h"

#define SQLA_DUMP "build/seeds/inherit_joined_sqla.txt"

static const char *const tables[] = { "jti_seed_company", "jti_seed_person", "jti_seed_engineer", "jti_seed_manager" };

/* The same statements as inherit_joined_sqla.py's DUMP. */
static const char *const dump_queries[][2] = {
	{ "jti_seed_company", "SELECT id, name FROM jti_seed_company ORDER BY id" },
	{ "jti_seed_person", "SELECT id, company_id, name, type FROM jti_seed_person ORDER BY id" },
	{ "jti_seed_engineer", "SELECT id, status, engineer_name, primary_language FROM jti_seed_engineer ORDER BY id" },
	{ "jti_seed_manager", "SELECT id, status, manager_name FROM jti_seed_manager ORDER BY id" },
};

struct dump {
	char *text;
	size_t len, cap;
};

static void put(struct dump *d, const char *s)
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

static void put_query(const fixture *fx, struct dump *d, const char *sql)
{
	char *rows;
	assert_int_equal(raw_query(fx, sql, &rows), 0);
	put(d, rows);
	free(rows);
}

/* SQLite: PRAGMA table_info and foreign_key_list, with SQLite's affinity rules. */
static void schema_sqlite(const fixture *fx, struct dump *d, const char *t)
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
static void schema_postgresql(const fixture *fx, struct dump *d, const char *t)
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

static void dump_schema(const fixture *fx, struct dump *d)
{
	put(d, "== schema\n");
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		put(d, "-- ");
		put(d, tables[i]);
		put(d, "\n");
		if (ON_SQLITE(fx))
			schema_sqlite(fx, d, tables[i]);
		else
			schema_postgresql(fx, d, tables[i]);
	}
}

static void commit_and_dump(fixture *fx, struct dump *d, const char *step)
{
	assert_ok(fx->s, calx_session_commit(fx->s));
	put(d, "== ");
	put(d, step);
	put(d, "\n");
	for (size_t i = 0; i < sizeof dump_queries / sizeof dump_queries[0]; i++) {
		put(d, "-- ");
		put(d, dump_queries[i][0]);
		put(d, "\n");
		put_query(fx, d, dump_queries[i][1]);
	}
}

static struct jti_seed_person *by_name(fixture *fx, const char *name)
{
	calx_select *q = calx_select_new(fx->s, &jti_seed_person_mapper);
	calx_where(q, calx_eq(JTI_SEED_PERSON_NAME, name));
	void *item;
	assert_ok(fx->s, calx_select_one(q, &item));
	calx_select_free(q);
	return item;
}

static void append(fixture *fx, struct jti_seed_company *c, void *person)
{
	assert_non_null(person);
	assert_ok(fx->s, jti_seed_company_employees_append(fx->s, c, person));
}

static void scenario(fixture *fx, struct dump *d)
{
	calx_session *s = fx->s;
	/* the example's company: two engineers, a manager, an ordinary person */
	struct jti_seed_company *c = jti_seed_company_new(s, .name = "company1");
	assert_non_null(c);
	append(fx, c, jti_seed_manager_new(s, .base.name = "dogbert", .manager_name = "dogbert", .status = "AAB"));
	append(fx, c, jti_seed_engineer_new(s, .base.name = "dilbert", .engineer_name = "dilbert",
	                                    .primary_language = "java", .status = "BBA"));
	append(fx, c, jti_seed_person_new(s, .name = "joesmith"));
	append(fx, c, jti_seed_engineer_new(s, .base.name = "wally", .engineer_name = "wally", .primary_language = "c++",
	                                    .status = "CGG"));
	assert_ok(s, calx_session_add(s, c));
	commit_and_dump(fx, d, "a company with each class");

	/* one column of a subclass table, one of the person table, one of each */
	struct jti_seed_engineer *dilbert = jti_seed_engineer_of(by_name(fx, "dilbert"));
	struct jti_seed_manager *dogbert = jti_seed_manager_of(by_name(fx, "dogbert"));
	struct jti_seed_engineer *wally = jti_seed_engineer_of(by_name(fx, "wally"));
	assert_non_null(dilbert);
	assert_non_null(dogbert);
	assert_non_null(wally);
	assert_ok(s, calx_field_set_text(s, dilbert, JTI_SEED_ENGINEER_ENGINEER_NAME, "hes dilbert!"));
	assert_ok(s, calx_field_set_text(s, dogbert, JTI_SEED_MANAGER_BASE_NAME, "dogbert the great"));
	assert_ok(s, calx_field_set_text(s, wally, JTI_SEED_ENGINEER_BASE_NAME, "wally the brave"));
	assert_ok(s, calx_field_set_text(s, wally, JTI_SEED_ENGINEER_STATUS, "BBB"));
	commit_and_dump(fx, d, "updates of each table");

	/* a new engineer; then one of each class deleted */
	append(fx, c, jti_seed_engineer_new(s, .base.name = "alice", .engineer_name = "alice", .primary_language = "c",
	                                    .status = "AAA"));
	commit_and_dump(fx, d, "an engineer added");
	assert_ok(s, calx_session_delete(s, wally));
	assert_ok(s, calx_session_delete(s, dogbert));
	assert_ok(s, calx_session_delete(s, by_name(fx, "joesmith")));
	commit_and_dump(fx, d, "one of each class deleted");

	/* the company, and with it (cascade "all") the rest of its people */
	assert_ok(s, calx_session_delete(s, c));
	commit_and_dump(fx, d, "the company deleted");
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		print_error("%s: cannot open (written by tests/seeds/inherit_joined_sqla.py in the build: ninja %s)\n", path,
		            path);
		return NULL;
	}
	struct dump d = { 0 };
	char buf[4096];
	size_t got;
	put(&d, "");
	while ((got = fread(buf, 1, sizeof buf - 1, f)) > 0) {
		buf[got] = '\0';
		put(&d, buf);
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

static void the_schema_and_rows_are_sqlalchemys(void **state)
{
	fixture *fx = *state;
	struct dump d = { 0 };
	char *want = read_whole(SQLA_DUMP);
	assert_non_null(want);
	put(&d, "");
	dump_schema(fx, &d);
	scenario(fx, &d);
	if (strcmp(want, d.text) != 0) {
		report_difference(want, d.text);
		print_error("--- SQLAlchemy (%s)\n%s--- calx\n%s", SQLA_DUMP, want, d.text);
	}
	assert_string_equal(want, d.text);
	free(want);
	free(d.text);
}

static int seed_setup(void **state)
{
	return fixture_setup_schema(state, &inherit_joined_schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_schema_and_rows_are_sqlalchemys, seed_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("inherit_joined_seed", tests);
}
