/*
 * What a listener may call (issue 9, "No misuse that loses data"; the table
 * in include/calx/events.h). Each refused call returns CALX_ESTATE naming
 * the listener's event, and the unit of work around it is still written as
 * a whole; each allowed call does what it says in the same flush.
 */
#include <stdio.h>
#include <string.h>
#include "spine_fixture.h"

enum action { COMMIT, FLUSH, ROLLBACK, EXPUNGE, LISTEN, SET_TRACKING, FREE, DELETE_SELF, ADD_SELF, DELETE_OTHER,
	      BEGIN_NESTED, COMMIT_NESTED, ROLLBACK_NESTED, EXPUNGE_ALL, EXPIRE, EXPIRE_ALL, REFRESH, MERGE };

static const char *const action_names[] = { "calx_session_commit", "calx_session_flush", "calx_session_rollback",
	                                    "calx_session_expunge", "calx_session_listen",
	                                    "calx_session_set_tracking", "calx_session_free", "calx_session_delete",
	                                    "calx_session_add", "calx_session_delete", "calx_session_begin_nested",
	                                    "calx_session_commit_nested", "calx_session_rollback_nested",
	                                    "calx_session_expunge_all", "calx_session_expire", "calx_session_expire_all",
	                                    "calx_session_refresh", "calx_session_merge" };

typedef struct probe {
	enum action action;
	void *other;    /* a persistent object of the session, for events without one */
	int calls;
	int rc;
	char msg[512];
} probe;

static int noop(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s, (void)ev, (void)m, (void)obj, (void)payload;
	return CALX_OK;
}

/* Make the call once, keep what it returned, and let the operation go on. */
static int try_call(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)m;
	probe *p = payload;
	if (p->calls++)
		return CALX_OK;
	void *target = obj ? obj : p->other;
	switch (p->action) {
	case COMMIT: p->rc = calx_session_commit(s); break;
	case FLUSH: p->rc = calx_session_flush(s); break;
	case ROLLBACK: p->rc = calx_session_rollback(s); break;
	case EXPUNGE: p->rc = calx_session_expunge(s, target); break;
	case LISTEN: p->rc = calx_session_listen(s, ev, NULL, noop, NULL); break;
	case SET_TRACKING: p->rc = calx_session_set_tracking(s, CALX_TRACK_MARKED); break;
	case FREE:
		calx_session_free(s);   /* ignored: the session must still work below */
		p->rc = calx_session_errcode(s);
		break;
	case DELETE_SELF: p->rc = calx_session_delete(s, target); break;
	case ADD_SELF: p->rc = calx_session_add(s, target); break;
	case DELETE_OTHER: p->rc = calx_session_delete(s, p->other); break;
	case BEGIN_NESTED: p->rc = calx_session_begin_nested(s); break;
	case COMMIT_NESTED: p->rc = calx_session_commit_nested(s); break;
	case ROLLBACK_NESTED: p->rc = calx_session_rollback_nested(s); break;
	case EXPUNGE_ALL: p->rc = calx_session_expunge_all(s); break;
	case EXPIRE: p->rc = calx_session_expire(s, target); break;
	case EXPIRE_ALL: p->rc = calx_session_expire_all(s); break;
	case REFRESH: p->rc = calx_session_refresh(s, target); break;
	case MERGE: {
		void *merged;
		p->rc = calx_session_merge(s, target, &merged);
		break;
	}
	}
	snprintf(p->msg, sizeof p->msg, "%s", calx_session_errmsg(s));
	return CALX_OK;
}

static struct gadget *committed_gadget(fixture *fx, calx_session *s, const char *label)
{
	struct gadget *g = gadget_new(s, .label = calx_strdup(s, label));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	(void)fx;
	return g;
}

static void expect_refused(const probe *p, calx_event ev)
{
	char want[128];
	const char *name = calx_event_name(ev);
	snprintf(want, sizeof want, "%s inside %s %s listener", action_names[p->action], name[0] == 'a' ? "an" : "a",
	         name);
	if (p->rc != CALX_ESTATE || !strstr(p->msg, want))
		print_error("want CALX_ESTATE and \"%s\", got %s: %s\n", want, calx_status_name(p->rc), p->msg);
	assert_int_equal(p->calls > 0, 1);
	assert_int_equal(p->rc, CALX_ESTATE);
	assert_non_null(strstr(p->msg, want));
}

/*
 * For one event and one refused call: a unit of work of one insert, one
 * update and one delete fires the listener, which ignores the refusal; the
 * commit then writes all three.
 */
