/*
 * The unit of work through the public API (issue "Spine v2", part 2): rows
 * ordered by every foreign key, object state limited to mapped fields,
 * objects added while a flush runs, tables wider than 64 fields.
 */
#include <stdio.h>
#include <string.h>
#include "spine_fixture.h"

static struct employee *emp(calx_session *s, const char *code, const char *reports_to, const char *mentor,
                            const char *dept)
{
	struct employee *e = employee_new(s, .reports_to = calx_strdup(s, reports_to),
	                                  .mentor = calx_strdup(s, mentor), .dept = calx_strdup(s, dept));
	assert_non_null(e);
	assert_ok(s, calx_field_set_text(s, e, EMPLOYEE_CODE, code));
	return e;
}

static void add_all(calx_session *s, void **objs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_ok(s, calx_session_add(s, objs[i]));
}

static void delete_all(calx_session *s, void **objs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_ok(s, calx_session_delete(s, objs[i]));
}

/*
 * y's mentor is x, x reports to p; added y, p, x. Ordering by reports_to
 * alone gives y p x, and then ordering by mentor pulls x before p: the
 * second key's sort undid the first (the old flush_order.c).
 */
static void two_self_referential_keys_insert_and_delete_in_a_valid_order(void **state)
{
	fixture *fx = *state;
	void *rows[] = {
		emp(fx->s, "y", NULL, "x", NULL),
		emp(fx->s, "p", NULL, NULL, NULL),
		emp(fx->s, "x", "p", NULL, NULL),
	};
	add_all(fx->s, rows, 3);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &employee_mapper), 3);
	delete_all(fx->s, rows, 3);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &employee_mapper), 0);
}

/* The mirror case: the mentor chain first, the reports_to key against it. */
static void the_second_key_does_not_undo_the_first_either_way(void **state)
{
	fixture *fx = *state;
	void *rows[] = {
		emp(fx->s, "a", "c", NULL, NULL),
		emp(fx->s, "b", NULL, NULL, NULL),
		emp(fx->s, "c", NULL, "b", NULL),
		emp(fx->s, "d", "a", "a", NULL),
	};
	add_all(fx->s, rows, 4);
	assert_ok(fx->s, calx_session_commit(fx->s));
	void *gone[] = { rows[1], rows[2], rows[0], rows[3] };
	delete_all(fx->s, gone, 4);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &employee_mapper), 0);
}

/* Rows of three tables, each table self- or cross-referencing, added leaves first. */
static void chains_across_tables_are_ordered_by_row(void **state)
{
	fixture *fx = *state;
	struct badge *b = badge_new(fx->s, .id = 1, .holder = "e2");
	struct employee *e2 = emp(fx->s, "e2", "e1", NULL, "d2");
	struct department *d2 = department_new(fx->s, .parent = "d1", .name = "child");
	struct employee *e1 = emp(fx->s, "e1", NULL, NULL, "d1");
	struct department *d1 = department_new(fx->s, .name = "root");
	assert_ok(fx->s, calx_field_set_text(fx->s, d1, DEPARTMENT_CODE, "d1"));
	assert_ok(fx->s, calx_field_set_text(fx->s, d2, DEPARTMENT_CODE, "d2"));
	void *rows[] = { b, e2, d2, e1, d1 };
	add_all(fx->s, rows, 5);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &badge_mapper), 1);
	void *gone[] = { d1, e1, d2, e2, b };
	delete_all(fx->s, gone, 5);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &department_mapper), 0);
	assert_int_equal(count_rows(fx, &employee_mapper), 0);
}

static struct gadget *committed_gadget(fixture *fx)
{
	struct gadget *g = gadget_new(fx->s, .hits = 1, .label = "one", .seen = 11);
	assert_non_null(g);
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	return g;
}

/* Rollback with no transaction open: unflushed changes go, the program's members stay. */
static void rollback_keeps_unmapped_members_without_a_transaction(void **state)
{
	fixture *fx = *state;
	struct gadget *g = committed_gadget(fx);
	int here;
	g->cache = &here;
	memcpy(g->scratch, "ab", 3);
	g->seen = 12;
	g->hits = 5;
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(g->hits, 1);
	assert_ptr_equal(g->cache, &here);
	assert_string_equal(g->scratch, "ab");
	assert_int_equal(g->seen, 12);
}

