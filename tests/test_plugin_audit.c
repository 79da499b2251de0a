/*
 * plugins/audit.c, the seed's AuditMixin on Invoice: created_by and
 * updated_by from the session's actor; an insert or update without one
 * fails the flush when the mapping requires it, and writes nothing.
 * Both dialects.
 */
#include <string.h>
#include <calx/plugins/audit.h>
#include "plugin_fixture.h"

static struct pl_invoice *invoice(calx_session *s, struct pl_user *u, int64_t cents)
{
	struct pl_invoice *inv = pl_invoice_new(s, .amount_cents = cents);
	calx_timestamptz_now(&inv->ts.created_at);
	inv->ts.updated_at = inv->ts.created_at;
	inv->user = u;
	return inv;
}

static void an_invoice_records_who_created_it(void **state)
{
	fixture *fx = *state;
	assert_int_equal(
		calx_audit_enable(fx->reg, &pl_invoice_mapper, PL_INVOICE_AUDIT_CREATED_BY, PL_INVOICE_AUDIT_UPDATED_BY, true),
		CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_null(calx_audit_actor(s));
	assert_ok(s, calx_audit_set_actor(s, "alice"));
	assert_string_equal(calx_audit_actor(s), "alice");
	struct pl_user *u = stamped_user(s, "owner");
	struct pl_invoice *inv = invoice(s, u, 1200);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_add(s, inv));
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(inv->audit.created_by, "alice");
	assert_string_equal(inv->audit.updated_by, "alice");
	/* another actor updates it: created_by stays */
	assert_ok(s, calx_audit_set_actor(s, "bob"));
	inv->amount_cents = 1300;
	assert_ok(s, calx_session_commit(s));
	calx_session *s2 = fixture_session(fx);
	struct pl_invoice *again;
	assert_ok(s2, pl_invoice_get(s2, inv->id, &again));
	assert_string_equal(again->audit.created_by, "alice");
	assert_string_equal(again->audit.updated_by, "bob");
	assert_int_equal(again->amount_cents, 1300);
	calx_session_free(s2);
	calx_session_free(s);
}

static void no_actor_fails_the_flush_when_required(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_audit_enable(fx->reg, &pl_invoice_mapper, PL_INVOICE_AUDIT_CREATED_BY,
	                                   PL_INVOICE_AUDIT_UPDATED_BY, true),
	                 CALX_OK);
	calx_session *s = fixture_session(fx);
	struct pl_user *u = stamped_user(s, "owner");
	struct pl_invoice *inv = invoice(s, u, 5);
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_add(s, inv));
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "no actor"));
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(count_rows(fx, &pl_invoice_mapper), 0);
	assert_int_equal(count_rows(fx, &pl_user_mapper), 0);
	/* with an actor set, the same objects (transient again after the rollback) go */
	assert_ok(s, calx_audit_set_actor(s, "carol"));
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_add(s, inv));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &pl_invoice_mapper), 1);
	/* removing the actor: an update fails too */
	assert_ok(s, calx_audit_set_actor(s, NULL));
	calx_select *q = calx_select_new(s, &pl_invoice_mapper);
	void *obj;
	assert_calx(s, calx_select_next(q, &obj), CALX_ROW);
	calx_select_free(q);
	((struct pl_invoice *)obj)->amount_cents = 6;
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
}

static void refused_fields(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_audit_enable(fx->reg, &pl_invoice_mapper, PL_INVOICE_AMOUNT_CENTS, NULL, false),
	                 CALX_EINVAL);
	assert_non_null(strstr(calx_registry_errmsg(fx->reg), "not a text field"));
	assert_int_equal(calx_audit_enable(fx->reg, &pl_invoice_mapper, PL_USER_NAME, NULL, false), CALX_EINVAL);
	assert_int_equal(calx_audit_set_actor(NULL, "x"), CALX_EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, plugin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(an_invoice_records_who_created_it),
		T(no_actor_fails_the_flush_when_required),
		T(refused_fields),
	};
	return RUN_ON_ALL_DIALECTS("plugin_audit", tests);
}
