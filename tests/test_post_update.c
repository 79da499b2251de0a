/*
 * post_update and the flush order's last cases (tests/models/o2o.h): two
 * rows pointing at each other insert with the key NULL and get it by one
 * UPDATE each, and drop it by one UPDATE each before their deletes; a
 * user's favourite address among the user's own addresses (tables that
 * refer to each other: created with the key added after both tables where
 * the dialect needs it); a cycle without post_update is refused naming
 * the relationship, the database untouched, and the flush retried; a
 * tree of depth 5 added leaves first inserts in one flush and a subtree's
 * delete cascades children first. Statements are counted with
 * calx_session_counters. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "o2o.calx.h"

static int o2o_setup(void **state)
{
	return fixture_setup_schema(state, &o2o_schema);
}

static struct o2o_node *node(calx_session *s, const char *name)
{
	struct o2o_node *n = o2o_node_new(s);
	assert_non_null(n);
	snprintf(n->name, sizeof n->name, "%s", name);
	return n;
}

/* Statements of a commit of a and b added (and whatever they reach). */
static uint64_t commit_counted(calx_session *s, void *a, void *b)
{
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_add(s, a));
	if (b)
		assert_ok(s, calx_session_add(s, b));
	assert_ok(s, calx_session_commit(s));
	return fixture_statements(s) - before;
}

static void two_rows_pointing_at_each_other_insert_then_update(void **state)
{
	fixture *fx = *state;
	/* the baseline: two rows without partners */
	uint64_t plain = commit_counted(fx->s, node(fx->s, "x"), node(fx->s, "y"));
	struct o2o_node *a = node(fx->s, "a"), *b = node(fx->s, "b");
	assert_ok(fx->s, o2o_node_set_partner(fx->s, a, b));
	assert_ok(fx->s, o2o_node_set_partner(fx->s, b, a));
	uint64_t linked = commit_counted(fx->s, a, b);
	assert_int_equal(linked - plain, 2);            /* one UPDATE per row */
	assert_int_equal(a->partner_id.value, b->id);
	assert_int_equal(b->partner_id.value, a->id);
	/* nothing left to write: the UPDATEs' values are the snapshots */
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(fixture_statements(fx->s) - before, 0);

	calx_session *s = fixture_session(fx);
	struct o2o_node *a2, *p;
	assert_ok(s, o2o_node_get(s, a->id, &a2));
	assert_ok(s, o2o_node_partner(s, a2, &p));
	assert_int_equal(p->id, b->id);
	assert_int_equal(p->partner_id.value, a->id);
	/* both deleted in one flush: their keys set NULL first, by one UPDATE each */
	assert_ok(s, calx_session_delete(s, a2));
	assert_ok(s, calx_session_delete(s, p));
	before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 4);    /* 2 UPDATE + 2 DELETE (the transaction is open) */
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 2);
}

static void one_row_pointing_at_an_existing_row_is_updated_after_its_insert(void **state)
{
	fixture *fx = *state;
	struct o2o_node *old = node(fx->s, "old");
	commit_counted(fx->s, old, NULL);
	struct o2o_node *n = node(fx->s, "new");
	assert_ok(fx->s, o2o_node_set_partner(fx->s, n, old));
	uint64_t with = commit_counted(fx->s, n, NULL);
	uint64_t without = commit_counted(fx->s, node(fx->s, "plain"), NULL);
	assert_int_equal(with - without, 1);            /* post_update: always its own UPDATE */
	assert_int_equal(n->partner_id.value, old->id);
	/* changing the partner of a persistent row is a plain update */
	assert_ok(fx->s, o2o_node_set_partner(fx->s, old, n));
	uint64_t before = fixture_statements(fx->s);
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(fixture_statements(fx->s) - before, 2);   /* BEGIN, UPDATE */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(old->partner_id.value, n->id);
}

/*
 * A flush that fails after its post-update UPDATEs ran (a delete that
 * finds no row: another session deleted it) leaves the database as it
 * was; after the rollback the same objects commit.
 */
