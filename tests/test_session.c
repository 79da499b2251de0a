/*
 * The session: constructors, add/get/commit, the identity map, change
 * detection, delete, foreign-key order, rollback.
 */
#include <stdio.h>
#include <string.h>
#include "helpers.h"

static struct user *committed_user(fixture *fx, const char *name)
{
	struct user *u = user_new(fx->s, .name = "", .age = 30);
	assert_non_null(u);
	assert_ok(fx->s, calx_field_set_text(fx->s, u, USER_NAME, name));
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	return u;
}

static void constructor_applies_defaults_and_arguments(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "Alice", .email = "alice@example.org");
	assert_non_null(u);
	assert_int_equal(u->id, 0);
	assert_string_equal(u->name, "Alice");
	assert_string_equal(u->email, "alice@example.org");
	assert_true(u->active);                 /* default(true) */
	assert_int_equal(u->color, COLOR_GREEN); /* default(COLOR_GREEN) */
	struct user *v = user_new(fx->s, .name = "Bob", .active = false);
	assert_false(v->active);                /* a given false beats the default */
	struct tag *t = tag_new(fx->s, .code = "t1");
	assert_int_equal(t->ts.created_at, 7);  /* mixin default */
}

static void constructor_enforces_required_fields(void **state)
{
	fixture *fx = *state;
	struct address *a = address_new(fx->s, .user_id = 1);
	assert_null(a);
	assert_int_equal(calx_session_errcode(fx->s), CALX_ENOTNULL);
	assert_string_equal(calx_session_errmsg(fx->s),
	                    "address_new: field 'street' (column \"addresses\".\"street\") is required");
}

static void constructor_refuses_init_false_fields(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "Carl", .created = CALX_SOME(5));
	assert_null(u);
	assert_int_equal(calx_session_errcode(fx->s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "'created' is init(false)"));
}

static void commit_writes_generated_key_and_server_default_back(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .name = "Dora");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(u->id > 0);
	assert_true(u->created.has_value);      /* server_default("42") came back */
	assert_int_equal(u->created.value, 42);
	struct user *w = user_new(fx->s, .name = "Eve");
	assert_ok(fx->s, calx_session_add(fx->s, w));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_int_equal(w->id, u->id + 1);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 2);
}

static void get_twice_returns_the_same_object_without_sql(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Finn");
	struct user *a = NULL, *b = NULL;
	assert_ok(fx->s, user_get(fx->s, u->id, &a));
	assert_ptr_equal(a, u);

	calx_session *s2 = fixture_session(fx);
	assert_ok(s2, user_get(s2, u->id, &a));
	assert_ptr_not_equal(a, u);
	assert_string_equal(a->name, "Finn");
	/* Delete the row behind s2's back: a second get must not go to the database. */
	calx_session *s3 = fixture_session(fx);
	struct user *c;
	assert_ok(s3, user_get(s3, u->id, &c));
	assert_ok(s3, calx_session_delete(s3, c));
	assert_ok(s3, calx_session_commit(s3));
	calx_session_free(s3);
	uint64_t before, after;
	calx_session_counters(s2, &before, NULL);
	assert_ok(s2, user_get(s2, u->id, &b));
	calx_session_counters(s2, &after, NULL);
	assert_ptr_equal(a, b);
	assert_true(after == before);           /* not one statement */
	calx_session_free(s2);
}

static void get_flushes_pending_inserts_first(void **state)
{
	fixture *fx = *state;
	struct user *p = user_new(fx->s, .id = 9, .name = "Pending");
	assert_ok(fx->s, calx_session_add(fx->s, p));
	struct user *got = NULL;
	assert_ok(fx->s, user_get(fx->s, 9, &got));     /* autoflush inserted it */
	assert_ptr_equal(got, p);
	/* a changed field alone does not make a get flush (it cannot change which row has a key) */
	uint64_t before, after;
	p->age = 12;
	calx_session_counters(fx->s, &before, NULL);
	assert_calx(fx->s, user_get(fx->s, 10, &got), CALX_ENOTFOUND);
	calx_session_counters(fx->s, &after, NULL);
	assert_true(after - before == 1);               /* the SELECT only */
	assert_ok(fx->s, calx_session_commit(fx->s));   /* the change is written at commit */
	calx_session *s2 = fixture_session(fx);
	assert_ok(s2, user_get(s2, 9, &got));
	assert_int_equal(got->age, 12);
	calx_session_free(s2);
}

