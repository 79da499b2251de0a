/*
 * Joined eager loading (tests/models/joined.h), counted in statements
 * with calx_session_counters: 100 users with 0..3 addresses each load
 * with their addresses in 1 statement, the same lists select-in gives in
 * 2; a user without addresses has a loaded, empty list; the many-to-one
 * side; a self-referential tree two levels deep; three levels in one
 * statement; a composite key; a limit that counts users, not rows; a
 * declared lazy("joined"), which joins a tree to itself once, not round
 * its cycle; an object the session holds, changed and not
 * flushed, is the one handed out and keeps its changes; a select-in level
 * below a joined one; many-to-many (posts and tags): 100 posts in 1
 * statement with select-in's lists, a page of posts, a path through two
 * many-to-many joins, a joined list that the flush compares with, both
 * sides of a self-referential many-to-many at once. Every
 * test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "joined.calx.h"

#define N_USERS 100

static int jnd_setup(void **state)
{
	return fixture_setup_schema(state, &joined_schema);
}

/*
 * Another session, its transaction begun (by a get that finds nothing):
 * the counts below are then the select's own statements, without the
 * BEGIN the first statement of a transaction brings.
 */
static calx_session *session_in_txn(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	struct jnd_user *none;
	assert_non_null(s);
	assert_calx(s, jnd_user_get(s, -1, &none), CALX_ENOTFOUND);
	return s;
}

/* User i has i % 4 addresses (0..3), named after both; address k of user i has k notes. */
static void add_users(fixture *fx)
{
	for (int i = 0; i < N_USERS; i++) {
		struct jnd_user *u = jnd_user_new(fx->s);
		assert_non_null(u);
		snprintf(u->name, sizeof u->name, "u%03d", i);
		for (int k = 0; k < i % 4; k++) {
			struct jnd_address *a = jnd_address_new(fx->s);
			assert_non_null(a);
			snprintf(a->email, sizeof a->email, "u%03d-%d@x", i, k);
			assert_ok(fx->s, jnd_user_addresses_append(fx->s, u, a));
			for (int t = 0; t < k; t++) {
				struct jnd_note *no = jnd_note_new(fx->s);
				assert_non_null(no);
				snprintf(no->text, sizeof no->text, "u%03d-%d-%d", i, k, t);
				assert_ok(fx->s, jnd_address_notes_append(fx->s, a, no));
			}
		}
		assert_ok(fx->s, calx_session_add(fx->s, u));
	}
	/* one user without addresses whose address would have a NULL user */
	struct jnd_address *stray = jnd_address_new(fx->s);
	assert_non_null(stray);
	snprintf(stray->email, sizeof stray->email, "nobody@x");
	assert_ok(fx->s, calx_session_add(fx->s, stray));
	assert_ok(fx->s, calx_session_commit(fx->s));
}

/* Every user, by name, from a select of s with the addresses loaded as how says. */
static struct jnd_user **users(calx_session *s, calx_select **q, calx_loading how, size_t *n)
{
	void **items;
	*q = calx_select_new(s, &jnd_user_mapper);
	assert_non_null(*q);
	calx_order_by(*q, JND_USER_NAME, CALX_ASC);        /* u000, u001, ...: user i at index i */
	assert_ok(s, calx_select_load(*q, JND_USER_REL_ADDRESSES, how));
	assert_ok(s, calx_select_all(*q, &items, n));
	return (struct jnd_user **)items;
}

static void a_hundred_users_with_addresses_take_one_statement(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx), *sin = session_in_txn(fx);
	calx_select *q, *sq;
	size_t n, sn;
	uint64_t before = fixture_statements(s);
	struct jnd_user **us = users(s, &q, CALX_LOAD_JOINED, &n);
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, N_USERS);
	before = fixture_statements(sin);
	struct jnd_user **ss = users(sin, &sq, CALX_LOAD_SELECTIN, &sn);
	assert_int_equal(fixture_statements(sin) - before, 2);
	assert_int_equal(sn, n);
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, "u%03zu", i);
		assert_string_equal(us[i]->name, want);
		assert_true(calx_related_is_loaded(s, us[i], JND_USER_REL_ADDRESSES));
		struct jnd_address **as;
		size_t na;
		assert_ok(s, jnd_user_addresses(s, us[i], &as, &na));
		/* users without addresses: loaded and empty, not unloaded */
		assert_int_equal(na, i % 4);
		/* the same lists as select-in's, in key order */
		assert_int_equal(us[i]->id, ss[i]->id);
		assert_int_equal(na, ss[i]->addresses.n);
		for (size_t k = 0; k < na; k++) {
			assert_int_equal(as[k]->id, ss[i]->addresses.items[k]->id);
			assert_string_equal(as[k]->email, ss[i]->addresses.items[k]->email);
			assert_ptr_equal(as[k]->user, us[i]);       /* the back-reference, loaded too */
			assert_true(calx_related_is_loaded(s, as[k], JND_ADDRESS_REL_USER));
			/* not asked for: the notes stay unloaded */
			assert_false(calx_related_is_loaded(s, as[k], JND_ADDRESS_REL_NOTES));
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_select_free(sq);
	calx_session_free(s);
	calx_session_free(sin);
}

/* calx_select_next, calx_select_one: each user once, however many rows the join gave it. */
static void next_and_one_hand_out_each_user_once(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_where(q, calx_lt(JND_USER_NAME, "u008"));
	calx_order_by(q, JND_USER_ID, CALX_DESC);
	uint64_t before = fixture_statements(s);
	struct jnd_user *u;
	size_t seen = 0, addresses = 0;
	int64_t last = INT64_MAX;
	int rc;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		assert_int_equal(fixture_statements(s) - before, 1);
		assert_true(u->id < last);      /* the select's own order, each user once */
		last = u->id;
		assert_true(calx_related_is_loaded(s, u, JND_USER_REL_ADDRESSES));
		assert_int_equal(u->addresses.n, (size_t)atoi(u->name + 1) % 4);
		addresses += u->addresses.n;
		seen++;
	}
	assert_int_equal(rc, CALX_DONE);
	assert_int_equal(seen, 8);
	assert_int_equal(addresses, 2 * (0 + 1 + 2 + 3));
	calx_select_free(q);

	/* three rows, one user: not CALX_EMULTIPLE */
	q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_where(q, calx_eq(JND_USER_NAME, "u003"));
	before = fixture_statements(s);
	assert_ok(s, calx_select_one(q, (void **)&u));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_string_equal(u->name, "u003");
	assert_int_equal(u->addresses.n, 3);
	calx_select_free(q);

	/* nothing found: one statement, no rows */
	q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_where(q, calx_eq(JND_USER_NAME, "nobody"));
	assert_calx(s, calx_select_one(q, (void **)&u), CALX_ENOTFOUND);
	calx_select_free(q);
	calx_session_free(s);
}

