/*
 * The relationships' last gaps (tests/models/gaps.h), on SQLite and
 * PostgreSQL:
 * - ON DELETE SET NULL mirrored in memory: after a flush deletes a team,
 *   the players and notes the session holds have the key NULL, as their
 *   rows do, their pointer NULL, and no write left to do; a failed flush,
 *   a rollback and a rollback to a savepoint leave or put back the keys;
 *   a league deleted takes its teams by the database's CASCADE and their
 *   players' keys go NULL, each player out of its team's loaded list.
 * - A delete cascade on a many-to-one whose pointer is not loaded: the
 *   target is loaded (one get, or the identity map) and deleted; on a
 *   one-to-many with passive_deletes, nothing is loaded.
 * - Association objects: order lines keyed by (order_id, item_id) with a
 *   quantity, built through the helpers and written by one flush, loaded
 *   order -> lines -> item select-in, a line removed (delete-orphan), an
 *   order deleted with its lines.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "gaps.calx.h"

static int gaps_setup(void **state)
{
	return fixture_setup_schema(state, &gaps_schema);
}

/* A committed team with two players and a note; keys out. */
static int64_t team_with(fixture *fx, int64_t league, int64_t *players, int64_t *note)
{
	calx_session *s = fx->s;
	struct gap_team *t = gap_team_new(s, .name = "reds");
	assert_non_null(t);
	if (league)
		t->league_id = (calx_opt_int64)CALX_SOME(league);
	assert_ok(s, calx_session_add(s, t));
	struct gap_player *p[2];
	for (int i = 0; i < 2; i++) {
		assert_non_null(p[i] = gap_player_new(s));
		snprintf(p[i]->name, sizeof p[i]->name, "p%d", i);
		assert_ok(s, gap_team_players_append(s, t, p[i]));
	}
	assert_ok(s, calx_session_flush(s));
	struct gap_note *n = gap_note_new(s, .text = "memo", .team_id = CALX_SOME(t->id));
	assert_non_null(n);
	assert_ok(s, calx_session_add(s, n));
	assert_ok(s, calx_session_commit(s));
	players[0] = p[0]->id;
	players[1] = p[1]->id;
	*note = n->id;
	return t->id;
}

/* The key as a new session reads it from the row: -1 for NULL. */
static int64_t player_team_in_db(fixture *fx, int64_t player)
{
	calx_session *s = fixture_session(fx);
	struct gap_player *p;
	assert_ok(s, gap_player_get(s, player, &p));
	int64_t v = p->team_id.has_value ? p->team_id.value : -1;
	calx_session_free(s);
	return v;
}

/*
 * passive_deletes over SET NULL: the team's list is not loaded, the
 * database clears the players' keys (and the note's, which no
 * relationship names), and the session's objects say so after the flush:
 * key NULL, pointer NULL and loaded, nothing for the next flush to write.
 */
static void set_null_is_mirrored_on_the_objects_the_session_holds(void **state)
{
	fixture *fx = *state;
	int64_t players[2], note;
	int64_t id = team_with(fx, 0, players, &note);
	calx_session *s = fixture_session(fx);
	struct gap_team *t, *via;
	struct gap_player *p0, *p1;
	struct gap_note *n;
	assert_ok(s, gap_team_get(s, id, &t));
	assert_ok(s, gap_player_get(s, players[0], &p0));
	assert_ok(s, gap_player_get(s, players[1], &p1));
	assert_ok(s, gap_player_team(s, p1, &via));     /* p1's pointer loaded: the team, from the identity map */
	assert_ptr_equal(via, t);
	assert_ok(s, gap_note_get(s, note, &n));
	assert_ok(s, calx_session_delete(s, t));
	assert_false(calx_related_is_loaded(s, t, GAP_TEAM_REL_PLAYERS));
	assert_ok(s, calx_session_flush(s));
	assert_false(p0->team_id.has_value);
	assert_false(p1->team_id.has_value);
	assert_null(p1->team);
	assert_false(n->team_id.has_value);
	/* nothing left to write, and the pointers need no statement: the NULL key names no team */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, gap_player_team(s, p0, &via));
	assert_null(via);
	assert_ok(s, gap_player_team(s, p1, &via));
	assert_null(via);
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(player_team_in_db(fx, players[0]), -1);
	assert_int_equal(player_team_in_db(fx, players[1]), -1);
	assert_int_equal(count_rows(fx, &gap_team_mapper), 0);
	assert_int_equal(count_rows(fx, &gap_player_mapper), 2);
	assert_int_equal(count_rows(fx, &gap_note_mapper), 1);
}

