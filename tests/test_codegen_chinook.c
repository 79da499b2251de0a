/*
 * Chinook round trip through calx-codegen, on SQLite and PostgreSQL. The
 * build ran calx-codegen on each script's schema and calx-reflect on the
 * headers it wrote (tests/codegen/chinook-headers.sh, models.ninja): here
 * the generated registry is compared with the original database, loaded
 * from the script itself (calx_schema_diff finds no drift), create_all
 * makes an empty database of it whose inspection matches the original's
 * table by table (columns, types, nullability, keys, foreign keys with
 * their actions, indexes, unique constraints), and every row of the
 * original comes across through the generated mappings (a select per
 * struct, many-to-many lists loaded with it, merged into a session on the
 * new database); the row counts then match per table, as the drivers'
 * own COUNT(*) says, and so does every value of every row. The prices are
 * calx_decimal on both dialects, the dates calx_timestamp on PostgreSQL
 * and text on SQLite (--times-as-text: calx's canonical text would not
 * equal the script's "2009-01-01 00:00:00").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <calx/inspect.h>
#include <calx/time.h>
#include <calx/sys/descriptor.h>
#include "helpers.h"
#include "live_fixture.h"
#include "codegen_run.h"
#include "seeds/raw_query.h"

/* Generated in the build from each dialect's script (--name cgx_chinook_sqlite / cgx_chinook_pg). */
extern const calx_schema_desc cgx_chinook_sqlite_schema;
extern const calx_schema_desc cgx_chinook_pg_schema;

#define CHINOOK_SQLITE "examples/chinook/data/Chinook_Sqlite.sql"
#define CHINOOK_PG "examples/chinook/data/Chinook_PostgreSql.sql"

typedef struct rt_state {
	live_db orig, copy;
	calx_registry *reg;
} rt_state;

static const calx_schema_desc *generated_schema(void)
{
	return current_dialect == TEST_SQLITE ? &cgx_chinook_sqlite_schema : &cgx_chinook_pg_schema;
}

/* The whole script from its first CREATE TABLE: the tables, then the rows. */
static int load_script(live_db *db, const char *path)
{
	char *text = cg_slurp(path);
	char *start = text ? strstr(text, "CREATE TABLE") : NULL;
	int rc = start ? calx_engine_exec(db->eng, start) : CALX_EINVAL;
	if (rc != CALX_OK)
		fprintf(stderr, "%s: %s\n", path, text ? calx_engine_errmsg(db->eng) : "cannot read");
	free(text);
	return rc == CALX_OK ? 0 : -1;
}