static void many_to_one_loads_joined(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_address_mapper);
	assert_ok(s, calx_select_load(q, JND_ADDRESS_REL_USER, CALX_LOAD_JOINED));
	calx_order_by(q, JND_ADDRESS_ID, CALX_ASC);
	void **items;
	size_t n, with_user = 0;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 25 * (0 + 1 + 2 + 3) + 1);
	for (size_t i = 0; i < n; i++) {
		struct jnd_address *a = items[i];
		assert_true(calx_related_is_loaded(s, a, JND_ADDRESS_REL_USER));
		assert_true(i == 0 || ((struct jnd_address *)items[i - 1])->id < a->id);
		if (!a->user_id.has_value) {
			assert_null(a->user);        /* a NULL key: loaded, NULL */
			assert_string_equal(a->email, "nobody@x");
			continue;
		}
		with_user++;
		assert_non_null(a->user);
		assert_int_equal(a->user->id, a->user_id.value);
		assert_memory_equal(a->email, a->user->name, 4);
		/* one object per user: another address of the same user points at the same one */
		for (size_t k = 0; k < i; k++) {
			struct jnd_address *b = items[k];
			if (b->user && b->user->id == a->user->id)
				assert_ptr_equal(b->user, a->user);
		}
		/* the user's list was not asked for */
		assert_false(calx_related_is_loaded(s, a->user, JND_USER_REL_ADDRESSES));
	}
	assert_int_equal(with_user, n - 1);
	calx_select_free(q);
	calx_session_free(s);
}

/* Two roots; root r has 2 + r children; child c has c grandchildren; each grandchild one leaf. */
static void add_tree(fixture *fx)
{
	for (int r = 0; r < 2; r++) {
		struct jnd_node *root = jnd_node_new(fx->s);
		assert_non_null(root);
		snprintf(root->label, sizeof root->label, "r%d", r);
		for (int c = 0; c < 2 + r; c++) {
			struct jnd_node *child = jnd_node_new(fx->s);
			assert_non_null(child);
			snprintf(child->label, sizeof child->label, "r%d.%d", r, c);
			assert_ok(fx->s, jnd_node_children_append(fx->s, root, child));
			for (int g = 0; g < c; g++) {
				struct jnd_node *grand = jnd_node_new(fx->s), *leaf = jnd_node_new(fx->s);
				assert_non_null(grand);
				assert_non_null(leaf);
				snprintf(grand->label, sizeof grand->label, "r%d.%d.%d", r, c, g);
				snprintf(leaf->label, sizeof leaf->label, "r%d.%d.%d.0", r, c, g);
				assert_ok(fx->s, jnd_node_children_append(fx->s, child, grand));
				assert_ok(fx->s, jnd_node_children_append(fx->s, grand, leaf));
			}
		}
		assert_ok(fx->s, calx_session_add(fx->s, root));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void a_self_referential_tree_joins_itself_two_levels(void **state)
{
	fixture *fx = *state;
	add_tree(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_node_mapper);
	const calx_relationship_desc *path[] = { JND_NODE_REL_CHILDREN, JND_NODE_REL_CHILDREN };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_JOINED));
	calx_where(q, calx_is_null(JND_NODE_PARENT_ID));
	calx_order_by(q, JND_NODE_LABEL, CALX_ASC);
	void **items;
	size_t n, grandchildren = 0;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 2);
	for (size_t r = 0; r < n; r++) {
		struct jnd_node *root = items[r];
		char want[32];
		snprintf(want, sizeof want, "r%zu", r);
		assert_string_equal(root->label, want);
		assert_true(calx_related_is_loaded(s, root, JND_NODE_REL_CHILDREN));
		assert_int_equal(root->children.n, 2 + r);
		for (size_t c = 0; c < root->children.n; c++) {
			struct jnd_node *child = root->children.items[c];
			assert_ptr_equal(child->parent, root);
			assert_true(calx_related_is_loaded(s, child, JND_NODE_REL_CHILDREN));
			int ci = child->label[3] - '0';
			assert_int_equal(child->children.n, ci);
			for (size_t g = 0; g < child->children.n; g++) {
				struct jnd_node *grand = child->children.items[g];
				assert_ptr_equal(grand->parent, child);
				assert_memory_equal(grand->label, child->label, strlen(child->label));
				/* the third level was not asked for */
				assert_false(calx_related_is_loaded(s, grand, JND_NODE_REL_CHILDREN));
				grandchildren++;
			}
		}
	}
	assert_int_equal(grandchildren, (0 + 1) + (0 + 1 + 2));
	calx_select_free(q);
	calx_session_free(s);
}

