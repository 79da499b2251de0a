/*
 * One-to-one relationships (uselist(false), tests/models/o2o.h): setting
 * links both sides and unlinks the previous child (key NULL, deleted with
 * delete-orphan, refused at flush for a NOT NULL key); lazy, select-in
 * and raise loading give a pointer or NULL; two rows for one parent are
 * an error; deletes cascade or unlink; delete-orphan acts through a
 * pointer set to NULL. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "o2o.calx.h"

static int o2o_setup(void **state)
{
	return fixture_setup_schema(state, &o2o_schema);
}

/* A committed user named name, with what the caller linked before (the user is added, cascading). */
static struct o2o_user *user(fixture *fx, const char *name)
{
	struct o2o_user *u = o2o_user_new(fx->s);
	assert_non_null(u);
	snprintf(u->name, sizeof u->name, "%s", name);
	return u;
}

static struct o2o_profile *profile(fixture *fx, const char *bio)
{
	struct o2o_profile *p = o2o_profile_new(fx->s);
	assert_non_null(p);
	snprintf(p->bio, sizeof p->bio, "%s", bio);
	return p;
}

/* The user of key id in a new session s (which the caller frees). */
static struct o2o_user *reload(fixture *fx, calx_session **s, int64_t id)
{
	struct o2o_user *u;
	*s = fixture_session(fx);
	assert_non_null(*s);
	assert_ok(*s, o2o_user_get(*s, id, &u));
	return u;
}

static void setting_links_both_sides_and_the_key(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "ann");
	struct o2o_profile *p = profile(fx, "climber");
	assert_ok(fx->s, o2o_user_set_profile(fx->s, u, p));
	assert_ptr_equal(u->profile, p);
	assert_ptr_equal(p->user, u);
	assert_true(calx_related_is_loaded(fx->s, u, O2O_USER_REL_PROFILE));
	assert_ok(fx->s, calx_session_add(fx->s, u));   /* the profile goes with it (save-update) */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(p->user_id.has_value);
	assert_int_equal(p->user_id.value, u->id);

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_profile *q;
	assert_false(calx_related_is_loaded(s, v, O2O_USER_REL_PROFILE));
	uint64_t before = fixture_statements(s);
	assert_ok(s, o2o_user_profile(s, v, &q));
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_non_null(q);
	assert_string_equal(q->bio, "climber");
	assert_ptr_equal(q->user, v);                   /* the pointer back, loaded with it */
	assert_true(calx_related_is_loaded(s, q, O2O_PROFILE_REL_USER));
	before = fixture_statements(s);
	assert_ok(s, o2o_user_profile(s, v, &q));       /* loaded once */
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_session_free(s);
}

static void no_child_loads_as_null_and_stays_loaded(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "bob");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_profile *q = (struct o2o_profile *)v;
	assert_ok(s, o2o_user_profile(s, v, &q));
	assert_null(q);
	assert_true(calx_related_is_loaded(s, v, O2O_USER_REL_PROFILE));   /* loaded, and NULL */
	uint64_t before = fixture_statements(s);
	assert_ok(s, o2o_user_profile(s, v, &q));
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_session_free(s);
}

static void replacing_a_child_unlinks_the_previous_one(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "cy");
	assert_ok(fx->s, o2o_user_set_profile(fx->s, u, profile(fx, "first")));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t old_id = u->profile->id;

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_profile *second = o2o_profile_new(s), *first;
	assert_non_null(second);
	snprintf(second->bio, sizeof second->bio, "second");
	assert_ok(s, o2o_user_set_profile(s, v, second));  /* loads the first, to unlink it */
	assert_ok(s, o2o_profile_get(s, old_id, &first));
	assert_null(first->user);
	assert_ptr_equal(v->profile, second);
	assert_ptr_equal(second->user, v);
	assert_ok(s, calx_session_commit(s));
	assert_false(first->user_id.has_value);         /* the row stays, its key NULL */
	assert_int_equal(second->user_id.value, v->id);
	calx_session_free(s);

	v = reload(fx, &s, u->id);
	struct o2o_profile *now;
	assert_ok(s, o2o_user_profile(s, v, &now));
	assert_string_equal(now->bio, "second");
	assert_int_equal(count_rows(fx, &o2o_profile_mapper), 2);
	/* and NULL unlinks it too */
	assert_ok(s, o2o_user_set_profile(s, v, NULL));
	assert_null(now->user);
	assert_ok(s, calx_session_commit(s));
	assert_false(now->user_id.has_value);
	calx_session_free(s);
}