static void refused_in(fixture *fx, calx_event ev, enum action action)
{
	calx_session *s = fixture_session(fx);
	struct gadget *upd = committed_gadget(fx, s, "old");
	struct gadget *del = committed_gadget(fx, s, "doomed");
	struct gadget *other = committed_gadget(fx, s, "other");
	size_t before = count_rows(fx, &gadget_mapper);
	probe p = { action, other, 0, CALX_OK, { 0 } };
	assert_ok(s, calx_session_listen(s, ev, NULL, try_call, &p));
	struct gadget *ins = gadget_new(s, .label = "new");
	assert_ok(s, calx_session_add(s, ins));
	upd->label = "changed";
	assert_ok(s, calx_session_delete(s, del));
	assert_ok(s, calx_session_commit(s));
	expect_refused(&p, ev);
	int64_t del_id = del->id, upd_id = upd->id;
	calx_session_free(s);

	assert_int_equal(count_rows(fx, &gadget_mapper), before);     /* one in, one out */
	calx_session *s2 = fixture_session(fx);
	void *o;
	assert_ok(s2, calx_session_get(s2, &gadget_mapper, calx_value_int(upd_id), &o));
	assert_string_equal(((struct gadget *)o)->label, "changed");
	assert_calx(s2, calx_session_get(s2, &gadget_mapper, calx_value_int(del_id), &o), CALX_ENOTFOUND);
	calx_session_free(s2);
}

static const calx_event flush_events[] = { CALX_EVENT_BEFORE_FLUSH,  CALX_EVENT_BEFORE_INSERT,
	                                   CALX_EVENT_AFTER_INSERT,  CALX_EVENT_BEFORE_UPDATE,
	                                   CALX_EVENT_AFTER_UPDATE,  CALX_EVENT_BEFORE_DELETE,
	                                   CALX_EVENT_AFTER_DELETE,  CALX_EVENT_AFTER_FLUSH };

static void flush_commit_rollback_free_listen_expunge_and_tracking_are_refused_in_every_flush_event(void **state)
{
	fixture *fx = *state;
	const enum action refused[] = { COMMIT,       FLUSH,        ROLLBACK,     EXPUNGE,        LISTEN,
	                                SET_TRACKING, FREE,         BEGIN_NESTED, COMMIT_NESTED, ROLLBACK_NESTED,
	                                EXPUNGE_ALL,  EXPIRE,       EXPIRE_ALL,   REFRESH,       MERGE };
	for (size_t e = 0; e < sizeof flush_events / sizeof *flush_events; e++)
		for (size_t a = 0; a < sizeof refused / sizeof *refused; a++)
			refused_in(fx, flush_events[e], refused[a]);
}

static void the_same_calls_are_refused_in_an_after_load_listener_and_the_load_goes_on(void **state)
{
	fixture *fx = *state;
	struct gadget *g = committed_gadget(fx, fx->s, "loaded");
	const enum action refused[] = { COMMIT,       FLUSH,        ROLLBACK,     EXPUNGE,        LISTEN,
	                                SET_TRACKING, FREE,         BEGIN_NESTED, COMMIT_NESTED, ROLLBACK_NESTED,
	                                EXPUNGE_ALL,  EXPIRE,       EXPIRE_ALL,   REFRESH,       MERGE };
	for (size_t a = 0; a < sizeof refused / sizeof *refused; a++) {
		calx_session *s = fixture_session(fx);
		probe p = { refused[a], NULL, 0, CALX_OK, { 0 } };
		assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_LOAD, NULL, try_call, &p));
		void *o;
		assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &o));
		expect_refused(&p, CALX_EVENT_AFTER_LOAD);
		assert_string_equal(((struct gadget *)o)->label, "loaded");
		void *again;
		assert_ok(s, calx_session_get(s, &gadget_mapper, calx_value_int(g->id), &again));
		assert_ptr_equal(o, again);     /* still in the identity map: not expunged */
		calx_session_free(s);
	}
}

/* Before the fix the delete returned CALX_OK and the row was inserted anyway. */
static void deleting_an_object_the_flush_inserts_is_refused_and_the_insert_kept(void **state)
{
	fixture *fx = *state;
	const calx_event evs[] = { CALX_EVENT_BEFORE_INSERT, CALX_EVENT_AFTER_INSERT };
	for (size_t e = 0; e < 2; e++) {
		calx_session *s = fixture_session(fx);
		size_t before = count_rows(fx, &gadget_mapper);
		probe p = { DELETE_SELF, NULL, 0, CALX_OK, { 0 } };
		assert_ok(s, calx_session_listen(s, evs[e], &gadget_mapper, try_call, &p));
		struct gadget *g = gadget_new(s, .label = "kept");
		assert_ok(s, calx_session_add(s, g));
		assert_ok(s, calx_session_commit(s));
		expect_refused(&p, evs[e]);
		calx_session_free(s);
		assert_int_equal(count_rows(fx, &gadget_mapper), before + 1);
	}
}

/* Before the fix the add "undid" a delete that had already run. */
static void adding_back_an_object_the_flush_deletes_is_refused_and_the_delete_kept(void **state)
{
	fixture *fx = *state;
	const calx_event evs[] = { CALX_EVENT_BEFORE_DELETE, CALX_EVENT_AFTER_DELETE };
	for (size_t e = 0; e < 2; e++) {
		calx_session *s = fixture_session(fx);
		struct gadget *g = committed_gadget(fx, s, "gone");
		size_t before = count_rows(fx, &gadget_mapper);
		probe p = { ADD_SELF, NULL, 0, CALX_OK, { 0 } };
		assert_ok(s, calx_session_listen(s, evs[e], &gadget_mapper, try_call, &p));
		assert_ok(s, calx_session_delete(s, g));
		assert_ok(s, calx_session_commit(s));
		expect_refused(&p, evs[e]);
		calx_session_free(s);
		assert_int_equal(count_rows(fx, &gadget_mapper), before - 1);
	}
}