/* 3 artists; artist a has a + 1 albums, album b of it has b + 1 tracks. */
static void three_levels_take_one_statement(void **state)
{
	fixture *fx = *state;
	for (int a = 0; a < 3; a++) {
		struct jnd_artist *ar = jnd_artist_new(fx->s);
		assert_non_null(ar);
		snprintf(ar->name, sizeof ar->name, "a%d", a);
		for (int b = 0; b <= a; b++) {
			struct jnd_album *al = jnd_album_new(fx->s);
			assert_non_null(al);
			snprintf(al->title, sizeof al->title, "a%d-b%d", a, b);
			assert_ok(fx->s, jnd_artist_albums_append(fx->s, ar, al));
			for (int t = 0; t <= b; t++) {
				struct jnd_track *tr = jnd_track_new(fx->s);
				assert_non_null(tr);
				snprintf(tr->title, sizeof tr->title, "a%d-b%d-t%d", a, b, t);
				assert_ok(fx->s, jnd_album_tracks_append(fx->s, al, tr));
			}
		}
		assert_ok(fx->s, calx_session_add(fx->s, ar));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_artist_mapper);
	const calx_relationship_desc *path[] = { JND_ARTIST_REL_ALBUMS, JND_ALBUM_REL_TRACKS };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_JOINED));
	calx_order_by(q, JND_ARTIST_NAME, CALX_ASC);
	void **items;
	size_t n, tracks = 0;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 3);
	before = fixture_statements(s);
	for (size_t a = 0; a < n; a++) {
		struct jnd_artist *ar = items[a];
		struct jnd_album **als;
		size_t nal;
		assert_ok(s, jnd_artist_albums(s, ar, &als, &nal));
		assert_int_equal(nal, a + 1);
		for (size_t b = 0; b < nal; b++) {
			struct jnd_track **trs;
			size_t ntr;
			assert_ptr_equal(als[b]->artist, ar);
			assert_true(b == 0 || als[b - 1]->id < als[b]->id);
			assert_ok(s, jnd_album_tracks(s, als[b], &trs, &ntr));
			assert_int_equal(ntr, als[b]->title[4] - '0' + 1);
			for (size_t t = 0; t < ntr; t++) {
				assert_ptr_equal(trs[t]->album, als[b]);
				assert_memory_equal(trs[t]->title, als[b]->title, strlen(als[b]->title));
				assert_true(t == 0 || trs[t - 1]->id < trs[t]->id);
			}
			tracks += ntr;
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_int_equal(tracks, 1 + (1 + 2) + (1 + 2 + 3));
	calx_select_free(q);
	calx_session_free(s);
}

static void a_composite_key_joins_on_both_columns(void **state)
{
	fixture *fx = *state;
	for (int r = 0; r < 6; r++) {
		struct jnd_shelf *sh = jnd_shelf_new(fx->s, .bay = r / 2, .level = r % 2);
		assert_non_null(sh);
		for (int d = 0; d < r % 3; d++) {
			struct jnd_book *b = jnd_book_new(fx->s);
			assert_non_null(b);
			snprintf(b->title, sizeof b->title, "%d.%d-%d", r / 2, r % 2, d);
			assert_ok(fx->s, jnd_shelf_books_append(fx->s, sh, b));
		}
		assert_ok(fx->s, calx_session_add(fx->s, sh));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_shelf_mapper);
	calx_order_by(q, JND_SHELF_BAY, CALX_ASC);
	calx_order_by(q, JND_SHELF_LEVEL, CALX_ASC);
	assert_ok(s, calx_select_load(q, JND_SHELF_REL_BOOKS, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 6);
	for (size_t r = 0; r < n; r++) {
		struct jnd_shelf *sh = items[r];
		assert_true(calx_related_is_loaded(s, sh, JND_SHELF_REL_BOOKS));
		assert_int_equal(sh->books.n, r % 3);
		for (size_t d = 0; d < sh->books.n; d++) {
			char want[64];
			snprintf(want, sizeof want, "%zu.%zu-", r / 2, r % 2);
			assert_memory_equal(sh->books.items[d]->title, want, strlen(want));
			assert_ptr_equal(sh->books.items[d]->shelf, sh);
		}
	}
	calx_select_free(q);
	calx_session_free(s);
}

/* limit 4 offset 2 over users with their addresses: users u002..u005, whole lists. */
static void a_limit_counts_users_not_rows(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_order_by(q, JND_USER_NAME, CALX_ASC);
	calx_limit(q, 4);
	calx_offset(q, 2);
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		struct jnd_user *u = items[i];
		char want[32];
		snprintf(want, sizeof want, "u%03zu", i + 2);
		assert_string_equal(u->name, want);
		assert_int_equal(u->addresses.n, (i + 2) % 4);
	}
	calx_select_free(q);
	/* descending, a limit of one: the last user and all three of its addresses */
	q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_order_by(q, JND_USER_NAME, CALX_DESC);
	calx_limit(q, 1);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 1);
	assert_string_equal(((struct jnd_user *)items[0])->name, "u099");
	assert_int_equal(((struct jnd_user *)items[0])->addresses.n, 3);
	calx_select_free(q);
	calx_session_free(s);
}

/* team.players is declared lazy("joined"): loaded without an option, unless the select says lazy. */
static void a_declared_joined_loads_unless_the_select_says_lazy(void **state)
{
	fixture *fx = *state;
	assert_int_equal(JND_TEAM_REL_PLAYERS->loading, CALX_LOAD_JOINED);
	for (int t = 0; t < 4; t++) {
		struct jnd_team *team = jnd_team_new(fx->s);
		assert_non_null(team);
		snprintf(team->name, sizeof team->name, "t%d", t);
		for (int p = 0; p < t; p++) {
			struct jnd_player *pl = jnd_player_new(fx->s);
			assert_non_null(pl);
			snprintf(pl->name, sizeof pl->name, "t%d-p%d", t, p);
			assert_ok(fx->s, jnd_team_players_append(fx->s, team, pl));
		}
		assert_ok(fx->s, calx_session_add(fx->s, team));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_team_mapper);
	calx_order_by(q, JND_TEAM_NAME, CALX_ASC);
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	for (size_t t = 0; t < n; t++) {
		struct jnd_team *team = items[t];
		assert_true(calx_related_is_loaded(s, team, JND_TEAM_REL_PLAYERS));
		assert_int_equal(team->players.n, t);
		for (size_t p = 0; p < team->players.n; p++)
			assert_ptr_equal(team->players.items[p]->team, team);
	}
	calx_select_free(q);
	calx_session_free(s);

	s = session_in_txn(fx);
	q = calx_select_new(s, &jnd_team_mapper);
	assert_ok(s, calx_select_load(q, JND_TEAM_REL_PLAYERS, CALX_LOAD_LAZY));
	before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	for (size_t t = 0; t < n; t++)
		assert_false(calx_related_is_loaded(s, items[t], JND_TEAM_REL_PLAYERS));
	calx_select_free(q);
	calx_session_free(s);
}