static void a_replaced_child_with_delete_orphan_is_deleted(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "dee");
	struct o2o_passport *p1 = o2o_passport_new(fx->s, .number = "P1");
	assert_ok(fx->s, o2o_user_set_passport(fx->s, u, p1));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_passport *p2 = o2o_passport_new(s, .number = "P2"), *now;
	assert_ok(s, o2o_user_set_passport(s, v, p2));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &o2o_passport_mapper), 1);
	calx_session_free(s);
	v = reload(fx, &s, u->id);
	assert_ok(s, o2o_user_passport(s, v, &now));
	assert_string_equal(now->number, "P2");
	/* through the pointer on the child's side: set to NULL, an orphan, deleted */
	assert_ok(s, o2o_passport_set_user(s, now, NULL));
	assert_null(v->passport);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &o2o_passport_mapper), 0);
	calx_session_free(s);
}

static void a_not_null_key_refuses_the_replacement_at_flush_and_can_be_retried(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "eve");
	struct o2o_card *c1 = o2o_card_new(fx->s, .pan = "1111");
	assert_ok(fx->s, o2o_user_set_card(fx->s, u, c1));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t c1_id = c1->id;

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_card *c2 = o2o_card_new(s, .pan = "2222"), *old;
	assert_ok(s, o2o_user_set_card(s, v, c2));
	assert_calx(s, calx_session_commit(s), CALX_ENOTNULL);
	assert_non_null(strstr(calx_session_errmsg(s), "o2o_card.user"));
	assert_int_equal(count_rows(fx, &o2o_card_mapper), 1);   /* the database as it was */
	/* the old card goes: the same flush then works */
	assert_ok(s, o2o_card_get(s, c1_id, &old));
	assert_ok(s, calx_session_delete(s, old));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &o2o_card_mapper), 1);
	assert_int_equal(c2->user_id, v->id);
	calx_session_free(s);
}

static void a_child_without_a_pointer_back_gets_the_key(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "fay");
	struct o2o_badge *b1 = o2o_badge_new(fx->s, .label = "gold");
	assert_ok(fx->s, o2o_user_set_badge(fx->s, u, b1));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(b1->user_id.value, u->id);
	struct o2o_badge *b2 = o2o_badge_new(fx->s, .label = "silver");
	assert_ok(fx->s, o2o_user_set_badge(fx->s, u, b2));
	assert_false(b1->user_id.has_value);            /* no pointer back: the key goes NULL at once */
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(b2->user_id.value, u->id);

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_badge *now;
	assert_ok(s, o2o_user_badge(s, v, &now));
	assert_string_equal(now->label, "silver");
	calx_session_free(s);
}

static void raise_refuses_to_load_and_a_program_set_key_is_loaded(void **state)
{
	fixture *fx = *state;
	struct o2o_locker *l = o2o_locker_new(fx->s);
	assert_ok(fx->s, calx_session_add(fx->s, l));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_ok(fx->s, calx_session_add(fx->s, o2o_key_new(fx->s, .locker_id = CALX_SOME(l->id))));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	struct o2o_locker *m;
	struct o2o_key *k = NULL;
	assert_ok(s, o2o_locker_get(s, l->id, &m));
	assert_calx(s, o2o_locker_key(s, m, &k), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "o2o_locker.key"));
	assert_null(k);
	assert_false(calx_related_is_loaded(s, m, O2O_LOCKER_REL_KEY));
	/* a new locker's key is what the program set: loaded */
	struct o2o_locker *n = o2o_locker_new(s);
	assert_ok(s, o2o_locker_key(s, n, &k));
	assert_null(k);
	calx_session_free(s);
}

