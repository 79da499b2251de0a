/*
 * Merge along relationships (tests/models/sess.h): an object of another
 * session (calx_session_merge_from) and a plain struct the program filled
 * (calx_session_merge_value) become this session's objects, with the merge
 * cascade taking their pets (cascade("all")) and toys (the default
 * "save-update, merge"); a detached object of this session brings its
 * detached children back the same way. Then the refusals: a mapper of
 * another registry, an object not of the session named, a failed flush, a
 * key deleted in the session. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"
#include "sess.calx.h"

static int sess_setup(void **state)
{
	return fixture_setup_schema(state, &sess_schema);
}

static struct sess_pet *new_pet(calx_session *s, const char *name)
{
	struct sess_pet *p = sess_pet_new(s);
	assert_non_null(p);
	snprintf(p->name, sizeof p->name, "%s", name);
	return p;
}

/* A committed owner with the pets and toys named; its key out. */
static int64_t owner_with(fixture *fx, const char *name, const char *const *pets, int n_pets,
                          const char *const *toys, int n_toys)
{
	calx_session *s = fixture_session(fx);
	assert_non_null(s);
	struct sess_owner *o = sess_owner_new(s, .name = calx_strdup(s, name));
	assert_non_null(o);
	for (int i = 0; i < n_pets; i++)
		assert_ok(s, sess_owner_pets_append(s, o, new_pet(s, pets[i])));
	for (int i = 0; i < n_toys; i++) {
		struct sess_toy *t = sess_toy_new(s, .label = calx_strdup(s, toys[i]));
		assert_non_null(t);
		assert_ok(s, sess_owner_toys_append(s, o, t));
	}
	assert_ok(s, calx_session_add(s, o));
	assert_ok(s, calx_session_commit(s));
	int64_t id = o->id;
	calx_session_free(s);
	return id;
}

/* The committed pets of owner id, by name order, into names (a fresh session reads them). */
static size_t pets_in_db(fixture *fx, int64_t owner_id, char names[][24], size_t cap)
{
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &sess_pet_mapper);
	calx_where(q, calx_compare(CALX_OP_EQ, SESS_PET_OWNER_ID, calx_value_int(owner_id)));
	calx_order_by(q, SESS_PET_NAME, CALX_ASC);
	void **items;
	size_t n = 0;
	assert_ok(s, calx_select_all(q, &items, &n));
	for (size_t i = 0; i < n && i < cap; i++)
		snprintf(names[i], 24, "%s", ((struct sess_pet *)items[i])->name);
	calx_select_free(q);
	calx_session_free(s);
	return n;
}

static void owner_in_db(fixture *fx, int64_t id, char *name, size_t cap, int32_t *age)
{
	calx_session *s = fixture_session(fx);
	struct sess_owner *o;
	assert_ok(s, sess_owner_get(s, id, &o));
	snprintf(name, cap, "%s", o->name ? o->name : "(null)");
	*age = o->age.has_value ? o->age.value : -1;
	calx_session_free(s);
}

/*
 * An owner read by one session, its pets and toys loaded and changed there,
 * merged into another: the instance is the merging session's, its lists
 * hold that session's objects (back-pointers to it), the text is copied
 * (the first session is freed before the commit), and the commit writes
 * the changes of the owner, a pet and a toy.
 */
static void merge_from_another_session_brings_the_loaded_graph(void **state)
{
	fixture *fx = *state;
	static const char *const pets[] = { "rex", "tom" }, *const toys[] = { "ball" };
	int64_t id = owner_with(fx, "ann", pets, 2, toys, 1);
	calx_session *theirs = fixture_session(fx);
	struct sess_owner *o;
	struct sess_pet **ps;
	struct sess_toy **ts;
	size_t np, nt;
	assert_ok(theirs, sess_owner_get(theirs, id, &o));
	assert_ok(theirs, sess_owner_pets(theirs, o, &ps, &np));
	assert_ok(theirs, sess_owner_toys(theirs, o, &ts, &nt));
	assert_int_equal(np, 2);
	o->name = calx_strdup(theirs, "anna");
	calx_opt_set(&o->age, 41);
	snprintf(ps[1]->name, sizeof ps[1]->name, "tommy");
	ts[0]->label = calx_strdup(theirs, "red ball");

	calx_session *s = fx->s;
	void *out;
	assert_ok(s, calx_session_merge_from(s, theirs, o, &out));
	struct sess_owner *m = out;
	assert_ptr_not_equal(m, o);
	assert_string_equal(m->name, "anna");
	assert_ptr_not_equal(m->name, o->name);          /* copied into this session */
	assert_true(m->age.has_value);
	assert_int_equal(m->age.value, 41);
	assert_true(calx_related_is_loaded(s, m, SESS_OWNER_REL_PETS));
	assert_int_equal(m->pets.n, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_ptr_not_equal(m->pets.items[i], ps[i]);
		assert_ptr_equal(m->pets.items[i]->owner, m);
		assert_int_equal(m->pets.items[i]->id, ps[i]->id);
	}
	assert_string_equal(m->pets.items[1]->name, "tommy");
	assert_int_equal(m->toys.n, 1);
	assert_string_equal(m->toys.items[0]->label, "red ball");
	assert_ptr_equal(m->toys.items[0]->owner, m);
	/* the same object merged again is the same instance, with nothing new */
	void *again;
	assert_ok(s, calx_session_merge_from(s, theirs, o, &again));
	assert_ptr_equal(again, m);
	assert_int_equal(m->pets.n, 2);
	calx_session_free(theirs);
	assert_ok(s, calx_session_commit(s));
	char name[32], names[4][24];
	int32_t age;
	owner_in_db(fx, id, name, sizeof name, &age);
	assert_string_equal(name, "anna");
	assert_int_equal(age, 41);
	assert_int_equal(pets_in_db(fx, id, names, 4), 2);
	assert_string_equal(names[0], "rex");
	assert_string_equal(names[1], "tommy");
}

