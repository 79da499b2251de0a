/*
 * The expunge and refresh-expire cascades (tests/models/sess.h): an
 * owner's pets take cascade("all"), its toys and the pets' owner pointer
 * SQLAlchemy's default "save-update, merge", which has neither. Expunge,
 * expire and refresh follow the pets where loaded, and no further. Every
 * test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "sess.calx.h"

static int sess_setup(void **state)
{
	return fixture_setup_schema(state, &sess_schema);
}

typedef struct family {
	int64_t owner, pets[2], toy;
} family;

/* A committed owner with pets "p0", "p1" and a toy "t0". */
static family committed_family(fixture *fx)
{
	calx_session *s = fixture_session(fx);
	struct sess_owner *o = sess_owner_new(s, .name = "own");
	struct sess_pet *p[2];
	for (int i = 0; i < 2; i++) {
		assert_non_null(p[i] = sess_pet_new(s));
		snprintf(p[i]->name, sizeof p[i]->name, "p%d", i);
		assert_ok(s, sess_owner_pets_append(s, o, p[i]));
	}
	struct sess_toy *t = sess_toy_new(s, .label = "t0");
	assert_ok(s, sess_owner_toys_append(s, o, t));
	assert_ok(s, calx_session_add(s, o));
	assert_ok(s, calx_session_commit(s));
	family f = { o->id, { p[0]->id, p[1]->id }, t->id };
	calx_session_free(s);
	return f;
}

/* The owner through s with its pets and toys loaded. */
static struct sess_owner *loaded(calx_session *s, const family *f)
{
	struct sess_owner *o;
	assert_ok(s, sess_owner_get(s, f->owner, &o));
	assert_ok(s, sess_owner_pets(s, o, NULL, NULL));
	assert_ok(s, sess_owner_toys(s, o, NULL, NULL));
	assert_int_equal(o->pets.n, 2);
	assert_int_equal(o->toys.n, 1);
	return o;
}

/* Another session commits new names for the pets and the toy. */
static void renamed_elsewhere(fixture *fx, const family *f, const char *pet0, const char *toy)
{
	calx_session *o = fixture_session(fx);
	struct sess_pet *p;
	struct sess_toy *t;
	assert_ok(o, sess_pet_get(o, f->pets[0], &p));
	snprintf(p->name, sizeof p->name, "%s", pet0);
	assert_ok(o, sess_toy_get(o, f->toy, &t));
	t->label = calx_strdup(o, toy);
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);
}

/*
 * Expunging the owner takes its loaded pets out (the next get makes new
 * instances), not its toy (default cascade: the same instance, no SQL).
 */
static void expunge_follows_the_expunge_cascade_only(void **state)
{
	fixture *fx = *state;
	family f = committed_family(fx);
	calx_session *s = fx->s;
	struct sess_owner *o = loaded(s, &f);
	struct sess_pet *p0 = o->pets.items[0], *again;
	struct sess_toy *t0 = o->toys.items[0], *tagain;
	assert_ok(s, calx_session_expunge(s, o));
	uint64_t before = fixture_statements(s);
	assert_ok(s, sess_toy_get(s, f.toy, &tagain));
	assert_ptr_equal(tagain, t0);
	assert_int_equal(fixture_statements(s), before);
	assert_ok(s, sess_pet_get(s, f.pets[0], &again));
	assert_ptr_not_equal(again, p0);
	/* a detached pet comes back by add, as any detached object, unless its row has another instance */
	assert_calx(s, calx_session_add(s, p0), CALX_EUNIQUE);
	assert_ok(s, calx_session_add(s, o->pets.items[1]));
}

/* A pet expunged: its owner pointer has the default cascade, so the owner stays. */
static void expunge_of_a_child_leaves_the_parent(void **state)
{
	fixture *fx = *state;
	family f = committed_family(fx);
	calx_session *s = fx->s;
	struct sess_owner *o = loaded(s, &f), *same;
	struct sess_pet *p0 = o->pets.items[0];
	assert_ok(s, sess_pet_owner(s, p0, NULL));
	assert_ok(s, calx_session_expunge(s, p0));
	uint64_t before = fixture_statements(s);
	assert_ok(s, sess_owner_get(s, f.owner, &same));
	assert_ptr_equal(same, o);
	assert_int_equal(fixture_statements(s), before);
}

