/*
 * Inspection of live databases (calx/inspect.h), on SQLite and PostgreSQL:
 * the tables create_all made from tests/models/live.h, read back with
 * every kind of constraint (keys of one and two columns, foreign keys of
 * one and two columns with their actions, unique constraints, plain and
 * unique indexes, checks, defaults, identity columns); a PostgreSQL
 * schema other than public, named or found as the default; the Chinook
 * schema as its own script writes it (not calx), counted against the
 * driver's own catalog queries; the call through a traced engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/inspect.h>
#include "helpers.h"
#include "live_fixture.h"
#include "seeds/raw_query.h"
#include "live.calx.h"

#define CHINOOK_SQLITE "examples/chinook/data/Chinook_Sqlite.sql"
#define CHINOOK_PG "examples/chinook/data/Chinook_PostgreSql.sql"

/* Print an inspection: what a failed assertion is read against. */
static void dump(const calx_inspection *in)
{
	for (unsigned i = 0; i < calx_inspection_count(in); i++) {
		const calx_insp_table *t = calx_inspection_table(in, i);
		printf("table %s.%s\n", t->schema, t->name);
		for (unsigned c = 0; c < t->n_columns; c++)
			printf("  column %s %s%s%s%s%s\n", t->columns[c].name, t->columns[c].type,
			       t->columns[c].nullable ? "" : " NOT NULL", t->columns[c].default_sql ? " DEFAULT " : "",
			       t->columns[c].default_sql ? t->columns[c].default_sql : "",
			       t->columns[c].autoincrement ? " (generated)" : "");
		printf("  pk %s:", t->pk.name ? t->pk.name : "-");
		for (unsigned c = 0; c < t->pk.n_columns; c++)
			printf(" %s", t->pk.columns[c]);
		printf("\n");
		for (unsigned k = 0; k < t->n_fks; k++) {
			const calx_insp_fk *fk = &t->fks[k];
			printf("  fk %s ->%s.%s on delete %s on update %s:", fk->name ? fk->name : "-",
			       fk->ref_schema ? fk->ref_schema : "", fk->ref_table, fk->ondelete, fk->onupdate);
			for (unsigned c = 0; c < fk->n_columns; c++)
				printf(" %s=%s", fk->columns[c], fk->ref_columns[c]);
			printf("\n");
		}
		for (unsigned k = 0; k < t->n_uniques; k++) {
			printf("  unique %s:", t->uniques[k].name ? t->uniques[k].name : "-");
			for (unsigned c = 0; c < t->uniques[k].n_columns; c++)
				printf(" %s", t->uniques[k].columns[c]);
			printf("\n");
		}
		for (unsigned k = 0; k < t->n_indexes; k++) {
			printf("  index %s%s:", t->indexes[k].name, t->indexes[k].unique ? " unique" : "");
			for (unsigned c = 0; c < t->indexes[k].n_columns; c++)
				printf(" %s", t->indexes[k].columns[c]);
			printf("\n");
		}
		for (unsigned k = 0; k < t->n_checks; k++)
			printf("  check %s: %s\n", t->checks[k].name ? t->checks[k].name : "-", t->checks[k].sqltext);
	}
}

typedef struct live_state {
	live_db db;
	calx_registry *reg;
} live_state;

static int live_setup(void **state)
{
	live_state *ls = calloc(1, sizeof *ls);
	*state = ls;
	if (!ls || live_db_open(&ls->db, "lsx_live") != 0)
		return -1;
	if (calx_registry_open(&ls->reg, &live_schema, NULL) != CALX_OK ||
	    calx_create_all(ls->reg, ls->db.eng) != CALX_OK) {
		fprintf(stderr, "create_all: %s\n", calx_engine_errmsg(ls->db.eng));
		return -1;
	}
	return 0;
}

static int live_teardown(void **state)
{
	live_state *ls = *state;
	if (ls) {
		calx_registry_free(ls->reg);
		live_db_close(&ls->db);
		free(ls);
	}
	return 0;
}

