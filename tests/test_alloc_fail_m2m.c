/*
 * Allocation failure in many-to-many relationships (tests/models/m2m.h):
 * two new posts and two new tags linked through their lists (both ends
 * new in one flush: the association rows, the lists' snapshots), then
 * another session loads the tags, one post's tags lazily and every
 * post's select-in, moves a tag from one post to the other, links a new
 * tag and deletes a tag with rows (its rows deleted by its key). Each
 * allocation fails in turn, on each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "m2m.calx.h"

/*
 * A text longer than any arena chunk these sessions make: copied into a
 * session (calx_strdup) it takes a chunk of its own, exactly its size, so
 * the next arena allocation -- the lists' snapshots at flush, a loaded
 * list's array -- needs a new chunk and can fail.
 */
#define LONG_TEXT (100u * 1024)
static char long_text[LONG_TEXT + 1];

static int fill_chunk(calx_session *s)
{
	return calx_strdup(s, long_text) ? CALX_OK : calx_session_errcode(s);
}

static int link_new(calx_session *s)
{
	struct m2m_post *p1 = m2m_post_new(s, .title = "p1"), *p2 = m2m_post_new(s, .title = "p2");
	struct m2m_tag *t1 = m2m_tag_new(s, .name = "t1"), *t2 = m2m_tag_new(s, .name = "t2");
	if (!p1 || !p2 || !t1 || !t2)
		return calx_session_errcode(s);
	int rc = m2m_post_tags_append(s, p1, t1);
	if (rc == CALX_OK)
		rc = m2m_post_tags_append(s, p1, t2);
	if (rc == CALX_OK)
		rc = m2m_tag_posts_append(s, t1, p2);
	if (rc == CALX_OK)
		rc = calx_session_add(s, p1);
	if (rc == CALX_OK)
		rc = fill_chunk(s);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* The first two objects of m, in key order (the select's array goes with it: copied), and how many there are. */
static int all_of(calx_session *s, const calx_mapper_desc *m, calx_loading tags, void *two[2], size_t *n)
{
	calx_select *q = calx_select_new(s, m);
	void **items;
	int rc = q ? CALX_OK : calx_session_errcode(s);
	if (q)
		calx_order_by(q, &m->fields[0], CALX_ASC);     /* by id */
	if (rc == CALX_OK && tags)
		rc = calx_select_load(q, M2M_POST_REL_TAGS, tags);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, n);
	for (size_t k = 0; rc == CALX_OK && k < 2 && k < *n; k++)
		two[k] = items[k];
	calx_select_free(q);
	return rc;
}

static int load_and_change(calx_session *s)
{
	void *tags[2], *posts[2];
	size_t nt, np;
	struct m2m_tag **pt;
	size_t n;
	/* the tags first: the loads below find them in the identity map and allocate no object */
	int rc = all_of(s, &m2m_tag_mapper, 0, tags, &nt);
	if (rc == CALX_OK)
		rc = all_of(s, &m2m_post_mapper, 0, posts, &np);
	if (rc != CALX_OK)
		return rc;
	if (nt != 2 || np != 2)
		return CALX_EINVAL;
	struct m2m_post *p1 = posts[0], *p2 = posts[1];
	struct m2m_tag *t1 = tags[0], *t2 = tags[1];
	if ((rc = fill_chunk(s)) != CALX_OK || (rc = m2m_post_tags(s, p1, &pt, &n)) != CALX_OK)
		return rc;
	if (n != 2)
		return CALX_EINVAL;
	if ((rc = all_of(s, &m2m_post_mapper, CALX_LOAD_SELECTIN, posts, &np)) != CALX_OK)
		return rc;
	if ((rc = m2m_tag_posts(s, t1, NULL, NULL)) != CALX_OK || (rc = m2m_post_tags_remove(s, p1, t2)) != CALX_OK ||
	    (rc = m2m_post_tags_append(s, p2, t2)) != CALX_OK)
		return rc;
	struct m2m_tag *t3 = m2m_tag_new(s, .name = "t3");
	if (!t3)
		return calx_session_errcode(s);
	if ((rc = m2m_post_tags_append(s, p2, t3)) != CALX_OK || (rc = calx_session_delete(s, t1)) != CALX_OK)
		return rc;
	return calx_session_commit(s);
}

static int many_to_many(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int rc = calx_registry_open(&reg, &m2m_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = link_new(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = load_and_change(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty; 1 two posts, two tags, three links; 2 t1 gone, t2 moved, t3 new: two posts, two tags, two links */
static long many_to_many_state(calx_session *s)
{
	long posts = alloc_fail_count(s, &m2m_post_mapper), tags = alloc_fail_count(s, &m2m_tag_mapper);
	if (posts < 0 || tags < 0)
		return ALLOC_FAIL_BROKEN;
	if (posts == 0 && tags == 0)
		return 0;
	if (posts != 2 || tags != 2)
		return ALLOC_FAIL_PARTIAL;
	calx_select *q = calx_select_new(s, &m2m_post_mapper);
	void **items;
	size_t n, links = 0;
	if (!q || calx_select_load(q, M2M_POST_REL_TAGS, CALX_LOAD_SELECTIN) != CALX_OK ||
	    calx_select_all(q, &items, &n) != CALX_OK) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	for (size_t i = 0; i < n; i++)
		links += ((struct m2m_post *)items[i])->tags.n;
	calx_select_free(q);
	return links == 3 ? 1 : links == 2 ? 2 : ALLOC_FAIL_PARTIAL;
}

static void many_to_many_survives_every_allocation_failure(void **state)
{
	(void)state;
	memset(long_text, 'x', LONG_TEXT);
	static const alloc_scenario sc = { "many_to_many", &m2m_schema, many_to_many, many_to_many_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_to_many_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_m2m", tests);
}