/* A rollback puts the keys back, as the rows are; so does a rollback to a savepoint. */
static void a_rollback_puts_the_cleared_keys_back(void **state)
{
	fixture *fx = *state;
	int64_t players[2], note;
	int64_t id = team_with(fx, 0, players, &note);
	calx_session *s = fixture_session(fx);
	struct gap_team *t;
	struct gap_player *p0;
	struct gap_note *n;
	assert_ok(s, gap_player_get(s, players[0], &p0));
	assert_ok(s, gap_note_get(s, note, &n));
	assert_ok(s, calx_session_begin_nested(s));
	assert_ok(s, gap_team_get(s, id, &t));
	assert_ok(s, calx_session_delete(s, t));
	assert_ok(s, calx_session_flush(s));
	assert_false(p0->team_id.has_value);
	assert_ok(s, calx_session_rollback_nested(s));
	assert_true(p0->team_id.has_value);
	assert_int_equal(p0->team_id.value, id);
	assert_int_equal(n->team_id.value, id);
	/* the whole transaction now */
	assert_ok(s, gap_team_get(s, id, &t));
	assert_ok(s, calx_session_delete(s, t));
	assert_ok(s, calx_session_flush(s));
	assert_false(n->team_id.has_value);
	assert_ok(s, calx_session_rollback(s));
	assert_true(n->team_id.has_value);     /* the value the transaction found, before any reload */
	assert_int_equal(n->team_id.value, id);
	assert_ok(s, gap_note_get(s, note, &n));
	assert_true(n->team_id.has_value);
	assert_int_equal(n->team_id.value, id);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_team_mapper), 1);
	assert_int_equal(player_team_in_db(fx, players[0]), id);
}

/*
 * A failed flush: two teams deleted, the second's badge refuses SET NULL
 * (its key is NOT NULL), so the database takes nothing back but the error;
 * the first team's players keep their keys and pointers in memory too.
 */
static void a_failed_flush_leaves_the_keys_as_they_were(void **state)
{
	fixture *fx = *state;
	int64_t players[2], note, other[2], other_note;
	int64_t id = team_with(fx, 0, players, &note);
	int64_t id2 = team_with(fx, 0, other, &other_note);
	calx_session *s0 = fx->s;
	struct gap_badge *b = gap_badge_new(s0, .team_id = id2);
	assert_non_null(b);
	assert_ok(s0, calx_session_add(s0, b));
	assert_ok(s0, calx_session_commit(s0));

	calx_session *s = fixture_session(fx);
	struct gap_team *t, *t2, *via;
	struct gap_player *p0;
	assert_ok(s, gap_team_get(s, id, &t));
	assert_ok(s, gap_team_get(s, id2, &t2));
	assert_ok(s, gap_player_get(s, players[0], &p0));
	assert_ok(s, gap_player_team(s, p0, &via));
	assert_ok(s, calx_session_delete(s, t));
	assert_ok(s, calx_session_delete(s, t2));
	assert_int_not_equal(calx_session_flush(s), CALX_OK);
	assert_true(p0->team_id.has_value);
	assert_int_equal(p0->team_id.value, id);
	assert_ptr_equal(p0->team, t);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_team_mapper), 2);
	assert_int_equal(player_team_in_db(fx, players[0]), id);
	assert_int_equal(player_team_in_db(fx, other[0]), id2);
}

/*
 * The database's CASCADE, then its SET NULL: a league deleted takes its
 * team (gone from the session), whose players' keys go NULL; each leaves
 * the team's list, which the session had loaded.
 */