/* Print the inspection when a test fails: what the assertions are read against. */
static calx_inspection *inspect_ok(calx_engine *eng, const char *schema)
{
	calx_inspection *in = NULL;
	int rc = calx_inspect(eng, schema, &in);
	if (rc != CALX_OK)
		print_error("calx_inspect: %s: %s\n", calx_status_name(rc), calx_engine_errmsg(eng));
	assert_int_equal(rc, CALX_OK);
	assert_non_null(in);
	if (getenv("CALX_TEST_VERBOSE"))
		dump(in);
	return in;
}

static const calx_insp_table *table(const calx_inspection *in, const char *name)
{
	const calx_insp_table *t = calx_inspection_find(in, name);
	if (!t) {
		dump(in);
		print_error("no table %s\n", name);
	}
	assert_non_null(t);
	return t;
}

static void assert_columns(const calx_insp_key *k, const char *joined)
{
	char buf[256] = "";
	for (unsigned i = 0; i < k->n_columns; i++) {
		strcat(buf, i ? "," : "");
		strcat(buf, k->columns[i]);
	}
	assert_string_equal(buf, joined);
}

static const calx_insp_key *key_named(const calx_insp_key *keys, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (keys[i].name && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	print_error("no key %s\n", name);
	fail();
	return NULL;
}

static const calx_insp_fk *fk_named(const calx_insp_table *t, const char *name)
{
	for (unsigned i = 0; i < t->n_fks; i++)
		if (t->fks[i].name && strcmp(t->fks[i].name, name) == 0)
			return &t->fks[i];
	print_error("no foreign key %s on %s\n", name, t->name);
	fail();
	return NULL;
}

static void assert_column(const calx_insp_table *t, const char *name, const char *sqlite_type, const char *pg_type,
                          bool nullable)
{
	const calx_insp_column *c = calx_insp_table_column(t, name);
	if (!c)
		print_error("no column %s.%s\n", t->name, name);
	assert_non_null(c);
	assert_string_equal(c->type, current_dialect == TEST_SQLITE ? sqlite_type : pg_type);
	assert_int_equal(c->nullable, nullable);
}

/* Every column of the authors table, in order, with its type as each database spells it. */
static void test_columns(void **state)
{
	live_state *ls = *state;
	calx_inspection *in = inspect_ok(ls->db.eng, NULL);
	assert_int_equal(calx_inspection_count(in), 4);
	/* sorted by name */
	assert_string_equal(calx_inspection_table(in, 0)->name, "lsx_authors");
	assert_string_equal(calx_inspection_table(in, 3)->name, "lsx_reviews");
	assert_null(calx_inspection_table(in, 4));
	const calx_insp_table *t = table(in, "lsx_authors");
	assert_string_equal(t->schema, ls->db.schema);
	assert_int_equal(t->n_columns, 6);
	static const char *const names[] = { "id", "name", "bio", "rating", "active", "born" };
	for (unsigned i = 0; i < 6; i++)
		assert_string_equal(t->columns[i].name, names[i]);
	assert_column(t, "id", "INTEGER", "bigint", false);
	assert_column(t, "name", "VARCHAR(63)", "character varying(63)", false);
	assert_column(t, "bio", "TEXT", "text", true);
	assert_column(t, "rating", "REAL", "double precision", false);
	assert_column(t, "active", "BOOLEAN", "boolean", false);
	assert_column(t, "born", "INTEGER", "smallint", false);
	/* the generated key: SQLite's rowid, PostgreSQL's identity */
	assert_true(t->columns[0].autoincrement);
	assert_int_equal(t->columns[0].identity, current_dialect == TEST_SQLITE ? 0 : 'd');
	assert_false(t->columns[1].autoincrement);
	assert_string_equal(t->columns[3].default_sql, "0");
	assert_null(t->columns[2].default_sql);
	assert_null(calx_insp_table_column(t, "country"));
	assert_null(calx_inspection_find(in, "lsx_nothing"));
	/* a key of two columns is not generated */
	const calx_insp_table *ed = table(in, "lsx_editions");
	assert_false(ed->columns[0].autoincrement);
	calx_inspection_free(in);
}

/* Keys, unique constraints, indexes and checks, by the names create_all gave them. */
static void test_keys_and_constraints(void **state)
{
	live_state *ls = *state;
	calx_inspection *in = inspect_ok(ls->db.eng, NULL);
	const calx_insp_table *a = table(in, "lsx_authors"), *b = table(in, "lsx_books");
	const calx_insp_table *e = table(in, "lsx_editions"), *r = table(in, "lsx_reviews");
	assert_string_equal(a->pk.name, "pk_lsx_authors");
	assert_columns(&a->pk, "id");
	assert_string_equal(e->pk.name, "pk_lsx_editions");
	assert_columns(&e->pk, "book_id,no");
	/* a field's index and a table's index of two columns */
	assert_int_equal(a->n_indexes, 1);
	assert_columns(key_named(a->indexes, a->n_indexes, "ix_lsx_authors_name"), "name");
	assert_false(a->indexes[0].unique);
	assert_int_equal(b->n_indexes, 1);
	assert_columns(key_named(b->indexes, b->n_indexes, "ix_lsx_books_published_pages"), "published,pages");
	const calx_insp_key *ux = key_named(r->indexes, r->n_indexes, "ix_lsx_reviews_reviewer_stars");
	assert_true(ux->unique);
	assert_columns(ux, "reviewer,stars");
	/* unique constraints of one and two columns, not counted as indexes */
	assert_int_equal(b->n_uniques, 2);
	assert_columns(key_named(b->uniques, b->n_uniques, "uq_lsx_books_isbn"), "isbn");
	assert_columns(key_named(b->uniques, b->n_uniques, "uq_lsx_books_author_id_title"), "author_id,title");
	assert_int_equal(a->n_uniques, 0);
	/* checks: a named one and a field's, their text as each database keeps it */
	assert_int_equal(b->n_checks, 1);
	assert_string_equal(b->checks[0].name, "pages_positive");
	assert_string_equal(b->checks[0].sqltext, current_dialect == TEST_SQLITE ? "pages > 0" : "(pages > 0)");
	assert_int_equal(r->n_checks, 1);
	assert_string_equal(r->checks[0].name, "ck_lsx_reviews_stars");
	assert_string_equal(r->checks[0].sqltext, current_dialect == TEST_SQLITE ? "stars >= 1 AND stars <= 5"
	                                                                          : "((stars >= 1) AND (stars <= 5))");
	assert_int_equal(a->n_checks, 0);
	calx_inspection_free(in);
}

/* Foreign keys of one and two columns, with their actions and the referred schema. */
static void test_foreign_keys(void **state)
{
	live_state *ls = *state;
	calx_inspection *in = inspect_ok(ls->db.eng, NULL);
	const calx_insp_table *b = table(in, "lsx_books"), *e = table(in, "lsx_editions"), *r = table(in, "lsx_reviews");
	assert_int_equal(b->n_fks, 1);
	const calx_insp_fk *fk = fk_named(b, "fk_lsx_books_author_id_lsx_authors");
	assert_string_equal(fk->ref_table, "lsx_authors");
	assert_int_equal(fk->n_columns, 1);
	assert_string_equal(fk->columns[0], "author_id");
	assert_string_equal(fk->ref_columns[0], "id");
	assert_string_equal(fk->ondelete, "CASCADE");
	assert_string_equal(fk->onupdate, "CASCADE");
	if (current_dialect == TEST_POSTGRESQL)
		assert_string_equal(fk->ref_schema, "lsx_live");
	fk = fk_named(e, "fk_lsx_editions_book_id_lsx_books");
	assert_string_equal(fk->ondelete, "RESTRICT");
	assert_string_equal(fk->onupdate, "NO ACTION");
	fk = fk_named(r, "review_edition");
	assert_string_equal(fk->ref_table, "lsx_editions");
	assert_int_equal(fk->n_columns, 2);
	assert_string_equal(fk->columns[0], "book_id");
	assert_string_equal(fk->columns[1], "edition_no");
	assert_string_equal(fk->ref_columns[0], "book_id");
	assert_string_equal(fk->ref_columns[1], "no");
	assert_string_equal(fk->ondelete, "SET NULL");
	assert_string_equal(fk->onupdate, "NO ACTION");
	assert_int_equal(table(in, "lsx_authors")->n_fks, 0);
	calx_inspection_free(in);
}

/*
 * A schema named: PostgreSQL's lsx_live by name from an engine whose
 * search_path is public, which sees none of it by default; SQLite's main
 * by name. A schema that does not exist is CALX_ENOTFOUND with a message.
 */
static void test_named_schema(void **state)
{
	live_state *ls = *state;
	calx_inspection *in = inspect_ok(ls->db.eng, ls->db.schema);
	assert_int_equal(calx_inspection_count(in), 4);
	assert_string_equal(calx_inspection_table(in, 0)->schema, ls->db.schema);
	calx_inspection_free(in);
	if (current_dialect == TEST_POSTGRESQL) {
		char url[512];
		calx_engine *plain;
		assert_non_null(test_url(url, sizeof url));
		assert_int_equal(calx_engine_open(&plain, url), CALX_OK);
		in = inspect_ok(plain, NULL);
		assert_null(calx_inspection_find(in, "lsx_books"));     /* public: other suites' tables, not these */
		calx_inspection_free(in);
		in = inspect_ok(plain, "lsx_live");
		assert_int_equal(calx_inspection_count(in), 4);
		assert_non_null(calx_inspection_find(in, "lsx_reviews"));
		calx_inspection_free(in);
		calx_engine_free(plain);
	}
	in = (calx_inspection *)1;
	assert_int_equal(calx_inspect(ls->db.eng, "lsx_no_such_schema", &in), CALX_ENOTFOUND);
	assert_null(in);
	assert_non_null(strstr(calx_engine_errmsg(ls->db.eng), "no schema \"lsx_no_such_schema\""));
	assert_int_equal(calx_inspect(NULL, NULL, &in), CALX_EINVAL);
	assert_int_equal(calx_inspect(ls->db.eng, NULL, NULL), CALX_EINVAL);
	calx_inspection_free(NULL);
}

static void count_event(void *ctx, const calx_trace_event *ev)
{
	(void)ev;
	++*(unsigned *)ctx;
}

/*
 * With the engine traced, the connection is the tracer's wrapper: the
 * inspect call passes through it to the dialect and reads the same.
 */
static void test_traced(void **state)
{
	live_state *ls = *state;
	unsigned events = 0;
	assert_int_equal(calx_engine_set_trace(ls->db.eng, count_event, &events, 0), CALX_OK);
	calx_inspection *in = inspect_ok(ls->db.eng, NULL);
	assert_int_equal(calx_inspection_count(in), 4);
	assert_int_equal(table(in, "lsx_reviews")->fks[0].n_columns, 2);
	calx_inspection_free(in);
	assert_int_equal(calx_engine_set_trace(ls->db.eng, NULL, NULL, 0), CALX_OK);
}

/* --- Chinook, as its own script makes it --------------------------------- */

/* The script's DDL: from its first CREATE TABLE up to its first INSERT. */
static char *chinook_ddl(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	char *start = strstr(text, "CREATE TABLE"), *end = start ? strstr(start, "INSERT INTO") : NULL;
	assert_non_null(end);
	*end = '\0';
	memmove(text, start, strlen(start) + 1);
	return text;
}

static int chinook_setup(void **state)
{
	live_state *ls = calloc(1, sizeof *ls);
	*state = ls;
	if (!ls || live_db_open(&ls->db, "lsx_chinook") != 0)
		return -1;
	char *ddl = chinook_ddl(current_dialect == TEST_SQLITE ? CHINOOK_SQLITE : CHINOOK_PG);
	int rc = calx_engine_exec(ls->db.eng, ddl);
	free(ddl);
	if (rc != CALX_OK)
		fprintf(stderr, "chinook ddl: %s\n", calx_engine_errmsg(ls->db.eng));
	return rc == CALX_OK ? 0 : -1;
}

static long long raw(live_state *ls, const char *sqlite_sql, const char *pg_sql)
{
	long long n = raw_count(&ls->db.raw, current_dialect == TEST_SQLITE ? sqlite_sql : pg_sql);
	assert_true(n >= 0);
	return n;
}

/*
 * Tables, columns, primary-key columns, foreign keys and their columns,
 * indexes, NOT NULL columns: what inspection found, against the same
 * counts from the driver's own catalog queries (sqlite3 on the file, libpq
 * reading information_schema, which calx's inspection does not use) and
 * against what the script declares: 11 tables, 11 foreign keys (each
 * with an index of its own), PlaylistTrack's key of two columns.
 */
static void test_chinook(void **state)
{
	live_state *ls = *state;
	calx_inspection *in = inspect_ok(ls->db.eng, NULL);
	unsigned tables = calx_inspection_count(in), columns = 0, pk_columns = 0, fks = 0, fk_columns = 0, indexes = 0,
	         not_null = 0, generated = 0;
	for (unsigned i = 0; i < tables; i++) {
		const calx_insp_table *t = calx_inspection_table(in, i);
		columns += t->n_columns;
		pk_columns += t->pk.n_columns;
		fks += t->n_fks;
		indexes += t->n_indexes;
		for (unsigned k = 0; k < t->n_fks; k++)
			fk_columns += t->fks[k].n_columns;
		for (unsigned c = 0; c < t->n_columns; c++) {
			not_null += !t->columns[c].nullable;
			generated += t->columns[c].autoincrement;
		}
	}
	assert_int_equal(tables, 11);
	assert_int_equal(fks, 11);
	assert_int_equal(indexes, 11);
	assert_int_equal(pk_columns, 12);
	assert_int_equal(generated, current_dialect == TEST_SQLITE ? 10 : 0);  /* INTEGER PRIMARY KEY: the rowid */
	assert_int_equal(tables, raw(ls, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
	                             "SELECT count(*) FROM information_schema.tables "
	                             "WHERE table_schema = 'lsx_chinook' AND table_type = 'BASE TABLE'"));
	assert_int_equal(columns, raw(ls, "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) "
	                                  "WHERE m.type = 'table'",
	                              "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'lsx_chinook'"));
	assert_int_equal(not_null, raw(ls, "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) p "
	                                   "WHERE m.type = 'table' AND (p.\"notnull\" OR p.pk > 0 AND p.type = 'INTEGER')",
	                               "SELECT count(*) FROM information_schema.columns "
	                               "WHERE table_schema = 'lsx_chinook' AND is_nullable = 'NO'"));
	assert_int_equal(pk_columns, raw(ls, "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) p "
	                                     "WHERE m.type = 'table' AND p.pk > 0",
	                                 "SELECT count(*) FROM information_schema.key_column_usage k "
	                                 "JOIN information_schema.table_constraints c USING (constraint_schema, constraint_name) "
	                                 "WHERE c.table_schema = 'lsx_chinook' AND c.constraint_type = 'PRIMARY KEY'"));
	assert_int_equal(fk_columns, raw(ls, "SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) "
	                                     "WHERE m.type = 'table'",
	                                 "SELECT count(*) FROM information_schema.key_column_usage k "
	                                 "JOIN information_schema.table_constraints c USING (constraint_schema, constraint_name) "
	                                 "WHERE c.table_schema = 'lsx_chinook' AND c.constraint_type = 'FOREIGN KEY'"));
	assert_int_equal(indexes, raw(ls, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
	                              "SELECT count(*) FROM pg_indexes WHERE schemaname = 'lsx_chinook' "
	                              "AND indexname NOT LIKE '%pkey'"));
	/* one table in full: Track's foreign keys, each to a key of one column */
	const calx_insp_table *track = table(in, current_dialect == TEST_SQLITE ? "Track" : "track");
	assert_int_equal(track->n_columns, 9);
	assert_int_equal(track->n_fks, 3);
	for (unsigned k = 0; k < track->n_fks; k++) {
		assert_int_equal(track->fks[k].n_columns, 1);
		assert_string_equal(track->fks[k].ondelete, "NO ACTION");
	}
	const calx_insp_table *pt = table(in, current_dialect == TEST_SQLITE ? "PlaylistTrack" : "playlist_track");
	assert_columns(&pt->pk, current_dialect == TEST_SQLITE ? "PlaylistId,TrackId" : "playlist_id,track_id");
	if (current_dialect == TEST_POSTGRESQL) {
		assert_string_equal(pt->pk.name, "playlist_track_pkey");
		assert_string_equal(calx_insp_table_column(track, "unit_price")->type, "numeric(10,2)");
	} else {
		assert_string_equal(pt->pk.name, "PK_PlaylistTrack");
		assert_string_equal(calx_insp_table_column(track, "UnitPrice")->type, "NUMERIC(10,2)");
	}
	calx_inspection_free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_columns, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_keys_and_constraints, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_foreign_keys, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_named_schema, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_traced, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_chinook, chinook_setup, live_teardown),
	};
	return RUN_ON_ALL_DIALECTS("inspect", tests);
}
