/*
 * calx_schema_diff and calx_create_all_checked (calx/inspect.h), on SQLite
 * and PostgreSQL. Each drift is made by editing the DDL calx would write
 * for tests/models/live.h (a column, constraint, index or table left out,
 * a type or NULL changed, a key reordered) or by a statement after it
 * (a column or table added, a foreign key's action changed), then found
 * as exactly one entry of its kind;
 * the DDL as written, and tables written by hand in the dialects' other
 * spellings of the same types, give none. Then the drift story: version 2
 * of a struct over the table version 1 made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <calx/inspect.h>
#include "helpers.h"
#include "live_fixture.h"
#include "live.calx.h"
#include "live_drift.calx.h"

typedef struct diff_state {
	live_db db;
	calx_registry *reg;
} diff_state;

static int diff_setup(void **state)
{
	diff_state *ds = calloc(1, sizeof *ds);
	*state = ds;
	if (!ds || live_db_open(&ds->db, "lsx_diff") != 0)
		return -1;
	return calx_registry_open(&ds->reg, &live_schema, NULL) == CALX_OK ? 0 : -1;
}

static int diff_teardown(void **state)
{
	diff_state *ds = *state;
	if (ds) {
		calx_registry_free(ds->reg);
		live_db_close(&ds->db);
		free(ds);
	}
	return 0;
}

/* The DDL calx would write, for editing; the caller frees it. */
static char *ddl_of(diff_state *ds)
{
	char *ddl;
	assert_int_equal(calx_registry_ddl(ds->reg, ds->db.eng, &ddl), CALX_OK);
	char *copy = malloc(strlen(ddl) + 64);
	assert_non_null(copy);
	strcpy(copy, ddl);
	calx_free(ddl);
	return copy;
}

/* Replace the first `from` in text (which has room for the growth) by `to`. */
static void replace(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from);
	if (!at)
		print_error("not in the DDL: %s\n", from);
	assert_non_null(at);
	size_t nf = strlen(from), nt = strlen(to);
	memmove(at + nt, at + nf, strlen(at + nf) + 1);
	memcpy(at, to, nt);
}

static void cut(char *text, const char *from, const char *to)
{
	if (!live_cut(text, from, to))
		print_error("not in the DDL: %s ... %s\n", from, to);
	assert_true(strstr(text, from) == NULL);
}

static void run(diff_state *ds, const char *script)
{
	int rc = live_db_run_script(&ds->db, script);
	if (rc != CALX_OK)
		print_error("%s\n", calx_engine_errmsg(ds->db.eng));
	assert_int_equal(rc, CALX_OK);
}

static calx_drift_list *diff_ok(diff_state *ds, const calx_registry *reg)
{
	calx_drift_list *d = NULL;
	int rc = calx_schema_diff(reg, ds->db.eng, &d);
	if (rc != CALX_OK)
		print_error("calx_schema_diff: %s\n", calx_engine_errmsg(ds->db.eng));
	assert_int_equal(rc, CALX_OK);
	assert_non_null(d);
	return d;
}

/* Exactly one entry, of this kind, table, column or constraint, and line. */
static void expect_one(diff_state *ds, calx_drift_kind kind, const char *table, const char *column,
                       const char *constraint, const char *text)
{
	calx_drift_list *d = diff_ok(ds, ds->reg);
	for (unsigned i = 0; i < calx_drift_list_count(d); i++)
		print_message("  drift: %s: %s\n", calx_drift_kind_name(calx_drift_list_entry(d, i)->kind),
		              calx_drift_list_entry(d, i)->text);
	assert_int_equal(calx_drift_list_count(d), 1);
	const calx_drift *e = calx_drift_list_entry(d, 0);
	assert_int_equal(e->kind, kind);
	assert_string_equal(e->table, table);
	if (column)
		assert_string_equal(e->column, column);
	else
		assert_null(e->column);
	if (constraint)
		assert_string_equal(e->constraint, constraint);
	else
		assert_null(e->constraint);
	assert_string_equal(e->text, text);
	assert_null(calx_drift_list_entry(d, 1));
	calx_drift_list_free(d);
}

