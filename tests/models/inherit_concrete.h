/*
 * Test models for concrete-table inheritance (tests/test_inherit_concrete.c):
 * people -> employees -> managers / engineers, each struct with a complete
 * table of its own (cti_person, cti_employee, cti_manager, cti_engineer),
 * every column of its ancestors in it, no foreign key between them;
 * `kind` says which struct a row is, stored in every table. Companies
 * whose staff (CALX_LIST of the root) hold a mix of them: each table has
 * company_id, a foreign key to cti_company. Then an abstract root
 * (cti_staff: no table) over two concrete tables. Table names start with cti_:
 * every PostgreSQL test of a run shares one database.
 */
#ifndef CALX_TEST_INHERIT_CONCRETE_H
#define CALX_TEST_INHERIT_CONCRETE_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

struct CALX_TABLE("cti_company") cti_company {
	int64_t id CALX(primary_key);
	char name[32];
	CALX_LIST(struct cti_person) staff;
};

struct CALX_TABLE("cti_person", polymorphic_on("kind"), polymorphic_identity("person")) cti_person {
	int64_t id CALX(primary_key);
	char kind[16];
	char name[32];
	calx_opt_int64 company_id CALX(foreign_key("cti_company.id"));
};

struct CALX_INHERIT(concrete, table("cti_employee"), polymorphic_identity("employee")) cti_employee {
	struct cti_person base;
	calx_opt_int32 salary;
};

struct CALX_INHERIT(concrete, table("cti_manager"), polymorphic_identity("manager")) cti_manager {
	struct cti_employee base;
	char *office;
	int32_t reports;
	char *status;           /* the engineer's too: one column of the union */
};

struct CALX_INHERIT(concrete, table("cti_engineer"), polymorphic_identity("engineer")) cti_engineer {
	struct cti_employee base;
	char primary_language[24];
	calx_opt_int32 level CALX(server_default("1"));
	char *status;
};

/*
 * SQLAlchemy's AbstractConcreteBase: the root has no table (abstract) and
 * no identity; a clerk's and a driver's tables are the hierarchy's.
 */
struct CALX_TABLE("cti_staff", polymorphic_on("kind"), abstract) cti_staff {
	int64_t id CALX(primary_key);
	char kind[16];
	char name[32];
};

struct CALX_INHERIT(concrete, table("cti_clerk"), polymorphic_identity("clerk")) cti_clerk {
	struct cti_staff base;
	char *desk;
};

struct CALX_INHERIT(concrete, table("cti_driver"), polymorphic_identity("driver")) cti_driver {
	struct cti_staff base;
	int32_t trips;
};

#endif