/* Rollback of a flushed update: the row's values come back, the program's members stay. */
static void rollback_keeps_unmapped_members_with_a_transaction(void **state)
{
	fixture *fx = *state;
	struct gadget *g = committed_gadget(fx);
	int before, after;
	g->cache = &before;
	g->hits = 6;
	assert_ok(fx->s, calx_session_flush(fx->s));     /* the transaction is open now */
	g->cache = &after;
	g->seen = 13;
	g->hits = 7;
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(g->hits, 1);
	assert_string_equal(g->label, "one");
	assert_ptr_equal(g->cache, &after);
	assert_int_equal(g->seen, 13);
	/* and the inserted-then-rolled-back path */
	struct gadget *n = gadget_new(fx->s, .label = "new", .seen = 5);
	assert_ok(fx->s, calx_session_add(fx->s, n));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_true(n->id > 0);
	n->cache = &before;
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(n->id, 0);
	assert_ptr_equal(n->cache, &before);
	assert_int_equal(n->seen, 5);
}

static void a_change_to_an_unmapped_member_writes_nothing(void **state)
{
	fixture *fx = *state;
	struct gadget *g = committed_gadget(fx);
	uint64_t before, after;
	calx_session_counters(fx->s, &before, NULL);
	g->seen = 99;
	g->scratch[0] = 'z';
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session_counters(fx->s, &after, NULL);
	assert_int_equal(after, before);
}

typedef struct adder {
	int calls;
	int limit;              /* add an object on the first `limit` calls */
	struct gadget *made[8];
} adder;

static int add_gadget(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)obj;
	adder *a = payload;
	if (a->calls >= a->limit)
		return CALX_OK;
	struct gadget *g = gadget_new(s, .label = "added", .hits = a->calls);
	if (!g)
		return calx_session_errcode(s);
	if (a->calls < 8)
		a->made[a->calls] = g;
	a->calls++;
	return calx_session_add(s, g);
}

static void objects_added_by_a_before_flush_listener_are_flushed(void **state)
{
	fixture *fx = *state;
	adder a = { 0, 1, { 0 } };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_FLUSH, NULL, add_gadget, &a));
	struct gadget *g = gadget_new(fx->s, .label = "mine");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &gadget_mapper), 2);
	assert_true(a.made[0]->id > 0);
}

static void objects_added_by_insert_and_update_listeners_are_flushed_in_that_flush(void **state)
{
	fixture *fx = *state;
	adder a = { 0, 1, { 0 } }, b = { 0, 1, { 0 } };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_INSERT, &employee_mapper, add_gadget, &a));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_UPDATE, &employee_mapper, add_gadget, &b));
	struct employee *e = emp(fx->s, "e", NULL, NULL, NULL);
	assert_ok(fx->s, calx_session_add(fx->s, e));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(a.calls, 1);
	assert_int_equal(count_rows(fx, &gadget_mapper), 1);
	assert_true(a.made[0]->id > 0);
	e->mentor = calx_strdup(fx->s, "e");
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(b.calls, 1);
	assert_int_equal(count_rows(fx, &gadget_mapper), 2);
	assert_true(b.made[0]->id > 0);
	/* nothing is left for another commit to find */
	uint64_t before, after;
	calx_session_counters(fx->s, &before, NULL);
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session_counters(fx->s, &after, NULL);
	assert_int_equal(after, before);
}

static void objects_added_by_an_after_flush_listener_are_committed(void **state)
{
	fixture *fx = *state;
	adder a = { 0, 1, { 0 } };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_FLUSH, NULL, add_gadget, &a));
	struct gadget *g = gadget_new(fx->s, .label = "mine");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &gadget_mapper), 2);
}

/* A listener that adds an object for every insert never lets the flush end. */
static void a_listener_that_keeps_adding_fails_the_flush_with_a_clear_error(void **state)
{
	fixture *fx = *state;
	adder a = { 0, 1000, { 0 } };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_INSERT, &gadget_mapper, add_gadget, &a));
	struct gadget *g = gadget_new(fx->s, .label = "mine");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "listeners kept adding objects"));
	assert_int_equal(count_rows(fx, &gadget_mapper), 0);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(g->id, 0);
}

static int touch_label(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)m;
	(void)payload;
	struct gadget *g = obj;
	g->label = calx_strdup(s, ev == CALX_EVENT_AFTER_INSERT ? "after insert" : "after update");
	return g->label ? CALX_OK : CALX_ENOMEM;
}

/* The snapshot is the row as written, so a change made after the statement is not lost. */
static void a_change_an_after_listener_makes_is_written_by_the_next_flush(void **state)
{
	fixture *fx = *state;
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_INSERT, &gadget_mapper, touch_label, NULL));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_UPDATE, &gadget_mapper, touch_label, NULL));
	struct gadget *g = gadget_new(fx->s, .label = "new");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_string_equal(g->label, "after insert");
	assert_ok(fx->s, calx_session_commit(fx->s));   /* writes the label, then the listener changes it again */
	calx_session *s2 = fixture_session(fx);
	void *o;
	assert_ok(s2, calx_session_get(s2, &gadget_mapper, calx_value_int(g->id), &o));
	assert_string_equal(((struct gadget *)o)->label, "after insert");
	calx_session_free(s2);
	assert_string_equal(g->label, "after update");
}