static void test_exact_match(void **state)
{
	diff_state *ds = *state;
	assert_int_equal(calx_create_all(ds->reg, ds->db.eng), CALX_OK);
	calx_drift_list *d = diff_ok(ds, ds->reg);
	for (unsigned i = 0; i < calx_drift_list_count(d); i++)
		print_message("  drift: %s\n", calx_drift_list_entry(d, i)->text);
	assert_int_equal(calx_drift_list_count(d), 0);
	calx_drift_list_free(d);
	/* nothing there yet is a missing table for each */
	calx_drift_list_free(NULL);
	assert_int_equal(calx_schema_diff(ds->reg, NULL, &d), CALX_EINVAL);
	assert_null(d);
}

static void test_missing_table(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, "CREATE TABLE IF NOT EXISTS \"lsx_reviews\"", "(\"reviewer\", \"stars\");\n");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_TABLE, "lsx_reviews", NULL, NULL, "table lsx_reviews missing");
}

static void test_extra_table(void **state)
{
	diff_state *ds = *state;
	assert_int_equal(calx_create_all(ds->reg, ds->db.eng), CALX_OK);
	assert_int_equal(calx_engine_exec(ds->db.eng, "CREATE TABLE lsx_extra (x INTEGER)"), CALX_OK);
	expect_one(ds, CALX_DRIFT_EXTRA_TABLE, "lsx_extra", NULL, NULL, "table lsx_extra not in the registry");
}

static void test_missing_column(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, "\t\"born\" ", ",\n");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_COLUMN, "lsx_authors", "born", NULL, "table lsx_authors: column born missing");
}

static void test_extra_column(void **state)
{
	diff_state *ds = *state;
	assert_int_equal(calx_create_all(ds->reg, ds->db.eng), CALX_OK);
	assert_int_equal(calx_engine_exec(ds->db.eng, "ALTER TABLE lsx_authors ADD COLUMN nickname TEXT"), CALX_OK);
	expect_one(ds, CALX_DRIFT_EXTRA_COLUMN, "lsx_authors", "nickname", NULL,
	           "table lsx_authors: column nickname not in the registry");
}

static void test_type(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	replace(ddl, "\"bio\" TEXT", "\"bio\" VARCHAR(10)");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_TYPE, "lsx_authors", "bio", NULL,
	           "table lsx_authors: column bio: type text, the database has varchar(10)");
	calx_drift_list *d = diff_ok(ds, ds->reg);
	assert_string_equal(calx_drift_list_entry(d, 0)->expected, "text");
	assert_string_equal(calx_drift_list_entry(d, 0)->found, "varchar(10)");
	calx_drift_list_free(d);
}

static void test_nullable(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	replace(ddl, "\"format\" TEXT NOT NULL", "\"format\" TEXT");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_NULLABLE, "lsx_editions", "format", NULL,
	           "table lsx_editions: column format: NOT NULL, the database has NULL");
}

static void test_primary_key(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	replace(ddl, "PRIMARY KEY (\"book_id\", \"no\")", "PRIMARY KEY (\"no\", \"book_id\")");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_PRIMARY_KEY, "lsx_editions", NULL, NULL,
	           "table lsx_editions: primary key (book_id, no), the database has (no, book_id)");
}

static void test_missing_index(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, "CREATE INDEX IF NOT EXISTS \"ix_lsx_books_published_pages\"", ";\n");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_INDEX, "lsx_books", NULL, "ix_lsx_books_published_pages",
	           "table lsx_books: index ix_lsx_books_published_pages missing");
}

static void test_missing_unique(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, ",\n\tCONSTRAINT \"uq_lsx_books_isbn\"", "(\"isbn\")");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_UNIQUE, "lsx_books", NULL, "uq_lsx_books_isbn",
	           "table lsx_books: unique constraint uq_lsx_books_isbn missing");
}

static void test_missing_check(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, ",\n\tCONSTRAINT \"ck_lsx_reviews_stars\"", "stars <= 5)");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_CHECK, "lsx_reviews", NULL, "ck_lsx_reviews_stars",
	           "table lsx_reviews: check constraint ck_lsx_reviews_stars missing");
}