static void two_rows_for_one_parent_are_an_error(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "gus");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_flush(fx->s));
	for (int i = 0; i < 2; i++) {
		struct o2o_badge *b = o2o_badge_new(fx->s, .label = "twin", .user_id = CALX_SOME(u->id));
		assert_ok(fx->s, calx_session_add(fx->s, b));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	struct o2o_badge *b = NULL;
	assert_calx(s, o2o_user_badge(s, v, &b), CALX_EMULTIPLE);
	assert_non_null(strstr(calx_session_errmsg(s), "one-to-one"));
	assert_false(calx_related_is_loaded(s, v, O2O_USER_REL_BADGE));
	calx_session_free(s);
	/* select-in says so too, and loads nothing */
	s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &o2o_user_mapper);
	void **items;
	size_t n;
	assert_ok(s, calx_select_load(q, O2O_USER_REL_BADGE, CALX_LOAD_SELECTIN));
	assert_calx(s, calx_select_all(q, &items, &n), CALX_EMULTIPLE);
	calx_select_free(q);
	calx_session_free(s);
	/* and so does a joined load */
	s = fixture_session(fx);
	q = calx_select_new(s, &o2o_user_mapper);
	assert_ok(s, calx_select_load(q, O2O_USER_REL_BADGE, CALX_LOAD_JOINED));
	assert_calx(s, calx_select_all(q, &items, &n), CALX_EMULTIPLE);
	assert_non_null(strstr(calx_session_errmsg(s), "one-to-one"));
	calx_select_free(q);
	calx_session_free(s);
}

/* Every user's profile by one more statement (select-in) or in the users' own (joined). */
static void load_every_users_profile(void **state, calx_loading how, uint64_t n_statements)
{
	fixture *fx = *state;
	enum { N = 10 };
	for (int i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof name, "u%02d", i);
		struct o2o_user *u = user(fx, name);
		if (i % 2 == 0) {
			char bio[16];
			snprintf(bio, sizeof bio, "bio%02d", i);
			assert_ok(fx->s, o2o_user_set_profile(fx->s, u, profile(fx, bio)));
		}
		assert_ok(fx->s, calx_session_add(fx->s, u));
	}
	assert_ok(fx->s, calx_session_commit(fx->s));

	calx_session *s = fixture_session(fx);
	struct o2o_user *none;
	assert_calx(s, o2o_user_get(s, -1, &none), CALX_ENOTFOUND);    /* the transaction begun */
	calx_select *q = calx_select_new(s, &o2o_user_mapper);
	calx_order_by(q, O2O_USER_NAME, CALX_ASC);
	assert_ok(s, calx_select_load(q, O2O_USER_REL_PROFILE, how));
	void **items;
	size_t n;
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, N);
	assert_int_equal(fixture_statements(s) - before, n_statements);
	before = fixture_statements(s);
	for (size_t i = 0; i < n; i++) {
		struct o2o_user *u = items[i];
		struct o2o_profile *p;
		assert_true(calx_related_is_loaded(s, u, O2O_USER_REL_PROFILE));
		assert_ok(s, o2o_user_profile(s, u, &p));
		if (i % 2) {
			assert_null(p);
			continue;
		}
		char bio[16];
		snprintf(bio, sizeof bio, "bio%02d", (int)(i % 100));
		assert_non_null(p);
		assert_string_equal(p->bio, bio);
		assert_ptr_equal(p->user, u);
	}
	assert_int_equal(fixture_statements(s) - before, 0);
	calx_select_free(q);
	calx_session_free(s);
}

static void select_in_loads_every_users_profile_in_one_statement(void **state)
{
	load_every_users_profile(state, CALX_LOAD_SELECTIN, 2);
}

static void joined_loads_every_users_profile_in_the_users_statement(void **state)
{
	load_every_users_profile(state, CALX_LOAD_JOINED, 1);
}

