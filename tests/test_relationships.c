/*
 * Relationships, many-to-one and one-to-many (tests/models/rel.h): linking
 * in memory, the save-update cascade, keys propagated at flush (generated
 * ones included), parents inserted first, lazy loading counted in
 * statements, lazy("raise"), undo of a failed flush, and objects of
 * another session refused. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "rel.calx.h"

static int rel_setup(void **state)
{
	return fixture_setup_schema(state, &rel_schema);
}

static struct rel_user *new_user(calx_session *s, const char *name)
{
	struct rel_user *u = rel_user_new(s);
	assert_non_null(u);
	snprintf(u->name, sizeof u->name, "%s", name);
	return u;
}

static struct rel_address *new_address(calx_session *s, const char *email)
{
	struct rel_address *a = rel_address_new(s, .email = calx_strdup(s, email));
	assert_non_null(a);
	return a;
}

/* Rows of rel_addresses whose user_id is the given key, seen by another session. */
static size_t addresses_of(fixture *fx, int64_t user_id)
{
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &rel_address_mapper);
	void **items;
	size_t n = (size_t)-1;
	calx_where(q, calx_compare(CALX_OP_EQ, REL_ADDRESS_USER_ID, calx_value_int(user_id)));
	if (calx_select_all(q, &items, &n) != CALX_OK)
		n = (size_t)-1;
	calx_select_free(q);
	calx_session_free(s);
	return n;
}

/*
 * Three addresses appended to a new user; the first address is added
 * first, so the cascade makes the pending order address, user, address,
 * address: the flush must still insert the user first, and give each
 * address the user's generated key.
 */
static void a_user_with_three_new_addresses_is_inserted_in_one_flush(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "ann");
	struct rel_address *a[3] = { new_address(fx->s, "a1@x"), new_address(fx->s, "a2@x"), new_address(fx->s, "a3@x") };
	for (int i = 0; i < 3; i++)
		assert_ok(fx->s, rel_user_addresses_append(fx->s, u, a[i]));
	/* the back-reference is set in memory at once */
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(a[i]->user, u);
	assert_int_equal(u->addresses.n, 3);
	assert_ptr_equal(u->addresses.items[1], a[1]);
	assert_ok(fx->s, calx_session_add(fx->s, a[0]));        /* cascades to the user, then to a[1], a[2] */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(u->id > 0);
	for (int i = 0; i < 3; i++) {
		assert_true(a[i]->id > 0);
		assert_true(a[i]->user_id.has_value);
		assert_int_equal(a[i]->user_id.value, u->id);
	}
	assert_int_equal(count_rows(fx, &rel_user_mapper), 1);
	assert_int_equal(addresses_of(fx, u->id), 3);
}

/* A child whose pointer names a pending parent: set in the constructor, no helper. */
static void a_child_pointing_at_a_pending_parent_gets_its_generated_key(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "bob");
	struct rel_address *a = rel_address_new(fx->s, .email = calx_strdup(fx->s, "b@x"), .user = u);
	assert_non_null(a);
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_true(u->id > 0);
	assert_true(a->user_id.has_value);
	assert_int_equal(a->user_id.value, u->id);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(addresses_of(fx, u->id), 1);
}

