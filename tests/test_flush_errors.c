/*
 * A failed flush leaves the database exactly as it was, reports the cause
 * with context, and leaves the session refusing work until rollback.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"

static struct user *add_user(fixture *fx, const char *name)
{
	struct user *u = user_new(fx->s, .name = "");
	assert_non_null(u);
	assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	return u;
}

static void unique_violation_in_row_500_of_1000_writes_nothing(void **state)
{
	fixture *fx = *state;
	add_user(fx, "existing");
	assert_ok(fx->s, calx_session_commit(fx->s));

	struct user *batch[1000];
	char name[16];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "n%04d", i);
		batch[i] = add_user(fx, i == 499 ? "existing" : name);
	}
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	const char *msg = calx_session_errmsg(fx->s);
	/* PostgreSQL sends the 1,000 rows in one statement (orm/unitofwork/insert_multi.c) */
	assert_non_null(strstr(msg, BY_DIALECT(fx, "flush: insert into \"users\" (row 500 of 1000)",
	                                       "flush: insert into \"users\" (one of rows 1 to 1000 of 1000)")));
	assert_non_null(strstr(msg, BY_DIALECT(fx, "UNIQUE constraint failed: users.name",
	                                       "duplicate key value violates unique constraint \"uq_users_name\"")));
	if (ON_POSTGRESQL(fx))
		assert_non_null(strstr(msg, "(SQLSTATE 23505)"));
	assert_int_equal(count_rows(fx, &user_mapper), 1);     /* nothing of the batch */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(batch[i]->id, 0);               /* no key handed out */

	/* the failed state: everything but rollback refuses */
	struct user *u;
	void *obj;
	assert_calx(fx->s, calx_session_add(fx->s, batch[0]), CALX_ESTATE);
	assert_calx(fx->s, calx_session_flush(fx->s), CALX_ESTATE);
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ESTATE);
	assert_calx(fx->s, user_get(fx->s, 1, &u), CALX_ESTATE);
	assert_null(user_new(fx->s, .name = "x"));
	calx_select *q = calx_select_new(fx->s, &user_mapper);
	assert_calx(fx->s, calx_select_next(q, &obj), CALX_ESTATE);
	calx_select_free(q);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "call calx_session_rollback() first"));

	/* after rollback: usable, and a corrected batch goes in whole */
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_ok(fx->s, calx_field_set_text(fx->s, batch[499], USER_NAME, "n0499"));
	for (int i = 0; i < 1000; i++)
		assert_ok(fx->s, calx_session_add(fx->s, batch[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 1001);
	assert_true(batch[999]->id > batch[0]->id);
}

static void failure_also_undoes_earlier_flushes_of_the_transaction(void **state)
{
	fixture *fx = *state;
	struct user *a = add_user(fx, "a");
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_true(a->id > 0);
	add_user(fx, "a");
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EUNIQUE);
	assert_int_equal(count_rows(fx, &user_mapper), 0);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(a->id, 0);             /* consistent with the database again */
}

static void constraint_violations_map_to_distinct_statuses(void **state)
{
	fixture *fx = *state;
	struct address *orphan = address_new(fx->s, .user_id = 12345, .street = "Nowhere");
	assert_ok(fx->s, calx_session_add(fx->s, orphan));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EFOREIGNKEY);
	assert_non_null(strstr(calx_session_errmsg(fx->s),
	                       BY_DIALECT(fx, "FOREIGN KEY constraint failed", "fk_addresses_user_id_users")));
	assert_ok(fx->s, calx_session_rollback(fx->s));

	struct user *neg = user_new(fx->s, .name = "neg", .age = -1);
	assert_ok(fx->s, calx_session_add(fx->s, neg));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ECHECK);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "ck_users_age"));
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* calx_object_new skips the constructor's check; the database still says no */
	struct user *owner = add_user(fx, "owner");
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct address *bare = calx_object_new(fx->s, &address_mapper);
	bare->user_id = owner->id;
	assert_ok(fx->s, calx_session_add(fx->s, bare));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ENOTNULL);
	assert_non_null(strstr(calx_session_errmsg(fx->s),
	                       BY_DIALECT(fx, "addresses.street", "column \"street\" of relation \"addresses\"")));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(count_rows(fx, &address_mapper), 0);
}

static void update_of_a_row_deleted_elsewhere_fails_the_flush(void **state)
{
	fixture *fx = *state;
	struct user *u = add_user(fx, "victim");
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct user *o;
	assert_ok(s2, user_get(s2, u->id, &o));
	assert_ok(s2, calx_session_delete(s2, o));
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);

	u->age = 3;
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "update of \"users\""));
	assert_non_null(strstr(calx_session_errmsg(fx->s), "row was not found"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(u->age, 0);
}

static void unchanged_session_commits_without_a_transaction(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_ok(fx->s, calx_session_flush(fx->s));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(unique_violation_in_row_500_of_1000_writes_nothing),
		T(failure_also_undoes_earlier_flushes_of_the_transaction),
		T(constraint_violations_map_to_distinct_statuses),
		T(update_of_a_row_deleted_elsewhere_fails_the_flush),
		T(unchanged_session_commits_without_a_transaction),
	};
	return RUN_ON_ALL_DIALECTS("flush_errors", tests);
}
