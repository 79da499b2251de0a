/*
 * The edges calx-reflect accepts, through a session on both dialects
 * (tests/models/edges.h, generated with --prefix rr_): derived constraint
 * names over PostgreSQL's 63 bytes are shortened with a hash suffix, so
 * create_all makes every one of them; an unnamed bit-field is padding; a
 * char[2] is VARCHAR(1); the generated names carry the prefix.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "edges.calx.h"

#define PARENT "rr_parent_table_whose_name_is_long_enough_to_overflow_names"

/* The program's own function, which the prefix keeps apart from rr_edge_item_eq. */
bool edge_item_eq(const struct edge_item *a, const struct edge_item *b)
{
	return a->id == b->id;
}

static int setup(void **state)
{
	return fixture_setup_schema(state, &edges_schema);
}

/* The documented rule (README, "Constraint names"), written again here. */
static void shortened(const char *full, char out[64])
{
	uint32_t h = 2166136261u;
	for (const char *p = full; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 16777619u;
	}
	snprintf(out, 64, "%.54s_%08x", full, (unsigned)h);
}

static void derived_names_over_63_bytes_are_shortened_and_distinct(void **state)
{
	fixture *fx = *state;
	char *ddl = NULL, want_alpha[64], want_beta[64];
	assert_int_equal(calx_registry_ddl(fx->reg, fx->eng, &ddl), CALX_OK);
	assert_non_null(ddl);
	shortened("uq_" PARENT "_code_alpha", want_alpha);
	shortened("uq_" PARENT "_code_beta", want_beta);
	assert_int_equal(strlen(want_alpha), 63);
	/* equal in their first 63 bytes before shortening, distinct after */
	assert_string_not_equal(want_alpha, want_beta);
	assert_non_null(strstr(ddl, want_alpha));
	assert_non_null(strstr(ddl, want_beta));
	/* every quoted name in the DDL fits PostgreSQL's 63 bytes */
	for (const char *p = strchr(ddl, '"'); p; p = strchr(p, '"')) {
		const char *end = strchr(p + 1, '"');
		assert_non_null(end);
		if (end - p - 1 > 63)
			fail_msg("a name of %d bytes in the DDL: %.*s", (int)(end - p - 1), (int)(end - p - 1), p + 1);
		p = end + 1;
	}
	calx_free(ddl);
}

static void each_shortened_unique_constraint_holds(void **state)
{
	fixture *fx = *state;
	struct edge_parent *a = rr_edge_parent_new(fx->s, .id = 1, .code_alpha = "x", .code_beta = "b1");
	struct edge_parent *b = rr_edge_parent_new(fx->s, .id = 2, .code_alpha = "y", .code_beta = "b2");
	assert_non_null(a);
	assert_non_null(b);
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_add(fx->s, b));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* the same code_alpha again: refused by its own constraint, not by code_beta's */
	calx_session *s = fixture_session(fx);
	struct edge_parent *c = rr_edge_parent_new(s, .id = 3, .code_alpha = "x", .code_beta = "b3");
	assert_ok(s, calx_session_add(s, c));
	assert_calx(s, calx_session_commit(s), CALX_EUNIQUE);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	s = fixture_session(fx);
	c = rr_edge_parent_new(s, .id = 4, .code_alpha = "z", .code_beta = "b1");
	assert_ok(s, calx_session_add(s, c));
	assert_calx(s, calx_session_commit(s), CALX_EUNIQUE);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
}

static void a_row_round_trips_with_padding_and_a_one_byte_text(void **state)
{
	fixture *fx = *state;
	struct edge_parent *p = rr_edge_parent_new(fx->s, .id = 10, .code_alpha = "alpha", .code_beta = "beta",
						   .note = "-- not a comment");
	struct edge_child *c = rr_edge_child_new(fx->s, .id = 20, .parent_id = 10, .code_alpha = "alpha",
						 .parent_ref = 10, .flags_low = -7, .flags_high = 123456, .tiny = "t");
	assert_int_equal(p->qty, 12);
	struct edge_item *it = rr_edge_item_new(fx->s, .id = 30, .label = "item");
	assert_ok(fx->s, calx_session_add(fx->s, p));
	assert_ok(fx->s, calx_session_add(fx->s, c));
	assert_ok(fx->s, calx_session_add(fx->s, it));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct edge_child *got = NULL;
	struct edge_parent *gp = NULL;
	struct edge_item *gi = NULL;
	assert_ok(s, rr_edge_child_get(s, 20, &got));
	assert_ok(s, rr_edge_parent_get(s, 10, &gp));
	assert_ok(s, rr_edge_item_get(s, 30, &gi));
	assert_int_equal(got->parent_id, 10);
	assert_string_equal(got->code_alpha, "alpha");
	assert_int_equal(got->parent_ref, 10);
	assert_int_equal(gp->qty, 12);
	assert_string_equal(gp->note, "-- not a comment");
	assert_int_equal(got->flags_low, -7);
	assert_int_equal(got->flags_high, 123456);
	assert_string_equal(got->tiny, "t");
	assert_true(rr_edge_child_eq(got, c));
	assert_true(rr_edge_parent_eq(gp, p));
	assert_true(rr_edge_item_eq(gi, it) && edge_item_eq(gi, it));
	assert_int_equal(calx_field(RR_EDGE_CHILD_FLAGS_HIGH)->index, 5);
	/* char[2] holds one byte: two are refused, never cut */
	got->tiny[0] = 'u';
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	s = fixture_session(fx);
	struct edge_child *bad = rr_edge_child_new(s, .id = 21, .parent_id = 10, .code_alpha = "alpha", .parent_ref = 10);
	memcpy(bad->tiny, "uv", 2);             /* no room for the NUL: not text of 1 byte */
	assert_ok(s, calx_session_add(s, bad));
	assert_calx(s, calx_session_commit(s), CALX_ERANGE);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	/* the foreign key through the shortened fk_ name cascades */
	s = fixture_session(fx);
	assert_ok(s, rr_edge_parent_get(s, 10, &gp));
	assert_ok(s, calx_session_delete(s, gp));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &rr_edge_child_mapper), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(derived_names_over_63_bytes_are_shortened_and_distinct),
		T(each_shortened_unique_constraint_holds),
		T(a_row_round_trips_with_padding_and_a_one_byte_text),
	};
	return RUN_ON_ALL_DIALECTS("edges", tests);
}