static void deleting_the_parent_deletes_or_unlinks_its_children(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "hal");
	assert_ok(fx->s, o2o_user_set_profile(fx->s, u, profile(fx, "kept")));
	assert_ok(fx->s, o2o_user_set_passport(fx->s, u, o2o_passport_new(fx->s, .number = "H1")));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	int64_t pid = u->profile->id;

	calx_session *s;
	struct o2o_user *v = reload(fx, &s, u->id);
	assert_ok(s, calx_session_delete(s, v));        /* loads both to decide */
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(count_rows(fx, &o2o_user_mapper), 0);
	assert_int_equal(count_rows(fx, &o2o_passport_mapper), 0);     /* cascade("all") */
	s = fixture_session(fx);
	struct o2o_profile *p;
	assert_ok(s, o2o_profile_get(s, pid, &p));
	assert_false(p->user_id.has_value);             /* the default: its key NULL */
	calx_session_free(s);

	/* a NOT NULL key refuses the parent's delete, before anything changes */
	struct o2o_user *w = user(fx, "ida");
	assert_ok(fx->s, o2o_user_set_card(fx->s, w, o2o_card_new(fx->s, .pan = "9")));
	assert_ok(fx->s, calx_session_add(fx->s, w));
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct o2o_user *x = reload(fx, &s, w->id);
	assert_calx(s, calx_session_delete(s, x), CALX_ENOTNULL);
	calx_session_free(s);
}

/* Delete-orphan through the many-to-one of a list's child (SQLAlchemy: an object de-associated from its parent). */
static void delete_orphan_acts_through_the_childs_pointer(void **state)
{
	fixture *fx = *state;
	struct o2o_node *a = o2o_node_new(fx->s, .name = "a"), *b = o2o_node_new(fx->s, .name = "b");
	struct o2o_node *k[3];
	for (int i = 0; i < 3; i++) {
		k[i] = o2o_node_new(fx->s, .name = "k");
		assert_ok(fx->s, o2o_node_children_append(fx->s, a, k[i]));
	}
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_add(fx->s, b));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 5);

	/* through the helper: deleted at once (at the next flush) */
	assert_ok(fx->s, o2o_node_set_parent(fx->s, k[0], NULL));
	assert_int_equal(a->children.n, 2);
	/* by assigning the pointer: the flush finds the orphan */
	k[1]->parent = NULL;
	/* moved to another parent: not an orphan */
	assert_ok(fx->s, o2o_node_set_parent(fx->s, k[2], b));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &o2o_node_mapper), 3);
	assert_int_equal(k[2]->parent_id.value, b->id);

	calx_session *s = fixture_session(fx);
	struct o2o_node *b2, **kids;
	size_t n;
	assert_ok(s, o2o_node_get(s, b->id, &b2));
	assert_ok(s, o2o_node_children(s, b2, &kids, &n));
	assert_int_equal(n, 1);
	assert_int_equal(kids[0]->id, k[2]->id);
	calx_session_free(s);
}

static void a_pointer_of_the_wrong_kind_is_refused(void **state)
{
	fixture *fx = *state;
	struct o2o_user *u = user(fx, "jo");
	struct o2o_card *c = o2o_card_new(fx->s, .pan = "1");
	assert_calx(fx->s, calx_related_set(fx->s, u, O2O_USER_REL_PROFILE, c), CALX_ETYPE);
	assert_calx(fx->s, calx_related_append(fx->s, u, O2O_USER_REL_PROFILE, c), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "calx_related_set"));
	assert_null(u->profile);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, o2o_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(setting_links_both_sides_and_the_key),
		T(no_child_loads_as_null_and_stays_loaded),
		T(replacing_a_child_unlinks_the_previous_one),
		T(a_replaced_child_with_delete_orphan_is_deleted),
		T(a_not_null_key_refuses_the_replacement_at_flush_and_can_be_retried),
		T(a_child_without_a_pointer_back_gets_the_key),
		T(raise_refuses_to_load_and_a_program_set_key_is_loaded),
		T(two_rows_for_one_parent_are_an_error),
		T(select_in_loads_every_users_profile_in_one_statement),
		T(joined_loads_every_users_profile_in_the_users_statement),
		T(deleting_the_parent_deletes_or_unlinks_its_children),
		T(delete_orphan_acts_through_the_childs_pointer),
		T(a_pointer_of_the_wrong_kind_is_refused),
	};
	return RUN_ON_ALL_DIALECTS("one_to_one", tests);
}