static void get_of_a_missing_key_is_not_found(void **state)
{
	fixture *fx = *state;
	struct user *u = (struct user *)1;
	assert_calx(fx->s, user_get(fx->s, 999, &u), CALX_ENOTFOUND);
	assert_null(u);
	void *t;
	assert_calx(fx->s, calx_session_get(fx->s, &tag_mapper, calx_value_int(1), &t), CALX_ETYPE);
}

static void changed_field_is_detected_and_only_it_is_written(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Gus");
	/* another session changes a different column of the same row */
	calx_session *s2 = fixture_session(fx);
	struct user *o;
	assert_ok(s2, user_get(s2, u->id, &o));
	o->score = 9.5;
	assert_ok(s2, calx_session_commit(s2));
	calx_session_free(s2);

	strcpy(u->name, "Gustav");
	assert_ok(fx->s, calx_session_commit(fx->s));

	s2 = fixture_session(fx);
	assert_ok(s2, user_get(s2, u->id, &o));
	assert_string_equal(o->name, "Gustav");
	assert_true(o->score == 9.5);           /* not overwritten: minimal UPDATE */
	calx_session_free(s2);
}

static void string_pointer_change_is_detected(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Hal");
	u->note = "first";
	assert_ok(fx->s, calx_session_commit(fx->s));
	u->note = calx_strdup(fx->s, "second");
	assert_ok(fx->s, calx_session_commit(fx->s));
	u->note = NULL;
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct user *o;
	assert_ok(s2, user_get(s2, u->id, &o));
	assert_null(o->note);
	calx_session_free(s2);
}

static void delete_removes_the_row(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Ida");
	committed_user(fx, "Jon");
	assert_ok(fx->s, calx_session_delete(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 1);
	struct user *again;
	assert_calx(fx->s, user_get(fx->s, u->id, &again), CALX_ENOTFOUND);
	/* deleting a pending object just drops it */
	struct user *p = user_new(fx->s, .name = "Kim");
	assert_ok(fx->s, calx_session_add(fx->s, p));
	assert_ok(fx->s, calx_session_delete(fx->s, p));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 1);
}

static void inserts_run_parents_first_whatever_the_add_order(void **state)
{
	fixture *fx = *state;
	struct address *a = address_new(fx->s, .user_id = 77, .street = "1 Main St");
	struct user *u = user_new(fx->s, .id = 77, .name = "Lou");
	assert_ok(fx->s, calx_session_add(fx->s, a));   /* child first */
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(a->id > 0);
	assert_int_equal(count_rows(fx, &address_mapper), 1);
}

static void deletes_run_children_first_whatever_the_order(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .id = 5, .name = "Max");
	struct address *a = address_new(fx->s, .user_id = 5, .street = "2 Side St");
	assert_ok(fx->s, calx_session_add(fx->s, u));
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	/* parent first: with ON DELETE CASCADE a parent-first order would make
	 * the child's delete find no row */
	assert_ok(fx->s, calx_session_delete(fx->s, u));
	assert_ok(fx->s, calx_session_delete(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &user_mapper), 0);
	assert_int_equal(count_rows(fx, &address_mapper), 0);
}