/* dept.subs is declared lazy("joined"): one level joins; the default does not join the tree to itself again. */
static void a_declared_joined_does_not_go_round_a_cycle(void **state)
{
	fixture *fx = *state;
	struct jnd_dept *root = jnd_dept_new(fx->s);
	assert_non_null(root);
	snprintf(root->name, sizeof root->name, "d");
	for (int k = 0; k < 2; k++) {
		struct jnd_dept *sub = jnd_dept_new(fx->s), *subsub = jnd_dept_new(fx->s);
		assert_non_null(sub);
		assert_non_null(subsub);
		snprintf(sub->name, sizeof sub->name, "d.%d", k);
		snprintf(subsub->name, sizeof subsub->name, "d.%d.0", k);
		assert_ok(fx->s, jnd_dept_subs_append(fx->s, root, sub));
		assert_ok(fx->s, jnd_dept_subs_append(fx->s, sub, subsub));
	}
	assert_ok(fx->s, calx_session_add(fx->s, root));
	assert_ok(fx->s, calx_session_commit(fx->s));
	for (int explicit = 0; explicit < 2; explicit++) {
		calx_session *s = session_in_txn(fx);
		calx_select *q = calx_select_new(s, &jnd_dept_mapper);
		const calx_relationship_desc *two[] = { JND_DEPT_REL_SUBS, JND_DEPT_REL_SUBS };
		calx_where(q, calx_is_null(JND_DEPT_PARENT_ID));
		if (explicit)
			assert_ok(s, calx_select_load_path(q, two, 2, CALX_LOAD_JOINED));
		void **items;
		size_t n;
		uint64_t before = fixture_statements(s);
		assert_ok(s, calx_select_all(q, &items, &n));
		assert_int_equal(fixture_statements(s) - before, 1);
		assert_int_equal(n, 1);
		struct jnd_dept *d = items[0];
		assert_true(calx_related_is_loaded(s, d, JND_DEPT_REL_SUBS));
		assert_int_equal(d->subs.n, 2);
		for (size_t k = 0; k < d->subs.n; k++) {
			struct jnd_dept *sub = d->subs.items[k];
			assert_ptr_equal(sub->parent, d);
			/* the option asked for the second level; the declaration alone does not */
			assert_int_equal(calx_related_is_loaded(s, sub, JND_DEPT_REL_SUBS), explicit);
			if (explicit) {
				assert_int_equal(sub->subs.n, 1);
				assert_false(calx_related_is_loaded(s, sub->subs.items[0], JND_DEPT_REL_SUBS));
			}
		}
		calx_select_free(q);
		calx_session_free(s);
	}
}

/*
 * An address the session holds, its email changed and not flushed (no
 * autoflush), and a user whose list the program loaded and changed: the
 * join hands out those objects as they are.
 */
static void objects_the_session_holds_keep_their_changes(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	bool was = calx_session_set_autoflush(s, false);
	calx_select *q = calx_select_new(s, &jnd_address_mapper);
	calx_where(q, calx_eq(JND_ADDRESS_EMAIL, "u005-0@x"));
	struct jnd_address *held;
	assert_ok(s, calx_select_one(q, (void **)&held));
	calx_select_free(q);
	snprintf(held->email, sizeof held->email, "changed@x");
	struct jnd_user *u7;
	q = calx_select_new(s, &jnd_user_mapper);
	calx_where(q, calx_eq(JND_USER_NAME, "u007"));
	assert_ok(s, calx_select_one(q, (void **)&u7));
	calx_select_free(q);
	struct jnd_address **as;
	size_t na;
	assert_ok(s, jnd_user_addresses(s, u7, &as, &na));
	assert_int_equal(na, 3);
	assert_ok(s, jnd_user_addresses_remove(s, u7, as[0]));     /* the program's list: 2 left */

	q = calx_select_new(s, &jnd_user_mapper);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	calx_where(q, calx_lt(JND_USER_NAME, "u008"));
	calx_order_by(q, JND_USER_NAME, CALX_ASC);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 8);
	struct jnd_user *u5 = items[5];
	assert_int_equal(u5->addresses.n, 1);
	assert_ptr_equal(u5->addresses.items[0], held);
	assert_string_equal(held->email, "changed@x");
	assert_ptr_equal(items[7], u7);
	assert_int_equal(u7->addresses.n, 2);
	calx_select_free(q);
	calx_session_set_autoflush(s, was);
	calx_session_rollback(s);
	calx_session_free(s);
}

/* Joined users -> addresses, select-in addresses -> notes: 2 statements. */
static void a_select_in_level_below_a_joined_one(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	const calx_relationship_desc *notes[] = { JND_USER_REL_ADDRESSES, JND_ADDRESS_REL_NOTES };
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	assert_ok(s, calx_select_load_path(q, notes, 2, CALX_LOAD_SELECTIN));
	calx_order_by(q, JND_USER_NAME, CALX_ASC);
	void **items;
	size_t n, total = 0;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 2);
	assert_int_equal(n, N_USERS);
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		struct jnd_user *u = items[i];
		assert_int_equal(u->addresses.n, i % 4);
		for (size_t k = 0; k < u->addresses.n; k++) {
			struct jnd_address *a = u->addresses.items[k];
			struct jnd_note **ns;
			size_t nn;
			assert_true(calx_related_is_loaded(s, a, JND_ADDRESS_REL_NOTES));
			assert_ok(s, jnd_address_notes(s, a, &ns, &nn));
			assert_int_equal(nn, a->email[5] - '0');
			for (size_t t = 0; t < nn; t++)
				assert_ptr_equal(ns[t]->address, a);
			total += nn;
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_int_equal(total, 25 * (0 + 0 + (0 + 1) + (0 + 1 + 2)));
	calx_select_free(q);

	/* the other way round: select-in users' addresses, the notes asked joined below: loaded select-in */
	calx_session *s2 = session_in_txn(fx);
	q = calx_select_new(s2, &jnd_user_mapper);
	assert_ok(s2, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_SELECTIN));
	assert_ok(s2, calx_select_load_path(q, notes, 2, CALX_LOAD_JOINED));
	before = fixture_statements(s2);
	assert_ok(s2, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s2) - before, 3);
	for (size_t i = 0; i < n; i++) {
		struct jnd_user *u = items[i];
		for (size_t k = 0; k < u->addresses.n; k++)
			assert_true(calx_related_is_loaded(s2, u->addresses.items[k], JND_ADDRESS_REL_NOTES));
	}
	calx_select_free(q);
	calx_session_free(s2);
	calx_session_free(s);
}

