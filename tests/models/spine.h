/*
 * Test models for the unit of work (the "spine v2" issue): rows that depend
 * on each other through several foreign keys, a struct with members the
 * ORM must not touch, and a table wider than 64 fields. calx-reflect turns
 * this header into build/gen/tests/models/spine.calx.{c,h} in the build.
 *
 * Foreign keys are text here: a NULL char * is SQL NULL with no session
 * call, so rows without a parent need nothing but a missing initializer.
 */
#ifndef CALX_TEST_SPINE_H
#define CALX_TEST_SPINE_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("departments") department {
	char code[8] CALX(primary_key);
	char *parent CALX(foreign_key("departments.code"));
	char *name;
};

/* Two self-referential keys and one into another table. */
struct CALX_TABLE("employees") employee {
	char code[8] CALX(primary_key);
	char *reports_to CALX(foreign_key("employees.code"));
	char *mentor CALX(foreign_key("employees.code"));
	char *dept CALX(foreign_key("departments.code"));
};

/* A row of a third table that refers to an employee (cross-table chains). */
struct CALX_TABLE("badges") badge {
	int64_t id CALX(primary_key);
	char *holder CALX(not_null, foreign_key("employees.code"));
};

/* Members the program owns, between and after the mapped ones. */
struct CALX_TABLE("gadgets") gadget {
	int64_t id CALX(primary_key);
	void *cache CALX(transient);
	int32_t hits;
	char scratch[3] CALX(transient);
	char *label;
	int64_t seen CALX(transient);
};

/* Wider than 64 fields: the key and a server default sit past field 63. */
struct CALX_TABLE("wide") wide {
	int32_t c00;
	int32_t c01;
	int32_t c02;
	int32_t c03;
	int32_t c04;
	int32_t c05;
	int32_t c06;
	int32_t c07;
	int32_t c08;
	int32_t c09;
	int32_t c10;
	int32_t c11;
	int32_t c12;
	int32_t c13;
	int32_t c14;
	int32_t c15;
	int32_t c16;
	int32_t c17;
	int32_t c18;
	int32_t c19;
	int32_t c20;
	int32_t c21;
	int32_t c22;
	int32_t c23;
	int32_t c24;
	int32_t c25;
	int32_t c26;
	int32_t c27;
	int32_t c28;
	int32_t c29;
	int32_t c30;
	int32_t c31;
	int32_t c32;
	int32_t c33;
	int32_t c34;
	int32_t c35;
	int32_t c36;
	int32_t c37;
	int32_t c38;
	int32_t c39;
	int32_t c40;
	int32_t c41;
	int32_t c42;
	int32_t c43;
	int32_t c44;
	int32_t c45;
	int32_t c46;
	int32_t c47;
	int32_t c48;
	int32_t c49;
	int32_t c50;
	int32_t c51;
	int32_t c52;
	int32_t c53;
	int32_t c54;
	int32_t c55;
	int32_t c56;
	int32_t c57;
	int32_t c58;
	int32_t c59;
	int32_t c60;
	int32_t c61;
	int32_t c62;
	int32_t c63;
	int32_t c64;
	int32_t c65;
	int64_t id CALX(primary_key);
	calx_opt_int64 stamp CALX(server_default("7"), init(false));
	char *note;
	int32_t last;
};

#endif