/*
 * Plain structs the program filled, with no keys: a new owner with two
 * pets (each pointing back at the plain owner: a cycle, merged once) and a
 * toy, all pending; the commit inserts each once, keys propagated.
 */
static void merge_value_of_a_new_plain_graph_inserts_it_once(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner plain = { .name = "bo", .age = CALX_SOME(7) };
	struct sess_pet a = { .name = "ace", .owner = &plain }, b = { .name = "bee", .owner = &plain };
	struct sess_pet *pets[] = { &a, &b };
	struct sess_toy t = { .label = "kite" };
	struct sess_toy *toys[] = { &t };
	plain.pets.items = pets;
	plain.pets.n = plain.pets.cap = 2;
	plain.toys.items = toys;
	plain.toys.n = plain.toys.cap = 1;
	void *out;
	assert_ok(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out));
	struct sess_owner *m = out;
	assert_ptr_not_equal(m, &plain);
	assert_ptr_not_equal(m->name, plain.name);
	assert_int_equal(m->pets.n, 2);
	assert_ptr_equal(m->pets.items[0]->owner, m);
	assert_ptr_equal(m->pets.items[1]->owner, m);
	assert_ptr_equal(m->toys.items[0]->owner, m);
	assert_ok(s, calx_session_commit(s));
	assert_true(m->id != 0);
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 1);
	assert_int_equal(count_rows(fx, &sess_pet_mapper), 2);
	assert_int_equal(count_rows(fx, &sess_toy_mapper), 1);
	char names[4][24];
	assert_int_equal(pets_in_db(fx, m->id, names, 4), 2);
	assert_string_equal(names[0], "ace");
	assert_string_equal(names[1], "bee");
	/* the plain structs are the program's: untouched */
	assert_int_equal(plain.id, 0);
	assert_int_equal(a.id, 0);
}

/*
 * A plain struct with the key of a committed owner: merged onto the row
 * (loaded by a get), its pets list replaced by the given one: a pet kept
 * and renamed, a new one added, the one left out unlinked (its key NULL:
 * pets have no delete-orphan). The list keeps the given order.
 */
static void merge_value_with_a_key_updates_the_row_and_replaces_the_list(void **state)
{
	fixture *fx = *state;
	static const char *const pets[] = { "one", "two" };
	int64_t id = owner_with(fx, "cy", pets, 2, NULL, 0);
	calx_session *peek = fixture_session(fx);
	struct sess_owner *o;
	assert_ok(peek, sess_owner_get(peek, id, &o));
	assert_ok(peek, sess_owner_pets(peek, o, NULL, NULL));
	int64_t one = o->pets.items[0]->id, two = o->pets.items[1]->id;
	calx_session_free(peek);

	calx_session *s = fx->s;
	struct sess_owner plain = { .id = id, .name = "cy2" };
	struct sess_pet fresh = { .name = "new" }, kept = { .id = one, .name = "one!", .owner_id = CALX_SOME(id) };
	struct sess_pet *list[] = { &fresh, &kept };
	plain.pets.items = list;
	plain.pets.n = plain.pets.cap = 2;
	void *out;
	assert_ok(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out));
	struct sess_owner *m = out;
	assert_int_equal(m->id, id);
	assert_int_equal(m->pets.n, 2);
	assert_string_equal(m->pets.items[0]->name, "new");
	assert_int_equal(m->pets.items[1]->id, one);
	assert_ok(s, calx_session_commit(s));
	char names[4][24];
	assert_int_equal(pets_in_db(fx, id, names, 4), 2);
	assert_string_equal(names[0], "new");
	assert_string_equal(names[1], "one!");
	struct sess_pet *gone;
	calx_session *check = fixture_session(fx);
	assert_ok(check, sess_pet_get(check, two, &gone));
	assert_false(gone->owner_id.has_value);
	calx_session_free(check);
	char name[32];
	int32_t age;
	owner_in_db(fx, id, name, sizeof name, &age);
	assert_string_equal(name, "cy2");
	assert_int_equal(age, -1);                      /* a wrapper without has_value: NULL, copied as such */
}

