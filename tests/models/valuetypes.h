/*
 * Test models for exact decimals and JSON (tests/test_decimal_type.c,
 * tests/test_json.c): calx_decimal columns at the edges of what they hold
 * (NUMERIC(10,2) money, NUMERIC(18,0), NUMERIC(18,18), NUMERIC(38,10)
 * beyond a 64-bit integer) and CALX(json) text, NULL and NOT NULL.
 */
#ifndef CALX_TEST_VALUETYPES_H
#define CALX_TEST_VALUETYPES_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/decimal.h>

struct CALX_TABLE("vt_prices") vt_price {
	int64_t id CALX(primary_key);
	calx_decimal amount CALX(numeric(10, 2), not_null);   /* money: NOT NULL */
	calx_decimal whole CALX(numeric(18, 0));             /* 18 digits, no fraction; "" is NULL */
	calx_decimal tiny CALX(numeric(18, 18));             /* 18 fraction digits */
	calx_decimal wide CALX(numeric(38, 10));             /* 38 digits: beyond int64_t */
	calx_decimal legacy CALX(type("NUMERIC(12,4)"));     /* SQLite's NUMERIC affinity: stored as it likes */
	char *label;
};

struct CALX_TABLE("vt_docs") vt_doc {
	int64_t id CALX(primary_key);
	char *body CALX(json);                               /* JSONB / TEXT, NULL allowed */
	char *meta CALX(json, not_null);
};

#endif
