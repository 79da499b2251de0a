/*
 * Test models for the table-name rule (tests/test_naming.c): CALX_NAMING
 * sets snake_plural for this header, so CALX_TABLE() takes the snake_case
 * plural of the tag, and an explicit name still wins. Every name starts
 * with nm_ (PostgreSQL tests of a run share one database).
 */
#ifndef CALX_TEST_NAMING_H
#define CALX_TEST_NAMING_H

#include <stdint.h>
#include <calx/annotate.h>
#include <calx/list.h>
#include <calx/nullable.h>

CALX_NAMING(table = snake_plural);

/* -> nm_categories (consonant + y) */
struct CALX_TABLE() NmCategory {
	int64_t id CALX(primary_key);
	char title[32];
	CALX_LIST(struct NmBox) boxes;
};

/* -> nm_boxes (x + es); the foreign key names the table the rule gave */
struct CALX_TABLE() NmBox {
	int64_t id CALX(primary_key);
	calx_opt_int64 category_id CALX(foreign_key("nm_categories.id"));
	struct NmCategory *category;
};

/* -> nm_invoice_lines (+s of the last word only) */
struct CALX_TABLE() NmInvoiceLine {
	int64_t id CALX(primary_key);
	int32_t qty;
};

/* already snake_case -> nm_addresses (s + es) */
struct CALX_TABLE() nm_address {
	int64_t id CALX(primary_key);
	char street[32];
};

/* -> nm_days (vowel + y: + s) */
struct CALX_TABLE() NmDay {
	int64_t id CALX(primary_key);
};

/* HTTP + Server: nm_http_servers; the explicit name wins over the rule */
struct CALX_TABLE() NmHTTPServer {
	int64_t id CALX(primary_key);
};
struct CALX_TABLE("nm_people") NmPerson {
	int64_t id CALX(primary_key);
	char name[32];
};

#endif
