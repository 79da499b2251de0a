/*
 * Inspection of live databases (calx/inspect.h), on SQLite and PostgreSQL:
 * the tables create_all made from tests/models/live.h, read back with
 * every kind of constraint (keys of one and two columns, foreign keys of
 * one and two columns with their actions, unique constraints, plain and
 * unique indexes, checks, defaults, identity columns); a PostgreSQL
 * schema other than public, named or found as the default; the Chinook
 * schema as its own script writes it (not calx), counted against the
 * driver's own catalog queries.
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

static void test_dump(void **state)
{
	live_state *ls = *state;
	calx_inspection *in;
	assert_int_equal(calx_inspect(ls->db.eng, NULL, &in), CALX_OK);
	dump(in);
	calx_inspection_free(in);
	char *ddl;
	assert_int_equal(calx_registry_ddl(ls->reg, ls->db.eng, &ddl), CALX_OK);
	printf("%s\n", ddl);
	calx_free(ddl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump, live_setup, live_teardown),
	};
	return RUN_ON_ALL_DIALECTS("inspect", tests);
}
