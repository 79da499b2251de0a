/*
 * The seed comparison for single-table and concrete-table inheritance:
 * SQLAlchemy's examples of both (a company's people, engineers and
 * managers; tests/models/inherit_seeds.h) run the scenario of
 * tests/seeds/inherit_forms_sqla.py step for step, and leave the rows
 * SQLAlchemy 1.4 leaves; the schemas calx created are compared with
 * SQLAlchemy's by inspecting the databases (seeds/seed_dump.c), as
 * tests/test_inherit_joined_seed.c does for the joined-table example. On
 * both dialects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "seeds/seed_dump.h"
#include "inherit_seeds.calx.h"

#define SQLA_DUMP "build/seeds/inherit_forms_sqla.txt"

static const char *const sti_tables[] = { "sti_seed_company", "sti_seed_person" };
static const char *const cti_tables[] = { "cti_seed_company", "cti_seed_person", "cti_seed_engineer", "cti_seed_manager" };

/* The same statements as inherit_forms_sqla.py's FORMS. */
static const seed_query sti_dump[] = {
	{ "sti_seed_company", "SELECT id, name FROM sti_seed_company ORDER BY id" },
	{ "sti_seed_person", "SELECT id, company_id, name, type, status, engineer_name, primary_language, manager_name "
	                     "FROM sti_seed_person ORDER BY id" },
};
static const seed_query cti_dump[] = {
	{ "cti_seed_company", "SELECT id, name FROM cti_seed_company ORDER BY id" },
	{ "cti_seed_person", "SELECT id, company_id, name, type FROM cti_seed_person ORDER BY id" },
	{ "cti_seed_engineer", "SELECT id, company_id, name, type, status, engineer_name, primary_language "
	                       "FROM cti_seed_engineer ORDER BY id" },
	{ "cti_seed_manager", "SELECT id, company_id, name, type, status, manager_name FROM cti_seed_manager ORDER BY id" },
};

#define STEP(d, name, q) seed_commit_and_dump(fx, d, name, q, sizeof q / sizeof q[0])

/* The one object of root's hierarchy that the condition finds. */
static void *one_where(fixture *fx, const calx_mapper_desc *root, calx_expr *where)
{
	calx_select *q = calx_select_new(fx->s, root);
	calx_where(q, where);
	void *item;
	assert_ok(fx->s, calx_select_one(q, &item));
	calx_select_free(q);
	return item;
}

static void single_scenario(fixture *fx, seed_dump *d)
{
	calx_session *s = fx->s;
	/* the example's company: two engineers, a manager, an ordinary person */
	struct sti_seed_company *c = sti_seed_company_new(s, .name = "company1");
	assert_non_null(c);
	void *people[] = {
		sti_seed_manager_new(s, .base.name = "dogbert", .manager_name = "dogbert", .base.status = "AAB"),
		sti_seed_engineer_new(s, .base.name = "dilbert", .engineer_name = "dilbert", .primary_language = "java",
		                      .base.status = "BBA"),
		sti_seed_person_new(s, .name = "joesmith"),
		sti_seed_engineer_new(s, .base.name = "wally", .engineer_name = "wally", .primary_language = "c++",
		                      .base.status = "CGG"),
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		assert_non_null(people[i]);
		assert_ok(s, sti_seed_company_employees_append(s, c, people[i]));
	}
	assert_ok(s, calx_session_add(s, c));
	STEP(d, "a company with each class", sti_dump);

	/* one column of a subclass, one of the base, one of each */
	struct sti_seed_engineer *dilbert =
		sti_seed_engineer_of(one_where(fx, &sti_seed_person_mapper, calx_eq(STI_SEED_PERSON_NAME, "dilbert")));
	struct sti_seed_manager *dogbert =
		sti_seed_manager_of(one_where(fx, &sti_seed_person_mapper, calx_eq(STI_SEED_PERSON_NAME, "dogbert")));
	struct sti_seed_engineer *wally =
		sti_seed_engineer_of(one_where(fx, &sti_seed_person_mapper, calx_eq(STI_SEED_PERSON_NAME, "wally")));
	assert_non_null(dilbert);
	assert_non_null(dogbert);
	assert_non_null(wally);
	assert_ok(s, calx_field_set_text(s, dilbert, STI_SEED_ENGINEER_ENGINEER_NAME, "hes dilbert!"));
	assert_ok(s, calx_field_set_text(s, dogbert, STI_SEED_MANAGER_BASE_NAME, "dogbert the great"));
	assert_ok(s, calx_field_set_text(s, wally, STI_SEED_ENGINEER_BASE_NAME, "wally the brave"));
	assert_ok(s, calx_field_set_text(s, wally, STI_SEED_ENGINEER_BASE_STATUS, "BBB"));
	STEP(d, "updates", sti_dump);

	/* a new engineer; then one of each class deleted */
	void *alice = sti_seed_engineer_new(s, .base.name = "alice", .engineer_name = "alice", .primary_language = "c",
	                                    .base.status = "AAA");
	assert_ok(s, sti_seed_company_employees_append(s, c, alice));
	STEP(d, "an engineer added", sti_dump);
	assert_ok(s, calx_session_delete(s, wally));
	assert_ok(s, calx_session_delete(s, dogbert));
	assert_ok(s, calx_session_delete(s, one_where(fx, &sti_seed_person_mapper, calx_eq(STI_SEED_PERSON_NAME, "joesmith"))));
	STEP(d, "one of each class deleted", sti_dump);

	/* the company, and with it (cascade "all") the rest of its people */
	assert_ok(s, calx_session_delete(s, c));
	STEP(d, "the company deleted", sti_dump);
}

