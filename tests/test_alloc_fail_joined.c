/*
 * Allocation failure in joined eager loading (tests/models/joined.h): two
 * users with two addresses each, and a note on each address, are
 * committed; then one session selects the users with their addresses
 * joined and, below, the addresses' notes select-in; another the
 * addresses with their users joined (many-to-one); a third two posts
 * with their tags joined (many-to-many: through the association table),
 * one post with both tags, one with none; a fourth the users ordered by
 * an expression, whose rows the loader de-duplicates by identity rather
 * than by their order. Each allocation fails in turn, on each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "joined.calx.h"

/*
 * The last address (the highest key: the last row of the join) has a
 * memo longer than any arena chunk these sessions make: loaded, it takes
 * a chunk of its own, exactly its size, so the lists' arrays built after
 * the last row need a new chunk and can fail (as in
 * test_alloc_fail_selectin.c).
 */
#define LONG_MEMO (100u * 1024)
static char long_memo[LONG_MEMO + 1];

static int add_users(calx_session *s)
{
	int rc = CALX_OK;
	for (int u = 0; u < 2 && rc == CALX_OK; u++) {
		struct jnd_user *user = jnd_user_new(s);
		if (!user)
			return calx_session_errcode(s);
		snprintf(user->name, sizeof user->name, "u%d", u);
		for (int k = 0; k < 2 && rc == CALX_OK; k++) {
			struct jnd_address *a = jnd_address_new(s);
			struct jnd_note *n = jnd_note_new(s);
			if (!a || !n)
				return calx_session_errcode(s);
			snprintf(a->email, sizeof a->email, "u%d-%d@x", u, k);
			snprintf(n->text, sizeof n->text, "u%d-%d", u, k);
			if (u == 1 && k == 1 && !(a->memo = calx_strdup(s, long_memo)))
				return calx_session_errcode(s);
			rc = jnd_user_addresses_append(s, user, a);
			if (rc == CALX_OK)
				rc = jnd_address_notes_append(s, a, n);
		}
		if (rc == CALX_OK)
			rc = calx_session_add(s, user);
		/* one at a time: the long memo gets the highest key */
		if (rc == CALX_OK)
			rc = calx_session_flush(s);
	}
	/* posts p0 (tags a and b) and p1 (no tags), in the same commit */
	struct jnd_post *p0 = jnd_post_new(s), *p1 = jnd_post_new(s);
	struct jnd_tag *a = jnd_tag_new(s), *b = jnd_tag_new(s);
	if (rc == CALX_OK && (!p0 || !p1 || !a || !b))
		return calx_session_errcode(s);
	if (rc == CALX_OK) {
		snprintf(p0->title, sizeof p0->title, "p0");
		snprintf(p1->title, sizeof p1->title, "p1");
		snprintf(a->name, sizeof a->name, "a");
		snprintf(b->name, sizeof b->name, "b");
		rc = jnd_post_tags_append(s, p0, a);
	}
	if (rc == CALX_OK)
		rc = jnd_post_tags_append(s, p0, b);
	if (rc == CALX_OK)
		rc = calx_session_add(s, p0);
	if (rc == CALX_OK)
		rc = calx_session_add(s, p1);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* The posts with their tags joined: p0 with both, p1 with none, both lists loaded. */
static int posts_with_tags(calx_session *s)
{
	size_t n = 0;
	void **items;
	calx_select *q = calx_select_new(s, &jnd_post_mapper);
	int rc = q ? calx_select_load(q, JND_POST_REL_TAGS, CALX_LOAD_JOINED) : calx_session_errcode(s);
	if (rc == CALX_OK)
		calx_order_by(q, JND_POST_TITLE, CALX_ASC);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, &n);
	if (rc == CALX_OK) {
		struct jnd_post *const *ps = (struct jnd_post *const *)items;
		if (n != 2 || ps[0]->tags.n != 2 || ps[1]->tags.n != 0 ||
		    !calx_related_is_loaded(s, ps[1], JND_POST_REL_TAGS))
			rc = CALX_EINVAL;
	}
	calx_select_free(q);
	return rc;
}

/* The users ordered by an expression (their names lowercased), their addresses joined: both, two addresses each. */
static int users_by_expression(calx_session *s)
{
	size_t n = 0;
	void **items;
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	int rc = q ? calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED) : calx_session_errcode(s);
	if (rc == CALX_OK)
		calx_order_by_expr(q, calx_lower(calx_col(JND_USER_NAME)), CALX_ASC);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, &n);
	if (rc == CALX_OK) {
		struct jnd_user *const *us = (struct jnd_user *const *)items;
		if (n != 2 || us[0]->addresses.n != 2 || us[1]->addresses.n != 2)
			rc = CALX_EINVAL;
	}
	calx_select_free(q);
	return rc;
}

/* Every object of m, with the options given, into *count. */
static int select_with(calx_session *s, const calx_mapper_desc *m, const calx_relationship_desc *joined,
                       const calx_relationship_desc *const *selectin, size_t n_selectin, size_t *count)
{
	void **items;
	calx_select *q = calx_select_new(s, m);
	int rc = q ? calx_select_load(q, joined, CALX_LOAD_JOINED) : calx_session_errcode(s);
	if (rc == CALX_OK && selectin)
		rc = calx_select_load_path(q, selectin, n_selectin, CALX_LOAD_SELECTIN);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, count);
	calx_select_free(q);
	return rc;
}

static int joined(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	size_t n = 0;
	const calx_relationship_desc *notes[] = { JND_USER_REL_ADDRESSES, JND_ADDRESS_REL_NOTES };
	int rc = calx_registry_open(&reg, &joined_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_users(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = select_with(s, &jnd_user_mapper, JND_USER_REL_ADDRESSES, notes, 2, &n);
	if (rc == CALX_OK && n != 2)
		rc = CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = select_with(s, &jnd_address_mapper, JND_ADDRESS_REL_USER, NULL, 0, &n);
	if (rc == CALX_OK && n != 4)
		rc = CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = posts_with_tags(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = users_by_expression(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 both users with their addresses and notes, and the posts and tags */
static long joined_state(calx_session *s)
{
	long users = alloc_fail_count(s, &jnd_user_mapper), addresses = alloc_fail_count(s, &jnd_address_mapper),
	     notes = alloc_fail_count(s, &jnd_note_mapper), posts = alloc_fail_count(s, &jnd_post_mapper),
	     tags = alloc_fail_count(s, &jnd_tag_mapper);
	if (users < 0 || addresses < 0 || notes < 0 || posts < 0 || tags < 0)
		return ALLOC_FAIL_BROKEN;
	if (users == 0 && addresses == 0 && notes == 0 && posts == 0 && tags == 0)
		return 0;
	/* one commit covers users and posts: all or nothing */
	return users == 2 && addresses == 4 && notes == 4 && posts == 2 && tags == 2 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void joined_survives_every_allocation_failure(void **state)
{
	(void)state;
	memset(long_memo, 'x', LONG_MEMO);
	static const alloc_scenario sc = { "joined", &joined_schema, joined, joined_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joined_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_joined", tests);
}
