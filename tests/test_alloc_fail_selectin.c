/*
 * Allocation failure in select-in loading (tests/models/rel.h): two users
 * with addresses are committed; then one session selects the addresses
 * with their users select-in (the users not in the session: selected by
 * key), and another the users with their addresses and, nested, the
 * addresses' users (in the session by then: no statement). Each
 * allocation fails in turn, on each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "rel.calx.h"

/*
 * The last address (the highest key, so the last row the select-in
 * loads) has an email longer than any arena chunk these sessions make:
 * loaded, it takes a chunk of its own, exactly its size, so the lists'
 * arrays after it need a new chunk and can fail (as in
 * test_alloc_fail_rel.c).
 */
#define LONG_EMAIL (100u * 1024)
static char long_email[LONG_EMAIL + 3];

static int add_users(calx_session *s)
{
	int rc = CALX_OK;
	for (int u = 0; u < 2 && rc == CALX_OK; u++) {
		struct rel_user *user = rel_user_new(s);
		if (!user)
			return calx_session_errcode(s);
		snprintf(user->name, sizeof user->name, "u%d", u);
		for (int k = 0; k < 2 && rc == CALX_OK; k++) {
			char email[32];
			snprintf(email, sizeof email, "u%d-%d@x", u, k);
			struct rel_address *a =
			        rel_address_new(s, .email = calx_strdup(s, u == 1 && k == 1 ? long_email : email));
			rc = a && a->email ? rel_user_addresses_append(s, user, a) : calx_session_errcode(s);
		}
		if (rc == CALX_OK)
			rc = calx_session_add(s, user);
		/* one at a time: the long email gets the highest key */
		if (rc == CALX_OK)
			rc = calx_session_flush(s);
	}
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Every object of m, with rel loaded select-in (path of n relationships). */
static int select_loaded(calx_session *s, const calx_mapper_desc *m, const calx_relationship_desc *const *path,
                         size_t n, size_t *count)
{
	void **items;
	calx_select *q = calx_select_new(s, m);
	int rc = q ? calx_select_load_path(q, path, n, CALX_LOAD_SELECTIN) : calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, count);
	calx_select_free(q);
	return rc;
}

static int selectin(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	size_t n = 0;
	const calx_relationship_desc *to_user[] = { REL_ADDRESS_REL_USER };
	const calx_relationship_desc *and_back[] = { REL_USER_REL_ADDRESSES, REL_ADDRESS_REL_USER };
	int rc = calx_registry_open(&reg, &rel_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_users(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = select_loaded(s, &rel_address_mapper, to_user, 1, &n);
	if (rc == CALX_OK && n != 4)
		rc = CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = select_loaded(s, &rel_user_mapper, and_back, 2, &n);
	if (rc == CALX_OK && n != 2)
		rc = CALX_EINVAL;
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 both users with their addresses */
static long selectin_state(calx_session *s)
{
	long users = alloc_fail_count(s, &rel_user_mapper), addresses = alloc_fail_count(s, &rel_address_mapper);
	if (users < 0 || addresses < 0)
		return ALLOC_FAIL_BROKEN;
	if (users == 0 && addresses == 0)
		return 0;
	/* one commit covers both users: all or nothing */
	return users == 2 && addresses == 4 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void selectin_survives_every_allocation_failure(void **state)
{
	(void)state;
	memset(long_email, 'x', LONG_EMAIL);
	memcpy(long_email + LONG_EMAIL, "@x", 3);
	static const alloc_scenario sc = { "selectin", &rel_schema, selectin, selectin_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(selectin_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_selectin", tests);
}