/* The same steps; each person's key given, unique across the four tables. */
static void concrete_scenario(fixture *fx, seed_dump *d)
{
	calx_session *s = fx->s;
	struct cti_seed_company *c = cti_seed_company_new(s, .name = "company1");
	assert_non_null(c);
	void *people[] = {
		cti_seed_manager_new(s, .base.id = 1, .base.name = "dogbert", .manager_name = "dogbert", .status = "AAB"),
		cti_seed_engineer_new(s, .base.id = 2, .base.name = "dilbert", .engineer_name = "dilbert",
		                      .primary_language = "java", .status = "BBA"),
		cti_seed_person_new(s, .id = 3, .name = "joesmith"),
		cti_seed_engineer_new(s, .base.id = 4, .base.name = "wally", .engineer_name = "wally", .primary_language = "c++",
		                      .status = "CGG"),
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		assert_non_null(people[i]);
		assert_ok(s, cti_seed_company_employees_append(s, c, people[i]));
	}
	assert_ok(s, calx_session_add(s, c));
	STEP(d, "a company with each class", cti_dump);

	struct cti_seed_engineer *dilbert =
		cti_seed_engineer_of(one_where(fx, &cti_seed_person_mapper, calx_eq(CTI_SEED_PERSON_NAME, "dilbert")));
	struct cti_seed_manager *dogbert =
		cti_seed_manager_of(one_where(fx, &cti_seed_person_mapper, calx_eq(CTI_SEED_PERSON_NAME, "dogbert")));
	struct cti_seed_engineer *wally =
		cti_seed_engineer_of(one_where(fx, &cti_seed_person_mapper, calx_eq(CTI_SEED_PERSON_NAME, "wally")));
	assert_non_null(dilbert);
	assert_non_null(dogbert);
	assert_non_null(wally);
	assert_ok(s, calx_field_set_text(s, dilbert, CTI_SEED_ENGINEER_ENGINEER_NAME, "hes dilbert!"));
	assert_ok(s, calx_field_set_text(s, dogbert, CTI_SEED_MANAGER_BASE_NAME, "dogbert the great"));
	assert_ok(s, calx_field_set_text(s, wally, CTI_SEED_ENGINEER_BASE_NAME, "wally the brave"));
	assert_ok(s, calx_field_set_text(s, wally, CTI_SEED_ENGINEER_STATUS, "BBB"));
	STEP(d, "updates", cti_dump);

	void *alice = cti_seed_engineer_new(s, .base.id = 5, .base.name = "alice", .engineer_name = "alice",
	                                    .primary_language = "c", .status = "AAA");
	assert_ok(s, cti_seed_company_employees_append(s, c, alice));
	STEP(d, "an engineer added", cti_dump);
	assert_ok(s, calx_session_delete(s, wally));
	assert_ok(s, calx_session_delete(s, dogbert));
	assert_ok(s, calx_session_delete(s, one_where(fx, &cti_seed_person_mapper, calx_eq(CTI_SEED_PERSON_NAME, "joesmith"))));
	STEP(d, "one of each class deleted", cti_dump);

	assert_ok(s, calx_session_delete(s, c));
	STEP(d, "the company deleted", cti_dump);
}

static void the_schemas_and_rows_are_sqlalchemys(void **state)
{
	fixture *fx = *state;
	seed_dump d = { 0 };
	char *want = seed_read_whole(SQLA_DUMP);
	assert_non_null(want);
	seed_put(&d, "=== single\n");
	seed_dump_schema(fx, &d, sti_tables, sizeof sti_tables / sizeof sti_tables[0]);
	single_scenario(fx, &d);
	seed_put(&d, "=== concrete\n");
	seed_dump_schema(fx, &d, cti_tables, sizeof cti_tables / sizeof cti_tables[0]);
	concrete_scenario(fx, &d);
	seed_compare(want, d.text, SQLA_DUMP);
	free(want);
	free(d.text);
}

static int seed_setup(void **state)
{
	return fixture_setup_schema(state, &inherit_seeds_schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_schemas_and_rows_are_sqlalchemys, seed_setup, fixture_teardown),
	};
	return RUN_ON_ALL_DIALECTS("inherit_forms_seed", tests);
}
