/*
 * Objects leaving the session (expunge, expunge_all) and coming back
 * (calx_session_add of a detached object), and a block without autoflush.
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

static void expunge_all_empties_the_identity_map_and_drops_pending_work(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *a = committed(s, "a"), *b = committed(s, "b");
	size_t before = count_rows(fx, &gadget_mapper);
	struct gadget *p = gadget_new(s, .label = "pending");
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_delete(s, b));
	a->label = "changed, then expunged";
	assert_ok(s, calx_session_expunge_all(s));
	assert_ok(s, calx_session_commit(s));           /* nothing to write */
	assert_int_equal(count_rows(fx, &gadget_mapper), before);
	assert_int_equal(p->id, 0);
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(a->id), &o));
	assert_ptr_not_equal(o, a);                     /* loaded anew */
	assert_string_equal(((struct gadget *)o)->label, "a");
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(b->id), &o));
	assert_ptr_not_equal(o, b);
	calx_session_free(s);
}

static void a_rollback_after_expunge_all_leaves_the_detached_objects_alone(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "g");
	assert_ok(s, calx_session_delete(s, g));
	assert_ok(s, calx_session_flush(s));
	struct gadget *n = gadget_new(s, .label = "new");
	assert_ok(s, calx_session_add(s, n));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_expunge_all(s));
	assert_ok(s, calx_session_rollback(s));
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_ptr_not_equal(o, g);                     /* the rollback did not put g back in the map */
	assert_true(n->id != 0);                        /* nor touch n, no longer the session's business */
	calx_session_free(s);
}

static void an_expunged_object_added_back_is_persistent_and_writes_its_changes(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "before");
	size_t before = count_rows(fx, &gadget_mapper);
	assert_ok(s, calx_session_expunge(s, g));
	g->label = "after";
	assert_ok(s, calx_session_commit(s));           /* detached: not written */
	assert_ok(s, calx_session_add(s, g));
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_ptr_equal(o, g);
	assert_ok(s, calx_session_commit(s));           /* an UPDATE, not a second row */
	int64_t id = g->id;
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before);
	s = fixture_session(fx);
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(id), &o));
	assert_string_equal(((struct gadget *)o)->label, "after");
	calx_session_free(s);
}

static void adding_back_a_detached_object_whose_row_was_loaded_again_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "twice");
	assert_ok(s, calx_session_expunge(s, g));
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_calx(s, calx_session_add(s, g), CALX_EUNIQUE);
	assert_non_null(strstr(calx_session_errmsg(s), "calx_session_merge"));
	assert_calx(s, calx_session_delete(s, g), CALX_EINVAL);    /* detached: not the session's */
	calx_session_free(s);
}

static void autoflush_can_be_switched_off_for_a_block_and_blocks_nest(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = gadget_new(s, .label = "half-built");
	assert_ok(s, calx_session_add(s, g));
	void *o;
	bool outer = calx_session_set_autoflush(s, false);
	assert_true(outer);                             /* on by default */
	bool inner = calx_session_set_autoflush(s, false);
	assert_false(inner);
	assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(999999), &o), CALX_ENOTFOUND);
	assert_int_equal(g->id, 0);                     /* not flushed */
	assert_false(calx_session_set_autoflush(s, inner));
	assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(999998), &o), CALX_ENOTFOUND);
	assert_int_equal(g->id, 0);                     /* still inside the outer block */
	assert_false(calx_session_set_autoflush(s, outer));
	assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(999997), &o), CALX_ENOTFOUND);
	assert_true(g->id != 0);                        /* on again: the get flushed first */
	assert_false(calx_session_set_autoflush(NULL, true));
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
		T(expunge_all_empties_the_identity_map_and_drops_pending_work),
		T(a_rollback_after_expunge_all_leaves_the_detached_objects_alone),
		T(an_expunged_object_added_back_is_persistent_and_writes_its_changes),
		T(adding_back_a_detached_object_whose_row_was_loaded_again_is_refused),
		T(autoflush_can_be_switched_off_for_a_block_and_blocks_nest),
	};
	return RUN_ON_ALL_DIALECTS("session_detach", tests);
}
