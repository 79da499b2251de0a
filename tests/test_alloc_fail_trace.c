/*
 * Allocation failure with the engine traced (calx/trace.h) and a registry
 * listener (calx/events.h) that each session copies: the session's
 * connection is wrapped at checkout, its statements are wrapped as they
 * are prepared, and their values are kept for the trace; users are added,
 * committed, read back by a select and updated. Each allocation fails in
 * turn, on each dialect.
 */
#include <string.h>
#include "test_alloc_fail.h"

static void count_events(void *ctx, const calx_trace_event *ev)
{
	(void)ev;
	++*(unsigned long *)ctx;
}

static int count_inserts(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	(void)ev;
	(void)m;
	(void)obj;
	++*(unsigned long *)payload;
	return CALX_OK;
}

static int traced_work(calx_engine *eng, calx_registry *reg)
{
	static unsigned long events, inserts;
	calx_session *s = NULL;
	/* a registry listener, which the session copies when it opens */
	int rc = calx_registry_listen(reg, CALX_EVENT_BEFORE_INSERT, NULL, count_inserts, &inserts);
	if (rc == CALX_OK)
		rc = calx_engine_set_trace(eng, count_events, &events, CALX_TRACE_PARAMS);
	if (rc != CALX_OK || (rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	static const char *const names[] = { "ann", "bob", "cid" };
	for (int i = 0; i < 3 && rc == CALX_OK; i++) {
		struct user *u = user_new(s, .name = "", .age = 20 + i);
		if (!u) {
			rc = calx_session_errcode(s);
			break;
		}
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) == CALX_OK)
			rc = calx_session_add(s, u);
	}
	if (rc != CALX_OK || (rc = calx_session_commit(s)) != CALX_OK)
		goto done;
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q) {
		rc = calx_session_errcode(s);
		goto done;
	}
	calx_where(q, calx_ge(USER_AGE, 21));
	void **rows;
	size_t n = 0;
	rc = calx_select_all(q, &rows, &n);
	if (rc == CALX_OK && n == 2) {
		struct user *u = rows[0];
		u->age += 10;
	} else if (rc == CALX_OK) {
		rc = CALX_EINVAL;
	}
	calx_select_free(q);
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_engine_set_trace(eng, NULL, NULL, 0);
	return rc;
}

/* 0 no users, 1 the three; anything else a commit in part */
static long users_state(calx_session *s)
{
	long n = alloc_fail_count(s, &user_mapper);
	return n < 0 ? ALLOC_FAIL_BROKEN : n == 0 ? 0 : n == 3 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void tracing_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "a traced engine: insert, select, update", &shop_schema, traced_work,
		                           users_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tracing_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_trace", tests);
}
