/*
 * Listeners: called in flush order with the object, can change fields, and
 * can stop a flush, which then fails like any other; registry listeners for
 * every later session; after_commit and after_rollback; a field's history.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"

typedef struct trace {
	char log[512];
	int stop_on;            /* event that returns an error, or 0 */
} trace;

static int record(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	(void)obj;
	trace *t = payload;
	size_t n = strlen(t->log);
	snprintf(t->log + n, sizeof t->log - n, "%s%s%s%s", n ? " " : "", calx_event_name(ev), m ? ":" : "",
	         m ? m->name : "");
	return (int)ev == t->stop_on ? CALX_ECHECK : CALX_OK;
}

static int stamp_note(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)m;
	(void)payload;
	struct user *u = obj;
	u->note = calx_strdup(s, ev == CALX_EVENT_BEFORE_INSERT ? "inserted" : "updated");
	return u->note ? CALX_OK : CALX_ENOMEM;
}

static void listeners_see_the_unit_of_work_in_order(void **state)
{
	fixture *fx = *state;
	trace t = { "", 0 };
	for (calx_event ev = CALX_EVENT_BEFORE_FLUSH; ev <= CALX_EVENT_AFTER_LOAD; ev++)
		assert_ok(fx->s, calx_session_listen(fx->s, ev, NULL, record, &t));
	struct user *u = user_new(fx->s, .id = 1, .name = "a");
	struct address *a = address_new(fx->s, .user_id = 1, .street = "s");
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, "before_flush before_insert:user after_insert:user before_insert:address "
	                           "after_insert:address after_flush");
	t.log[0] = '\0';
	u->age = 4;
	assert_ok(fx->s, calx_session_delete(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, "before_flush before_update:user after_update:user before_delete:address "
	                           "after_delete:address after_flush");
	calx_session *s2 = fixture_session(fx);
	trace t2 = { "", 0 };
	assert_ok(s2, calx_session_listen(s2, CALX_EVENT_AFTER_LOAD, &user_mapper, record, &t2));
	struct user *o;
	assert_ok(s2, user_get(s2, 1, &o));
	assert_ok(s2, user_get(s2, 1, &o));     /* identity map: no second load */
	assert_string_equal(t2.log, "after_load:user");
	calx_session_free(s2);
}

static void before_insert_and_update_listeners_can_set_fields(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_INSERT, &user_mapper, stamp_note, NULL));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_UPDATE, &user_mapper, stamp_note, NULL));
	struct user *u = user_new(fx->s, .name = "b");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct user *o;
	assert_ok(s2, user_get(s2, u->id, &o));
	assert_string_equal(o->note, "inserted");
	calx_session_free(s2);
	u->age = 9;
	assert_ok(fx->s, calx_session_commit(fx->s));
	s2 = fixture_session(fx);
	assert_ok(s2, user_get(s2, u->id, &o));
	assert_string_equal(o->note, "updated");
	assert_int_equal(o->age, 9);
	calx_session_free(s2);
}

static void a_failing_listener_fails_the_flush_and_writes_nothing(void **state)
{
	fixture *fx = *state;
	trace t = { "", CALX_EVENT_AFTER_INSERT };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_INSERT, &address_mapper, record, &t));
	struct user *u = user_new(fx->s, .id = 2, .name = "c");
	struct address *a = address_new(fx->s, .user_id = 2, .street = "s");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_string_equal(calx_session_errmsg(fx->s), "after_insert listener on address returned CALX_ECHECK");
	assert_int_equal(count_rows(fx, &user_mapper), 0);
	assert_int_equal(count_rows(fx, &address_mapper), 0);
	assert_calx(fx->s, calx_session_flush(fx->s), CALX_ESTATE);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(a->id, 0);
}

static void a_failing_after_flush_listener_is_undone_by_rollback(void **state)
{
	fixture *fx = *state;
	trace t = { "", CALX_EVENT_AFTER_FLUSH };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_FLUSH, NULL, record, &t));
	struct user *u = user_new(fx->s, .name = "d");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_int_equal(count_rows(fx, &user_mapper), 0);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(u->id, 0);
	struct user *o;
	assert_calx(fx->s, user_get(fx->s, 1, &o), CALX_ENOTFOUND);
}

static void listen_refuses_bad_arguments(void **state)
{
	fixture *fx = *state;
	assert_calx(fx->s, calx_session_listen(fx->s, (calx_event)99, NULL, record, NULL), CALX_EINVAL);
	assert_calx(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_LOAD, NULL, NULL, NULL), CALX_EINVAL);
}

