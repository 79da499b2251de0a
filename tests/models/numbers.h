/*
 * Test models for exact numbers and the SQL layer (tests/test_numbers.c,
 * tests/test_sql*.c): NUMERIC columns read into C integers and doubles,
 * and a self-referential employees table for joins under aliases.
 */
#ifndef CALX_TEST_NUMBERS_H
#define CALX_TEST_NUMBERS_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/nullable.h>

struct CALX_TABLE("amounts") amount {
	int64_t id CALX(primary_key, autoincrement(false));
	calx_opt_int64 big CALX(type("NUMERIC(20,0)"));
	calx_opt_double ratio CALX(type("NUMERIC(40,20)"));
	char *label;
};

struct CALX_TABLE("staff") employee {
	int64_t id CALX(primary_key);
	char *first_name CALX(not_null);
	calx_opt_int64 reports_to CALX(foreign_key("staff.id", ondelete="SET NULL"));
	int32_t salary CALX(check("salary >= 0"), server_default("0"));
};

#endif
