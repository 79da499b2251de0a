/*
 * Rollback as SQLAlchemy defines it (tests/models/sess.h): after
 * calx_session_rollback every persistent object is expired (the next get
 * or select reloads it), pending objects are expunged, objects deleted in
 * the transaction are back, and relationships are forgotten so that the
 * next accessor loads them; calx_session_rollback_nested expires only
 * what the savepoint wrote. And objects linked by listeners: in
 * before_flush, written with their keys by the same flush; in after_insert,
 * inserted by the same flush and linked by the next. Every test runs on
 * SQLite and PostgreSQL.
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

/* A committed owner with one pet, through s (expire on commit off: the objects stay as they are). */
static struct sess_owner *committed_owner(calx_session *s, const char *name, const char *pet)
{
	struct sess_owner *o = sess_owner_new(s, .name = calx_strdup(s, name));
	assert_non_null(o);
	assert_ok(s, sess_owner_pets_append(s, o, new_pet(s, pet)));
	assert_ok(s, calx_session_add(s, o));
	bool was = calx_session_set_expire_on_commit(s, false);
	assert_ok(s, calx_session_commit(s));
	calx_session_set_expire_on_commit(s, was);
	return o;
}

static void rename_elsewhere(fixture *fx, int64_t id, const char *name)
{
	calx_session *o = fixture_session(fx);
	struct sess_owner *x;
	assert_ok(o, sess_owner_get(o, id, &x));
	x->name = calx_strdup(o, name);
	assert_ok(o, calx_session_commit(o));
	calx_session_free(o);
}

/*
 * A changed owner: the rollback puts the values back and expires it; what
 * another transaction commits afterwards is what the next get hands out.
 */
static void rollback_expires_every_persistent_object(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = committed_owner(s, "kim", "k9"), *got;
	struct sess_pet *p = o->pets.items[0];
	assert_false(calx_object_is_expired(s, o));
	o->name = "changed";
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback(s));
	assert_string_equal(o->name, "kim");
	assert_true(calx_object_is_expired(s, o));
	assert_true(calx_object_is_expired(s, p));
	rename_elsewhere(fx, o->id, "kimberly");
	uint64_t before = fixture_statements(s);
	assert_ok(s, sess_owner_get(s, o->id, &got));
	assert_ptr_equal(got, o);
	assert_true(fixture_statements(s) > before);            /* reloaded */
	assert_string_equal(o->name, "kimberly");
	assert_false(calx_object_is_expired(s, o));
	/* a select reloads from its row too */
	calx_select *q = calx_select_new(s, &sess_pet_mapper);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 1);
	assert_ptr_equal(items[0], p);
	assert_false(calx_object_is_expired(s, p));
	calx_select_free(q);
}

/*
 * Pending objects are expunged (transient: the next commit inserts
 * nothing unless they are added again); an object deleted and flushed in
 * the transaction is persistent again, under its key.
 */
static void rollback_expunges_pending_and_brings_back_deleted(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = committed_owner(s, "lee", "lu"), *got;
	struct sess_pet *p = o->pets.items[0], *pgot;
	struct sess_owner *extra = sess_owner_new(s, .name = "extra");
	assert_ok(s, calx_session_add(s, extra));
	assert_ok(s, calx_session_delete(s, p));
	assert_ok(s, calx_session_flush(s));
	assert_calx(s, sess_pet_get(s, p->id, &pgot), CALX_ENOTFOUND);
	assert_ok(s, calx_session_rollback(s));
	assert_int_equal(extra->id, 0);
	assert_ok(s, sess_pet_get(s, p->id, &pgot));
	assert_ptr_equal(pgot, p);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 1);
	assert_int_equal(count_rows(fx, &sess_pet_mapper), 1);
	assert_ok(s, sess_owner_get(s, o->id, &got));
	assert_ptr_equal(got, o);
	/* added again, the expunged object is inserted */
	assert_ok(s, calx_session_add(s, extra));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sess_owner_mapper), 2);
}

/*
 * A pet appended and flushed, then rolled back: the owner's list is not
 * handed out stale (it held the pet the rollback made transient). It is
 * forgotten, not loaded, and the accessor loads what the database holds.
 * A pet's owner pointer is forgotten too, and loaded back.
 */
static void rollback_forgets_relationships_and_the_accessor_reloads_them(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = committed_owner(s, "max", "mo");
	struct sess_pet *mo = o->pets.items[0], *extra = new_pet(s, "extra");
	assert_ok(s, sess_owner_pets_append(s, o, extra));
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(o->pets.n, 2);
	assert_ok(s, calx_session_rollback(s));
	assert_false(calx_related_is_loaded(s, o, SESS_OWNER_REL_PETS));
	assert_int_equal(o->pets.n, 0);
	assert_null(mo->owner);
	assert_false(calx_related_is_loaded(s, mo, SESS_PET_REL_OWNER));
	struct sess_pet **ps;
	size_t n;
	assert_ok(s, sess_owner_pets(s, o, &ps, &n));
	assert_int_equal(n, 1);
	assert_ptr_equal(ps[0], mo);
	struct sess_owner *back;
	assert_ok(s, sess_pet_owner(s, mo, &back));
	assert_ptr_equal(back, o);
	assert_int_equal(extra->id, 0);
	/* the next flush writes nothing from the forgotten links */
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sess_pet_mapper), 1);
}

