/*
 * Listener order, the same on both dialects and on every write path: for a
 * run of one mapper's objects, every before_X, then the statements, then
 * every after_X (inserts and updates by runs of a mapper, deletes by
 * round); and a before_delete listener that turns the DELETE into an
 * UPDATE (soft delete), kept through commit, rollback and a failed flush.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"

typedef struct trace {
	char log[4096];
	calx_event fail_on;     /* return an error for this event, or 0 */
} trace;

/* "before_insert:u1(0)": event, the object's name, its key as the listener sees it. */
static int record(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	trace *t = payload;
	size_t n = strlen(t->log);
	if (m == &user_mapper) {
		const struct user *u = obj;
		snprintf(t->log + n, sizeof t->log - n, "%s%s:%s(%lld)", n ? " " : "", calx_event_name(ev), u->name,
		         (long long)(u->id != 0));
	} else {
		snprintf(t->log + n, sizeof t->log - n, "%s%s:%s", n ? " " : "", calx_event_name(ev), m ? m->name : "-");
	}
	return ev == t->fail_on ? CALX_ECHECK : CALX_OK;
}

static void listen_all(calx_session *s, trace *t)
{
	static const calx_event evs[] = { CALX_EVENT_BEFORE_INSERT, CALX_EVENT_AFTER_INSERT, CALX_EVENT_BEFORE_UPDATE,
		                          CALX_EVENT_AFTER_UPDATE, CALX_EVENT_BEFORE_DELETE, CALX_EVENT_AFTER_DELETE };
	for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
		assert_ok(s, calx_session_listen(s, evs[i], NULL, record, t));
}

static void inserts_fire_by_runs_before_then_after(void **state)
{
	fixture *fx = *state;
	trace t = { "", 0 };
	listen_all(fx->s, &t);
	assert_ok(fx->s, calx_session_add(fx->s, user_new(fx->s, .name = "u1")));
	assert_ok(fx->s, calx_session_add(fx->s, user_new(fx->s, .name = "u2")));
	assert_ok(fx->s, calx_session_add(fx->s, user_new(fx->s, .name = "u3")));
	assert_ok(fx->s, calx_session_flush(fx->s));
	/* every key is unknown to every before_insert, and known to every after_insert: on both dialects */
	assert_string_equal(t.log, "before_insert:u1(0) before_insert:u2(0) before_insert:u3(0) "
	                           "after_insert:u1(1) after_insert:u2(1) after_insert:u3(1)");
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* PostgreSQL sends 32 rows or more as multi-row INSERTs: the order is still the one above. */
static void a_long_run_keeps_the_order(void **state)
{
	fixture *fx = *state;
	trace t = { "", 0 };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_INSERT, &user_mapper, record, &t));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_INSERT, &user_mapper, record, &t));
	char want[4096] = "";
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 40; i++) {
			char name[16];
			snprintf(name, sizeof name, "r%02d", i);
			if (pass == 0) {
				struct user *u = user_new(fx->s);
				memcpy(u->name, name, sizeof name);
				assert_ok(fx->s, calx_session_add(fx->s, u));
			}
			size_t n = strlen(want);
			snprintf(want + n, sizeof want - n, "%s%s:%s(%d)", n ? " " : "", pass ? "after_insert" : "before_insert",
			         name, pass);
		}
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, want);
}

static int take_back(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	(void)ev;
	(void)m;
	(void)payload;
	struct user *u = obj;
	if (strcmp(u->name, "u2") == 0)
		u->age = 0;     /* the change back: no UPDATE, so no after_update */
	return CALX_OK;
}

static void updates_and_deletes_fire_by_runs(void **state)
{
	fixture *fx = *state;
	struct user *u[3] = { user_new(fx->s, .name = "u1"), user_new(fx->s, .name = "u2"),
		              user_new(fx->s, .name = "u3") };
	for (int i = 0; i < 3; i++)
		assert_ok(fx->s, calx_session_add(fx->s, u[i]));
	struct address *a = address_new(fx->s, .user_id = 0, .street = "s");
	assert_ok(fx->s, calx_session_flush(fx->s));
	a->user_id = u[0]->id;
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));

	trace t = { "", 0 };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_UPDATE, &user_mapper, take_back, NULL));
	listen_all(fx->s, &t);
	for (int i = 0; i < 3; i++)
		u[i]->age = 7;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, "before_update:u1(1) before_update:u2(1) before_update:u3(1) "
	                           "after_update:u1(1) after_update:u3(1)");
	t.log[0] = '\0';
	assert_ok(fx->s, calx_session_delete(fx->s, a));
	assert_ok(fx->s, calx_session_delete(fx->s, u[1]));
	assert_ok(fx->s, calx_session_delete(fx->s, u[2]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, "before_delete:address before_delete:u2(1) before_delete:u3(1) "
	                           "after_delete:address after_delete:u2(1) after_delete:u3(1)");
}

/* Soft delete: the listener marks the row and keeps it. */
static int soft_delete(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	trace *t = payload;
	struct user *u = obj;
	if (strcmp(u->name, "hard") == 0)
		return CALX_OK;
	u->note = calx_strdup(s, "deleted");
	if (t)
		record(s, ev, m, obj, t);
	return u->note ? calx_session_delete_as_update(s, obj) : CALX_ENOMEM;
}

