/*
 * The flush's row order over foreign keys of several columns
 * (orm/unitofwork/graph.c) on both dialects, with tests/models/orders.h:
 * rows added children first are inserted parents first and deleted
 * children first, a key matching its parent on every column; a plain 0
 * is a key like any other; a wrapper (calx_opt_*) column without
 * has_value makes the key refer to no row, whatever its value bytes hold.
 * Listeners record the order the statements run in; the database's own
 * foreign-key checks (immediate on both dialects) back it up. A
 * constructor leaves no indeterminate wrapper padding for the flush's byte
 * comparison to read.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calx/events.h"
#include "orders_fixture.h"

#define MAX_SEEN 32

/* The rows in the order their statements ran, as (group, no) pairs. */
typedef struct seen {
	int group[MAX_SEEN], no[MAX_SEEN];
	int n;
} seen;

static seen inserted, deleted;

static int record(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)s;
	(void)ev;
	seen *to = payload;
	assert_true(to->n < MAX_SEEN);
	if (m == &part_mapper) {
		const struct part *p = obj;
		to->group[to->n] = p->kit[0];
		to->no[to->n] = p->no;
	} else {
		assert_ptr_equal(m, &task_mapper);
		const struct task *t = obj;
		to->group[to->n] = t->project;
		to->no[to->n] = t->no;
	}
	to->n++;
	return CALX_OK;
}

static void listen_to(fixture *fx, const calx_mapper_desc *m)
{
	memset(&inserted, 0, sizeof inserted);
	memset(&deleted, 0, sizeof deleted);
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_INSERT, m, record, &inserted));
	assert_ok(fx->s, calx_session_listen(fx->s, CALX_EVENT_BEFORE_DELETE, m, record, &deleted));
}

/* Where (group, no) is in the recorded order; fails when it is not there. */
static int position(const seen *in, int group, int no)
{
	for (int i = 0; i < in->n; i++)
		if (in->group[i] == group && in->no[i] == no)
			return i;
	fail_msg("row (%d, %d) was not written", group, no);
	return -1;
}

static void before(const seen *in, int g1, int n1, int g2, int n2)
{
	if (position(in, g1, n1) >= position(in, g2, n2))
		fail_msg("row (%d, %d) must be written before row (%d, %d)", g1, n1, g2, n2);
}

static struct part *part(fixture *fx, const char *kit, int32_t no, int32_t parent_no)
{
	struct part *p = part_new(fx->s, .no = no, .parent_no = parent_no, .label = "p");
	assert_non_null(p);
	snprintf(p->kit, sizeof p->kit, "%s", kit);
	assert_ok(fx->s, calx_session_add(fx->s, p));
	return p;
}

/*
 * Two kits with the same numbers: the parent is (kit, parent_no), never a
 * row of the other kit with no = parent_no. Part 0 is a real parent (a
 * NOT NULL column's 0 is a value); each root refers to itself.
 */
static void composite_self_reference_inserts_parents_first_and_deletes_children_first(void **state)
{
	fixture *fx = *state;
	listen_to(fx, &part_mapper);
	/* a: 0 <- 1 <- 2, b: 2 <- 0 <- 1, added children first */
	struct part *b1 = part(fx, "b", 1, 0), *a2 = part(fx, "a", 2, 1), *b0 = part(fx, "b", 0, 2);
	struct part *a1 = part(fx, "a", 1, 0), *b2 = part(fx, "b", 2, 2), *a0 = part(fx, "a", 0, 0);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(inserted.n, 6);
	before(&inserted, 'a', 0, 'a', 1);
	before(&inserted, 'a', 1, 'a', 2);
	before(&inserted, 'b', 2, 'b', 0);
	before(&inserted, 'b', 0, 'b', 1);
	assert_int_equal(count_rows(fx, &part_mapper), 6);

	/* deleted parents first by the program: the flush deletes children first */
	struct part *order[] = { a0, b2, a1, b0, a2, b1 };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, order[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(deleted.n, 6);
	before(&deleted, 'a', 2, 'a', 1);
	before(&deleted, 'a', 1, 'a', 0);
	before(&deleted, 'b', 1, 'b', 0);
	before(&deleted, 'b', 0, 'b', 2);
	assert_int_equal(count_rows(fx, &part_mapper), 0);
}

static struct task *task(fixture *fx, int32_t project, int32_t no, calx_opt_int32 parent_no)
{
	struct task *t = task_new(fx->s, .project = project, .no = no, .parent_no = parent_no, .title = "t");
	assert_non_null(t);
	assert_ok(fx->s, calx_session_add(fx->s, t));
	return t;
}

/*
 * Wrapper key columns: NULL (has_value false) refers to no row, even with
 * value bytes that name one: (1, 7) holds 8 in its NULL parent_no, and
 * reading it would make a cycle with (1, 8), whose parent it is. SOME(0)
 * refers to task 0.
 */
static void wrapper_foreign_key_columns_order_the_flush(void **state)
{
	fixture *fx = *state;
	const calx_opt_int32 none = CALX_NULL, hidden = { .value = 8, .has_value = false };
	listen_to(fx, &task_mapper);
	struct task *t8 = task(fx, 1, 8, (calx_opt_int32)CALX_SOME(7));
	struct task *t7 = task(fx, 1, 7, hidden);
	struct task *t2 = task(fx, 1, 2, (calx_opt_int32)CALX_SOME(1));
	struct task *t1 = task(fx, 1, 1, (calx_opt_int32)CALX_SOME(0));
	struct task *u0 = task(fx, 2, 0, (calx_opt_int32)CALX_SOME(5));
	struct task *t0 = task(fx, 1, 0, none);
	struct task *u5 = task(fx, 2, 5, none);
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(inserted.n, 7);
	before(&inserted, 1, 7, 1, 8);
	before(&inserted, 1, 0, 1, 1);
	before(&inserted, 1, 1, 1, 2);
	before(&inserted, 2, 5, 2, 0);
	assert_int_equal(count_rows(fx, &task_mapper), 7);

	struct task *order[] = { t0, t1, t2, u5, u0, t7, t8 };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, order[i]));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(deleted.n, 7);
	before(&deleted, 1, 2, 1, 1);
	before(&deleted, 1, 1, 1, 0);
	before(&deleted, 2, 0, 2, 5);
	before(&deleted, 1, 8, 1, 7);
	assert_int_equal(count_rows(fx, &task_mapper), 0);
}