static void test_missing_fk(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	cut(ddl, ",\n\tCONSTRAINT \"review_edition\"", "ON DELETE SET NULL");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_MISSING_FK, "lsx_reviews", NULL, "review_edition",
	           "table lsx_reviews: foreign key review_edition missing");
}

/* A foreign key there by its name, with another action: its whole definition, both ways. */
static void test_fk_differs(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	replace(ddl, "ON DELETE SET NULL", "ON DELETE CASCADE");
	run(ds, ddl);
	free(ddl);
	expect_one(ds, CALX_DRIFT_FK, "lsx_reviews", NULL, "review_edition",
	           "table lsx_reviews: foreign key review_edition: (book_id, edition_no) -> lsx_editions (book_id, no), "
	           "on delete SET NULL, on update NO ACTION, the database has (book_id, edition_no) -> lsx_editions "
	           "(book_id, no), on delete CASCADE, on update NO ACTION");
}

/*
 * The same tables written by hand in the other spellings of each type
 * (int8, int2, float8, bool, character varying; lower case, spaces):
 * no drift. SQLite keeps a declared type as written, so its spellings
 * differ only in case and spacing.
 */
static void test_synonyms(void **state)
{
	diff_state *ds = *state;
	char *ddl = ddl_of(ds);
	if (current_dialect == TEST_POSTGRESQL) {
		replace(ddl, "\"id\" BIGINT GENERATED", "\"id\" int8 GENERATED");
		replace(ddl, "\"name\" VARCHAR(63)", "\"name\" character varying (63)");
		replace(ddl, "\"rating\" DOUBLE PRECISION", "\"rating\" float8");
		replace(ddl, "\"active\" BOOLEAN", "\"active\" bool");
		replace(ddl, "\"born\" SMALLINT", "\"born\" int2");
		replace(ddl, "\"pages\" INTEGER", "\"pages\" int4");
		replace(ddl, "\"weight\" REAL", "\"weight\" float4");
	} else {
		replace(ddl, "\"name\" VARCHAR(63)", "\"name\" varchar( 63 )");
		replace(ddl, "\"rating\" REAL", "\"rating\" real");
		replace(ddl, "\"active\" BOOLEAN", "\"active\" Boolean");
	}
	run(ds, ddl);
	free(ddl);
	calx_drift_list *d = diff_ok(ds, ds->reg);
	for (unsigned i = 0; i < calx_drift_list_count(d); i++)
		print_message("  drift: %s\n", calx_drift_list_entry(d, i)->text);
	assert_int_equal(calx_drift_list_count(d), 0);
	calx_drift_list_free(d);
}

/* --- the drift story ------------------------------------------------------ */

typedef struct log_lines {
	char text[4][600];
	unsigned n;
} log_lines;

static void collect(void *ctx, calx_log_level level, const char *what, const char *msg)
{
	log_lines *l = ctx;
	if (level == CALX_LOG_WARNING && l->n < 4)
		snprintf(l->text[l->n++], sizeof l->text[0], "%s: %s", what, msg);
}

/*
 * Version 1 of struct lsd_author made the table (id, name); version 2
 * adds country. create_all says OK over the old table (IF NOT EXISTS) and
 * the first insert fails; create_all_checked refuses first, naming the
 * column, and goes on only when asked.
 */