static void bad_options_are_refused(void **state)
{
	fixture *fx = *state;
	calx_select *q = calx_select_new(fx->s, &jnd_user_mapper);
	assert_int_equal(calx_select_load(q, JND_ADDRESS_REL_USER, CALX_LOAD_JOINED), CALX_EINVAL);
	void **items;
	size_t n;
	assert_int_equal(calx_select_all(q, &items, &n), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "another struct"));
	calx_select_free(q);
	/* column tuples load nothing: the option changes nothing */
	q = calx_select_new(fx->s, &jnd_user_mapper);
	const calx_field_desc *cols[] = { calx_field(JND_USER_NAME) };
	assert_ok(fx->s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	assert_ok(fx->s, calx_select_columns(q, cols, 1));
	calx_value v;
	assert_int_equal(calx_select_next_values(q, &v), CALX_DONE);
	calx_select_free(q);
}

/* ---- many-to-many: posts and tags through jnd_post_tags ---- */

#define N_POSTS 100
#define N_TAGS 10

/* Post i (titled p000..p099) has i % 4 tags: tags (i + k) % N_TAGS for k < i % 4. */
static void add_posts(fixture *fx)
{
	struct jnd_tag *tags[N_TAGS];
	for (int k = 0; k < N_TAGS; k++) {
		tags[k] = jnd_tag_new(fx->s);
		assert_non_null(tags[k]);
		snprintf(tags[k]->name, sizeof tags[k]->name, "t%d", k);
		assert_ok(fx->s, calx_session_add(fx->s, tags[k]));
	}
	for (int i = 0; i < N_POSTS; i++) {
		struct jnd_post *p = jnd_post_new(fx->s);
		assert_non_null(p);
		snprintf(p->title, sizeof p->title, "p%03d", i);
		for (int k = 0; k < i % 4; k++)
			assert_ok(fx->s, jnd_post_tags_append(fx->s, p, tags[(i + k) % N_TAGS]));
		assert_ok(fx->s, calx_session_add(fx->s, p));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static struct jnd_post **posts(calx_session *s, calx_select **q, calx_loading how, size_t *n)
{
	void **items;
	*q = calx_select_new(s, &jnd_post_mapper);
	assert_non_null(*q);
	calx_order_by(*q, JND_POST_TITLE, CALX_ASC);
	assert_ok(s, calx_select_load(*q, JND_POST_REL_TAGS, how));
	assert_ok(s, calx_select_all(*q, &items, n));
	return (struct jnd_post **)items;
}

/* Does post i's list hold exactly its tags, in key order (the tags were made t0..t9, keys rising)? */
static void check_tags(const struct jnd_post *p, int i)
{
	int want[4], nw = i % 4;
	for (int k = 0; k < nw; k++)
		want[k] = (i + k) % N_TAGS;
	for (int a = 0; a < nw; a++)            /* sorted: the list comes in the tags' key order */
		for (int b = a + 1; b < nw; b++)
			if (want[b] < want[a]) {
				int t = want[a];
				want[a] = want[b];
				want[b] = t;
			}
	assert_int_equal(p->tags.n, nw);
	for (int k = 0; k < nw; k++) {
		char name[32];
		snprintf(name, sizeof name, "t%d", want[k]);
		assert_string_equal(p->tags.items[k]->name, name);
	}
}

static void a_hundred_posts_with_tags_take_one_statement(void **state)
{
	fixture *fx = *state;
	add_posts(fx);
	calx_session *s = session_in_txn(fx), *sin = session_in_txn(fx);
	calx_select *q, *sq;
	size_t n, sn;
	uint64_t before = fixture_statements(s);
	struct jnd_post **ps = posts(s, &q, CALX_LOAD_JOINED, &n);
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, N_POSTS);
	before = fixture_statements(sin);
	struct jnd_post **ss = posts(sin, &sq, CALX_LOAD_SELECTIN, &sn);
	assert_int_equal(fixture_statements(sin) - before, 2);
	assert_int_equal(sn, n);
	struct jnd_tag *seen[N_TAGS] = { NULL };
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, "p%03zu", i);
		assert_string_equal(ps[i]->title, want);
		/* posts without tags: loaded and empty */
		assert_true(calx_related_is_loaded(s, ps[i], JND_POST_REL_TAGS));
		check_tags(ps[i], (int)i);
		/* the same lists as select-in's */
		assert_int_equal(ps[i]->id, ss[i]->id);
		assert_int_equal(ps[i]->tags.n, ss[i]->tags.n);
		for (size_t k = 0; k < ps[i]->tags.n; k++) {
			struct jnd_tag *t = ps[i]->tags.items[k];
			assert_int_equal(t->id, ss[i]->tags.items[k]->id);
			/* a tag in many posts' lists is one object (the identity map) */
			int no = atoi(t->name + 1);
			if (seen[no])
				assert_ptr_equal(seen[no], t);
			seen[no] = t;
			/* the other side is not set from a result that holds only some of its posts */
			assert_false(calx_related_is_loaded(s, t, JND_TAG_REL_POSTS));
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_select_free(sq);
	calx_session_free(s);
	calx_session_free(sin);
}

/* A limit and offset count posts, not rows: the page is the posts' own select, joined outside. */
static void a_limit_counts_posts_not_tag_rows(void **state)
{
	fixture *fx = *state;
	add_posts(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_post_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_POST_TITLE, CALX_DESC);
	calx_limit(q, 7);
	calx_offset(q, 10);
	assert_ok(s, calx_select_load(q, JND_POST_REL_TAGS, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 7);
	for (size_t k = 0; k < n; k++) {
		struct jnd_post *p = items[k];
		int i = N_POSTS - 1 - 10 - (int)k;
		char want[32];
		snprintf(want, sizeof want, "p%03d", i);
		assert_string_equal(p->title, want);
		check_tags(p, i);
	}
	calx_select_free(q);
	calx_session_free(s);
}

/* posts -> tags -> posts: two many-to-many joins, four tables, one statement. */
static void a_path_through_many_to_many_takes_one_statement(void **state)
{
	fixture *fx = *state;
	add_posts(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_post_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_POST_TITLE, CALX_ASC);
	const calx_relationship_desc *path[] = { JND_POST_REL_TAGS, JND_TAG_REL_POSTS };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, N_POSTS);
	/* tag t is on post i when t = (i + k) % N_TAGS for some k < i % 4: count each tag's posts */
	size_t want[N_TAGS] = { 0 };
	for (int i = 0; i < N_POSTS; i++)
		for (int k = 0; k < i % 4; k++)
			want[(i + k) % N_TAGS]++;
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		struct jnd_post *p = items[i];
		check_tags(p, (int)i);
		for (size_t k = 0; k < p->tags.n; k++) {
			struct jnd_tag *t = p->tags.items[k];
			assert_true(calx_related_is_loaded(s, t, JND_TAG_REL_POSTS));
			assert_int_equal(t->posts.n, want[atoi(t->name + 1)]);
			bool back = false;
			for (size_t m = 0; m < t->posts.n; m++) {
				back |= t->posts.items[m] == p;
				if (m)
					assert_true(t->posts.items[m - 1]->id < t->posts.items[m]->id);
			}
			assert_true(back);
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_session_free(s);
}

/* A list loaded joined is what the flush compares with: a tag removed from it deletes one association row. */
static void a_joined_list_flushes_like_any_other(void **state)
{
	fixture *fx = *state;
	add_posts(fx);
	calx_session *s = fixture_session(fx);
	calx_select *q;
	size_t n;
	struct jnd_post **ps = posts(s, &q, CALX_LOAD_JOINED, &n);
	assert_int_equal(n, N_POSTS);
	struct jnd_tag *gone = ps[3]->tags.items[0], *kept = ps[3]->tags.items[1];
	int64_t gone_id = gone->id, kept_id = kept->id;
	assert_ok(s, jnd_post_tags_remove(s, ps[3], gone));
	assert_ok(s, jnd_post_tags_append(s, ps[0], kept));
	/* a post whose list the program changed keeps it through another joined select */
	calx_select *q2;
	size_t n2;
	struct jnd_post **again = posts(s, &q2, CALX_LOAD_JOINED, &n2);
	assert_ptr_equal(again[3], ps[3]);
	assert_int_equal(again[3]->tags.n, 2);
	assert_int_equal(again[0]->tags.n, 1);
	assert_ok(s, calx_session_commit(s));
	calx_select_free(q);
	calx_select_free(q2);
	calx_session_free(s);
	s = fixture_session(fx);
	ps = posts(s, &q, CALX_LOAD_SELECTIN, &n);
	assert_int_equal(ps[3]->tags.n, 2);
	assert_int_equal(ps[0]->tags.n, 1);
	assert_int_equal(ps[0]->tags.items[0]->id, kept_id);
	for (size_t k = 0; k < ps[3]->tags.n; k++)
		assert_true(ps[3]->tags.items[k]->id != gone_id);
	for (size_t i = 1; i < n; i++)
		if (i != 3)
			check_tags(ps[i], (int)i);
	calx_select_free(q);
	calx_session_free(s);
}

/* Both sides of a self-referential many-to-many in one statement: the people table three times, the secondary twice. */
static void a_self_referential_many_to_many_joins_both_sides(void **state)
{
	fixture *fx = *state;
	/* ann -> bob, cid; bob -> cid; dan: nobody */
	static const char *const names[] = { "ann", "bob", "cid", "dan" };
	struct jnd_person *p[4];
	for (int i = 0; i < 4; i++) {
		p[i] = jnd_person_new(fx->s);
		assert_non_null(p[i]);
		snprintf(p[i]->name, sizeof p[i]->name, "%s", names[i]);
		assert_ok(fx->s, calx_session_add(fx->s, p[i]));
	}
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[0], p[1]));
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[0], p[2]));
	assert_ok(fx->s, jnd_person_friend_of_append(fx->s, p[2], p[1]));      /* bob -> cid, from cid's side */
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_person_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_PERSON_NAME, CALX_ASC);
	assert_ok(s, calx_select_load(q, JND_PERSON_REL_FRIENDS, CALX_LOAD_JOINED));
	assert_ok(s, calx_select_load(q, JND_PERSON_REL_FRIEND_OF, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	struct jnd_person *const *got = (struct jnd_person *const *)items;
	/* friends, then friend_of, as names in key order */
	static const char *const want[4][2] = { { "bob cid", "" }, { "cid", "ann" }, { "", "ann bob" }, { "", "" } };
	before = fixture_statements(s);
	for (int i = 0; i < 4; i++) {
		const calx_list *lists[2] = { (const calx_list *)&got[i]->friends, (const calx_list *)&got[i]->friend_of };
		assert_string_equal(got[i]->name, names[i]);
		assert_true(calx_related_is_loaded(s, got[i], JND_PERSON_REL_FRIENDS));
		assert_true(calx_related_is_loaded(s, got[i], JND_PERSON_REL_FRIEND_OF));
		for (int side = 0; side < 2; side++) {
			char text[32] = "";
			for (size_t k = 0; k < lists[side]->n; k++) {
				const struct jnd_person *o = lists[side]->items[k];
				/* the same object as the select's own row for that person */
				assert_ptr_equal(o, got[o->name[0] == 'a' ? 0 : o->name[0] == 'b' ? 1 : o->name[0] == 'c' ? 2 : 3]);
				snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", k ? " " : "", o->name);
			}
			assert_string_equal(text, want[i][side]);
		}
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_session_free(s);
}

/* ---- rows in runs, and rows that are not ---- */

/*
 * Ordered by an expression (the name lowercased, descending): the loader
 * does not count on each user's rows coming together and de-duplicates
 * them by identity; the users come once each, in that order, with
 * select-in's lists.
 */
static void an_order_by_an_expression_hands_out_each_user_once(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	assert_non_null(q);
	calx_order_by_expr(q, calx_lower(calx_col(JND_USER_NAME)), CALX_DESC);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, N_USERS);
	for (size_t k = 0; k < n; k++) {
		struct jnd_user *u = items[k];
		int i = N_USERS - 1 - (int)k;
		char want[64];
		snprintf(want, sizeof want, "u%03d", i);
		assert_string_equal(u->name, want);
		assert_true(calx_related_is_loaded(s, u, JND_USER_REL_ADDRESSES));
		assert_int_equal(u->addresses.n, i % 4);
		for (size_t a = 0; a < u->addresses.n; a++) {
			snprintf(want, sizeof want, "u%03d-%zu@x", i, a);
			assert_string_equal(u->addresses.items[a]->email, want);
			assert_ptr_equal(u->addresses.items[a]->user, u);
		}
	}
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * Addresses ordered by their user's key, ties and all, with their notes
 * joined: each address's rows still come together (the order goes on by
 * its key), and each address comes once with its notes.
 */
static void ties_in_the_selects_order_keep_each_objects_rows_together(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_address_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_ADDRESS_USER_ID, CALX_DESC);
	assert_ok(s, calx_select_load(q, JND_ADDRESS_REL_NOTES, CALX_LOAD_JOINED));
	void **items;
	size_t n, notes = 0;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 25 * (0 + 1 + 2 + 3) + 1);
	for (size_t i = 0; i < n; i++) {
		struct jnd_address *a = items[i];
		for (size_t k = 0; k < i; k++)
			assert_ptr_not_equal(items[k], a);
		if (i && a->user_id.has_value && ((struct jnd_address *)items[i - 1])->user_id.has_value) {
			const struct jnd_address *b = items[i - 1];
			assert_true(b->user_id.value > a->user_id.value ||
			            (b->user_id.value == a->user_id.value && b->id < a->id));
		}
		assert_true(calx_related_is_loaded(s, a, JND_ADDRESS_REL_NOTES));
		/* address k of a user has k notes, named after it */
		size_t want = a->user_id.has_value ? (size_t)(a->email[5] - '0') : 0;
		assert_int_equal(a->notes.n, want);
		for (size_t t = 0; t < a->notes.n; t++) {
			assert_ptr_equal(a->notes.items[t]->address, a);
			assert_memory_equal(a->notes.items[t]->text, a->email, 6);
			assert_int_equal(a->notes.items[t]->text[7] - '0', t);
		}
		notes += a->notes.n;
	}
	assert_int_equal(notes, 25 * (0 + 0 + (0 + 1) + (0 + 1 + 2)));
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * Addresses, their user (many-to-one) and that user's addresses: a user
 * whose addresses are not next to each other in the select's order comes
 * back after other users' rows. Its list is still built once, each
 * address in it once.
 */