/*
 * Expunging an owner takes its loaded pets (cascade("all") has expunge)
 * out of the session too; after a new get, merging the detached owner
 * copies it and its detached pets onto the session's instances, and the
 * list holds those.
 */
static void merge_of_a_detached_owner_brings_its_detached_pets_back(void **state)
{
	fixture *fx = *state;
	static const char *const pets[] = { "dot", "eve" };
	int64_t id = owner_with(fx, "di", pets, 2, NULL, 0);
	calx_session *s = fx->s;
	struct sess_owner *o, *again;
	struct sess_pet **ps;
	size_t n;
	assert_ok(s, sess_owner_get(s, id, &o));
	assert_ok(s, sess_owner_pets(s, o, &ps, &n));
	struct sess_pet *dot = ps[0];
	assert_ok(s, calx_session_expunge(s, o));
	struct sess_pet *dot2;
	assert_ok(s, sess_pet_get(s, dot->id, &dot2));
	assert_ptr_not_equal(dot2, dot);                /* expunged with the owner: a new instance */
	assert_ok(s, sess_owner_get(s, id, &again));
	assert_ptr_not_equal(again, o);
	snprintf(dot->name, sizeof dot->name, "dotty");
	o->name = "dido";
	void *out;
	assert_ok(s, calx_session_merge(s, o, &out));
	assert_ptr_equal(out, again);
	assert_string_equal(again->name, "dido");
	assert_int_equal(again->pets.n, 2);
	assert_ptr_equal(again->pets.items[0], dot2);
	assert_string_equal(dot2->name, "dotty");
	assert_ok(s, calx_session_commit(s));
	char names[4][24];
	assert_int_equal(pets_in_db(fx, id, names, 4), 2);
	assert_string_equal(names[0], "dotty");
}

/* A transient owner of this session with a transient pet: pending copies of both, linked; the originals stay transient. */
static void merge_of_a_transient_graph_of_this_session_adds_copies(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = sess_owner_new(s, .name = "fay");
	struct sess_pet *p = new_pet(s, "fido");
	assert_ok(s, sess_owner_pets_append(s, o, p));
	void *out;
	assert_ok(s, calx_session_merge(s, o, &out));
	struct sess_owner *m = out;
	assert_ptr_not_equal(m, o);
	assert_int_equal(m->pets.n, 1);
	assert_ptr_not_equal(m->pets.items[0], p);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(o->id, 0);
	assert_int_equal(p->id, 0);
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 1);
	assert_int_equal(count_rows(fx, &sess_pet_mapper), 1);
	assert_int_equal(m->pets.items[0]->owner_id.value, m->id);
}

/*
 * An object the program created with the key of a committed owner and no
 * pets set: merged, the owner's row takes its fields and its pets stay (an
 * empty list of a created object is "not given"); a plain struct the same.
 */
static void merge_of_a_created_object_leaves_relationships_it_does_not_set(void **state)
{
	fixture *fx = *state;
	static const char *const pets[] = { "gil" };
	int64_t id = owner_with(fx, "gia", pets, 1, NULL, 0);
	calx_session *s = fx->s;
	struct sess_owner *created = sess_owner_new(s, .id = id, .name = "gina");
	void *out;
	assert_ok(s, calx_session_merge(s, created, &out));
	struct sess_owner *m = out;
	assert_ptr_not_equal(m, created);
	assert_false(calx_related_is_loaded(s, m, SESS_OWNER_REL_PETS));
	struct sess_owner plain = { .id = id, .name = "gin" };
	assert_ok(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out));
	assert_ptr_equal(out, m);
	assert_ok(s, calx_session_commit(s));
	char names[2][24];
	assert_int_equal(pets_in_db(fx, id, names, 2), 1);
	char name[32];
	int32_t age;
	owner_in_db(fx, id, name, sizeof name, &age);
	assert_string_equal(name, "gin");
}