static size_t users_named(fixture *fx, const char *name, char *note, size_t cap)
{
	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &user_mapper);
	calx_where(q, calx_eq(USER_NAME, name));
	size_t n = 0;
	void *obj;
	int rc;
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
		const struct user *u = obj;
		n++;
		snprintf(note, cap, "%s", u->note ? u->note : "(null)");
	}
	assert_calx(s2, rc, CALX_DONE);
	calx_select_free(q);
	calx_session_free(s2);
	return n;
}

static void a_before_delete_listener_can_keep_the_row(void **state)
{
	fixture *fx = *state;
	trace t = { "", 0 };
	struct user *soft = user_new(fx->s, .name = "soft"), *hard = user_new(fx->s, .name = "hard");
	assert_ok(fx->s, calx_session_add(fx->s, soft));
	assert_ok(fx->s, calx_session_add(fx->s, hard));
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct address *a = address_new(fx->s, .user_id = soft->id, .street = "kept with its user");
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t soft_id = soft->id, a_id = a->id;

	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_DELETE, &user_mapper, soft_delete, NULL));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_DELETE, NULL, record, &t));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_UPDATE, NULL, record, &t));
	assert_ok(fx->s, calx_session_delete(fx->s, soft));
	assert_ok(fx->s, calx_session_delete(fx->s, hard));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* one after_delete, for the row really deleted; no update events for the kept one */
	assert_string_equal(t.log, "after_delete:hard(1)");
	char note[32] = "";
	assert_int_equal(users_named(fx, "soft", note, sizeof note), 1);
	assert_string_equal(note, "deleted");
	assert_int_equal(users_named(fx, "hard", note, sizeof note), 0);
	/* the object stays persistent, in the identity map; its address (ON DELETE CASCADE) is not gone */
	struct user *again;
	assert_ok(fx->s, user_get(fx->s, soft_id, &again));
	assert_ptr_equal(again, soft);
	struct address *a2;
	assert_ok(fx->s, address_get(fx->s, a_id, &a2));
	assert_ptr_equal(a2, a);
	assert_int_equal(count_rows(fx, &address_mapper), 1);
	/* a change after it is an ordinary update */
	soft->age = 3;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(t.log, "after_delete:hard(1) after_update:soft(1)");
}

static void a_kept_row_is_rolled_back_with_its_transaction(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "soft", .note = "before");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_DELETE, &user_mapper, soft_delete, NULL));
	assert_ok(fx->s, calx_session_delete(fx->s, u));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_string_equal(u->note, "deleted");
	assert_ok(fx->s, calx_session_rollback(fx->s));
	/* the snapshot is the row's again: nothing to write, and the database never changed */
	char note[32] = "";
	assert_int_equal(users_named(fx, "soft", note, sizeof note), 1);
	assert_string_equal(note, "before");
	struct user *again;
	assert_ok(fx->s, user_get(fx->s, u->id, &again));
	assert_ptr_equal(again, u);
	assert_string_equal(u->note, "before");

	/* a flush that fails after the kept row's UPDATE leaves the database as it was */
	trace t = { "", CALX_EVENT_AFTER_DELETE };
	struct user *other = user_new(fx->s, .name = "hard");
	assert_ok(fx->s, calx_session_add(fx->s, other));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_DELETE, NULL, record, &t));
	assert_ok(fx->s, calx_session_delete(fx->s, u));
	assert_ok(fx->s, calx_session_delete(fx->s, other));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(users_named(fx, "soft", note, sizeof note), 1);
	assert_string_equal(note, "before");
	assert_int_equal(users_named(fx, "hard", note, sizeof note), 1);
}

typedef struct keep_try {
	struct user *other;
	int rc;
} keep_try;

static int keep_another(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)obj;
	keep_try *k = payload;
	k->rc = calx_session_delete_as_update(s, k->other);
	return CALX_OK;
}

static void delete_as_update_is_only_for_the_listeners_object(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "u"), *v = user_new(fx->s, .name = "v");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_add(fx->s, v));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_calx(fx->s, calx_session_delete_as_update(fx->s, u), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "before_delete"));
	assert_int_equal(calx_session_delete_as_update(NULL, u), CALX_EINVAL);
	/* inside u's before_delete, for another object: refused, and u's delete goes on */
	keep_try k = { v, CALX_OK };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_DELETE, &user_mapper, keep_another, &k));
	assert_ok(fx->s, calx_session_delete(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(k.rc, CALX_ESTATE);
	char note[32];
	assert_int_equal(users_named(fx, "u", note, sizeof note), 0);
	assert_int_equal(users_named(fx, "v", note, sizeof note), 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(inserts_fire_by_runs_before_then_after),
		T(a_long_run_keeps_the_order),
		T(updates_and_deletes_fire_by_runs),
		T(a_before_delete_listener_can_keep_the_row),
		T(a_kept_row_is_rolled_back_with_its_transaction),
		T(delete_as_update_is_only_for_the_listeners_object),
	};
	return RUN_ON_ALL_DIALECTS("listener_order", tests);
}