static void self_referential_rows_are_ordered_parents_first(void **state)
{
	fixture *fx = *state;
	/* a chain 1 <- 2 <- 3 <- 4 added leaf first, and a root without children */
	struct node *n4 = node_new(fx->s, .id = 4, .parent_id = CALX_SOME(3), .name = "four");
	struct node *n3 = node_new(fx->s, .id = 3, .parent_id = CALX_SOME(2), .name = "three");
	struct node *n9 = node_new(fx->s, .id = 9, .name = "nine");
	struct node *n2 = node_new(fx->s, .id = 2, .parent_id = CALX_SOME(1), .name = "two");
	struct node *n1 = node_new(fx->s, .id = 1, .name = "one");
	struct node *all[] = { n4, n3, n9, n2, n1 };
	for (int i = 0; i < 5; i++)
		assert_ok(fx->s, calx_session_add(fx->s, all[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &node_mapper), 5);
	/* deleted root first, leaf last: the flush deletes children first */
	struct node *gone[] = { n1, n2, n3, n4 };
	for (int i = 0; i < 4; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, gone[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &node_mapper), 1);
}

/* The regression: an unset parent_id was written as 0, a key no row has. */
static void root_of_a_self_referential_table_inserts_with_a_null_parent(void **state)
{
	fixture *fx = *state;
	struct node *root = node_new(fx->s, .id = 1, .name = "root");
	struct node *leaf = node_new(fx->s, .id = 2, .parent_id = CALX_SOME(1), .name = "leaf");
	assert_false(root->parent_id.has_value);
	assert_ok(fx->s, calx_session_add(fx->s, leaf));
	assert_ok(fx->s, calx_session_add(fx->s, root));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	calx_select *q = calx_select_new(s2, &node_mapper);
	calx_where(q, calx_is_null(NODE_PARENT_ID));
	void *obj;
	assert_ok(s2, calx_select_one(q, &obj));
	assert_int_equal(((struct node *)obj)->id, 1);
	assert_false(((struct node *)obj)->parent_id.has_value);
	calx_select_free(q);
	calx_session_free(s2);
}

static void stale_update_fails_as_retryable_and_writes_nothing(void **state)
{
	fixture *fx = *state;
	struct account *a = account_new(fx->s, .balance = 100);
	assert_ok(fx->s, calx_session_add(fx->s, a));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(a->version, 1);

	/* another session updates the row first */
	calx_session *s2 = fixture_session(fx);
	struct account *b;
	assert_ok(s2, account_get(s2, a->id, &b));
	b->balance = 50;
	assert_ok(s2, calx_session_commit(s2));
	assert_int_equal(b->version, 2);
	calx_session_free(s2);

	/* our copy is stale: the update matches no row, nothing is written */
	a->balance = 70;
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERETRY);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "stale object"));
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(a->balance, 100);
	assert_int_equal(a->version, 1);
	/* a stale delete is refused the same way */
	assert_ok(fx->s, calx_session_delete(fx->s, a));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ERETRY);
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* reloaded, the update goes through and the version moves on */
	int64_t id = a->id;
	assert_ok(fx->s, calx_session_expunge(fx->s, a));
	assert_ok(fx->s, account_get(fx->s, id, &a));
	assert_int_equal(a->balance, 50);
	a->balance = 75;
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(a->version, 3);
	s2 = fixture_session(fx);
	assert_ok(s2, account_get(s2, id, &b));
	assert_int_equal(b->balance, 75);
	assert_int_equal(b->version, 3);
	calx_session_free(s2);
}

static void rollback_restores_values_and_unflushes_inserts(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Ned");
	int64_t id = u->id;
	strcpy(u->name, "Changed");
	u->age = 99;
	assert_ok(fx->s, calx_session_flush(fx->s));
	struct user *n = user_new(fx->s, .name = "New");
	assert_ok(fx->s, calx_session_add(fx->s, n));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_true(n->id > 0);
	struct user *gone = NULL;
	assert_ok(fx->s, user_get(fx->s, id, &gone));
	assert_ok(fx->s, calx_session_delete(fx->s, gone));
	assert_ok(fx->s, calx_session_flush(fx->s));

	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_string_equal(u->name, "Ned");    /* as the transaction found it */
	assert_int_equal(u->age, 30);
	assert_int_equal(n->id, 0);             /* generated key reset */
	assert_false(n->created.has_value);     /* server default reset: NULL again */
	assert_int_equal(count_rows(fx, &user_mapper), 1);
	/* the deleted object is back in the identity map */
	struct user *again;
	assert_ok(fx->s, user_get(fx->s, id, &again));
	assert_ptr_equal(again, u);
	/* the rolled-back insert can be added and committed again */
	assert_ok(fx->s, calx_session_add(fx->s, n));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(n->id > 0);
	assert_int_equal(count_rows(fx, &user_mapper), 2);
}