/* A tree in one table, added through its deepest node: parents before children. */
static void an_adjacency_list_is_inserted_in_one_flush(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct rel_node *root = rel_node_new(s, .name = "root");
	struct rel_node *kid[2] = { rel_node_new(s, .name = "k1"), rel_node_new(s, .name = "k2") };
	struct rel_node *leaf = rel_node_new(s, .name = "leaf");
	assert_ok(s, rel_node_children_append(s, kid[1], leaf));
	assert_ok(s, rel_node_children_append(s, root, kid[0]));
	assert_ok(s, rel_node_set_parent(s, kid[1], root));       /* the other side: joins root's list */
	assert_int_equal(root->children.n, 2);
	assert_ptr_equal(leaf->parent, kid[1]);
	assert_ok(s, calx_session_add(s, leaf));
	assert_ok(s, calx_session_commit(s));
	assert_false(root->parent_id.has_value);
	assert_int_equal(kid[0]->parent_id.value, root->id);
	assert_int_equal(kid[1]->parent_id.value, root->id);
	assert_int_equal(leaf->parent_id.value, kid[1]->id);
	assert_int_equal(count_rows(fx, &rel_node_mapper), 4);

	/* loaded back in another session: the same tree */
	calx_session *s2 = fixture_session(fx);
	struct rel_node *r2, *k2;
	struct rel_node **items;
	size_t n;
	assert_ok(s2, rel_node_get(s2, root->id, &r2));
	assert_ok(s2, rel_node_children(s2, r2, &items, &n));
	assert_int_equal(n, 2);
	assert_string_equal(items[0]->name, "k1");
	assert_ptr_equal(items[1]->parent, r2);
	assert_ok(s2, rel_node_parent(s2, items[1], &k2));
	assert_ptr_equal(k2, r2);
	assert_ok(s2, rel_node_children(s2, items[1], &items, &n));
	assert_int_equal(n, 1);
	assert_string_equal(items[0]->name, "leaf");
	calx_session_free(s2);
}

/* Lazy loads, one statement each, none when loaded or found in the identity map. */
static void lazy_loads_run_one_statement_once(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "cy");
	for (int i = 0; i < 3; i++) {
		char email[16];
		snprintf(email, sizeof email, "c%d@x", i);
		assert_ok(fx->s, rel_user_addresses_append(fx->s, u, new_address(fx->s, email)));
	}
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct rel_user *u2, *back;
	struct rel_address **items;
	size_t n;
	assert_ok(s2, rel_user_get(s2, u->id, &u2));
	/* not loaded: reads as an empty list, and says so */
	assert_false(calx_related_is_loaded(s2, u2, REL_USER_REL_ADDRESSES));
	assert_int_equal(u2->addresses.n, 0);
	uint64_t before = fixture_statements(s2);
	assert_ok(s2, rel_user_addresses(s2, u2, &items, &n));
	assert_int_equal(fixture_statements(s2) - before, 1);
	assert_int_equal(n, 3);
	assert_string_equal(items[2]->email, "c2@x");
	/* loaded: no statement; the children's side came with them */
	before = fixture_statements(s2);
	assert_ok(s2, rel_user_addresses(s2, u2, &items, &n));
	for (size_t i = 0; i < n; i++) {
		assert_ok(s2, rel_address_user(s2, items[i], &back));
		assert_ptr_equal(back, u2);
	}
	assert_int_equal(fixture_statements(s2) - before, 0);
	calx_session_free(s2);

	/* a many-to-one alone: one get, then the identity map */
	calx_session *s3 = fixture_session(fx);
	struct rel_address *a3, *b3;
	assert_ok(s3, rel_address_get(s3, u->addresses.items[0]->id, &a3));
	assert_ok(s3, rel_address_get(s3, u->addresses.items[1]->id, &b3));
	before = fixture_statements(s3);
	assert_ok(s3, rel_address_user(s3, a3, &back));
	assert_int_equal(fixture_statements(s3) - before, 1);
	assert_string_equal(back->name, "cy");
	struct rel_user *again;
	assert_ok(s3, rel_address_user(s3, b3, &again));
	assert_ptr_equal(again, back);
	assert_int_equal(fixture_statements(s3) - before, 1);
	calx_session_free(s3);
}

static void a_raise_relationship_is_an_error_naming_it(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "dee");
	struct rel_note *note = rel_note_new(fx->s, .text = "hi", .author = u);
	assert_ok(fx->s, calx_session_add(fx->s, note));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(note->user_id, u->id);
	/* set by the program: loaded */
	struct rel_user *got;
	assert_ok(fx->s, rel_note_author(fx->s, note, &got));
	assert_ptr_equal(got, u);

	calx_session *s2 = fixture_session(fx);
	struct rel_note *n2;
	assert_ok(s2, rel_note_get(s2, note->id, &n2));
	assert_calx(s2, rel_note_author(s2, n2, &got), CALX_ESTATE);
	assert_null(got);
	assert_non_null(strstr(calx_session_errmsg(s2), "rel_note.author"));
	assert_non_null(strstr(calx_session_errmsg(s2), "raise"));
	calx_session_free(s2);
}