static void test_drift_story(void **state)
{
	diff_state *ds = *state;
	calx_registry *v2;
	assert_int_equal(calx_registry_open(&v2, &live_drift_schema, NULL), CALX_OK);
	assert_int_equal(calx_engine_exec(ds->db.eng, current_dialect == TEST_SQLITE
	                                                  ? "CREATE TABLE lsd_authors (id INTEGER NOT NULL PRIMARY KEY, "
	                                                    "name VARCHAR(63) NOT NULL)"
	                                                  : "CREATE TABLE lsd_authors (id BIGINT NOT NULL PRIMARY KEY, "
	                                                    "name VARCHAR(63) NOT NULL)"),
	                 CALX_OK);
	/* what a new user met: create_all passes, the insert fails */
	assert_int_equal(calx_create_all(v2, ds->db.eng), CALX_OK);
	calx_session *s;
	assert_int_equal(calx_session_open(&s, ds->db.eng, v2), CALX_OK);
	struct lsd_author *a = lsd_author_new(s, .name = "Ursula", .country = "US");
	assert_non_null(a);
	assert_ok(s, calx_session_add(s, a));
	assert_int_not_equal(calx_session_commit(s), CALX_OK);
	print_message("  the insert: %s\n", calx_session_errmsg(s));
	assert_non_null(strstr(calx_session_errmsg(s), current_dialect == TEST_SQLITE
	                                                   ? "table lsd_authors has no column named country"
	                                                   : "column \"country\" of relation \"lsd_authors\" does not exist"));
	calx_session_free(s);
	/* the diff names it */
	calx_drift_list *d = diff_ok(ds, v2);
	assert_int_equal(calx_drift_list_count(d), 1);
	assert_int_equal(calx_drift_list_entry(d, 0)->kind, CALX_DRIFT_MISSING_COLUMN);
	assert_string_equal(calx_drift_list_entry(d, 0)->column, "country");
	calx_drift_list_free(d);
	/* create_all_checked refuses, creating nothing */
	assert_int_equal(calx_create_all_checked(v2, ds->db.eng, 0), CALX_ESTATE);
	print_message("  create_all_checked: %s\n", calx_engine_errmsg(ds->db.eng));
	assert_string_equal(calx_engine_errmsg(ds->db.eng),
	                    "create_all: schema drift (1): table lsd_authors: column country missing");
	/* ... and goes on when asked, saying what it passed over in the log */
	log_lines l = { .n = 0 };
	assert_int_equal(calx_engine_set_log(ds->db.eng, collect, &l), CALX_OK);
	assert_int_equal(calx_create_all_checked(v2, ds->db.eng, CALX_CREATE_IGNORE_DRIFT), CALX_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.text[0], "create_all: schema drift (1), going on as asked: "
	                               "table lsd_authors: column country missing");
	assert_int_equal(calx_engine_set_log(ds->db.eng, NULL, NULL), CALX_OK);
	calx_registry_free(v2);
}

/*
 * On an empty database create_all_checked creates everything (missing
 * tables are no drift), and a second run finds nothing to refuse; tables
 * of another registry in the same database are no drift either.
 */
static void test_checked_fresh(void **state)
{
	diff_state *ds = *state;
	calx_registry *v2;
	assert_int_equal(calx_registry_open(&v2, &live_drift_schema, NULL), CALX_OK);
	assert_int_equal(calx_create_all_checked(ds->reg, ds->db.eng, 0), CALX_OK);
	assert_int_equal(calx_create_all_checked(ds->reg, ds->db.eng, 0), CALX_OK);
	assert_int_equal(calx_create_all_checked(v2, ds->db.eng, 0), CALX_OK);
	calx_drift_list *d = diff_ok(ds, ds->reg);
	assert_int_equal(calx_drift_list_count(d), 1);  /* lsd_authors: v2's table, not this registry's */
	assert_int_equal(calx_drift_list_entry(d, 0)->kind, CALX_DRIFT_EXTRA_TABLE);
	calx_drift_list_free(d);
	/* several drifts: the message names each */
	assert_int_equal(calx_engine_exec(ds->db.eng, "ALTER TABLE lsx_authors ADD COLUMN nickname TEXT"), CALX_OK);
	assert_int_equal(calx_engine_exec(ds->db.eng, "DROP INDEX ix_lsx_books_published_pages"), CALX_OK);
	assert_int_equal(calx_create_all_checked(ds->reg, ds->db.eng, 0), CALX_ESTATE);
	assert_string_equal(calx_engine_errmsg(ds->db.eng),
	                    "create_all: schema drift (2): table lsx_authors: column nickname not in the registry; "
	                    "table lsx_books: index ix_lsx_books_published_pages missing");
	calx_registry_free(v2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exact_match, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_table, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_extra_table, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_column, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_extra_column, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_type, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_nullable, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_primary_key, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_index, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_unique, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_check, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_missing_fk, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_fk_differs, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_synonyms, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_drift_story, diff_setup, diff_teardown),
		cmocka_unit_test_setup_teardown(test_checked_fresh, diff_setup, diff_teardown),
	};
	return RUN_ON_ALL_DIALECTS("schema_diff", tests);
}