static void a_holder_reached_again_after_other_rows_gets_one_list(void **state)
{
	fixture *fx = *state;
	struct jnd_user *u[2];
	for (int k = 0; k < 2; k++) {
		u[k] = jnd_user_new(fx->s);
		assert_non_null(u[k]);
		snprintf(u[k]->name, sizeof u[k]->name, "u%d", k);
		assert_ok(fx->s, calx_session_add(fx->s, u[k]));
	}
	/* keys rising: a0 of u0, a1 of u1, a2 of u0, a3 of u1, then a4 of nobody */
	for (int i = 0; i < 5; i++) {
		struct jnd_address *a = jnd_address_new(fx->s);
		assert_non_null(a);
		snprintf(a->email, sizeof a->email, "a%d", i);
		if (i < 4)
			assert_ok(fx->s, jnd_user_addresses_append(fx->s, u[i % 2], a));
		assert_ok(fx->s, calx_session_add(fx->s, a));
		assert_ok(fx->s, calx_session_flush(fx->s));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_address_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_ADDRESS_ID, CALX_ASC);
	const calx_relationship_desc *path[] = { JND_ADDRESS_REL_USER, JND_USER_REL_ADDRESSES };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 5);
	struct jnd_address *const *as = (struct jnd_address *const *)items;
	assert_null(as[4]->user);
	assert_true(calx_related_is_loaded(s, as[4], JND_ADDRESS_REL_USER));
	for (int i = 0; i < 4; i++) {
		char want[16];
		snprintf(want, sizeof want, "a%d", i);
		assert_string_equal(as[i]->email, want);
		struct jnd_user *owner = as[i]->user;
		assert_non_null(owner);
		assert_ptr_equal(owner, as[i % 2]->user);
		assert_true(calx_related_is_loaded(s, owner, JND_USER_REL_ADDRESSES));
		assert_int_equal(owner->addresses.n, 2);
		assert_ptr_equal(owner->addresses.items[0], as[i % 2]);
		assert_ptr_equal(owner->addresses.items[1], as[i % 2 + 2]);
	}
	assert_ptr_not_equal(as[0]->user, as[1]->user);
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * Two lists of one person joined side by side multiply its rows (two
 * friends times two who count it a friend: four rows): each list holds
 * each person once.
 */