static void a_cascade_then_set_null_empties_the_loaded_list(void **state)
{
	fixture *fx = *state;
	calx_session *s0 = fx->s;
	struct gap_league *l = gap_league_new(s0, .name = "north");
	assert_non_null(l);
	assert_ok(s0, calx_session_add(s0, l));
	assert_ok(s0, calx_session_commit(s0));
	int64_t players[2], note;
	int64_t id = team_with(fx, l->id, players, &note);

	calx_session *s = fixture_session(fx);
	struct gap_league *l2;
	struct gap_team *t, *gone;
	struct gap_player **ps;
	size_t n;
	assert_ok(s, gap_team_get(s, id, &t));
	assert_ok(s, gap_team_players(s, t, &ps, &n));
	assert_int_equal(n, 2);
	struct gap_player *p0 = ps[0], *p1 = ps[1];
	assert_ptr_equal(p0->team, t);
	assert_ok(s, gap_league_get(s, l->id, &l2));
	assert_ok(s, calx_session_delete(s, l2));
	assert_ok(s, calx_session_commit(s));
	assert_calx(s, gap_team_get(s, id, &gone), CALX_ENOTFOUND);
	assert_int_equal(t->players.n, 0);
	assert_null(p0->team);
	assert_null(p1->team);
	assert_false(p0->team_id.has_value);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_team_mapper), 0);
	assert_int_equal(player_team_in_db(fx, players[1]), -1);
}

/*
 * cascade("all") on a car's owner: deleting a car read by a new session
 * (its pointer not loaded) loads the owner (one get) and deletes it; an
 * owner the session holds costs no statement; a car without one, none.
 */
static void a_many_to_one_delete_cascade_loads_the_target(void **state)
{
	fixture *fx = *state;
	calx_session *s0 = fx->s;
	struct gap_owner *o1 = gap_owner_new(s0, .name = "ann"), *o2 = gap_owner_new(s0, .name = "bob");
	struct gap_car *c1 = gap_car_new(s0, .plate = "A-1"), *c2 = gap_car_new(s0, .plate = "B-2"),
	               *c3 = gap_car_new(s0, .plate = "C-3");
	assert_non_null(o1);
	assert_non_null(o2);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_non_null(c3);
	assert_ok(s0, gap_car_set_owner(s0, c1, o1));
	assert_ok(s0, gap_car_set_owner(s0, c2, o2));
	assert_ok(s0, calx_session_add(s0, c1));
	assert_ok(s0, calx_session_add(s0, c2));
	assert_ok(s0, calx_session_add(s0, c3));
	assert_ok(s0, calx_session_commit(s0));

	calx_session *s = fixture_session(fx);
	struct gap_car *car;
	struct gap_owner *held;
	assert_ok(s, gap_car_get(s, c1->id, &car));
	assert_false(calx_related_is_loaded(s, car, GAP_CAR_REL_OWNER));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_delete(s, car));
	assert_int_equal(fixture_statements(s) - before, 1);    /* the owner's get */
	assert_non_null(car->owner);
	assert_ok(s, calx_session_commit(s));
	/* the owner in the identity map already: no statement */
	assert_ok(s, gap_owner_get(s, o2->id, &held));
	assert_ok(s, gap_car_get(s, c2->id, &car));
	before = fixture_statements(s);
	assert_ok(s, calx_session_delete(s, car));
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_ptr_equal(car->owner, held);
	/* no owner: nothing to load */
	assert_ok(s, gap_car_get(s, c3->id, &car));
	before = fixture_statements(s);
	assert_ok(s, calx_session_delete(s, car));
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_car_mapper), 0);
	assert_int_equal(count_rows(fx, &gap_owner_mapper), 0);
}

/*
 * A one-to-many with the delete cascade and passive_deletes, not loaded:
 * the delete loads nothing and the database's CASCADE takes the members
 * (the session hands out none of them after); loaded, the flush deletes
 * the members itself, as SQLAlchemy does with the objects it holds.
 */