static void a_flush_failing_after_its_post_updates_changes_nothing_and_is_retried(void **state)
{
	fixture *fx = *state;
	struct o2o_node *x = node(fx->s, "x");
	commit_counted(fx->s, x, node(fx->s, "y"));     /* y keeps SQLite from reusing x's key for a new row */
	calx_session *s = fixture_session(fx);
	struct o2o_node *x2;
	assert_ok(s, o2o_node_get(s, x->id, &x2));
	assert_ok(s, calx_session_commit(s));           /* no read transaction left open (SQLite's snapshot) */
	assert_ok(fx->s, calx_session_delete(fx->s, x));
	assert_ok(fx->s, calx_session_commit(fx->s));

	struct o2o_node *a = node(s, "a"), *b = node(s, "b");
	assert_ok(s, o2o_node_set_partner(s, a, b));
	assert_ok(s, o2o_node_set_partner(s, b, a));
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_delete(s, x2));
	assert_calx(s, calx_session_flush(s), CALX_ENOTFOUND);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 1);
	assert_ptr_equal(a->partner, b);                /* the program's links, as they were */
	assert_false(a->partner_id.has_value);
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 3);
	assert_int_equal(a->partner_id.value, b->id);
	assert_int_equal(b->partner_id.value, a->id);
	calx_session_free(s);
}

static void a_cycle_without_post_update_is_refused_and_can_be_retried(void **state)
{
	fixture *fx = *state;
	struct o2o_pair *a = o2o_pair_new(fx->s, .name = "a"), *b = o2o_pair_new(fx->s, .name = "b");
	assert_ok(fx->s, o2o_pair_set_mate(fx->s, a, b));
	assert_ok(fx->s, o2o_pair_set_mate(fx->s, b, a));
	assert_ok(fx->s, calx_session_add(fx->s, a));
	uint64_t before = fixture_statements(fx->s);
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ESTATE);
	const char *msg = calx_session_errmsg(fx->s);
	assert_non_null(strstr(msg, "cycle"));
	assert_non_null(strstr(msg, "o2o_pair.mate"));
	assert_non_null(strstr(msg, "post_update"));
	assert_int_equal(fixture_statements(fx->s) - before, 0);  /* nothing ran */
	assert_int_equal(count_rows(fx, &o2o_pair_mapper), 0);
	/* broken on one side, the same session flushes */
	assert_ok(fx->s, o2o_pair_set_mate(fx->s, b, NULL));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &o2o_pair_mapper), 2);
	assert_int_equal(a->mate_id.value, b->id);
	/* closed again between persistent rows: an update, no cycle to order */
	assert_ok(fx->s, o2o_pair_set_mate(fx->s, b, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* deleting both: a cycle of deletes, refused too */
	assert_ok(fx->s, calx_session_delete(fx->s, a));
	assert_ok(fx->s, calx_session_delete(fx->s, b));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "DELETEs"));
	assert_int_equal(count_rows(fx, &o2o_pair_mapper), 2);
}

static void a_favourite_address_among_the_persons_own(void **state)
{
	fixture *fx = *state;
	struct o2o_person *p = o2o_person_new(fx->s, .name = "pat");
	struct o2o_address *ad[3];
	for (int i = 0; i < 3; i++) {
		ad[i] = o2o_address_new(fx->s);
		snprintf(ad[i]->street, sizeof ad[i]->street, "street %d", i);
		assert_ok(fx->s, o2o_person_addresses_append(fx->s, p, ad[i]));
	}
	assert_ok(fx->s, o2o_person_set_favourite(fx->s, p, ad[1]));
	uint64_t with = commit_counted(fx->s, p, NULL);
	struct o2o_person *q = o2o_person_new(fx->s, .name = "quinn");
	for (int i = 0; i < 3; i++)
		assert_ok(fx->s, o2o_person_addresses_append(fx->s, q, o2o_address_new(fx->s)));
	uint64_t without = commit_counted(fx->s, q, NULL);
	assert_int_equal(with - without, 1);            /* the favourite's UPDATE */
	assert_int_equal(p->favourite_id.value, ad[1]->id);

	calx_session *s = fixture_session(fx);
	struct o2o_person *p2;
	struct o2o_address *fav, *other;
	assert_ok(s, o2o_person_get(s, p->id, &p2));
	assert_ok(s, o2o_person_favourite(s, p2, &fav));
	assert_string_equal(fav->street, "street 1");
	assert_ok(s, o2o_address_person(s, fav, &p2));
	/* another favourite: one UPDATE */
	assert_ok(s, o2o_address_get(s, ad[2]->id, &other));
	assert_ok(s, o2o_person_set_favourite(s, p2, other));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 1);
	/* the person and its addresses in one flush: the favourite's key NULL first */
	assert_ok(s, calx_session_delete(s, p2));
	before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 1 + 3 + 1);  /* UPDATE, 3 + 1 DELETE (the delete loaded the list) */
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &o2o_person_mapper), 1);
	assert_int_equal(count_rows(fx, &o2o_address_mapper), 3);
}

