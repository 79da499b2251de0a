/*
 * Allocation failure in relationships (tests/models/rel.h): a registry
 * with relationship records opened, a user linked to five new addresses
 * through its list (the list grows), a tree of nodes linked by pointers
 * (pointer edges in the row graph, keys propagated at flush), committed;
 * then another session loads both sides lazily and moves an address that
 * already has a row to a new user (its key written by an UPDATE after the
 * insert, beside an ordinary update). Each allocation fails in turn, on
 * each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "rel.calx.h"

#define N_ADDRESSES 5

/*
 * The last address's email is longer than any arena chunk the sessions
 * of this scenario make (they stay below 100 KiB; PostgreSQL's unique
 * index takes the text compressed, which 1 MiB of it would not fit): copied into a session (calx_strdup, or a load) it takes a chunk of
 * its own, exactly its size, so the next arena allocation -- the list's
 * growth when that address is appended, the loaded list's array when it is
 * the last row loaded -- needs a new chunk and can fail.
 */
#define LONG_EMAIL (100u * 1024)
static char long_email[LONG_EMAIL + 3];

static int add_graph(calx_session *s)
{
	int rc = CALX_OK;
	struct rel_user *u = rel_user_new(s, .name = "ann");
	struct rel_address *a[N_ADDRESSES];
	if (!u)
		return calx_session_errcode(s);
	for (int k = 0; k < N_ADDRESSES && rc == CALX_OK; k++) {
		char email[32];
		snprintf(email, sizeof email, "ann-%d@x", k);
		a[k] = rel_address_new(s, .email = calx_strdup(s, email));
		rc = a[k] ? CALX_OK : calx_session_errcode(s);
	}
	for (int k = 0; k < N_ADDRESSES && rc == CALX_OK; k++) {
		if (k == N_ADDRESSES - 1 && !(a[k]->email = calx_strdup(s, long_email)))
			rc = calx_session_errcode(s);
		if (rc == CALX_OK)
			rc = rel_user_addresses_append(s, u, a[k]);
	}
	struct rel_node *root = rel_node_new(s, .name = "root"), *kid = rel_node_new(s, .name = "kid"),
	                *leaf = rel_node_new(s, .name = "leaf");
	if (rc == CALX_OK && !(root && kid && leaf))
		rc = calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = rel_node_set_parent(s, leaf, kid);
	if (rc == CALX_OK)
		rc = rel_node_children_append(s, root, kid);
	if (rc == CALX_OK)
		rc = calx_session_add(s, leaf);         /* the cascade reaches kid and root */
	if (rc == CALX_OK)
		rc = calx_session_add(s, u);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Load the user's addresses and one address's user, then move that address to a new user. */
static int load_and_move(calx_session *s)
{
	struct rel_user *u, *back;
	struct rel_address **items;
	size_t n;
	calx_select *q = calx_select_new(s, &rel_user_mapper);
	void *obj;
	if (q)
		calx_where(q, calx_any(REL_USER_REL_ADDRESSES, NULL));     /* the user with addresses */
	int rc = q ? calx_select_one(q, &obj) : calx_session_errcode(s);
	calx_select_free(q);
	if (rc != CALX_OK)
		return rc;
	u = obj;
	if ((rc = rel_user_addresses(s, u, &items, &n)) != CALX_OK ||
	    (rc = rel_address_user(s, items[0], &back)) != CALX_OK)
		return rc;
	if (n != N_ADDRESSES || back != u)
		return CALX_EINVAL;
	struct rel_user *bob = rel_user_new(s, .name = "bob");
	if (!bob)
		return calx_session_errcode(s);
	if ((rc = rel_address_set_user(s, items[0], bob)) != CALX_OK || (rc = calx_session_add(s, bob)) != CALX_OK)
		return rc;
	snprintf(u->name, sizeof u->name, "ann2");     /* an update planned beside the late one */
	return calx_session_commit(s);
}

static int relationships(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int rc = calx_registry_open(&reg, &rel_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_graph(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = load_and_move(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the graph, 2 with one address moved to bob */
static long relationships_state(calx_session *s)
{
	long users = alloc_fail_count(s, &rel_user_mapper), addresses = alloc_fail_count(s, &rel_address_mapper),
	     nodes = alloc_fail_count(s, &rel_node_mapper);
	if (users < 0 || addresses < 0 || nodes < 0)
		return ALLOC_FAIL_BROKEN;
	if (users == 0 && addresses == 0 && nodes == 0)
		return 0;
	if (addresses != N_ADDRESSES || nodes != 3)
		return ALLOC_FAIL_PARTIAL;
	/* every address and node has its parent's key: none was written before its parent had one */
	calx_select *q = calx_select_new(s, &rel_address_mapper);
	calx_where(q, calx_is_null(REL_ADDRESS_USER_ID));
	void **items;
	size_t n;
	long r = q && calx_select_all(q, &items, &n) == CALX_OK && n == 0 ? users : ALLOC_FAIL_BROKEN;
	calx_select_free(q);
	if (r == ALLOC_FAIL_BROKEN)
		return r;
	q = calx_select_new(s, &rel_node_mapper);
	calx_where(q, calx_is_null(REL_NODE_PARENT_ID));
	if (!(q && calx_select_all(q, &items, &n) == CALX_OK && n == 1))
		r = ALLOC_FAIL_PARTIAL;
	calx_select_free(q);
	return r == 1 ? 1 : r == 2 ? 2 : ALLOC_FAIL_PARTIAL;
}

static void relationships_survive_every_allocation_failure(void **state)
{
	(void)state;
	memset(long_email, 'x', LONG_EMAIL);
	memcpy(long_email + LONG_EMAIL, "@x", 3);
	static const alloc_scenario sc = { "relationships", &rel_schema, relationships, relationships_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(relationships_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_rel", tests);
}
