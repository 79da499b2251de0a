/*
 * Test models for exact decimals and JSON (tests/test_decimal_type.c,
 * tests/test_json.c): calx_decimal columns at the edges of what they hold
 * (NUMERIC(10,2) money, NUMERIC(18,0), NUMERIC(18,18), NUMERIC(38,10)
 * beyond a 64-bit integer), CALX(json) text, NULL and NOT NULL, and
 * computed (generated) columns.
 */
#ifndef CALX_TEST_VALUETYPES_H
#define CALX_TEST_VALUETYPES_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/decimal.h>
#include <calx/nullable.h>

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

/* Enums stored by name (tests/test_enum_names.c): the prefix ORDER_STATUS_ is cut, names lowercased. */
enum vt_order_status {
	ORDER_STATUS_NEW = 1,
	ORDER_STATUS_PAID = 2,
	ORDER_STATUS_ON_HOLD = 7,
	ORDER_STATUS_SHIPPED = -3
};

enum vt_priority { VT_LOW, VT_HIGH };

struct CALX_TABLE("vt_orders") vt_order {
	int64_t id CALX(primary_key);
	enum vt_order_status status CALX(enum_as(text));          /* VARCHAR(7), CHECK of the four names */
	enum vt_priority priority CALX(enum_as(integer), check("priority >= 0"));   /* as before: its integer */
	enum vt_order_status was CALX(enum_as(text), check("was <> 'paid' OR status <> 'new'"));
};

/* Generated columns (tests/test_computed.c): never written by calx, read back after each flush. */
struct CALX_TABLE("vt_lines") vt_line {
	int64_t id CALX(primary_key);
	int64_t price_cents;
	int32_t qty;
	int64_t total_cents CALX(computed("price_cents * qty"));
	/* NULL unless a bulk order: a computed column may be NULL */
	calx_opt_int64 bulk_cents CALX(computed("CASE WHEN qty >= 10 THEN price_cents * qty * 9 / 10 END"));
	char *label;
};

#endif