static int setup(void **state)
{
	rt_state *st = calloc(1, sizeof *st);
	*state = st;
	if (!st || live_db_open(&st->orig, "cgx_chinook_orig") != 0 || live_db_open(&st->copy, "cgx_chinook_copy") != 0)
		return -1;
	if (load_script(&st->orig, current_dialect == TEST_SQLITE ? CHINOOK_SQLITE : CHINOOK_PG) != 0)
		return -1;
	if (calx_registry_open(&st->reg, generated_schema(), NULL) != CALX_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	rt_state *st = *state;
	if (!st)
		return 0;
	calx_registry_free(st->reg);
	live_db_close(&st->orig);
	live_db_close(&st->copy);
	free(st);
	return 0;
}

static unsigned expect_no_drift(const calx_registry *reg, calx_engine *eng, const char *what)
{
	calx_drift_list *diff = NULL;
	if (calx_schema_diff(reg, eng, &diff) != CALX_OK)
		fail_msg("schema diff (%s): %s", what, calx_engine_errmsg(eng));
	unsigned n = calx_drift_list_count(diff);
	for (unsigned i = 0; i < n; i++)
		printf("drift against the %s: %s\n", what, calx_drift_list_entry(diff, i)->text);
	calx_drift_list_free(diff);
	return n;
}

/* Two keys (primary, unique, index): same columns in order, uniqueness and, when the first has one, name. */
static bool same_key(const calx_insp_key *a, const calx_insp_key *b)
{
	if (a->n_columns != b->n_columns || a->unique != b->unique)
		return false;
	if (a->name && (!b->name || strcmp(a->name, b->name) != 0))
		return false;
	for (unsigned i = 0; i < a->n_columns; i++)
		if (strcmp(a->columns[i], b->columns[i]) != 0)
			return false;
	return true;
}

static bool same_fk(const calx_insp_fk *a, const calx_insp_fk *b)
{
	if (a->n_columns != b->n_columns || strcmp(a->ref_table, b->ref_table) != 0 ||
	    strcmp(a->ondelete, b->ondelete) != 0 || strcmp(a->onupdate, b->onupdate) != 0)
		return false;
	if (a->name && (!b->name || strcmp(a->name, b->name) != 0))
		return false;
	for (unsigned i = 0; i < a->n_columns; i++)
		if (strcmp(a->columns[i], b->columns[i]) != 0 || strcmp(a->ref_columns[i], b->ref_columns[i]) != 0)
			return false;
	return true;
}

/* What differs between the original's table a and the copy's b, printed; the count. */
static unsigned compare_table(const calx_insp_table *a, const calx_insp_table *b)
{
	unsigned bad = 0;
#define DIFF(...) (printf("table %s: ", a->name), printf(__VA_ARGS__), printf("\n"), bad++)
	if (a->n_columns != b->n_columns)
		DIFF("%u columns, the copy has %u", a->n_columns, b->n_columns);
	for (unsigned i = 0; i < a->n_columns && i < b->n_columns; i++) {
		const calx_insp_column *x = &a->columns[i], *y = &b->columns[i];
		if (strcmp(x->name, y->name) != 0)
			DIFF("column %u is %s, the copy's %s", i, x->name, y->name);
		else if (strcasecmp(x->type, y->type) != 0)
			DIFF("column %s is %s, the copy's %s", x->name, x->type, y->type);
		else if (x->nullable != y->nullable)
			DIFF("column %s is %sNULL, the copy's not", x->name, x->nullable ? "" : "NOT ");
	}
	calx_insp_key pa = a->pk, pb = b->pk;
	pa.name = NULL;         /* a primary key's name is the database's business (calx names none) */
	if (!same_key(&pa, &pb))
		DIFF("primary key differs");
	if (a->n_fks != b->n_fks)
		DIFF("%u foreign keys, the copy has %u", a->n_fks, b->n_fks);
	for (unsigned i = 0; i < a->n_fks; i++) {
		bool found = false;
		for (unsigned k = 0; k < b->n_fks && !found; k++)
			found = same_fk(&a->fks[i], &b->fks[k]);
		if (!found)
			DIFF("foreign key %s -> %s not in the copy", a->fks[i].name ? a->fks[i].name : a->fks[i].columns[0],
			     a->fks[i].ref_table);
	}
	if (a->n_indexes != b->n_indexes || a->n_uniques != b->n_uniques)
		DIFF("%u indexes and %u unique constraints, the copy %u and %u", a->n_indexes, a->n_uniques, b->n_indexes,
		     b->n_uniques);
	for (unsigned i = 0; i < a->n_indexes; i++) {
		bool found = false;
		for (unsigned k = 0; k < b->n_indexes && !found; k++)
			found = same_key(&a->indexes[i], &b->indexes[k]);
		if (!found)
			DIFF("index %s not in the copy", a->indexes[i].name);
	}
#undef DIFF
	return bad;
}

static unsigned compare_schemas(calx_engine *orig, calx_engine *copy)
{
	calx_inspection *a = NULL, *b = NULL;
	assert_int_equal(calx_inspect(orig, NULL, &a), CALX_OK);
	assert_int_equal(calx_inspect(copy, NULL, &b), CALX_OK);
	unsigned bad = 0;
	assert_int_equal(calx_inspection_count(a), 11);
	assert_int_equal(calx_inspection_count(b), calx_inspection_count(a));
	for (unsigned i = 0; i < calx_inspection_count(a); i++) {
		const calx_insp_table *t = calx_inspection_table(a, i);
		const calx_insp_table *u = calx_inspection_find(b, t->name);
		if (!u) {
			printf("table %s not in the copy\n", t->name);
			bad++;
			continue;
		}
		bad += compare_table(t, u);
	}
	calx_inspection_free(a);
	calx_inspection_free(b);
	return bad;
}

/*
 * Every row of every mapped struct, read from the original and merged
 * into a session on the copy, then one commit. Then the many-to-many
 * lists: each association table's, loaded on the first struct that has a
 * list through it, merged again (the rows are the copy's now: the merge
 * finds them by key and adds the list), and a second commit writes the
 * association rows. In one pass, a list's targets merged before their own
 * struct's turn would be pending objects twice (a merge finds a pending
 * object by no key, as in SQLAlchemy).
 */
static void merge_all(calx_session *to, calx_session *from, const calx_mapper_desc *md,
                      const calx_relationship_desc *load, size_t *objects)
{
	calx_select *q = calx_select_new(from, md);
	assert_non_null(q);
	if (load)
		assert_int_equal(calx_select_load(q, load, CALX_LOAD_SELECTIN), CALX_OK);
	void **rows = NULL;
	size_t n = 0;
	if (calx_select_all(q, &rows, &n) != CALX_OK)
		fail_msg("select %s: %s", md->name, calx_session_errmsg(from));
	for (size_t i = 0; i < n; i++) {
		void *merged = NULL;
		if (calx_session_merge_from(to, from, rows[i], &merged) != CALX_OK)
			fail_msg("merge %s: %s", md->name, calx_session_errmsg(to));
	}
	*objects += n;
	calx_select_free(q);    /* rows belong to the select */
}

static void copy_rows(rt_state *st, size_t *objects)
{
	const calx_schema_desc *schema = generated_schema();
	calx_session *from = NULL, *to = NULL;
	assert_int_equal(calx_session_open(&from, st->orig.eng, st->reg), CALX_OK);
	assert_int_equal(calx_session_open(&to, st->copy.eng, st->reg), CALX_OK);
	*objects = 0;
	for (unsigned m = 0; m < schema->n_mappers; m++)
		merge_all(to, from, schema->mappers[m], NULL, objects);
	if (calx_session_commit(to) != CALX_OK)
		fail_msg("commit: %s", calx_session_errmsg(to));
	const calx_table_desc *done[16];
	unsigned n_done = 0;
	size_t again = 0;
	for (unsigned m = 0; m < schema->n_mappers; m++) {
		const calx_mapper_desc *md = schema->mappers[m];
		for (unsigned r = 0; r < md->n_relationships; r++) {
			const calx_relationship_desc *rel = &md->relationships[r];
			bool seen = false;
			for (unsigned k = 0; k < n_done; k++)
				seen = seen || done[k] == rel->secondary;
			if (rel->kind != CALX_REL_MANY_TO_MANY || seen || n_done == 16)
				continue;
			done[n_done++] = rel->secondary;
			merge_all(to, from, md, rel, &again);
		}
	}
	if (calx_session_commit(to) != CALX_OK)
		fail_msg("commit of the many-to-many lists: %s", calx_session_errmsg(to));
	calx_session_free(to);
	calx_session_free(from);
}

static long long count_of(live_db *db, const char *table)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\".\"%s\"", db->schema, table);
	long long n = raw_count(&db->raw, sql);
	assert_true(n >= 0);
	return n;
}

