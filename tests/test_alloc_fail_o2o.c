/*
 * Allocation failure in one-to-one relationships and post_update
 * (tests/models/o2o.h, whose tables refer to each other: the registry
 * breaks that cycle at the post_update key). One commit writes a person
 * whose favourite is one of its two addresses (one UPDATE after the
 * inserts), two nodes that are each other's partner, and a user with a
 * profile set through the one-to-one; a second session loads the users'
 * profiles select-in, replaces the profile (the old one unlinked), and
 * deletes the person with its addresses and both nodes (their
 * post_update keys set NULL first). Each allocation fails in turn, on
 * each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "o2o.calx.h"

static int first_commit(calx_session *s)
{
	struct o2o_person *p = o2o_person_new(s, .name = "pat");
	struct o2o_node *a = o2o_node_new(s, .name = "a"), *b = o2o_node_new(s, .name = "b");
	struct o2o_user *u = o2o_user_new(s, .name = "ann");
	struct o2o_profile *pr = o2o_profile_new(s, .bio = "first");
	if (!p || !a || !b || !u || !pr)
		return calx_session_errcode(s);
	int rc = CALX_OK;
	struct o2o_address *fav = NULL;
	for (int i = 0; i < 2 && rc == CALX_OK; i++) {
		struct o2o_address *ad = o2o_address_new(s, .street = "main");
		rc = ad ? o2o_person_addresses_append(s, p, ad) : calx_session_errcode(s);
		fav = ad;
	}
	if (rc == CALX_OK)
		rc = o2o_person_set_favourite(s, p, fav);
	if (rc == CALX_OK)
		rc = o2o_node_set_partner(s, a, b);
	if (rc == CALX_OK)
		rc = o2o_node_set_partner(s, b, a);
	if (rc == CALX_OK)
		rc = o2o_user_set_profile(s, u, pr);
	void *all[] = { p, a, b, u };
	for (size_t i = 0; i < sizeof all / sizeof all[0] && rc == CALX_OK; i++)
		rc = calx_session_add(s, all[i]);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Delete every object of m the select finds. */
static int delete_all(calx_session *s, const calx_mapper_desc *m)
{
	void **items;
	size_t n = 0;
	calx_select *q = calx_select_new(s, m);
	int rc = q ? calx_select_all(q, &items, &n) : calx_session_errcode(s);
	for (size_t i = 0; rc == CALX_OK && i < n; i++)
		rc = calx_session_delete(s, items[i]);
	calx_select_free(q);
	return rc;
}

static int second_commit(calx_session *s)
{
	void **items;
	size_t n = 0;
	calx_select *q = calx_select_new(s, &o2o_user_mapper);
	int rc = q ? calx_select_load(q, O2O_USER_REL_PROFILE, CALX_LOAD_SELECTIN) : calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, &n);
	if (rc == CALX_OK && n != 1)
		rc = CALX_EINVAL;
	struct o2o_profile *second = rc == CALX_OK ? o2o_profile_new(s, .bio = "second") : NULL;
	if (rc == CALX_OK)
		rc = second ? o2o_user_set_profile(s, items[0], second) : calx_session_errcode(s);
	calx_select_free(q);
	if (rc == CALX_OK)
		rc = delete_all(s, &o2o_person_mapper);
	if (rc == CALX_OK)
		rc = delete_all(s, &o2o_node_mapper);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

static int o2o(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int rc = calx_registry_open(&reg, &o2o_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = first_commit(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = second_commit(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 after the first commit, 2 after the second */
static long o2o_state(calx_session *s)
{
	const calx_mapper_desc *m[] = { &o2o_person_mapper, &o2o_address_mapper, &o2o_node_mapper, &o2o_user_mapper,
		                        &o2o_profile_mapper };
	static const long want[3][5] = { { 0, 0, 0, 0, 0 }, { 1, 2, 2, 1, 1 }, { 0, 0, 0, 1, 2 } };
	long got[5];
	for (int i = 0; i < 5; i++)
		if ((got[i] = alloc_fail_count(s, m[i])) < 0)
			return ALLOC_FAIL_BROKEN;
	for (long k = 0; k < 3; k++)
		if (!memcmp(got, want[k], sizeof got))
			return k;
	return ALLOC_FAIL_PARTIAL;
}

static void o2o_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "o2o", &o2o_schema, o2o, o2o_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(o2o_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_o2o", tests);
}