static void an_after_flush_listener_that_keeps_adding_fails_the_commit(void **state)
{
	fixture *fx = *state;
	adder a = { 0, 1000, { 0 } };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_AFTER_FLUSH, NULL, add_gadget, &a));
	struct gadget *g = gadget_new(fx->s, .label = "mine");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(fx->s), "listeners kept adding objects"));
	assert_int_equal(count_rows(fx, &gadget_mapper), 0);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(g->id, 0);
}

typedef struct nested {
	int commit_rc, flush_rc, rollback_rc;
} nested;

static int commit_inside(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)obj;
	nested *n = payload;
	n->commit_rc = calx_session_commit(s);
	n->flush_rc = calx_session_flush(s);
	n->rollback_rc = calx_session_rollback(s);
	return CALX_OK;
}

static void a_listener_cannot_commit_flush_or_roll_back(void **state)
{
	fixture *fx = *state;
	nested n = { 0, 0, 0 };
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_INSERT, NULL, commit_inside, &n));
	struct gadget *g = gadget_new(fx->s, .label = "mine");
	assert_ok(fx->s, calx_session_add(fx->s, g));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(n.commit_rc, CALX_ESTATE);
	assert_int_equal(n.flush_rc, CALX_ESTATE);
	assert_int_equal(n.rollback_rc, CALX_ESTATE);
	assert_int_equal(count_rows(fx, &gadget_mapper), 1);
}

/* The key (field 66) is generated and the server default (field 67) read back. */
static void a_table_wider_than_64_fields_gets_its_generated_values(void **state)
{
	fixture *fx = *state;
	struct wide *w = wide_new(fx->s, .c00 = 1, .c65 = 65, .note = "n", .last = 9);
	assert_ok(fx->s, calx_session_add(fx->s, w));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_true(w->id > 0);
	assert_true(w->stamp.has_value);
	assert_int_equal(w->stamp.value, 7);
	struct wide *v = wide_new(fx->s, .note = "second");
	assert_ok(fx->s, calx_session_add(fx->s, v));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(v->id, w->id + 1);

	calx_session *s2 = fixture_session(fx);
	void *o;
	assert_ok(s2, calx_session_get(s2, &wide_mapper, calx_value_int(w->id), &o));
	struct wide *r = o;
	assert_true(r->stamp.has_value);
	assert_int_equal(r->stamp.value, 7);
	assert_int_equal(r->c65, 65);
	assert_int_equal(r->last, 9);
	calx_session_free(s2);

	/* a change past field 63 is found and written */
	w->last = 10;
	assert_ok(fx->s, calx_session_commit(fx->s));
	s2 = fixture_session(fx);
	assert_ok(s2, calx_session_get(s2, &wide_mapper, calx_value_int(w->id), &o));
	assert_int_equal(((struct wide *)o)->last, 10);
	calx_session_free(s2);
}

static void rollback_clears_generated_values_past_field_63(void **state)
{
	fixture *fx = *state;
	struct wide *w = wide_new(fx->s, .note = "n");
	assert_ok(fx->s, calx_session_add(fx->s, w));
	assert_ok(fx->s, calx_session_flush(fx->s));
	assert_true(w->id > 0);
	assert_true(w->stamp.has_value);
	assert_int_equal(w->stamp.value, 7);
	assert_ok(fx->s, calx_session_rollback(fx->s));
	assert_int_equal(w->id, 0);
	assert_false(w->stamp.has_value);
	assert_int_equal(w->stamp.value, 0);
	assert_string_equal(w->note, "n");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
	const struct CMUnitTest tests[] = {
		T(two_self_referential_keys_insert_and_delete_in_a_valid_order),
		T(the_second_key_does_not_undo_the_first_either_way),
		T(chains_across_tables_are_ordered_by_row),
		T(rollback_keeps_unmapped_members_without_a_transaction),
		T(rollback_keeps_unmapped_members_with_a_transaction),
		T(a_change_to_an_unmapped_member_writes_nothing),
		T(objects_added_by_a_before_flush_listener_are_flushed),
		T(objects_added_by_insert_and_update_listeners_are_flushed_in_that_flush),
		T(objects_added_by_an_after_flush_listener_are_committed),
		T(a_listener_that_keeps_adding_fails_the_flush_with_a_clear_error),
		T(an_after_flush_listener_that_keeps_adding_fails_the_commit),
		T(a_listener_cannot_commit_flush_or_roll_back),
		T(a_change_an_after_listener_makes_is_written_by_the_next_flush),
		T(a_table_wider_than_64_fields_gets_its_generated_values),
		T(rollback_clears_generated_values_past_field_63),
	};
	return RUN_ON_ALL_DIALECTS("spine", tests);
}