/*
 * A composite key of wrapper columns into another table: both set, it
 * must name an order (added after its shipment, inserted before it); one
 * NULL, it names nothing and the database accepts it (MATCH SIMPLE).
 */
static void wrapper_composite_key_to_another_table(void **state)
{
	fixture *fx = *state;
	struct shipment *s1 = shipment_new(fx->s, .order_id = CALX_SOME(3), .order_no = CALX_SOME(1), .carrier = "x");
	struct shipment *s2 = shipment_new(fx->s, .order_id = CALX_SOME(4), .order_no = CALX_NULL, .carrier = "y");
	assert_non_null(s1);
	assert_non_null(s2);
	assert_ok(fx->s, calx_session_add(fx->s, s1));
	assert_ok(fx->s, calx_session_add(fx->s, s2));
	struct order *o = order_new(fx->s, .id = 3, .no = 1, .customer = "ACME");
	assert_non_null(o);
	assert_ok(fx->s, calx_session_add(fx->s, o));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &shipment_mapper), 2);

	/* both set and naming no order: the database refuses it */
	struct shipment *bad = shipment_new(fx->s, .order_id = CALX_SOME(4), .order_no = CALX_SOME(1), .carrier = "z");
	assert_non_null(bad);
	assert_ok(fx->s, calx_session_add(fx->s, bad));
	assert_calx(fx->s, calx_session_commit(fx->s), CALX_EFOREIGNKEY);
	assert_ok(fx->s, calx_session_rollback(fx->s));

	/* deleting the order and its shipment together: the shipment goes first */
	assert_ok(fx->s, calx_session_delete(fx->s, o));
	assert_ok(fx->s, calx_session_delete(fx->s, s1));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &shipment_mapper), 1);
	assert_int_equal(count_rows(fx, &order_mapper), 0);
}

/*
 * A constructor given every member: the wrappers' padding (inside the
 * mapped bytes the flush compares) is zero in the session's object, not
 * whatever the compound literal left there (valgrind checks the rest).
 */
static void constructor_zeroes_wrapper_padding(void **state)
{
	fixture *fx = *state;
	struct shipment *sh = shipment_new(fx->s, .id = 9, .order_id = CALX_SOME(3), .order_no = CALX_SOME(1),
	                                   .carrier = "x");
	assert_non_null(sh);
	const unsigned char *p = (const unsigned char *)&sh->order_no;
	for (size_t i = offsetof(calx_opt_int32, has_value) + 1; i < sizeof sh->order_no; i++)
		assert_int_equal(p[i], 0);
	p = (const unsigned char *)&sh->order_id;
	for (size_t i = offsetof(calx_opt_int64, has_value) + 1; i < sizeof sh->order_id; i++)
		assert_int_equal(p[i], 0);
	assert_true(sh->order_no.has_value && sh->order_no.value == 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, orders_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(composite_self_reference_inserts_parents_first_and_deletes_children_first),
		T(wrapper_foreign_key_columns_order_the_flush),
		T(wrapper_composite_key_to_another_table),
		T(constructor_zeroes_wrapper_padding),
	};
	return RUN_ON_ALL_DIALECTS("tables_flush", tests);
}