static void merge_refuses_a_mapper_or_an_object_it_cannot_take(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct user u = { .id = 1 };
	void *out = &u;
	/* the shop's user is not in this registry (sess_schema) */
	assert_calx(s, calx_session_merge_value(s, &user_mapper, &u, &out), CALX_EINVAL);
	assert_null(out);
	assert_non_null(strstr(calx_session_errmsg(s), "not mapped"));
	assert_calx(s, calx_session_merge_value(s, &sess_owner_mapper, NULL, &out), CALX_EINVAL);
	assert_calx(s, calx_session_merge_value(s, NULL, &u, &out), CALX_EINVAL);
	/* an object not of the session named as its origin */
	calx_session *theirs = fixture_session(fx);
	struct sess_owner *mine = sess_owner_new(s, .name = "gus");
	assert_calx(s, calx_session_merge_from(s, theirs, mine, &out), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "not an object of the session"));
	assert_calx(s, calx_session_merge_from(s, NULL, mine, &out), CALX_EINVAL);
	/* a plain struct whose list holds a pointer of another session's object: from names no session, taken as plain */
	struct sess_owner *theirs_o = sess_owner_new(theirs, .name = "hal");
	struct sess_pet *theirs_p = new_pet(theirs, "hop");
	assert_ok(theirs, sess_owner_pets_append(theirs, theirs_o, theirs_p));
	/* a list item of theirs that is not theirs: refused, nothing linked */
	struct sess_pet *stray = new_pet(s, "stray");
	theirs_o->pets.items[0] = stray;
	assert_calx(s, calx_session_merge_from(s, theirs, theirs_o, &out), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "sess_owner.pets"));
	theirs_o->pets.items[0] = theirs_p;
	calx_session_free(theirs);
	/* an object of a session on another registry (the shop's): its mapper is not this session's */
	calx_registry *shop;
	calx_session *other;
	assert_int_equal(calx_registry_open(&shop, &shop_schema, NULL), CALX_OK);
	assert_int_equal(calx_session_open(&other, fx->eng, shop), CALX_OK);
	struct user *ou = user_new(other, .name = "ulla");
	assert_non_null(ou);
	assert_calx(s, calx_session_merge_from(s, other, ou, &out), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "not mapped"));
	calx_session_free(other);
	calx_registry_free(shop);
	assert_calx(s, calx_session_merge(s, mine, NULL), CALX_EINVAL);
}

/* After a failed flush every merge is CALX_ESTATE until the rollback; then it works. */
static void merge_after_a_failed_flush_is_refused_until_rollback(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *a = sess_owner_new(s, .id = 5, .name = "a"), *b = sess_owner_new(s, .id = 5, .name = "b");
	assert_ok(s, calx_session_add(s, a));
	assert_ok(s, calx_session_add(s, b));
	assert_int_not_equal(calx_session_flush(s), CALX_OK);     /* the same key twice */
	struct sess_owner plain = { .name = "c" };
	void *out;
	assert_calx(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out), CALX_ESTATE);
	assert_calx(s, calx_session_merge(s, a, &out), CALX_ESTATE);
	assert_ok(s, calx_session_rollback(s));
	assert_ok(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 1);
}

/*
 * A key deleted in this session: CALX_ESTATE while the delete is requested
 * and once it is flushed (the session knows the row is gone in its
 * transaction: merging would put it back behind the program's back); an
 * object deleted in its own session is refused by merge_from too.
 */
static void merge_of_a_key_deleted_in_the_session_is_refused(void **state)
{
	fixture *fx = *state;
	int64_t id = owner_with(fx, "ida", NULL, 0, NULL, 0);
	calx_session *s = fx->s;
	struct sess_owner *o;
	assert_ok(s, sess_owner_get(s, id, &o));
	assert_ok(s, calx_session_delete(s, o));
	struct sess_owner plain = { .id = id, .name = "back" };
	void *out;
	assert_calx(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out), CALX_ESTATE);
	assert_ok(s, calx_session_flush(s));
	assert_calx(s, calx_session_merge_value(s, &sess_owner_mapper, &plain, &out), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "deleted"));
	calx_session *other = fixture_session(fx);
	assert_calx(other, calx_session_merge_from(other, s, o, &out), CALX_ESTATE);
	calx_session_free(other);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sess_setup, fixture_teardown)
		T(merge_from_another_session_brings_the_loaded_graph),
		T(merge_value_of_a_new_plain_graph_inserts_it_once),
		T(merge_value_with_a_key_updates_the_row_and_replaces_the_list),
		T(merge_of_a_detached_owner_brings_its_detached_pets_back),
		T(merge_of_a_transient_graph_of_this_session_adds_copies),
		T(merge_of_a_created_object_leaves_relationships_it_does_not_set),
		T(merge_refuses_a_mapper_or_an_object_it_cannot_take),
		T(merge_after_a_failed_flush_is_refused_until_rollback),
		T(merge_of_a_key_deleted_in_the_session_is_refused),
	};
	return RUN_ON_ALL_DIALECTS("session_merge_graph", tests);
}
