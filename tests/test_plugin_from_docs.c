/*
 * A plugin written from the documentation alone (calx/events.h,
 * calx/plugin.h, the README's "Plugins"), against the public headers
 * only, as a user would: a change log. Every insert, update and delete of
 * an invoice adds a pl_change row naming it and the session's user; the
 * rows a listener adds are written by the same flush (and its commit),
 * never dropped, on both dialects.
 */
#include <stdio.h>
#include <string.h>
#include <calx/calx.h>
#include "plugin_fixture.h"

/* The session's user, kept under this plugin's own key. */
static const char who_key = 0;

static int log_change(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)payload;
	const struct pl_invoice *inv = obj;
	char what[96];
	snprintf(what, sizeof what, "%s %s %lld", calx_event_name(ev), m->name, (long long)inv->id);
	char *text = calx_strdup(s, what);
	struct pl_change *c = text ? pl_change_new(s, .what = text) : NULL;
	if (!c)
		return calx_session_errcode(s);
	int rc = calx_field_set_value(s, c, PL_CHANGE_BY, calx_value_text(calx_session_info(s, &who_key)));
	return rc == CALX_OK ? calx_session_add(s, c) : rc;
}

static int enable_change_log(calx_registry *reg)
{
	static const calx_event evs[] = { CALX_EVENT_AFTER_INSERT, CALX_EVENT_AFTER_UPDATE, CALX_EVENT_AFTER_DELETE };
	int rc = CALX_OK;
	for (size_t i = 0; i < sizeof evs / sizeof evs[0] && rc == CALX_OK; i++)
		rc = calx_registry_listen(reg, evs[i], &pl_invoice_mapper, log_change, NULL);
	return rc;
}

static void the_change_log_records_every_write(void **state)
{
	fixture *fx = *state;
	assert_int_equal(enable_change_log(fx->reg), CALX_OK);
	calx_session *s = fixture_session(fx);
	assert_ok(s, calx_session_set_info(s, &who_key, "dora"));
	struct pl_user *u = stamped_user(s, "owner");
	struct pl_invoice *a = pl_invoice_new(s, .amount_cents = 1), *b = pl_invoice_new(s, .amount_cents = 2);
	struct pl_invoice *both[] = { a, b };
	for (int i = 0; i < 2; i++) {
		both[i]->audit.created_by = calx_strdup(s, "t");
		both[i]->ts = u->ts;
		both[i]->user = u;
		assert_ok(s, calx_session_add(s, both[i]));
	}
	assert_ok(s, calx_session_commit(s));
	a->amount_cents = 10;
	assert_ok(s, calx_session_delete(s, b));
	assert_ok(s, calx_session_commit(s));

	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &pl_change_mapper);
	calx_order_by(q, PL_CHANGE_ID, CALX_ASC);
	char got[512] = "";
	void *obj;
	int rc;
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
		const struct pl_change *c = obj;
		size_t n = strlen(got);
		snprintf(got + n, sizeof got - n, "%s%s by %s", n ? "; " : "", c->what, c->by ? c->by : "?");
	}
	assert_calx(s2, rc, CALX_DONE);
	calx_select_free(q);
	char want[512];
	snprintf(want, sizeof want,
	         "after_insert pl_invoice %lld by dora; after_insert pl_invoice %lld by dora; "
	         "after_update pl_invoice %lld by dora; after_delete pl_invoice %lld by dora",
	         (long long)a->id, (long long)b->id, (long long)a->id, (long long)b->id);
	assert_string_equal(got, want);
	calx_session_free(s2);
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, plugin_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(the_change_log_records_every_write),
	};
	return RUN_ON_ALL_DIALECTS("plugin_from_docs", tests);
}
