/*
 * plugins/soft_delete.c, the seed's SoftDeleteMixin: a deleted user
 * disappears from selects, gets and relationship loads and stays in the
 * table with deleted_at set; calx_select_without_criteria sees it; a hard
 * delete removes the row; rollback undoes a soft delete. Both dialects.
 */
#include <string.h>
#include <calx/plugins/soft_delete.h>
#include "plugin_fixture.h"

static void enable(fixture *fx)
{
	assert_int_equal(calx_soft_delete_enable(fx->reg, &pl_user_mapper, PL_USER_SD_DELETED_AT), CALX_OK);
}

static void a_deleted_user_disappears_and_stays_in_the_table(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *ann = stamped_user(s, "ann"), *bob = stamped_user(s, "bob");
	assert_ok(s, calx_session_add(s, ann));
	assert_ok(s, calx_session_add(s, bob));
	struct pl_invoice *inv = pl_invoice_new(s, .amount_cents = 100);
	inv->audit.created_by = calx_strdup(s, "x");
	inv->ts = ann->ts;
	inv->user = ann;
	assert_ok(s, calx_session_add(s, inv));
	assert_ok(s, calx_session_commit(s));
	calx_uuid ann_id = ann->id;
	int64_t inv_id = inv->id;

	assert_ok(s, calx_session_delete(s, ann));
	assert_ok(s, calx_session_commit(s));
	assert_false(calx_timestamptz_is_null(&ann->sd.deleted_at));
	/* the object stays the session's, persistent */
	struct pl_user *same;
	assert_ok(s, pl_user_get(s, ann_id, &same));
	assert_ptr_equal(same, ann);
	calx_session_free(s);

	s = fixture_session(fx);
	struct pl_user *gone;
	assert_calx(s, pl_user_get(s, ann_id, &gone), CALX_ENOTFOUND);
	/* the invoice's user loads as NULL: the row is left out */
	struct pl_invoice *again;
	assert_ok(s, pl_invoice_get(s, inv_id, &again));
	assert_ok(s, calx_related_load(s, again, PL_INVOICE_REL_USER));
	assert_null(again->user);
	assert_int_equal(count_loaded(s, &pl_user_mapper, false), 1);
	/* every row: ann comes too (and is then in this session's identity map, where a get finds her) */
	assert_int_equal(count_loaded(s, &pl_user_mapper, true), 2);
	/* the row is there, stamped */
	calx_select *q = calx_select_new(s, &pl_user_mapper);
	calx_select_without_criteria(q);
	calx_where(q, calx_is_not_null(PL_USER_SD_DELETED_AT));
	void *obj;
	assert_calx(s, calx_select_next(q, &obj), CALX_ROW);
	assert_string_equal(((struct pl_user *)obj)->name, "ann");
	calx_select_free(q);
	calx_session_free(s);
}

static void a_hard_delete_removes_the_row(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = stamped_user(s, "gone");
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, calx_soft_delete_hard(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_loaded(s, &pl_user_mapper, true), 0);
	calx_session_free(s);
}

static void rollback_undoes_a_soft_delete(void **state)
{
	fixture *fx = *state;
	enable(fx);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = stamped_user(s, "kept");
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, calx_session_delete(s, u));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback(s));
	assert_true(calx_timestamptz_is_null(&u->sd.deleted_at));
	calx_session *s2 = fixture_session(fx);
	assert_int_equal(count_loaded(s2, &pl_user_mapper, false), 1);
	calx_session_free(s2);
	calx_session_free(s);
}

static void refused_fields(void **state)
{
	fixture *fx = *state;
	/* NOT NULL: a live row could not say it lives */
	assert_int_equal(calx_soft_delete_enable(fx->reg, &pl_user_mapper, PL_USER_TS_CREATED_AT), CALX_EINVAL);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "nullable"));
	assert_int_equal(calx_soft_delete_enable(fx->reg, &pl_user_mapper, PL_USER_NAME), CALX_EINVAL);
	assert_int_equal(calx_soft_delete_enable(fx->reg, &pl_invoice_mapper, PL_USER_SD_DELETED_AT), CALX_EINVAL);
	assert_int_equal(calx_soft_delete_hard(NULL, NULL), CALX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, plugin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(a_deleted_user_disappears_and_stays_in_the_table),
		T(a_hard_delete_removes_the_row),
		T(rollback_undoes_a_soft_delete),
		T(refused_fields),
	};
	return RUN_ON_ALL_DIALECTS("plugin_soft_delete", tests);
}
