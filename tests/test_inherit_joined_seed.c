/*
 * The seed comparison for joined-table inheritance: SQLAlchemy's
 * joined-table inheritance example (a company's people, engineers and
 * managers; tests/models/inherit_joined.h) runs the scenario of
 * tests/seeds/inherit_joined_sqla.py step for step, and leaves the rows
 * SQLAlchemy 1.4 leaves. The schema calx created is compared with the one
 * SQLAlchemy created by inspecting the databases (SQLite's pragmas,
 * PostgreSQL's information_schema), never by comparing DDL text: column
 * names, type affinity, nullability, primary and foreign keys. On both
 * dialects; the database is read through its own driver (seeds/seed_dump.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "seeds/seed_dump.h"
#include "inherit_joined.calx.h"

#define SQLA_DUMP "build/seeds/inherit_joined_sqla.txt"

static const char *const tables[] = { "jti_seed_company", "jti_seed_person", "jti_seed_engineer", "jti_seed_manager" };

/* The same statements as inherit_joined_sqla.py's DUMP. */
static const seed_query dump_queries[] = {
	{ "jti_seed_company", "SELECT id, name FROM jti_seed_company ORDER BY id" },
	{ "jti_seed_person", "SELECT id, company_id, name, type FROM jti_seed_person ORDER BY id" },
	{ "jti_seed_engineer", "SELECT id, status, engineer_name, primary_language FROM jti_seed_engineer ORDER BY id" },
	{ "jti_seed_manager", "SELECT id, status, manager_name FROM jti_seed_manager ORDER BY id" },
};

static void commit_and_dump(fixture *fx, seed_dump *d, const char *step)
{
	seed_commit_and_dump(fx, d, step, dump_queries, sizeof dump_queries / sizeof dump_queries[0]);
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

static void scenario(fixture *fx, seed_dump *d)
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

static void the_schema_and_rows_are_sqlalchemys(void **state)
{
	fixture *fx = *state;
	seed_dump d = { 0 };
	char *want = seed_read_whole(SQLA_DUMP);
	assert_non_null(want);
	seed_put(&d, "");
	seed_dump_schema(fx, &d, tables, sizeof tables / sizeof tables[0]);
	scenario(fx, &d);
	seed_compare(want, d.text, SQLA_DUMP);
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
