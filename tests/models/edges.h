/*
 * Test models at the edges calx-reflect accepts (tests/test_edges.c), built
 * with --prefix rr_ (tests/models/models.ninja): every generated name
 * starts with rr_ / RR_, so the program's own edge_item_eq below does not
 * clash with the generated rr_edge_item_eq.
 *
 * Table names of 59 bytes: every derived constraint name is over
 * PostgreSQL's 63 bytes, and uq_ names of two columns are equal in their
 * first 63 bytes. The registry shortens them with a hash suffix, so
 * create_all creates them all on both dialects.
 */
#ifndef CALX_TEST_MODELS_EDGES_H
#define CALX_TEST_MODELS_EDGES_H

#include <stdbool.h>
#include <stdint.h>
#include <calx/annotate.h>

struct CALX_TABLE("rr_parent_table_whose_name_is_long_enough_to_overflow_names",
		  index("code_alpha", "code_beta"))
edge_parent {
	int64_t id CALX(primary_key);
	char code_alpha[16] CALX(unique, default("a"));
	char code_beta[16] CALX(unique, index);
	int32_t qty CALX(check("qty >= 0"), default(3 * 4));   /* a constant expression */
	char *note CALX(check("note <> '--' AND note <> '/*'")); /* quoted: no SQL comment */
};

struct CALX_TABLE("rr_child_table_whose_name_is_long_enough_to_overflow_names_") edge_child {
	int64_t id CALX(primary_key);
	int64_t parent_id CALX(foreign_key("rr_parent_table_whose_name_is_long_enough_to_overflow_names.id", ondelete="CASCADE"));
	char code_alpha[16] CALX(foreign_key("rr_parent_table_whose_name_is_long_enough_to_overflow_names.code_alpha", ondelete="CASCADE"));
	/* an explicit type of the key's family on each dialect: accepted */
	int64_t parent_ref CALX(type("BIGINT", "sqlite:INTEGER"),
				foreign_key("rr_parent_table_whose_name_is_long_enough_to_overflow_names.id"));
	int32_t flags_low;
	int : 0;              /* padding: not a column */
	int32_t flags_high;
	char tiny[2];         /* the shortest text array: VARCHAR(1) */
};

/* The program's own helper: named like what calx-reflect would generate without --prefix. */
struct CALX_TABLE("rr_edge_items") edge_item {
	int64_t id CALX(primary_key);
	char *label;
};
bool edge_item_eq(const struct edge_item *a, const struct edge_item *b);

#endif
