/*
 * Savepoints (calx_session_begin_nested / _commit_nested / _rollback_nested):
 * a failed flush inside one rolls the database and the objects back to it
 * and leaves the enclosing transaction usable; savepoints nest.
 */
#include <stdio.h>
#include <string.h>
#include "spine_fixture.h"

static struct gadget *committed(calx_session *s, const char *label)
{
	struct gadget *g = gadget_new(s, .label = calx_strdup(s, label));
	assert_non_null(g);
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	return g;
}

static const char *label_in_db(fixture *fx, int64_t id)
{
	static char buf[64];
	calx_session *s = fixture_session(fx);
	void *o;
	int rc = calx_session_get(s, &gadget_mapper, calx_value_int(id), &o);
	snprintf(buf, sizeof buf, "%s", rc == CALX_OK ? ((struct gadget *)o)->label : "(none)");
	calx_session_free(s);
	return buf;
}

static void a_failed_flush_in_a_savepoint_rolls_back_to_it_and_the_transaction_goes_on(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *old = committed(s, "old");
	size_t before = count_rows(fx, &gadget_mapper);

	struct gadget *outer = gadget_new(s, .label = "outer");
	assert_ok(s, calx_session_add(s, outer));
	assert_ok(s, calx_session_begin_nested(s));     /* flushes outer first */
	assert_true(outer->id != 0);

	old->label = "changed in savepoint";
	old->hits = 7;
	struct gadget *inner = gadget_new(s, .label = "inner");
	assert_ok(s, calx_session_add(s, inner));
	assert_ok(s, calx_session_flush(s));
	int64_t inner_id = inner->id;
	assert_true(inner_id != 0);

	/* the same key as outer's row: the flush fails inside the savepoint */
	struct gadget *dup = gadget_new(s, .id = outer->id, .label = "dup");
	assert_ok(s, calx_session_add(s, dup));
	assert_calx(s, calx_session_flush(s), CALX_EUNIQUE);
	assert_calx(s, calx_session_add(s, gadget_new(s, .label = "x")), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "calx_session_rollback_nested"));
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);

	assert_ok(s, calx_session_rollback_nested(s));
	assert_string_equal(old->label, "old");         /* updated inside: back to the savepoint's row */
	assert_int_equal(old->hits, 0);
	assert_int_equal(inner->id, 0);                  /* inserted inside: transient, key cleared */
	assert_true(outer->id != 0);                     /* flushed before: still flushed */
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(outer->id), &o));
	assert_ptr_equal(o, outer);
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(old->id), &o));
	assert_ptr_equal(o, old);

	/* the transaction goes on: a change after the savepoint commits with outer */
	outer->hits = 3;
	assert_ok(s, calx_session_commit(s));
	int64_t outer_id = outer->id, old_id = old->id;
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before + 1);
	assert_string_equal(label_in_db(fx, outer_id), "outer");
	assert_string_equal(label_in_db(fx, old_id), "old");
	assert_string_equal(label_in_db(fx, inner_id), "(none)");
}

static void savepoints_nest_and_each_level_rolls_back_alone(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	size_t before = count_rows(fx, &gadget_mapper);
	assert_ok(s, calx_session_begin_nested(s));
	struct gadget *a = gadget_new(s, .label = "a");
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_begin_nested(s));     /* flushes a, inside the first */
	struct gadget *b = gadget_new(s, .label = "b");
	assert_ok(s, calx_session_add(s, b));
	assert_ok(s, calx_session_begin_nested(s));     /* flushes b, inside the second */
	a->label = "a changed in the third";
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback_nested(s));  /* the third */
	assert_string_equal(a->label, "a");
	assert_ok(s, calx_session_rollback_nested(s));  /* the second: b's insert */
	assert_int_equal(b->id, 0);
	assert_true(a->id != 0);
	assert_ok(s, calx_session_commit_nested(s));    /* the first: a stays */
	assert_calx(s, calx_session_commit_nested(s), CALX_ESTATE);     /* none open */
	assert_calx(s, calx_session_rollback_nested(s), CALX_ESTATE);
	assert_ok(s, calx_session_commit(s));
	int64_t a_id = a->id;
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before + 1);
	assert_string_equal(label_in_db(fx, a_id), "a");
}

