/*
 * Allocation failure, the basic scenario: open, create, construct, add,
 * commit, get, select, update, commit -- failing the Nth allocation for
 * every N, on each dialect (the harness: test_alloc_fail.h); and the
 * paths of refusals, each of which builds a message or a name. The other
 * tests/test_alloc_fail_*.c suites take the rest of the library.
 */
#include "test_alloc_fail.h"

/* 0 no users, 1 the three users, 2 the three with the second commit's scores. */
static long users_state(calx_session *s)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	void **items;
	size_t k;
	long r = ALLOC_FAIL_BROKEN;
	if (q && calx_select_all(q, &items, &k) == CALX_OK) {
		double sum = 0;
		for (size_t i = 0; i < k; i++)
			sum += ((struct user *)items[i])->score;
		r = ALLOC_FAIL_PARTIAL;
		if (k == 0)
			r = 0;
		else if (k == 3 && sum == 0.0)
			r = 1;
		else if (k == 3 && sum == 3.0)
			r = 2;
	}
	calx_select_free(q);
	return r;
}

static int basic(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	calx_select *q = NULL;
	int rc;
	/* the tables exist: this is create_all's path that finds them */
	if ((rc = calx_create_all(reg, eng)) != CALX_OK)
		return rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	const char *names[] = { "ann", "bob", "cid" };
	struct user *made[3];
	for (int i = 0; i < 3; i++) {
		struct user *u = made[i] = user_new(s, .name = "", .age = i);
		if (!u) {
			rc = calx_session_errcode(s);
			goto done;
		}
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) != CALX_OK ||
		    (rc = calx_session_add(s, u)) != CALX_OK)
			goto done;
	}
	if ((rc = calx_session_commit(s)) != CALX_OK)
		goto done;
	/* the key the database gave (sequences go on from run to run on PostgreSQL) */
	struct user *u;
	if ((rc = user_get(s, made[1]->id, &u)) != CALX_OK)
		goto done;
	if (!(q = calx_select_new(s, &user_mapper))) {
		rc = calx_session_errcode(s);
		goto done;
	}
	calx_where(q, calx_ge(USER_AGE, 1));
	calx_order_by(q, USER_NAME, CALX_DESC);
	void **items;
	size_t n;
	if ((rc = calx_select_all(q, &items, &n)) != CALX_OK)
		goto done;
	for (size_t i = 0; i < n; i++)
		((struct user *)items[i])->score = 1.5;
	rc = calx_session_commit(s);
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_select_free(q);
	calx_session_free(s);
	return rc;
}

/* An expected refusal: CALX_OK when step gave want; out of memory or anything else goes on up. */
static int refused(int rc, int want)
{
	return rc == want ? CALX_OK : rc == CALX_OK ? CALX_ERROR : rc;
}

/*
 * Refusals: a registry whose primary-key naming template is empty (its
 * names are built as empty text), an engine URL nobody knows, a key not
 * found, a unique name twice in one commit, a foreign key to nobody, a
 * second session wanting the in-memory database's one connection. Nothing
 * is written: the state stays 0.
 */
static int refusals(calx_engine *eng, calx_registry *reg)
{
	calx_registry *named = NULL;
	calx_engine *nowhere = NULL;
	calx_session *s = NULL, *s2 = NULL;
	calx_registry_options opts = CALX_REGISTRY_OPTIONS_INIT;
	opts.pk = "";
	char *ddl = NULL;
	int rc = calx_registry_open(&named, &shop_schema, &opts);
	if (rc == CALX_OK)
		rc = calx_registry_ddl(named, eng, &ddl);
	calx_free(ddl);
	calx_registry_free(named);
	if (rc != CALX_OK)
		return rc;
	rc = refused(calx_engine_open(&nowhere, "nosuchdb://x"), CALX_EINVAL);
	calx_engine_free(nowhere);
	if (rc != CALX_OK)
		return rc;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	struct user *u;
	if ((rc = refused(user_get(s, 999, &u), CALX_ENOTFOUND)) != CALX_OK)
		goto done;
	for (int i = 0; i < 2; i++) {
		struct user *twin = user_new(s, .name = "twin");
		if ((rc = twin ? calx_session_add(s, twin) : calx_session_errcode(s)) != CALX_OK)
			goto done;
	}
	if ((rc = refused(calx_session_commit(s), CALX_EUNIQUE)) != CALX_OK ||
	    (rc = calx_session_rollback(s)) != CALX_OK)
		goto done;
	struct address *orphan = address_new(s, .user_id = 12345, .street = "Nowhere");
	if ((rc = orphan ? calx_session_add(s, orphan) : calx_session_errcode(s)) != CALX_OK ||
	    (rc = refused(calx_session_commit(s), CALX_EFOREIGNKEY)) != CALX_OK ||
	    (rc = calx_session_rollback(s)) != CALX_OK)
		goto done;
	/* s holds a connection: on SQLite's in-memory database the only one */
	if (current_dialect == TEST_SQLITE && (rc = refused(user_get(s, 1, &u), CALX_ENOTFOUND)) == CALX_OK) {
		int busy = calx_session_open(&s2, eng, reg);
		rc = refused(busy == CALX_OK ? user_get(s2, 1, &u) : busy, CALX_EBUSY);
	}
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s2);
	calx_session_free(s);
	return rc;
}

static long no_users_state(calx_session *s)
{
	long n = alloc_fail_count(s, &user_mapper), m = alloc_fail_count(s, &address_mapper);
	return n < 0 || m < 0 ? ALLOC_FAIL_BROKEN : n == 0 && m == 0 ? 0 : ALLOC_FAIL_PARTIAL;
}

static void refusals_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "refusals", &shop_schema, refusals, no_users_state, 0 };
	fail_each_allocation(&sc);
}

static void every_allocation_failure_ends_in_a_status(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "open, create, add, commit, get, select, update", &shop_schema, basic,
		                           users_state, 2 };
	assert_true(fail_each_allocation(&sc) > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_allocation_failure_ends_in_a_status),
		cmocka_unit_test(refusals_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail", tests);
}
