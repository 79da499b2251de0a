/*
 * Test models for exact numbers and the SQL layer (tests/test_numbers.c,
 * tests/test_sql*.c): NUMERIC columns read into C integers and doubles,
 * and a self-referential employees table for joins under aliases.
 */
#ifndef CALX_TEST_NUMBERS_H
#define CALX_TEST_NUMBERS_H

#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("amounts") amount {
	int64_t id CALX(primary_key, autoincrement(false));
	int64_t big CALX(type("NUMERIC(20,0)"));
	double ratio CALX(type("NUMERIC(40,20)"));
	char *label;
};

struct CALX_TABLE("employees") employee {
	int64_t id CALX(primary_key);
	char *first_name CALX(not_null);
	int64_t reports_to CALX(foreign_key("employees.id", ondelete="SET NULL"));
	int32_t salary CALX(check("salary >= 0"), server_default("0"));
};

#endif