/* Setting the pointer to NULL, or removing from the list, sets the key NULL; a NOT NULL key refuses. */
static void unlinking_sets_the_key_null_or_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct rel_user *u = new_user(s, "eve");
	struct rel_address *a = new_address(s, "e1@x"), *b = new_address(s, "e2@x");
	assert_ok(s, rel_user_addresses_append(s, u, a));
	assert_ok(s, rel_user_addresses_append(s, u, b));
	assert_ok(s, calx_session_add(s, u));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(addresses_of(fx, u->id), 2);

	assert_ok(s, rel_user_addresses_remove(s, u, a));
	assert_null(a->user);
	assert_int_equal(u->addresses.n, 1);
	assert_ok(s, rel_address_set_user(s, b, NULL));
	assert_int_equal(u->addresses.n, 0);
	assert_ok(s, calx_session_commit(s));
	assert_false(a->user_id.has_value);
	assert_false(b->user_id.has_value);
	assert_int_equal(addresses_of(fx, u->id), 0);

	/* a pointer NULL all along leaves the key as the program wrote it */
	struct rel_address *c = rel_address_new(s, .email = calx_strdup(s, "e3@x"), .user_id = CALX_SOME(u->id));
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(addresses_of(fx, u->id), 1);

	struct rel_note *note = rel_note_new(s, .text = "n", .author = u);
	assert_ok(s, calx_session_add(s, note));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, rel_note_set_author(s, note, NULL));
	assert_calx(s, calx_session_flush(s), CALX_ENOTNULL);
	assert_non_null(strstr(calx_session_errmsg(s), "rel_notes"));
	assert_int_equal(note->user_id, u->id);
	/* refused before any statement: the session is still usable */
	assert_ok(s, rel_note_set_author(s, note, u));
	assert_ok(s, calx_session_commit(s));
}

/*
 * A unique violation on the last child: the database keeps what it had,
 * and so do the objects (no generated key, no propagated foreign key).
 */
static void a_failed_flush_leaves_the_database_and_the_objects_as_before(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct rel_user *u1 = new_user(s, "first");
	assert_ok(s, rel_user_addresses_append(s, u1, new_address(s, "dup@x")));
	assert_ok(s, calx_session_add(s, u1));
	assert_ok(s, calx_session_commit(s));

	struct rel_user *u2 = new_user(s, "second");
	struct rel_address *ok = new_address(s, "fine@x"), *dup = new_address(s, "dup@x");
	assert_ok(s, rel_user_addresses_append(s, u2, ok));
	assert_ok(s, rel_user_addresses_append(s, u2, dup));
	assert_ok(s, calx_session_add(s, u2));
	int rc = calx_session_flush(s);
	assert_int_not_equal(rc, CALX_OK);
	assert_int_equal(u2->id, 0);
	assert_false(ok->user_id.has_value);
	assert_false(dup->user_id.has_value);
	assert_int_equal(ok->id, 0);
	assert_ptr_equal(ok->user, u2);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(count_rows(fx, &rel_user_mapper), 1);
	assert_int_equal(count_rows(fx, &rel_address_mapper), 1);

	/* fixed, the same objects flush */
	dup->email = calx_strdup(s, "other@x");
	assert_ok(s, calx_session_add(s, u2));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(addresses_of(fx, u2->id), 2);
}