/* Registry listeners: every session opened afterwards starts with them, before its own. */
static void registry_listeners_reach_every_later_session(void **state)
{
	fixture *fx = *state;
	calx_registry *reg;
	assert_int_equal(calx_registry_open(&reg, &shop_schema, NULL), CALX_OK);
	calx_session *before;
	assert_int_equal(calx_session_open(&before, fx->eng, reg), CALX_OK);
	static trace all, mine;
	memset(&all, 0, sizeof all);
	memset(&mine, 0, sizeof mine);
	assert_int_equal(calx_registry_listen(reg, CALX_EVENT_BEFORE_INSERT, &user_mapper, record, &all), CALX_OK);
	assert_int_equal(calx_registry_listen(reg, CALX_EVENT_AFTER_COMMIT, NULL, record, &all), CALX_OK);
	assert_int_equal(calx_registry_listen(reg, (calx_event)99, NULL, record, &all), CALX_EINVAL);
	assert_int_equal(calx_registry_listen(reg, CALX_EVENT_AFTER_LOAD, NULL, NULL, &all), CALX_EINVAL);
	assert_int_equal(calx_registry_listen(NULL, CALX_EVENT_AFTER_LOAD, NULL, record, &all), CALX_EINVAL);
	for (int i = 0; i < 2; i++) {
		calx_session *s;
		assert_int_equal(calx_session_open(&s, fx->eng, reg), CALX_OK);
		if (i == 1)
			assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_INSERT, NULL, record, &all));
		struct user *u = user_new(s, .name = "");
		snprintf(u->name, sizeof u->name, "reg%d", i);
		assert_ok(s, calx_session_add(s, u));
		assert_ok(s, calx_session_commit(s));
		calx_session_free(s);
	}
	/* the second session's own listener ran after the registry's */
	assert_string_equal(all.log, "before_insert:user after_commit before_insert:user before_insert:user after_commit");
	/* a session opened before the registry's listeners has none of them */
	assert_ok(before, calx_session_listen(before, CALX_EVENT_BEFORE_INSERT, NULL, record, &mine));
	assert_ok(before, calx_session_add(before, user_new(before, .name = "early")));
	assert_ok(before, calx_session_commit(before));
	assert_string_equal(mine.log, "before_insert:user");
	calx_session_free(before);
	calx_registry_free(reg);
}

static int commit_inside(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)obj;
	int *rc = payload;
	*rc = calx_session_commit(s);
	return CALX_OK;
}

static void commit_and_rollback_are_events(void **state)
{
	fixture *fx = *state;
	static trace t;
	memset(&t, 0, sizeof t);
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_COMMIT, NULL, record, &t));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_ROLLBACK, NULL, record, &t));
	int inner = CALX_OK;
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_COMMIT, NULL, commit_inside, &inner));
	assert_ok(fx->s, calx_session_add(fx->s, user_new(fx->s, .name = "x")));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(inner, CALX_ESTATE);          /* no commit inside after_commit */
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_string_equal(t.log, "after_commit after_rollback");
	/* a failing after_commit listener: the commit stands, the call says what the listener said */
	t.stop_on = CALX_EVENT_AFTER_COMMIT;
	assert_ok(fx->s, calx_session_add(fx->s, user_new(fx->s, .name = "y")));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_int_equal(count_rows(fx, &user_mapper), 2);
}

static void history_tells_old_from_new(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct user *u = user_new(s, .name = "hist", .age = 30);
	calx_history h;
	assert_ok(s, calx_field_history(s, u, USER_AGE, &h));
	assert_true(h.changed);
	assert_false(h.has_old);                         /* no row yet */
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	struct user *back;
	assert_ok(s, user_get(s, u->id, &back));
	back->age = 31;
	back->note = "now";
	assert_ok(s, calx_field_history(s, back, USER_AGE, &h));
	assert_true(h.changed && h.has_old);
	assert_int_equal(h.old.kind, CALX_VALUE_INT);
	assert_int_equal(h.old.u.i, 30);
	assert_ok(s, calx_field_history(s, back, USER_NOTE, &h));
	assert_true(h.changed && h.has_old);
	assert_int_equal(h.old.kind, CALX_VALUE_NULL);  /* was NULL */
	assert_ok(s, calx_field_history(s, back, USER_NAME, &h));
	assert_false(h.changed);
	assert_int_equal(h.old.kind, CALX_VALUE_TEXT);
	assert_int_equal(h.old.u.s.n, 4);
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_field_history(s, back, USER_AGE, &h));
	assert_false(h.changed);                         /* flushed: the database has 31 */
	assert_int_equal(h.old.u.i, 31);
	assert_calx(s, calx_field_history(s, back, ADDRESS_CITY, &h), CALX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(listeners_see_the_unit_of_work_in_order),
		T(before_insert_and_update_listeners_can_set_fields),
		T(a_failing_listener_fails_the_flush_and_writes_nothing),
		T(a_failing_after_flush_listener_is_undone_by_rollback),
		T(listen_refuses_bad_arguments),
		T(registry_listeners_reach_every_later_session),
		T(commit_and_rollback_are_events),
		T(history_tells_old_from_new),
	};
	return RUN_ON_ALL_DIALECTS("events", tests);
}