static void unflushed_changes_are_discarded_by_rollback(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Ola");
	u->score = 1.25;
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_true(u->score == 0.0);
}

static void text_primary_key_and_mixin_columns_work(void **state)
{
	fixture *fx = *state;
	struct tag *t = tag_new(fx->s, .code = "red", .label = "Red things");
	t->ts.updated_at = 11;
	assert_ok(fx->s, calx_session_add(fx->s, t));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s2 = fixture_session(fx);
	struct tag *o = NULL;
	assert_ok(s2, tag_get(s2, "red", &o));
	assert_string_equal(o->label, "Red things");
	assert_int_equal(o->ts.created_at, 7);
	assert_int_equal(o->ts.updated_at, 11);
	assert_null(o->cache);
	struct tag *o2 = NULL;
	assert_ok(s2, tag_get(s2, "red", &o2));
	assert_ptr_equal(o, o2);
	calx_session_free(s2);
}

static void repr_and_eq_cover_the_mapped_fields(void **state)
{
	fixture *fx = *state;
	struct user *u = user_new(fx->s, .id = 3, .name = "Pia \"P\"", .age = 41);
	char buf[256];
	int n = user_repr(u, buf, sizeof buf);
	assert_string_equal(buf, "user(id=3, name=\"Pia \\\"P\\\"\", email=NULL, active=true, age=41, score=0, "
	                         "created=NULL, color=2, note=NULL)");
	assert_int_equal(n, (int)strlen(buf));
	char small[8];
	assert_int_equal(user_repr(u, small, sizeof small), n);   /* snprintf-like */
	assert_string_equal(small, "user(id");
	struct user copy = *u;
	assert_true(user_eq(u, &copy));
	copy.age = 42;
	assert_false(user_eq(u, &copy));
}

static void objects_not_from_the_session_are_refused(void **state)
{
	fixture *fx = *state;
	struct user local = { .name = "Stack" };
	assert_calx(fx->s, calx_session_add(fx->s, &local), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "was not created or loaded by this session"));
	calx_session *s2 = fixture_session(fx);
	struct user *other = user_new(s2, .name = "Other");
	assert_calx(fx->s, calx_session_add(fx->s, other), CALX_EINVAL);
	calx_session_free(s2);
}

static void expunged_object_is_forgotten(void **state)
{
	fixture *fx = *state;
	struct user *u = committed_user(fx, "Quin");
	assert_ok(fx->s, calx_session_expunge(fx->s, u));
	strcpy(u->name, "Ignored");
	assert_ok(fx->s, calx_session_commit(fx->s));
	struct user *o;
	assert_ok(fx->s, user_get(fx->s, u->id, &o));
	assert_ptr_not_equal(o, u);
	assert_string_equal(o->name, "Quin");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(constructor_applies_defaults_and_arguments),
		T(constructor_enforces_required_fields),
		T(constructor_refuses_init_false_fields),
		T(commit_writes_generated_key_and_server_default_back),
		T(get_twice_returns_the_same_object_without_sql),
		T(get_flushes_pending_inserts_first),
		T(get_of_a_missing_key_is_not_found),
		T(changed_field_is_detected_and_only_it_is_written),
		T(string_pointer_change_is_detected),
		T(delete_removes_the_row),
		T(inserts_run_parents_first_whatever_the_add_order),
		T(deletes_run_children_first_whatever_the_order),
		T(self_referential_rows_are_ordered_parents_first),
		T(root_of_a_self_referential_table_inserts_with_a_null_parent),
		T(stale_update_fails_as_retryable_and_writes_nothing),
		T(rollback_restores_values_and_unflushes_inserts),
		T(unflushed_changes_are_discarded_by_rollback),
		T(text_primary_key_and_mixin_columns_work),
		T(repr_and_eq_cover_the_mapped_fields),
		T(objects_not_from_the_session_are_refused),
		T(expunged_object_is_forgotten),
	};
	return RUN_ON_ALL_DIALECTS("session", tests);
}