/* Pets not loaded are not reached: the instances the session holds for them stay. */
static void expunge_does_not_reach_an_unloaded_list(void **state)
{
	fixture *fx = *state;
	family f = committed_family(fx);
	calx_session *s = fx->s;
	struct sess_owner *o;
	struct sess_pet *p, *again;
	assert_ok(s, sess_pet_get(s, f.pets[0], &p));
	assert_ok(s, sess_owner_get(s, f.owner, &o));
	assert_false(calx_related_is_loaded(s, o, SESS_OWNER_REL_PETS));
	assert_ok(s, calx_session_expunge(s, o));
	assert_ok(s, sess_pet_get(s, f.pets[0], &again));
	assert_ptr_equal(again, p);
}

/*
 * Expiring the owner expires its loaded pets, not its toy nor (from a pet)
 * the owner; the next get of a pet reloads what another session wrote.
 */
static void expire_follows_the_refresh_expire_cascade(void **state)
{
	fixture *fx = *state;
	family f = committed_family(fx);
	calx_session *s = fx->s;
	calx_session_set_expire_on_commit(s, false);
	struct sess_owner *o = loaded(s, &f);
	struct sess_pet *p0 = o->pets.items[0], *p1 = o->pets.items[1], *got;
	struct sess_toy *t0 = o->toys.items[0];
	assert_ok(s, calx_session_commit(s));   /* ends the read transaction: another session may write */
	assert_ok(s, calx_session_expire(s, p1));
	assert_false(calx_object_is_expired(s, o));     /* pet.owner: the default cascade */
	renamed_elsewhere(fx, &f, "renamed", "relabeled");
	assert_ok(s, calx_session_expire(s, o));
	assert_true(calx_object_is_expired(s, o));
	assert_true(calx_object_is_expired(s, p0));
	assert_true(calx_object_is_expired(s, p1));
	assert_false(calx_object_is_expired(s, t0));
	assert_ok(s, sess_pet_get(s, f.pets[0], &got));
	assert_ptr_equal(got, p0);
	assert_string_equal(p0->name, "renamed");
	struct sess_toy *tgot;
	assert_ok(s, sess_toy_get(s, f.toy, &tgot));
	assert_string_equal(tgot->label, "t0");         /* not expired: not reloaded */
	/* only a persistent object */
	struct sess_owner *fresh = sess_owner_new(s, .name = "new");
	assert_calx(s, calx_session_expire(s, fresh), CALX_EINVAL);
}

/*
 * Refreshing the owner reloads its pets at once (one SELECT each, after the
 * owner's), not its toy; a pet whose row another session deleted is
 * detached and reported, the others are refreshed all the same.
 */
static void refresh_follows_the_refresh_expire_cascade(void **state)
{
	fixture *fx = *state;
	family f = committed_family(fx);
	calx_session *s = fx->s;
	calx_session_set_expire_on_commit(s, false);
	struct sess_owner *o = loaded(s, &f);
	struct sess_pet *p0 = o->pets.items[0], *p1 = o->pets.items[1];
	struct sess_toy *t0 = o->toys.items[0];
	assert_ok(s, calx_session_commit(s));
	renamed_elsewhere(fx, &f, "fresh", "newer");
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_refresh(s, o));
	assert_true(fixture_statements(s) - before >= 3);       /* the owner and two pets (and a BEGIN, where counted) */
	assert_string_equal(p0->name, "fresh");
	assert_string_equal(t0->label, "t0");
	assert_false(calx_object_is_expired(s, p0));
	assert_ok(s, calx_session_commit(s));

	calx_session *o2 = fixture_session(fx);
	struct sess_pet *gone;
	assert_ok(o2, sess_pet_get(o2, f.pets[0], &gone));
	assert_ok(o2, calx_session_delete(o2, gone));
	struct sess_pet *p;
	assert_ok(o2, sess_pet_get(o2, f.pets[1], &p));
	snprintf(p->name, sizeof p->name, "last");
	assert_ok(o2, calx_session_commit(o2));
	calx_session_free(o2);
	assert_calx(s, calx_session_refresh(s, o), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(s), "sess_pet"));
	assert_string_equal(p1->name, "last");          /* refreshed although p0's refresh failed */
	assert_calx(s, calx_session_refresh(s, p0), CALX_EINVAL); /* detached now */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sess_setup, fixture_teardown)
		T(expunge_follows_the_expunge_cascade_only),
		T(expunge_of_a_child_leaves_the_parent),
		T(expunge_does_not_reach_an_unloaded_list),
		T(expire_follows_the_refresh_expire_cascade),
		T(refresh_follows_the_refresh_expire_cascade),
	};
	return RUN_ON_ALL_DIALECTS("session_cascade_ops", tests);
}
