/*
 * Expiry and refresh: after a commit (expire_on_commit, on by default), or
 * calx_session_expire, the next get or select row of an object reloads it,
 * so a row another transaction changed is never handed out stale; changes
 * the program made to an expired object are kept, not dropped.
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

/* Another transaction changes the row (and commits). */
static void change_elsewhere(fixture *fx, int64_t id, const char *label, int32_t hits)
{
	calx_session *o = fixture_session(fx);
	assert_true(calx_session_set_expire_on_commit(o, false));
	void *p;
	assert_ok(o, calx_session_get(o, &gadget_mapper, calx_value_int(id), &p));
	struct gadget *g = p;
	g->label = calx_strdup(o, label);
	g->hits = hits;
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);
}

static void delete_elsewhere(fixture *fx, int64_t id)
{
	calx_session *o = fixture_session(fx);
	void *p;
	assert_ok(o, calx_session_get(o, &gadget_mapper, calx_value_int(id), &p));
	assert_ok(o, calx_session_delete(o, p));
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);
}

static void a_get_after_commit_reloads_the_row_another_transaction_changed(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "mine");
	assert_true(calx_object_is_expired(s, g));
	assert_string_equal(g->label, "mine");          /* the struct keeps its values meanwhile */
	change_elsewhere(fx, g->id, "theirs", 9);
	uint64_t before = fixture_statements(s);
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_ptr_equal(o, g);                          /* the same object, reloaded */
	assert_string_equal(g->label, "theirs");
	assert_int_equal(g->hits, 9);
	assert_false(calx_object_is_expired(s, g));
	uint64_t after = fixture_statements(s);
	assert_true(after > before);                     /* a SELECT (and the BEGIN it needed) */
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_int_equal(fixture_statements(s), after);          /* not expired any more: the identity map */
	assert_ok(s, calx_session_commit(s));            /* nothing changed: no UPDATE of the reloaded row */
	calx_session_free(s);
}

static void a_select_after_commit_reloads_from_its_rows(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "mine");
	change_elsewhere(fx, g->id, "theirs", 4);
	calx_select *q = calx_select_new(s, &gadget_mapper);
	calx_where(q, calx_eq(GADGET_ID, g->id));
	void *o;
	assert_ok(s, calx_select_one(q, &o));
	calx_select_free(q);
	assert_ptr_equal(o, g);
	assert_string_equal(g->label, "theirs");
	assert_int_equal(g->hits, 4);
	assert_false(calx_object_is_expired(s, g));
	calx_session_free(s);
}

static void without_expire_on_commit_the_session_keeps_its_values(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	assert_true(calx_session_set_expire_on_commit(s, false));      /* it was on */
	struct gadget *g = committed(s, "mine");
	assert_false(calx_object_is_expired(s, g));
	change_elsewhere(fx, g->id, "theirs", 1);
	void *o;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_int_equal(fixture_statements(s), before);
	assert_string_equal(g->label, "mine");
	/* until asked */
	assert_ok(s, calx_session_refresh(s, g));
	assert_string_equal(g->label, "theirs");
	assert_false(calx_session_set_expire_on_commit(s, true));
	calx_session_free(s);
}

static void expire_and_expire_all_mark_objects_for_the_next_get(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	calx_session_set_expire_on_commit(s, false);
	struct gadget *a = committed(s, "a"), *b = committed(s, "b");
	change_elsewhere(fx, a->id, "a2", 0);
	change_elsewhere(fx, b->id, "b2", 0);
	assert_ok(s, calx_session_expire(s, a));
	assert_true(calx_object_is_expired(s, a));
	assert_false(calx_object_is_expired(s, b));
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(a->id), &o));
	assert_string_equal(a->label, "a2");
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(b->id), &o));
	assert_string_equal(b->label, "b");             /* not expired: as the session had it */
	assert_ok(s, calx_session_expire_all(s));
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(b->id), &o));
	assert_string_equal(b->label, "b2");
	struct gadget *t = gadget_new(s, .label = "transient");
	assert_calx(s, calx_session_expire(s, t), CALX_EINVAL);
	assert_calx(s, calx_session_refresh(s, t), CALX_EINVAL);
	calx_session_free(s);
}

static void a_row_deleted_elsewhere_is_not_found_and_the_object_detached(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "doomed"), *h = committed(s, "doomed too");
	delete_elsewhere(fx, g->id);
	delete_elsewhere(fx, h->id);
	void *o;
	assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o), CALX_ENOTFOUND);
	assert_null(o);
	assert_calx(s, calx_session_refresh(s, h), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(s), "detached"));
	assert_calx(s, calx_session_delete(s, h), CALX_EINVAL);    /* not the session's any more */
	assert_false(calx_object_is_expired(s, g));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
}

static void changes_made_to_an_expired_object_survive_its_reload(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "mine");
	g->hits = 5;                                     /* the program's change, after the commit expired g */
	change_elsewhere(fx, g->id, "theirs", 2);
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
	assert_string_equal(g->label, "theirs");        /* reloaded */
	assert_int_equal(g->hits, 5);                    /* kept */
	assert_ok(s, calx_session_commit(s));            /* and written */
	int64_t id = g->id;
	calx_session_free(s);
	s = fixture_session(fx);
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(id), &o));
	assert_string_equal(((struct gadget *)o)->label, "theirs");
	assert_int_equal(((struct gadget *)o)->hits, 5);
	calx_session_free(s);
}

typedef struct seen {
	void *target;
	bool expired_in_listener;
	const char *label_in_listener;
} seen;

static int get_in_listener(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev, (void)m, (void)obj;
	seen *p = payload;
	void *o;
	int rc = calx_session_get(s, &gadget_mapper, calx_value_int(((struct gadget *)p->target)->id), &o);
	if (rc == CALX_OK) {
		p->expired_in_listener = calx_object_is_expired(s, o);
		p->label_in_listener = ((struct gadget *)o)->label;
	}
	return rc;
}

static void a_get_inside_a_listener_hands_the_expired_object_out_as_it_is(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *g = committed(s, "mine");
	change_elsewhere(fx, g->id, "theirs", 0);
	seen p = { g, false, NULL };
	assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_FLUSH, NULL, get_in_listener, &p));
	struct gadget *n = gadget_new(s, .label = "new");
	assert_ok(s, calx_session_add(s, n));
	assert_ok(s, calx_session_flush(s));
	assert_true(p.expired_in_listener);
	assert_string_equal(p.label_in_listener, "mine");
	void *o;
	assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));     /* after: reloaded */
	assert_string_equal(g->label, "theirs");
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
		T(a_get_after_commit_reloads_the_row_another_transaction_changed),
		T(a_select_after_commit_reloads_from_its_rows),
		T(without_expire_on_commit_the_session_keeps_its_values),
		T(expire_and_expire_all_mark_objects_for_the_next_get),
		T(a_row_deleted_elsewhere_is_not_found_and_the_object_detached),
		T(changes_made_to_an_expired_object_survive_its_reload),
		T(a_get_inside_a_listener_hands_the_expired_object_out_as_it_is),
	};
	return RUN_ON_ALL_DIALECTS("session_expire", tests);
}