/* A delete a listener asks for is written by the same flush, in a further round. */
static void a_delete_in_a_flush_listener_deletes_the_row_in_that_flush(void **state)
{
	fixture *fx = *state;
	const calx_event evs[] = { CALX_EVENT_BEFORE_FLUSH, CALX_EVENT_AFTER_INSERT, CALX_EVENT_AFTER_UPDATE };
	for (size_t e = 0; e < 3; e++) {
		calx_session *s = fixture_session(fx);
		struct gadget *victim = committed_gadget(fx, s, "victim");
		struct gadget *upd = committed_gadget(fx, s, "upd");
		size_t before = count_rows(fx, &gadget_mapper);
		probe p = { DELETE_OTHER, victim, 0, CALX_OK, { 0 } };
		assert_ok(s, calx_session_listen(s, evs[e], NULL, try_call, &p));
		struct gadget *g = gadget_new(s, .label = "new");
		assert_ok(s, calx_session_add(s, g));
		upd->label = "changed";
		assert_ok(s, calx_session_flush(s));
		assert_int_equal(p.rc, CALX_OK);
		calx_session_set_autoflush(s, false);   /* the get must not do the delete itself */
		void *o;   /* gone from the database inside this transaction, after one flush */
		assert_calx(s, calx_session_get(s, &gadget_mapper, calx_value_int(victim->id), &o), CALX_ENOTFOUND);
		assert_ok(s, calx_session_commit(s));
		calx_session_free(s);
		assert_int_equal(count_rows(fx, &gadget_mapper), before);      /* one in, one out */
	}
}

/* after_flush: the delete goes to the next flush, which the commit runs. */
static void a_delete_in_an_after_flush_listener_is_written_by_the_commit(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *victim = committed_gadget(fx, s, "victim");
	size_t before = count_rows(fx, &gadget_mapper);
	probe p = { DELETE_OTHER, victim, 0, CALX_OK, { 0 } };
	assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_FLUSH, NULL, try_call, &p));
	struct gadget *g = gadget_new(s, .label = "new");
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(p.rc, CALX_OK);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before);      /* one in, one out */
}

/* A listener that passes the refusal on fails the flush, and the commit, as a whole. */
static int delete_self_and_pass_on(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj,
                                   void *payload)
{
	(void)ev, (void)m, (void)payload;
	return calx_session_delete(s, obj);
}

static void a_listener_that_returns_the_refusal_fails_the_commit_as_a_whole(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	struct gadget *old = committed_gadget(fx, s, "old");
	size_t before = count_rows(fx, &gadget_mapper);
	assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_INSERT, &gadget_mapper, delete_self_and_pass_on, NULL));
	old->label = "changed";
	struct gadget *a = gadget_new(s, .label = "a"), *b = gadget_new(s, .label = "b");
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_add(s, b));
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "calx_session_delete inside an after_insert listener"));
	assert_ok(s, calx_session_rollback(s));
	int64_t id = old->id;
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gadget_mapper), before);
	calx_session *s2 = fixture_session(fx);
	void *o;
	assert_ok(s2, calx_session_get(s2, &gadget_mapper, calx_value_int(id), &o));
	assert_string_equal(((struct gadget *)o)->label, "old");
	calx_session_free(s2);
}

/* Allowed in a listener: the setting applies to the commit that runs the flush. */
static int keep_on_commit(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev, (void)m, (void)obj;
	*(bool *)payload = calx_session_set_expire_on_commit(s, false);
	return CALX_OK;
}

static void set_expire_on_commit_in_a_flush_listener_applies_to_that_commit(void **state)
{
	fixture *fx = *state;
	calx_session *s = fixture_session(fx);
	bool was = false;
	assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_FLUSH, NULL, keep_on_commit, &was));
	struct gadget *g = gadget_new(s, .label = "kept");
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_true(was);                               /* it was on */
	assert_false(calx_object_is_expired(s, g));     /* and the commit did not expire g */
	calx_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
		T(flush_commit_rollback_free_listen_expunge_and_tracking_are_refused_in_every_flush_event),
		T(the_same_calls_are_refused_in_an_after_load_listener_and_the_load_goes_on),
		T(deleting_an_object_the_flush_inserts_is_refused_and_the_insert_kept),
		T(adding_back_an_object_the_flush_deletes_is_refused_and_the_delete_kept),
		T(a_delete_in_a_flush_listener_deletes_the_row_in_that_flush),
		T(a_delete_in_an_after_flush_listener_is_written_by_the_commit),
		T(a_listener_that_returns_the_refusal_fails_the_commit_as_a_whole),
		T(set_expire_on_commit_in_a_flush_listener_applies_to_that_commit),
	};
	return RUN_ON_ALL_DIALECTS("listener_rules", tests);
}