/*
 * A savepoint that writes the owner and not the toy's owner: rolled back,
 * the owner is expired (and has its old name back), an object the
 * savepoint did not write is not; relationships are forgotten.
 */
static void rollback_nested_expires_what_the_savepoint_wrote(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = committed_owner(s, "ned", "nip"), *other = committed_owner(s, "oz", "ox");
	struct sess_pet *nip = o->pets.items[0];
	assert_ok(s, calx_session_begin_nested(s));
	o->name = "edward";
	assert_ok(s, sess_owner_pets_append(s, o, new_pet(s, "inside")));
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback_nested(s));
	assert_string_equal(o->name, "ned");
	assert_true(calx_object_is_expired(s, o));
	assert_false(calx_object_is_expired(s, other));
	assert_false(calx_object_is_expired(s, nip));
	assert_false(calx_related_is_loaded(s, o, SESS_OWNER_REL_PETS));
	size_t n;
	assert_ok(s, sess_owner_pets(s, o, NULL, &n));
	assert_int_equal(n, 1);
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sess_pet_mapper), 2);
}

/* before_flush: a pet appended to each new owner, as a plugin that gives every owner a first pet might. */
static int first_pet(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)obj;
	struct sess_owner *o = payload;
	if (o->pets.n)
		return CALX_OK;
	struct sess_pet *p = sess_pet_new(s);
	if (!p)
		return calx_session_errcode(s);
	snprintf(p->name, sizeof p->name, "first");
	return sess_owner_pets_append(s, o, p);
}

/* Linked in before_flush: the same flush inserts the pet with the owner's generated key. */
static void a_child_linked_in_before_flush_gets_its_key_in_the_same_flush(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_owner *o = sess_owner_new(s, .name = "pat");
	assert_ok(s, calx_session_listen(s, CALX_EVENT_BEFORE_FLUSH, NULL, first_pet, o));
	assert_ok(s, calx_session_add(s, o));
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(o->pets.n, 1);
	struct sess_pet *p = o->pets.items[0];
	assert_true(p->id != 0);
	assert_true(p->owner_id.has_value);
	assert_int_equal(p->owner_id.value, o->id);
	assert_ok(s, calx_session_commit(s));
	calx_session *check = fixture_session(fx);
	struct sess_pet *row;
	assert_ok(check, sess_pet_get(check, p->id, &row));
	assert_int_equal(row->owner_id.value, o->id);
	calx_session_free(check);
}

/* after_insert of an owner: a toy linked to it (the owner's key is known by then). */
static int toy_after_insert(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	struct sess_toy **made = payload;
	if (*made)
		return CALX_OK;
	struct sess_toy *t = sess_toy_new(s, .label = "gift");
	if (!t)
		return calx_session_errcode(s);
	*made = t;
	/* from the owner's side: the owner's save-update cascade adds the toy */
	return sess_owner_toys_append(s, obj, t);
}

/*
 * Linked in after_insert: the toy is inserted by the same flush (another
 * round of it), with its foreign key as the struct has it (NULL here); the
 * flush works the links out before its first round, so the key comes with
 * the next flush, as an UPDATE. (A NOT NULL foreign key would fail that
 * insert: link such children in before_flush.)
 */
static void a_child_linked_in_after_insert_gets_its_key_by_the_next_flush(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sess_toy *made = NULL;
	assert_ok(s, calx_session_listen(s, CALX_EVENT_AFTER_INSERT, &sess_owner_mapper, toy_after_insert, &made));
	struct sess_owner *o = sess_owner_new(s, .name = "quin");
	assert_ok(s, calx_session_add(s, o));
	assert_ok(s, calx_session_flush(s));
	assert_non_null(made);
	assert_true(made->id != 0);                     /* inserted by the same flush */
	assert_ptr_equal(made->owner, o);
	assert_ok(s, calx_session_flush(s));
	assert_true(made->owner_id.has_value);
	assert_int_equal(made->owner_id.value, o->id);
	assert_ok(s, calx_session_commit(s));
	calx_session *check = fixture_session(fx);
	struct sess_toy *row;
	assert_ok(check, sess_toy_get(check, made->id, &row));
	assert_true(row->owner_id.has_value);
	assert_int_equal(row->owner_id.value, o->id);
	calx_session_free(check);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sess_setup, fixture_teardown)
		T(rollback_expires_every_persistent_object),
		T(rollback_expunges_pending_and_brings_back_deleted),
		T(rollback_forgets_relationships_and_the_accessor_reloads_them),
		T(rollback_nested_expires_what_the_savepoint_wrote),
		T(a_child_linked_in_before_flush_gets_its_key_in_the_same_flush),
		T(a_child_linked_in_after_insert_gets_its_key_by_the_next_flush),
	};
	return RUN_ON_ALL_DIALECTS("session_rollback", tests);
}
