/*
 * Test models for joined-table inheritance (tests/test_inherit_joined.c):
 * people -> employees -> managers / engineers, a table per struct
 * (jti_person, jti_employee, jti_manager, jti_engineer), each subclass's
 * key also a foreign key to its parent's table; jti_person's `kind` says
 * which struct a row is. Companies whose staff (CALX_LIST of the root)
 * hold a mix of them. Then SQLAlchemy's documented joined models (an
 * employee table, engineer and manager tables), written as annotated C
 * for the seed comparison. Table names start with jti_: every PostgreSQL
 * test of a run shares one database.
 */
#ifndef CALX_TEST_INHERIT_JOINED_H
#define CALX_TEST_INHERIT_JOINED_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("jti_company") jti_company {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct jti_person) staff;
};

struct CALX_TABLE("jti_person", polymorphic_on("kind"), polymorphic_identity("person")) jti_person {
	int64_t id CALX(primary_key);
	char kind[16];
	char name[32];
	calx_opt_int64 company_id CALX(foreign_key("jti_company.id"));
};

struct CALX_INHERIT(joined, table("jti_employee"), polymorphic_identity("employee")) jti_employee {
	struct jti_person base;
	calx_opt_int32 salary;
};

struct CALX_INHERIT(joined, table("jti_manager"), polymorphic_identity("manager")) jti_manager {
	struct jti_employee base;
	char *office;
	int32_t reports;
};

struct CALX_INHERIT(joined, table("jti_engineer"), polymorphic_identity("engineer")) jti_engineer {
	struct jti_employee base;
	char primary_language[24];
	calx_opt_int32 level CALX(server_default("1"));
};

/*
 * SQLAlchemy's joined-table inheritance example (examples/inheritance/
 * joined.py of the 1.4 documentation): a company's people, engineers and
 * managers, written as annotated C for the seed comparison
 * (tests/test_inherit_joined_seed.c against tests/seeds/inherit_joined_sqla.py).
 * Tables take a jti_seed_ prefix (the scenario runs beside the other
 * suites' tables); the subclasses' keys are ForeignKey(..., ondelete="CASCADE")
 * in the Python models, as calx creates them.
 */
struct CALX_TABLE("jti_seed_company") jti_seed_company {
	int64_t id CALX(primary_key);
	char *name;
	CALX_LIST(struct jti_seed_person) employees CALX(cascade("all, delete-orphan"));
};

struct CALX_TABLE("jti_seed_person", polymorphic_on("type"), polymorphic_identity("person"), polymorphic_load("selectin")) jti_seed_person {
	int64_t id CALX(primary_key);
	calx_opt_int64 company_id CALX(foreign_key("jti_seed_company.id"));
	char *name;
	char *type;
};

struct CALX_INHERIT(joined, table("jti_seed_engineer"), polymorphic_identity("engineer")) jti_seed_engineer {
	struct jti_seed_person base;
	char *status;
	char *engineer_name;
	char *primary_language;
};

struct CALX_INHERIT(joined, table("jti_seed_manager"), polymorphic_identity("manager")) jti_seed_manager {
	struct jti_seed_person base;
	char *status;
	char *manager_name;
};

#endif
