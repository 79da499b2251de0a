/*
 * SQLAlchemy's single-table and concrete-table inheritance examples
 * (examples/inheritance/single.py and concrete.py of the 1.4
 * documentation: a company's people, engineers and managers), written as
 * annotated C for the seed comparison (tests/test_inherit_forms_seed.c
 * against tests/seeds/inherit_forms_sqla.py; the joined-table example is
 * in inherit_joined.h). Tables take sti_seed_ and cti_seed_ prefixes (the
 * scenario runs beside the other suites' tables).
 *
 * Where calx differs from the Python models, said in the script too:
 * - single-table: Engineer and Manager share one status column of the
 *   person table (SQLAlchemy's declared_attr); calx refuses one column
 *   name in two single-table siblings, so status is declared on the root:
 *   the table is the same.
 * - concrete: calx's discriminator is a column of the root, so each table
 *   stores it (type); the Python models declare that column in each table
 *   with the class's identity as its default, and name ConcreteBase's
 *   union discriminator otherwise. The scenario gives every person a key
 *   unique across the tables (calx leaves that to the program, as
 *   SQLAlchemy does).
 */
#ifndef CALX_TEST_INHERIT_SEEDS_H
#define CALX_TEST_INHERIT_SEEDS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("sti_seed_company") sti_seed_company {
	int64_t id CALX(primary_key);
	char *name;
	CALX_LIST(struct sti_seed_person) employees CALX(cascade("all, delete-orphan"));
};

struct CALX_TABLE("sti_seed_person", polymorphic_on("type"), polymorphic_identity("person")) sti_seed_person {
	int64_t id CALX(primary_key);
	calx_opt_int64 company_id CALX(foreign_key("sti_seed_company.id"));
	char *name;
	char *type;
	char *status;           /* Engineer's and Manager's (see above) */
};

struct CALX_INHERIT(single, polymorphic_identity("engineer")) sti_seed_engineer {
	struct sti_seed_person base;
	char *engineer_name;
	char *primary_language;
};

struct CALX_INHERIT(single, polymorphic_identity("manager")) sti_seed_manager {
	struct sti_seed_person base;
	char *manager_name;
};

struct CALX_TABLE("cti_seed_company") cti_seed_company {
	int64_t id CALX(primary_key);
	char *name;
	CALX_LIST(struct cti_seed_person) employees CALX(cascade("all, delete-orphan"));
};

struct CALX_TABLE("cti_seed_person", polymorphic_on("type"), polymorphic_identity("person")) cti_seed_person {
	int64_t id CALX(primary_key);
	calx_opt_int64 company_id CALX(foreign_key("cti_seed_company.id"));
	char *name;
	char *type;
};

struct CALX_INHERIT(concrete, table("cti_seed_engineer"), polymorphic_identity("engineer")) cti_seed_engineer {
	struct cti_seed_person base;
	char *status;
	char *engineer_name;
	char *primary_language;
};

struct CALX_INHERIT(concrete, table("cti_seed_manager"), polymorphic_identity("manager")) cti_seed_manager {
	struct cti_seed_person base;
	char *status;
	char *manager_name;
};

#endif
