/*
 * Test models for memory per loaded object (tests/test_memory.c): the
 * benchmark's customer (bench/models.h: a key and two char *), whose NULLs
 * its bytes say, and the same with a nullable integer, which keeps NULL
 * marks. Table names start with objmem_: every PostgreSQL test of a run
 * shares one database.
 */
#ifndef CALX_TEST_OBJMEM_H
#define CALX_TEST_OBJMEM_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("objmem_customers") objmem_customer {
	int64_t id CALX(primary_key);
	char *name CALX(type("VARCHAR(255)"));
	char *description CALX(type("VARCHAR(255)"));
};

struct CALX_TABLE("objmem_scores") objmem_score {
	int64_t id CALX(primary_key);
	char *name;
	calx_opt_int64 points;
};

#endif
