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
 * SQLAlchemy's documentation, "Joined Table Inheritance":
 *
 *   class Employee(Base):
 *       __tablename__ = "employee"
 *       id = mapped_column(Integer, primary_key=True)
 *       name = mapped_column(String(50))
 *       type = mapped_column(String(50))
 *       __mapper_args__ = {"polymorphic_identity": "employee", "polymorphic_on": "type"}
 *   class Engineer(Employee):
 *       __tablename__ = "engineer"
 *       id = mapped_column(ForeignKey("employee.id"), primary_key=True)
 *       engineer_name = mapped_column(String(30))
 *   class Manager(Employee):
 *       __tablename__ = "manager"
 *       id = mapped_column(ForeignKey("employee.id"), primary_key=True)
 *       manager_name = mapped_column(String(30))
 *
 * The tables take a jti_seed_ prefix here (the scenario runs beside the
 * other suites' tables).
 */
struct CALX_TABLE("jti_seed_employee", polymorphic_on("type"), polymorphic_identity("employee")) jti_seed_employee {
	int64_t id CALX(primary_key);
	char *name;
	char *type;
};

struct CALX_INHERIT(joined, table("jti_seed_engineer"), polymorphic_identity("engineer")) jti_seed_engineer {
	struct jti_seed_employee base;
	char *engineer_name;
};

struct CALX_INHERIT(joined, table("jti_seed_manager"), polymorphic_identity("manager")) jti_seed_manager {
	struct jti_seed_employee base;
	char *manager_name;
};

#endif