static void an_object_of_another_session_is_refused(void **state)
{
	fixture *fx = *state;
	calx_session *s2 = fixture_session(fx);
	struct rel_user *theirs = new_user(s2, "other");
	struct rel_address *a = new_address(fx->s, "z@x");
	assert_calx(fx->s, rel_address_set_user(fx->s, a, theirs), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "rel_address.user"));
	assert_calx(fx->s, rel_user_addresses_append(s2, theirs, a), CALX_EINVAL);
	/* and through the field itself: at the add, and at flush */
	a->user = theirs;
	assert_calx(fx->s, calx_session_add(fx->s, a), CALX_EINVAL);
	a->user = NULL;
	/* a linked object before it: the flush has links when it meets the foreign pointer */
	struct rel_user *mine = new_user(fx->s, "mine");
	struct rel_address *b = rel_address_new(fx->s, .email = calx_strdup(fx->s, "y@x"), .user = mine);
	assert_ok(fx->s, calx_session_add(fx->s, b));
	assert_ok(fx->s, calx_session_add(fx->s, a));
	a->user = theirs;
	assert_calx(fx->s, calx_session_flush(fx->s), CALX_EINVAL);
	assert_false(b->user_id.has_value);
	a->user = NULL;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(b->user_id.value, mine->id);
	calx_session_free(s2);
}

/*
 * Appending to a persistent parent's list adds the child (the list is
 * loaded first); a persistent child moved to a new parent gets the new
 * parent's generated key by an UPDATE after the parent's insert.
 */
static void persistent_objects_link_to_new_ones(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "fay");
	struct rel_address *old = new_address(fx->s, "f0@x");
	assert_ok(fx->s, rel_user_addresses_append(fx->s, u, old));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	struct rel_user *u2;
	struct rel_address *a2;
	assert_ok(s2, rel_user_get(s2, u->id, &u2));
	struct rel_address *fresh = new_address(s2, "f1@x");
	assert_ok(s2, rel_user_addresses_append(s2, u2, fresh));      /* loads the one address first */
	assert_int_equal(u2->addresses.n, 2);
	assert_ok(s2, calx_session_commit(s2));
	assert_true(fresh->id > 0);
	assert_int_equal(fresh->user_id.value, u->id);
	assert_int_equal(addresses_of(fx, u->id), 2);

	/* the first address moves to a user the flush creates */
	assert_ok(s2, rel_address_get(s2, old->id, &a2));
	struct rel_user *v = new_user(s2, "gus");
	assert_ok(s2, rel_address_set_user(s2, a2, v));     /* cascades: v is added */
	a2->email = calx_strdup(s2, "moved@x");            /* an update planned anyway: the key joins it */
	assert_int_equal(u2->addresses.n, 1);
	assert_ok(s2, calx_session_commit(s2));
	assert_true(v->id > 0);
	assert_int_equal(a2->user_id.value, v->id);
	assert_int_equal(addresses_of(fx, v->id), 1);
	assert_int_equal(addresses_of(fx, u->id), 1);
	int64_t v_id = v->id;
	calx_session_free(s2);
	calx_session *s3 = fixture_session(fx);
	struct rel_address *a3;
	assert_ok(s3, rel_address_get(s3, old->id, &a3));
	assert_string_equal(a3->email, "moved@x");
	assert_int_equal(a3->user_id.value, v_id);
	calx_session_free(s3);
}

/* Under CALX_TRACK_MARKED the helpers mark what they relink: the flush writes it. */
static void marked_tracking_sees_relinked_objects(void **state)
{
	fixture *fx = *state;
	struct rel_user *u = new_user(fx->s, "hal");
	struct rel_address *a = new_address(fx->s, "h@x");
	assert_ok(fx->s, rel_user_addresses_append(fx->s, u, a));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s2 = fixture_session(fx);
	assert_ok(s2, calx_session_set_tracking(s2, CALX_TRACK_MARKED));
	struct rel_address *a2;
	struct rel_user *u2, *other = new_user(s2, "ida");
	assert_ok(s2, rel_address_get(s2, a->id, &a2));
	assert_ok(s2, rel_user_get(s2, u->id, &u2));
	assert_ok(s2, calx_session_add(s2, other));
	assert_ok(s2, calx_session_commit(s2));
	assert_ok(s2, rel_address_set_user(s2, a2, other));
	assert_ok(s2, calx_session_commit(s2));
	assert_int_equal(addresses_of(fx, other->id), 1);
	assert_int_equal(addresses_of(fx, u->id), 0);
	calx_session_free(s2);
}