static void passive_deletes_with_the_delete_cascade_load_nothing(void **state)
{
	fixture *fx = *state;
	calx_session *s0 = fx->s;
	int64_t crew[2], member[2];
	for (int k = 0; k < 2; k++) {
		struct gap_crew *c = gap_crew_new(s0, .name = "crew");
		struct gap_member *m = gap_member_new(s0, .name = "m");
		assert_non_null(c);
		assert_non_null(m);
		assert_ok(s0, gap_crew_members_append(s0, c, m));
		assert_ok(s0, calx_session_add(s0, c));
		assert_ok(s0, calx_session_flush(s0));
		crew[k] = c->id;
		member[k] = m->id;
	}
	assert_ok(s0, calx_session_commit(s0));

	calx_session *s = fixture_session(fx);
	struct gap_crew *c;
	struct gap_member *m, *again;
	assert_ok(s, gap_crew_get(s, crew[0], &c));
	assert_ok(s, gap_member_get(s, member[0], &m));
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_delete(s, c));
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_false(calx_related_is_loaded(s, c, GAP_CREW_REL_MEMBERS));
	assert_ok(s, calx_session_flush(s));
	assert_calx(s, gap_member_get(s, member[0], &again), CALX_ENOTFOUND);
	/* the list loaded: its members are the flush's own deletes */
	struct gap_member **ms;
	size_t n;
	assert_ok(s, gap_crew_get(s, crew[1], &c));
	assert_ok(s, gap_crew_members(s, c, &ms, &n));
	assert_int_equal(n, 1);
	assert_ok(s, calx_session_delete(s, c));
	assert_ok(s, calx_session_commit(s));
	assert_calx(s, gap_member_get(s, member[1], &again), CALX_ENOTFOUND);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_crew_mapper), 0);
	assert_int_equal(count_rows(fx, &gap_member_mapper), 0);
}

/*
 * A loaded crew whose list (no back-reference) gets a new member: the
 * flush reaches the member and sets its key from the crew's list, a
 * persistent object with relationships the flush must walk. A crew
 * whose list was never loaded, beside it, is passed over and keeps its
 * members.
 */
static void a_loaded_list_without_a_back_reference_gives_its_new_member_the_key(void **state)
{
	fixture *fx = *state;
	calx_session *s0 = fx->s;
	struct gap_crew *c0 = gap_crew_new(s0, .name = "loaded"), *c1 = gap_crew_new(s0, .name = "idle");
	struct gap_member *m0 = gap_member_new(s0, .name = "first"), *m1 = gap_member_new(s0, .name = "other");
	assert_ok(s0, gap_crew_members_append(s0, c0, m0));
	assert_ok(s0, gap_crew_members_append(s0, c1, m1));
	assert_ok(s0, calx_session_add(s0, c0));
	assert_ok(s0, calx_session_add(s0, c1));
	assert_ok(s0, calx_session_commit(s0));
	int64_t crew = c0->id, idle = c1->id;

	calx_session *s = fixture_session(fx);
	struct gap_crew *c, *d;
	struct gap_member **ms;
	size_t n;
	assert_ok(s, gap_crew_get(s, crew, &c));
	assert_ok(s, gap_crew_get(s, idle, &d));
	assert_ok(s, gap_crew_members(s, c, &ms, &n));
	assert_int_equal(n, 1);
	struct gap_member *added = gap_member_new(s, .name = "second");
	assert_non_null(added);
	assert_ok(s, gap_crew_members_append(s, c, added));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(added->crew_id, crew);
	calx_session_free(s);

	s = fixture_session(fx);
	assert_ok(s, gap_crew_get(s, crew, &c));
	assert_ok(s, gap_crew_members(s, c, &ms, &n));
	assert_int_equal(n, 2);
	assert_ok(s, gap_crew_get(s, idle, &d));
	assert_ok(s, gap_crew_members(s, d, &ms, &n));
	assert_int_equal(n, 1);
	assert_string_equal(ms[0]->name, "other");
	calx_session_free(s);
}

/* An order of two lines over two items, built in memory through the helpers; one flush. */
static int64_t order_with_lines(fixture *fx, int64_t *items)
{
	calx_session *s = fx->s;
	struct gap_order *o = gap_order_new(s, .customer = "cy");
	struct gap_item *it[2] = { gap_item_new(s, .name = "nut"), gap_item_new(s, .name = "bolt") };
	assert_non_null(o);
	assert_non_null(it[0]);
	assert_non_null(it[1]);
	struct gap_line *ln[2];
	for (int k = 0; k < 2; k++) {
		assert_non_null(ln[k] = gap_line_new(s, .quantity = 3 + k));
		assert_ok(s, gap_order_lines_append(s, o, ln[k]));
		assert_ok(s, gap_line_set_item(s, ln[k], it[k]));
		assert_ptr_equal(it[k]->lines.items[0], ln[k]);     /* the item's side follows (set by the program: loaded) */
	}
	assert_ok(s, calx_session_add(s, o));       /* the lines and, through them, the items by save-update */
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_true(fixture_statements(s) - before >= 3);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(ln[k]->order_id, o->id);   /* both parents' keys, generated, in the line's key */
		assert_int_equal(ln[k]->item_id, it[k]->id);
		items[k] = it[k]->id;
	}
	assert_ok(s, calx_session_commit(s));
	return o->id;
}