static void lists_joined_side_by_side_hold_each_object_once(void **state)
{
	fixture *fx = *state;
	/* ann's friends: bob, cid; dan and eve count ann a friend */
	static const char *const names[] = { "ann", "bob", "cid", "dan", "eve" };
	struct jnd_person *p[5];
	for (int i = 0; i < 5; i++) {
		p[i] = jnd_person_new(fx->s);
		assert_non_null(p[i]);
		snprintf(p[i]->name, sizeof p[i]->name, "%s", names[i]);
		assert_ok(fx->s, calx_session_add(fx->s, p[i]));
	}
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[0], p[1]));
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[0], p[2]));
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[3], p[0]));
	assert_ok(fx->s, jnd_person_friends_append(fx->s, p[4], p[0]));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_person_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_PERSON_NAME, CALX_ASC);
	assert_ok(s, calx_select_load(q, JND_PERSON_REL_FRIENDS, CALX_LOAD_JOINED));
	assert_ok(s, calx_select_load(q, JND_PERSON_REL_FRIEND_OF, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 5);
	struct jnd_person *const *got = (struct jnd_person *const *)items;
	static const char *const want[5][2] = { { "bob cid", "dan eve" }, { "", "ann" }, { "", "ann" },
	                                       { "ann", "" }, { "ann", "" } };
	for (int i = 0; i < 5; i++) {
		const calx_list *lists[2] = { (const calx_list *)&got[i]->friends, (const calx_list *)&got[i]->friend_of };
		assert_string_equal(got[i]->name, names[i]);
		for (int side = 0; side < 2; side++) {
			char text[32] = "";
			for (size_t k = 0; k < lists[side]->n; k++) {
				const struct jnd_person *o = lists[side]->items[k];
				snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", k ? " " : "", o->name);
			}
			assert_string_equal(text, want[i][side]);
		}
	}
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * Users expired by a commit, renamed and given another address by
 * another session: the joined select reads each user again from its first
 * row (the rest of its rows repeat it) and loads the new list.
 */
static void expired_objects_are_read_again_from_their_rows(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx), *other = fixture_session(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_USER_NAME, CALX_ASC);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, N_USERS);
	struct jnd_user *u3 = items[3];
	calx_select_free(q);
	assert_ok(s, calx_session_commit(s));
	assert_true(calx_object_is_expired(s, u3));

	struct jnd_user *theirs;
	assert_ok(other, jnd_user_get(other, u3->id, &theirs));
	snprintf(theirs->name, sizeof theirs->name, "u003-renamed");
	struct jnd_address *extra = jnd_address_new(other);
	assert_non_null(extra);
	snprintf(extra->email, sizeof extra->email, "u003-3@x");
	assert_ok(other, jnd_user_addresses_append(other, theirs, extra));
	assert_ok(other, calx_session_commit(other));
	calx_session_free(other);

	q = calx_select_new(s, &jnd_user_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_USER_ID, CALX_ASC);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, N_USERS);
	assert_ptr_equal(items[3], u3);
	assert_false(calx_object_is_expired(s, u3));
	assert_string_equal(u3->name, "u003-renamed");
	assert_int_equal(u3->addresses.n, 4);
	for (size_t k = 0; k < u3->addresses.n; k++) {
		char want[32];
		snprintf(want, sizeof want, "u003-%zu@x", k);
		assert_string_equal(u3->addresses.items[k]->email, want);
		assert_ptr_equal(u3->addresses.items[k]->user, u3);
	}
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * A page counted in users, ordered by an expression: the subquery selects
 * the expression and the statement orders by it outside.
 */