/* Every row of the table as the driver writes it, in key order: the copy's must be the original's. */
static void same_rows(rt_state *st, const char *table)
{
	char sql[256];
	char *a = NULL, *b = NULL;
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\".\"%s\" ORDER BY 1, 2", st->orig.schema, table);
	assert_int_equal(raw_query(&st->orig.raw, sql, &a), 0);
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\".\"%s\" ORDER BY 1, 2", st->copy.schema, table);
	assert_int_equal(raw_query(&st->copy.raw, sql, &b), 0);
	if (strcmp(a, b) != 0)
		fail_msg("table %s: the copy's rows differ from the original's", table);
	free(a);
	free(b);
}

/* Chinook's names on either dialect: "InvoiceLine" on SQLite is "invoice_line" on PostgreSQL. */
static bool same_name(const char *a, const char *b)
{
	for (;; a++, b++) {
		a += *a == '_';
		b += *b == '_';
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		if (!*a)
			return true;
	}
}

/* The field of the generated mapper of table for column, or a failure. */
static const calx_field_desc *generated_field(const char *table, const char *column)
{
	const calx_schema_desc *schema = generated_schema();
	for (unsigned m = 0; m < schema->n_mappers; m++) {
		const calx_mapper_desc *md = schema->mappers[m];
		for (unsigned f = 0; same_name(md->table, table) && f < md->n_fields; f++)
			if (same_name(md->fields[f].column, column))
				return &md->fields[f];
	}
	fail_msg("no generated field for %s.%s", table, column);
	return NULL;
}