static struct gap_line *line_get(calx_session *s, int64_t order, int64_t item, int want)
{
	calx_value key[2] = { calx_v(order), calx_v(item) };
	void *out = NULL;
	assert_calx(s, calx_session_get_key(s, &gap_line_mapper, key, 2, &out), want);
	return out;
}

static void association_objects_load_select_in_and_cascade(void **state)
{
	fixture *fx = *state;
	int64_t items[2];
	int64_t id = order_with_lines(fx, items);
	assert_int_equal(count_rows(fx, &gap_line_mapper), 2);

	/* order -> lines -> item: the orders, then one statement per level */
	calx_session *s = fixture_session(fx);
	struct gap_order *none;
	assert_calx(s, gap_order_get(s, -1, &none), CALX_ENOTFOUND);  /* the transaction begun: BEGIN not counted */
	calx_select *q = calx_select_new(s, &gap_order_mapper);
	assert_non_null(q);
	const calx_relationship_desc *path[] = { GAP_ORDER_REL_LINES, GAP_LINE_REL_ITEM };
	assert_ok(s, calx_select_load_path(q, path, 2, CALX_LOAD_SELECTIN));
	void **os;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &os, &n));
	assert_int_equal(fixture_statements(s) - before, 3);
	assert_int_equal(n, 1);
	struct gap_order *o = os[0];
	calx_select_free(q);
	before = fixture_statements(s);
	assert_int_equal(o->lines.n, 2);
	struct gap_line *first = NULL;
	for (size_t k = 0; k < 2; k++) {
		/* in key order; the flush may have inserted the items in either order */
		struct gap_line *ln = o->lines.items[k];
		struct gap_item *it;
		assert_ptr_equal(ln->order, o);
		assert_ok(s, gap_line_item(s, ln, &it));
		int j = it->id == items[0] ? 0 : 1;
		assert_int_equal(it->id, items[j]);
		assert_int_equal(ln->quantity, 3 + j);
		assert_true(k == 0 || o->lines.items[0]->item_id < ln->item_id);
		if (j == 0)
			first = ln;
	}
	assert_int_equal(fixture_statements(s) - before, 0);

	/* delete-orphan: a line out of its order's list goes at the flush; the item stays */
	assert_non_null(first);
	assert_ok(s, gap_order_lines_remove(s, o, first));
	assert_ok(s, calx_session_commit(s));
	(void)line_get(s, id, items[0], CALX_ENOTFOUND);
	assert_non_null(line_get(s, id, items[1], CALX_OK));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_line_mapper), 1);
	assert_int_equal(count_rows(fx, &gap_item_mapper), 2);

	/* the order deleted by a new session: its lines, not loaded, are loaded and deleted with it */
	s = fixture_session(fx);
	assert_ok(s, gap_order_get(s, id, &o));
	assert_false(calx_related_is_loaded(s, o, GAP_ORDER_REL_LINES));
	assert_ok(s, calx_session_delete(s, o));
	assert_true(calx_related_is_loaded(s, o, GAP_ORDER_REL_LINES));
	assert_ok(s, calx_session_commit(s));
	(void)line_get(s, id, items[1], CALX_ENOTFOUND);
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &gap_order_mapper), 0);
	assert_int_equal(count_rows(fx, &gap_line_mapper), 0);
	assert_int_equal(count_rows(fx, &gap_item_mapper), 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, gaps_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(set_null_is_mirrored_on_the_objects_the_session_holds),
		T(a_rollback_puts_the_cleared_keys_back),
		T(a_failed_flush_leaves_the_keys_as_they_were),
		T(a_cascade_then_set_null_empties_the_loaded_list),
		T(a_many_to_one_delete_cascade_loads_the_target),
		T(passive_deletes_with_the_delete_cascade_load_nothing),
		T(a_loaded_list_without_a_back_reference_gives_its_new_member_the_key),
		T(association_objects_load_select_in_and_cascade),
	};
	return RUN_ON_ALL_DIALECTS("rel_gaps", tests);
}
