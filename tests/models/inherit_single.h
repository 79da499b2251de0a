/*
 * Test models for single-table inheritance (tests/test_inherit_single.c):
 * people -> employees -> managers / engineers in one table, sti_people,
 * whose `kind` column says which struct a row is; companies whose staff
 * (CALX_LIST of the root) hold a mix of them. Table names start with
 * sti_: every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_INHERIT_SINGLE_H
#define CALX_TEST_INHERIT_SINGLE_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("sti_companies") sti_company {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct sti_person) staff;
};

struct CALX_TABLE("sti_people", polymorphic_on("kind"), polymorphic_identity("person")) sti_person {
	int64_t id CALX(primary_key);
	char kind[16];
	char name[32];
	calx_opt_int64 company_id CALX(foreign_key("sti_companies.id"));
};

struct CALX_INHERIT(single, polymorphic_identity("employee")) sti_employee {
	struct sti_person base;
	calx_opt_int32 salary;
};

struct CALX_INHERIT(single, polymorphic_identity("manager")) sti_manager {
	struct sti_employee base;
	char *office;
	calx_opt_int32 reports;
};

struct CALX_INHERIT(single, polymorphic_identity("engineer")) sti_engineer {
	struct sti_employee base;
	char *primary_language;
	int32_t level CALX(server_default("1"));
};

#endif