/* A composite foreign key: both columns propagated, and both used to load either side. */
static void a_composite_foreign_key_joins_on_every_column(void **state)
{
	fixture *fx = *state;
	struct rel_shelf *shelf = rel_shelf_new(fx->s, .room = 3, .slot = 7);
	struct rel_book *book = rel_book_new(fx->s, .title = "sicp");
	assert_ok(fx->s, rel_shelf_books_append(fx->s, shelf, book));
	assert_ptr_equal(book->shelf, shelf);
	assert_ok(fx->s, calx_session_add(fx->s, book));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(book->room.value, 3);
	assert_int_equal(book->slot.value, 7);

	calx_session *s2 = fixture_session(fx);
	struct rel_book *b2;
	struct rel_shelf *sh2;
	struct rel_book **items;
	size_t n;
	assert_ok(s2, rel_book_get(s2, book->id, &b2));
	assert_ok(s2, rel_book_shelf(s2, b2, &sh2));
	assert_non_null(sh2);
	assert_int_equal(sh2->room, 3);
	assert_int_equal(sh2->slot, 7);
	assert_ok(s2, rel_shelf_books(s2, sh2, &items, &n));
	assert_int_equal(n, 1);
	assert_ptr_equal(items[0], b2);
	calx_session_free(s2);
}

/* The records calx-reflect emitted for tests/models/rel.h: kinds, joins, pairs, options. */
static void the_generated_records_say_what_the_header_says(void **state)
{
	(void)state;
	const calx_relationship_desc *r = REL_USER_REL_ADDRESSES;
	assert_int_equal(rel_user_mapper.n_relationships, 1);
	assert_int_equal(r->kind, CALX_REL_ONE_TO_MANY);
	assert_string_equal(r->name, "addresses");
	assert_ptr_equal(r->target, &rel_address_mapper);
	assert_ptr_equal(r->fk_table, &rel_address_table);
	assert_ptr_equal(rel_address_table.fks[r->fk].ref_table, &rel_user_table);
	assert_string_equal(r->back_populates, "user");     /* inferred */
	assert_int_equal(r->cascade, CALX_CASCADE_DEFAULT);
	assert_int_equal(r->loading, CALX_LOAD_LAZY);
	assert_null(r->secondary);

	r = REL_ADDRESS_REL_USER;
	assert_int_equal(r->kind, CALX_REL_MANY_TO_ONE);
	assert_ptr_equal(r->target, &rel_user_mapper);
	assert_ptr_equal(r->fk_table, &rel_address_table);
	assert_string_equal(r->back_populates, "addresses");

	r = REL_NOTE_REL_AUTHOR;
	assert_null(r->back_populates);                      /* rel_user has no list over rel_notes' key */
	assert_int_equal(r->cascade, CALX_CASCADE_SAVE_UPDATE);
	assert_int_equal(r->loading, CALX_LOAD_RAISE);

	assert_int_equal(rel_node_mapper.n_relationships, 2);
	assert_ptr_equal(REL_NODE_REL_PARENT->fk_table, &rel_node_table);
	assert_ptr_equal(REL_NODE_REL_CHILDREN->fk_table, &rel_node_table);
	assert_int_equal(REL_NODE_REL_PARENT->fk, REL_NODE_REL_CHILDREN->fk);

	assert_int_equal(rel_book_table.fks[REL_BOOK_REL_SHELF->fk].n_columns, 2);
	/* a mapper without relationships has none */
	assert_int_equal(user_mapper.n_relationships, 0);
	assert_null(user_mapper.relationships);
}

static long fail_at;    /* the allocation to fail; 0: none */
static long calls;

static void *failing_alloc(void *payload, void *ptr, size_t size)
{
	(void)payload;
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	if (++calls == fail_at)
		return NULL;
	return realloc(ptr, size);
}