/*
 * The prices come across as exact decimals on both dialects (SQLite's
 * REALs in NUMERIC(10,2) load as the decimals of scale 2), the dates as
 * calx_timestamp on PostgreSQL; on SQLite they are text
 * (chinook-headers.sh: --times-as-text), which a copy keeps as written.
 */
static void value_types_used(void)
{
	assert_int_equal(generated_field("Invoice", "Total")->ctype, CALX_CTYPE_DECIMAL);
	assert_int_equal(generated_field("InvoiceLine", "UnitPrice")->ctype, CALX_CTYPE_DECIMAL);
	assert_int_equal(generated_field("Track", "UnitPrice")->ctype, CALX_CTYPE_DECIMAL);
	const calx_field_desc *date = generated_field("Invoice", "InvoiceDate");
	if (current_dialect == TEST_POSTGRESQL) {
		assert_int_equal(date->ctype, CALX_CTYPE_USER);
		assert_ptr_equal(date->user_type, &calx_timestamp_type);
		assert_ptr_equal(generated_field("Employee", "BirthDate")->user_type, &calx_timestamp_type);
	} else
		assert_int_not_equal(date->ctype, CALX_CTYPE_USER);
}

static void test_round_trip(void **state)
{
	rt_state *st = *state;
	value_types_used();
	/* the generated mappings describe the original as it is */
	assert_int_equal(expect_no_drift(st->reg, st->orig.eng, "original"), 0);
	/* create_all recreates it */
	if (calx_create_all_checked(st->reg, st->copy.eng, 0) != CALX_OK)
		fail_msg("create_all: %s", calx_engine_errmsg(st->copy.eng));
	assert_int_equal(expect_no_drift(st->reg, st->copy.eng, "copy"), 0);
	assert_int_equal(compare_schemas(st->orig.eng, st->copy.eng), 0);
	/* the rows come across through the ORM */
	size_t objects = 0;
	copy_rows(st, &objects);
	calx_inspection *in = NULL;
	assert_int_equal(calx_inspect(st->orig.eng, NULL, &in), CALX_OK);
	long long total = 0;
	for (unsigned i = 0; i < calx_inspection_count(in); i++) {
		const char *t = calx_inspection_table(in, i)->name;
		long long a = count_of(&st->orig, t), b = count_of(&st->copy, t);
		printf("%-14s %6lld rows, copied %6lld\n", t, a, b);
		assert_true(a > 0);
		assert_int_equal(b, a);
		same_rows(st, t);
		total += b;
	}
	calx_inspection_free(in);
	/* Chinook 1.4.5: 15,607 rows, 8,715 of them PlaylistTrack's, which has no struct */
	assert_int_equal(total, 15607);
	assert_int_equal(objects, 15607 - 8715);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	};
	return RUN_ON_ALL_DIALECTS("codegen_chinook", tests);
}