static void a_released_savepoint_belongs_to_the_transaction_and_rolls_back_with_it(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "first");
	assert_ok(s, calx_session_begin_nested(s));
	g->label = "second";
	struct gadget *n = gadget_new(s, .label = "new");
	assert_ok(s, calx_session_add(s, n));
	assert_ok(s, calx_session_commit_nested(s));
	assert_string_equal(label_in_db(fx, g->id), "first");      /* not committed yet */
	assert_ok(s, calx_session_rollback(s));
	assert_string_equal(g->label, "first");
	assert_int_equal(n->id, 0);
	/* and released then committed */
	assert_ok(s, calx_session_begin_nested(s));
	g->label = "third";
	assert_ok(s, calx_session_commit_nested(s));
	assert_ok(s, calx_session_commit(s));
	int64_t id = g->id;
	calx_session_free(s);
	assert_string_equal(label_in_db(fx, id), "third");
}

static void a_delete_inside_a_rolled_back_savepoint_comes_back(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "kept");
	struct gadget *h = committed(s, "requested");
	size_t before = count_rows(fx, &gadget_mapper);
	assert_ok(s, calx_session_begin_nested(s));
	assert_ok(s, calx_session_delete(s, g));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_delete(s, h));        /* asked, not flushed: dropped */
	struct gadget *p = gadget_new(s, .label = "pending");
	assert_ok(s, calx_session_add(s, p));           /* added, not flushed: transient again */
	calx_session_set_autoflush(s, false);
	void *o;
	assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o), CALX_ENOTFOUND);
	assert_ok(s, calx_session_rollback_nested(s));
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_ptr_equal(o, g);
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(h->id), &o));
	assert_ptr_equal(o, h);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before);
}

static void an_object_expunged_inside_a_savepoint_stays_out_after_rolling_back_to_it(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "expunged");
	assert_ok(s, calx_session_begin_nested(s));
	assert_ok(s, calx_session_delete(s, g));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_expunge(s, g));
	assert_ok(s, calx_session_rollback_nested(s));
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));     /* the row is back */
	assert_ptr_not_equal(o, g);                     /* in a new object: g was not put back */
	assert_string_equal(((struct gadget *)o)->label, "expunged");
	calx_session_free(s);
}

/* The classic loop: each row in its own savepoint, the duplicates skipped, the rest committed. */
static void a_loop_of_savepoints_skips_the_rows_that_fail(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *taken = committed(s, "taken");
	size_t before = count_rows(fx, &gadget_mapper);
	int ok = 0, skipped = 0;
	for (int i = 0; i < 6; i++) {
		assert_ok(s, calx_session_begin_nested(s));
		struct gadget *g = gadget_new(s, .id = i % 2 ? taken->id : 0, .label = "loop");
		assert_ok(s, calx_session_add(s, g));
		if (calx_session_commit_nested(s) == CALX_OK) {
			ok++;
		} else {
			assert_int_equal(calx_session_errcode(s), CALX_EUNIQUE);
			assert_ok(s, calx_session_rollback_nested(s));
			skipped++;
		}
	}
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(ok, 3);
	assert_int_equal(skipped, 3);
	assert_int_equal(count_rows(fx, &gadget_mapper), before + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
		T(a_failed_flush_in_a_savepoint_rolls_back_to_it_and_the_transaction_goes_on),
		T(savepoints_nest_and_each_level_rolls_back_alone),
		T(a_released_savepoint_belongs_to_the_transaction_and_rolls_back_with_it),
		T(a_delete_inside_a_rolled_back_savepoint_comes_back),
		T(an_object_expunged_inside_a_savepoint_stays_out_after_rolling_back_to_it),
		T(a_loop_of_savepoints_skips_the_rows_that_fail),
	};
	return RUN_ON_ALL_DIALECTS("session_nested", tests);
}