/* Users named name, and their addresses, seen with the allocator working: -1 if the commit was partial. */
static long committed(fixture *fx, const char *name)
{
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &rel_user_mapper);
	void **items;
	size_t n;
	long out = -1;
	calx_where(q, calx_compare(CALX_OP_EQ, REL_USER_NAME, calx_value_text(name)));
	if (calx_select_all(q, &items, &n) == CALX_OK)
		out = n == 0 ? 0 : n == 1 && addresses_of(fx, ((struct rel_user *)items[0])->id) == 3 ? 1 : -1;
	calx_select_free(q);
	calx_session_free(s);
	return out;
}

/*
 * The Nth allocation fails, for N = 1, 2, ... until the scenario works:
 * link, cascade, flush with generated keys, commit, then load both sides in
 * another session. Every run ends in a status; a commit is all or nothing;
 * the asan variant checks that nothing leaks.
 */
static void allocation_failures_end_in_a_status(void **state)
{
	fixture *fx = *state;
	int rc = CALX_ENOMEM;
	for (fail_at = 1; rc != CALX_OK && fail_at < 100000; fail_at++) {
		char name[32], email[64];
		snprintf(name, sizeof name, "alloc%ld", fail_at);
		calx_session *s = fixture_session(fx), *s2 = NULL;
		assert_non_null(s);
		calls = 0;
		calx_set_allocator(failing_alloc, NULL);
		struct rel_user *u = rel_user_new(s), *u2;
		rc = u ? CALX_OK : CALX_ENOMEM;
		if (u)
			snprintf(u->name, sizeof u->name, "%s", name);
		for (int k = 0; k < 3 && rc == CALX_OK; k++) {
			snprintf(email, sizeof email, "%s-%d@x", name, k);
			struct rel_address *a = rel_address_new(s, .email = calx_strdup(s, email));
			rc = a ? rel_user_addresses_append(s, u, a) : CALX_ENOMEM;
		}
		if (rc == CALX_OK)
			rc = calx_session_add(s, u);
		if (rc == CALX_OK)
			rc = calx_session_commit(s);
		struct rel_address **items;
		size_t n = 0;
		if (rc == CALX_OK && (rc = calx_session_open(&s2, fx->eng, fx->reg)) == CALX_OK &&
		    (rc = rel_user_get(s2, u->id, &u2)) == CALX_OK && (rc = rel_user_addresses(s2, u2, &items, &n)) == CALX_OK) {
			struct rel_user *back;
			rc = rel_address_user(s2, items[0], &back);
			if (rc == CALX_OK && (n != 3 || back != u2))
				rc = CALX_ERROR;
		}
		calx_set_allocator(NULL, NULL);
		if (rc != CALX_OK && rc != CALX_ENOMEM)
			print_error("fail_at %ld: %s: %s\n", fail_at, calx_status_name(rc),
			            calx_session_errmsg(s2 ? s2 : s));
		assert_true(rc == CALX_OK || rc == CALX_ENOMEM);
		calx_session_free(s2);
		calx_session_free(s);
		assert_true(committed(fx, name) >= 0);
	}
	assert_int_equal(rc, CALX_OK);
	assert_true(fail_at > 15);      /* the scenario allocates (19 on SQLite, 20 on PostgreSQL): the loop did fail some */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rel_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(a_user_with_three_new_addresses_is_inserted_in_one_flush),
		T(a_child_pointing_at_a_pending_parent_gets_its_generated_key),
		T(an_adjacency_list_is_inserted_in_one_flush),
		T(lazy_loads_run_one_statement_once),
		T(a_raise_relationship_is_an_error_naming_it),
		T(unlinking_sets_the_key_null_or_is_refused),
		T(a_failed_flush_leaves_the_database_and_the_objects_as_before),
		T(an_object_of_another_session_is_refused),
		T(persistent_objects_link_to_new_ones),
		T(marked_tracking_sees_relinked_objects),
		T(a_composite_foreign_key_joins_on_every_column),
		T(the_generated_records_say_what_the_header_says),
		T(allocation_failures_end_in_a_status),
	};
	return RUN_ON_ALL_DIALECTS("relationships", tests);
}
