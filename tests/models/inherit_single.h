/*
 * Test models for single-table inheritance (tests/test_inherit_single.c):
 * people -> employees -> managers / engineers in one table, sti_people,
 * whose `kind` column says which struct a row is; companies whose staff
 * (CALX_LIST of the root) hold a mix of them; gadgets whose widgets have
 * 36 fields (a char * discriminator); shapes told apart by an integer. Table names start with
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

/* A subclass wider than the loader's 32 fields on the stack: its rows take a row buffer of their own. */
struct CALX_TABLE("sti_gadgets", polymorphic_on("kind"), polymorphic_identity("gadget")) sti_gadget {
	int64_t id CALX(primary_key);
	char *kind;                     /* a char * discriminator */
};

struct CALX_INHERIT(single, polymorphic_identity("widget")) sti_widget {
	struct sti_gadget base;
	calx_opt_int32 w00;
	calx_opt_int32 w01;
	calx_opt_int32 w02;
	calx_opt_int32 w03;
	calx_opt_int32 w04;
	calx_opt_int32 w05;
	calx_opt_int32 w06;
	calx_opt_int32 w07;
	calx_opt_int32 w08;
	calx_opt_int32 w09;
	calx_opt_int32 w10;
	calx_opt_int32 w11;
	calx_opt_int32 w12;
	calx_opt_int32 w13;
	calx_opt_int32 w14;
	calx_opt_int32 w15;
	calx_opt_int32 w16;
	calx_opt_int32 w17;
	calx_opt_int32 w18;
	calx_opt_int32 w19;
	calx_opt_int32 w20;
	calx_opt_int32 w21;
	calx_opt_int32 w22;
	calx_opt_int32 w23;
	calx_opt_int32 w24;
	calx_opt_int32 w25;
	calx_opt_int32 w26;
	calx_opt_int32 w27;
	calx_opt_int32 w28;
	calx_opt_int32 w29;
	calx_opt_int32 w30;
	calx_opt_int32 w31;
	calx_opt_int32 w32;
	calx_opt_int32 w33;
};

/* An integer discriminator. */
struct CALX_TABLE("sti_shapes", polymorphic_on("sort"), polymorphic_identity("1")) sti_shape {
	int64_t id CALX(primary_key);
	int32_t sort;
	char label[16];
};

struct CALX_INHERIT(single, polymorphic_identity("2")) sti_circle {
	struct sti_shape base;
	calx_opt_double radius;
};

struct CALX_INHERIT(single, polymorphic_identity("3")) sti_square {
	struct sti_shape base;
	calx_opt_double side;
};

#endif