/* A binary tree of depth levels under parent, made in memory; added to the session deepest first. */
static void grow(calx_session *s, struct o2o_node *parent, int depth, struct o2o_node **all, size_t *n)
{
	if (depth == 0)
		return;
	for (int i = 0; i < 2; i++) {
		char name[40];
		snprintf(name, sizeof name, "%.8s%c", parent->name, i ? '1' : '0');
		struct o2o_node *c = node(s, name);
		assert_ok(s, o2o_node_set_parent(s, c, parent));
		grow(s, c, depth - 1, all, n);
		all[(*n)++] = c;                        /* after its own children */
	}
}

/* The names of the nodes a flush writes, in statement order (a tree node's parent is its name less one letter). */
typedef struct written {
	char names[64][16];
	size_t n;
} written;

static int note(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s, (void)ev, (void)m;
	written *w = payload;
	if (w->n < 64)
		memcpy(w->names[w->n++], ((struct o2o_node *)obj)->name, 16);
	return CALX_OK;
}

/* Does every node of w come after (before: false) its parent, where both are in w? */
static bool parents_first(const written *w, bool after)
{
	for (size_t i = 0; i < w->n; i++)
		for (size_t j = 0; j < w->n; j++) {
			size_t li = strlen(w->names[i]), lj = strlen(w->names[j]);
			bool is_parent = lj + 1 == li && !strncmp(w->names[i], w->names[j], lj);
			if (is_parent && (after ? j > i : j < i))
				return false;
		}
	return true;
}

static void a_tree_added_leaves_first_inserts_in_one_flush_and_deletes_children_first(void **state)
{
	fixture *fx = *state;
	struct o2o_node *all[64];
	size_t n = 0;
	written ins = { .n = 0 }, del = { .n = 0 };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_INSERT, &o2o_node_mapper, note, &ins));
	struct o2o_node *root = node(fx->s, "r");
	grow(fx->s, root, 4, all, &n);              /* depth 5 with the root: 31 nodes */
	all[n++] = root;
	assert_int_equal(n, 31);
	for (size_t i = 0; i < n; i++)
		assert_ok(fx->s, calx_session_add(fx->s, all[i]));  /* children before their parents */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 31);
	assert_int_equal(ins.n, 31);
	assert_true(parents_first(&ins, true));
	assert_string_equal(ins.names[0], "r");
	for (size_t i = 0; i + 1 < n; i++)
		assert_int_equal(all[i]->parent_id.value, all[i]->parent->id);

	/* a subtree (15 nodes) deleted from another session: the cascade loads it, deletes go leaves first */
	calx_session *s = fixture_session(fx);
	struct o2o_node *sub;
	assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_DELETE, &o2o_node_mapper, note, &del));
	assert_ok(s, o2o_node_get(s, root->children.items[0]->id, &sub));
	assert_ok(s, calx_session_delete(s, sub));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(del.n, 15);
	assert_true(parents_first(&del, false));
	assert_string_equal(del.names[14], "r0");
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 16);
	/* and the rest, with the root */
	s = fixture_session(fx);
	struct o2o_node *r;
	assert_ok(s, o2o_node_get(s, root->id, &r));
	assert_ok(s, calx_session_delete(s, r));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, o2o_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(two_rows_pointing_at_each_other_insert_then_update),
		T(one_row_pointing_at_an_existing_row_is_updated_after_its_insert),
		T(a_flush_failing_after_its_post_updates_changes_nothing_and_is_retried),
		T(a_cycle_without_post_update_is_refused_and_can_be_retried),
		T(a_favourite_address_among_the_persons_own),
		T(a_tree_added_leaves_first_inserts_in_one_flush_and_deletes_children_first),
	};
	return RUN_ON_ALL_DIALECTS("post_update", tests);
}