static void a_page_ordered_by_an_expression_counts_users(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_user_mapper);
	assert_non_null(q);
	calx_order_by_expr(q, calx_lower(calx_col(JND_USER_NAME)), CALX_DESC);
	calx_limit(q, 3);
	calx_offset(q, 2);
	assert_ok(s, calx_select_load(q, JND_USER_REL_ADDRESSES, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 3);
	for (size_t k = 0; k < n; k++) {
		struct jnd_user *u = items[k];
		int i = N_USERS - 3 - (int)k;
		char want[64];
		snprintf(want, sizeof want, "u%03d", i);
		assert_string_equal(u->name, want);
		assert_int_equal(u->addresses.n, i % 4);
	}
	calx_select_free(q);
	calx_session_free(s);
}

/*
 * A page ordered NULLS FIRST: the page is taken in that order inside, and
 * the statement orders the same way outside (the address without a user
 * first, on either database).
 */
static void a_page_keeps_nulls_first(void **state)
{
	fixture *fx = *state;
	add_users(fx);
	calx_session *s = session_in_txn(fx);
	calx_select *q = calx_select_new(s, &jnd_address_mapper);
	assert_non_null(q);
	calx_order_by(q, JND_ADDRESS_USER_ID, CALX_DESC | CALX_NULLS_FIRST);
	calx_order_by(q, JND_ADDRESS_ID, CALX_ASC);
	calx_limit(q, 3);
	assert_ok(s, calx_select_load(q, JND_ADDRESS_REL_NOTES, CALX_LOAD_JOINED));
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 3);
	struct jnd_address *const *as = (struct jnd_address *const *)items;
	assert_string_equal(as[0]->email, "nobody@x");
	assert_string_equal(as[1]->email, "u099-0@x");
	assert_string_equal(as[2]->email, "u099-1@x");
	assert_int_equal(as[2]->notes.n, 1);
	calx_select_free(q);
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, jnd_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(a_hundred_users_with_addresses_take_one_statement),
		T(next_and_one_hand_out_each_user_once),
		T(many_to_one_loads_joined),
		T(a_self_referential_tree_joins_itself_two_levels),
		T(three_levels_take_one_statement),
		T(a_composite_key_joins_on_both_columns),
		T(a_limit_counts_users_not_rows),
		T(a_declared_joined_loads_unless_the_select_says_lazy),
		T(a_declared_joined_does_not_go_round_a_cycle),
		T(objects_the_session_holds_keep_their_changes),
		T(a_select_in_level_below_a_joined_one),
		T(bad_options_are_refused),
		T(a_hundred_posts_with_tags_take_one_statement),
		T(a_limit_counts_posts_not_tag_rows),
		T(a_path_through_many_to_many_takes_one_statement),
		T(a_joined_list_flushes_like_any_other),
		T(a_self_referential_many_to_many_joins_both_sides),
		T(an_order_by_an_expression_hands_out_each_user_once),
		T(ties_in_the_selects_order_keep_each_objects_rows_together),
		T(a_holder_reached_again_after_other_rows_gets_one_list),
		T(lists_joined_side_by_side_hold_each_object_once),
		T(expired_objects_are_read_again_from_their_rows),
		T(a_page_ordered_by_an_expression_counts_users),
		T(a_page_keeps_nulls_first),
	};
	return RUN_ON_ALL_DIALECTS("joined", tests);
}
