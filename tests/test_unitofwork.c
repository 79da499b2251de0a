/*
 * The unit of work's module tests: the dependency graph and its order
 * (orm/unitofwork/graph.c) on rows made by a real session, the byte spans
 * object state covers (orm/mapping/layout.c), and the cost promises: no
 * memory at all to order one table without a self-reference, a bounded
 * number of allocations otherwise, and every allocation failure ending in
 * a status with nothing changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "spine_fixture.h"
#include "session/session.h"
#include "unitofwork/graph.h"

/* Counting (and, when fail_at is set, failing) allocator, installed before anything else. */
static long calls, fail_at;

static void *counting_alloc(void *payload, void *ptr, size_t size)
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

static calx__obj *hdr(fixture *fx, void *obj)
{
	calx__obj *h = calx__obj_of(fx->s, obj);
	assert_non_null(h);
	return h;
}

static struct employee *emp(calx_session *s, const char *code, const char *reports_to, const char *mentor,
                            const char *dept)
{
	struct employee *e = employee_new(s, .reports_to = calx_strdup(s, reports_to),
	                                  .mentor = calx_strdup(s, mentor), .dept = calx_strdup(s, dept));
	assert_non_null(e);
	assert_ok(s, calx_field_set_text(s, e, EMPLOYEE_CODE, code));
	return e;
}

static struct department *dept(calx_session *s, const char *code, const char *parent)
{
	struct department *d = department_new(s, .parent = calx_strdup(s, parent));
	assert_non_null(d);
	assert_ok(s, calx_field_set_text(s, d, DEPARTMENT_CODE, code));
	return d;
}

/* The rows' names, space-separated: employees and departments by code, badges as "b<id>". */
static const char *names(calx__obj **rows, size_t n)
{
	static char buf[256];
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const void *o = calx__obj_ptr(rows[i]);
		char one[32];
		if (calx__obj_mapper(rows[i])->desc == &employee_mapper)
			snprintf(one, sizeof one, "%s", ((const struct employee *)o)->code);
		else if (calx__obj_mapper(rows[i])->desc == &department_mapper)
			snprintf(one, sizeof one, "%s", ((const struct department *)o)->code);
		else
			snprintf(one, sizeof one, "b%lld", (long long)((const struct badge *)o)->id);
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%s%s", len ? " " : "", one);
	}
	return buf;
}

static void order(fixture *fx, calx__obj **rows, size_t n, calx__order_kind kind, size_t want_forced)
{
	calx_error err = { 0 };
	size_t forced = 99;
	assert_int_equal(calx__order_rows(fx->reg, rows, n, kind, &forced, &err), CALX_OK);
	assert_int_equal(forced, want_forced);
}

static void add_and_commit(fixture *fx, calx__obj **rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_ok(fx->s, calx_session_add(fx->s, calx__obj_ptr(rows[i])));
	assert_ok(fx->s, calx_session_commit(fx->s));
}

static void a_chain_added_leaf_first_comes_out_root_first(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[] = {
		hdr(fx, emp(fx->s, "e4", "e3", NULL, NULL)),
		hdr(fx, emp(fx->s, "e3", "e2", NULL, NULL)),
		hdr(fx, emp(fx->s, "x", NULL, NULL, NULL)),
		hdr(fx, emp(fx->s, "e2", "e1", NULL, NULL)),
		hdr(fx, emp(fx->s, "e1", NULL, NULL, NULL)),
	};
	order(fx, rows, 5, CALX__ORDER_INSERTS, 0);
	/* rows that wait for nothing keep their add order; the chain follows its root */
	assert_string_equal(names(rows, 5), "x e1 e2 e3 e4");
	add_and_commit(fx, rows, 5);
}

static void two_self_referential_keys_are_both_respected(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[] = {
		hdr(fx, emp(fx->s, "y", NULL, "x", NULL)),
		hdr(fx, emp(fx->s, "p", NULL, NULL, NULL)),
		hdr(fx, emp(fx->s, "x", "p", NULL, NULL)),
	};
	order(fx, rows, 3, CALX__ORDER_INSERTS, 0);
	assert_string_equal(names(rows, 3), "p x y");
	add_and_commit(fx, rows, 3);
	order(fx, rows, 3, CALX__ORDER_DELETES, 0);
	assert_string_equal(names(rows, 3), "y x p");
}

/* d1 <- d2 (parent), d1 <- e1, d2 <- e2, e1 <- e2 (reports_to), e2 <- b1 (holder). */
static void make_three_tables(fixture *fx, calx__obj **rows)
{
	struct badge *b = badge_new(fx->s, .id = 1, .holder = "e2");
	rows[0] = hdr(fx, b);
	rows[1] = hdr(fx, emp(fx->s, "e2", "e1", NULL, "d2"));
	rows[2] = hdr(fx, dept(fx->s, "d2", "d1"));
	rows[3] = hdr(fx, emp(fx->s, "e1", NULL, NULL, "d1"));
	rows[4] = hdr(fx, dept(fx->s, "d1", NULL));
}

static void rows_of_several_tables_come_out_one_run_per_table(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[5];
	make_three_tables(fx, rows);
	order(fx, rows, 5, CALX__ORDER_INSERTS, 0);
	assert_string_equal(names(rows, 5), "d1 d2 e1 e2 b1");
	add_and_commit(fx, rows, 5);
}

static void deletes_come_out_children_first_by_the_rows_as_stored(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[5];
	make_three_tables(fx, rows);
	add_and_commit(fx, rows, 5);
	/* the program's values no longer say how the rows are linked: the snapshots do */
	struct employee *e2 = calx__obj_ptr(rows[1]);
	e2->reports_to = NULL;
	calx__obj *gone[] = { rows[4], rows[2], rows[3], rows[1], rows[0] };     /* d1 d2 e1 e2 b1 */
	order(fx, gone, 5, CALX__ORDER_DELETES, 0);
	assert_string_equal(names(gone, 5), "b1 e2 e1 d2 d1");
	for (size_t i = 0; i < 5; i++)
		assert_ok(fx->s, calx_session_delete(fx->s, calx__obj_ptr(rows[i])));
	assert_ok(fx->s, calx_session_commit(fx->s));
	assert_int_equal(count_rows(fx, &department_mapper), 0);
}

static void independent_rows_are_grouped_by_table_in_add_order_every_time(void **state)
{
	fixture *fx = *state;
	calx__obj *first[] = {
		hdr(fx, emp(fx->s, "ea", NULL, NULL, NULL)),
		hdr(fx, dept(fx->s, "da", NULL)),
		hdr(fx, emp(fx->s, "eb", NULL, NULL, NULL)),
		hdr(fx, dept(fx->s, "db", NULL)),
		hdr(fx, emp(fx->s, "ec", NULL, NULL, NULL)),
	};
	calx__obj *again[5];
	memcpy(again, first, sizeof first);
	order(fx, first, 5, CALX__ORDER_INSERTS, 0);
	assert_string_equal(names(first, 5), "da db ea eb ec");
	order(fx, again, 5, CALX__ORDER_INSERTS, 0);
	assert_memory_equal(first, again, sizeof first);
	order(fx, again, 5, CALX__ORDER_DELETES, 0);
	assert_string_equal(names(again, 5), "ea eb ec da db");
}

static void a_cycle_places_its_earliest_row_first_and_says_so(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[] = {
		hdr(fx, emp(fx->s, "z", NULL, NULL, NULL)),
		hdr(fx, emp(fx->s, "b", NULL, "a", NULL)),
		hdr(fx, emp(fx->s, "a", NULL, "b", NULL)),
		hdr(fx, emp(fx->s, "c", "a", NULL, NULL)),
		hdr(fx, emp(fx->s, "self", "self", NULL, NULL)),  /* its own parent: no edge */
	};
	order(fx, rows, 5, CALX__ORDER_INSERTS, 1);
	assert_string_equal(names(rows, 5), "z self b a c");
}

static void the_spans_cover_mapped_fields_and_nothing_else(void **state)
{
	fixture *fx = *state;
	const calx__mapper *g = &fx->reg->mappers[gadget_mapper.index];
	assert_int_equal(g->n_spans, 3);
	assert_int_equal(g->spans[0].off, offsetof(struct gadget, id));
	assert_int_equal(g->spans[1].off, offsetof(struct gadget, hits));
	assert_int_equal(g->spans[2].off, offsetof(struct gadget, label));
	assert_int_equal(g->mapped_bytes, sizeof(int64_t) + sizeof(int32_t) + sizeof(char *));
	const calx__mapper *w = &fx->reg->mappers[wide_mapper.index];
	assert_int_equal(w->field_words, 2);
	assert_int_equal(w->generated[0], 0);
	assert_int_equal(w->generated[1], (uint64_t)3 << 2);    /* fields 66 (key) and 67 (server default) */
	assert_true(w->omitted_off > w->nulls_off);
	assert_int_equal(fx->reg->mappers[employee_mapper.index].omitted_off, 0);
}

/* A 10,000-row flush of one table without a self-reference: no memory to order it. */
static void ordering_one_table_without_a_self_reference_allocates_nothing(void **state)
{
	fixture *fx = *state;
	enum { N = 10000 };
	calx__obj **rows = calloc(N, sizeof *rows);
	assert_non_null(rows);
	for (size_t i = 0; i < N; i++)
		rows[i] = hdr(fx, gadget_new(fx->s, .hits = (int32_t)i));
	long before = calls;
	order(fx, rows, N, CALX__ORDER_INSERTS, 0);
	order(fx, rows, N, CALX__ORDER_DELETES, 0);
	assert_int_equal(calls, before);
	/* a self-referential table: a few arrays, not one allocation per row */
	for (size_t i = 0; i < N; i++) {
		char code[8], boss[8];
		snprintf(code, sizeof code, "e%zu", i);
		snprintf(boss, sizeof boss, "e%zu", i + 1);
		rows[i] = hdr(fx, emp(fx->s, code, i + 1 < N ? boss : NULL, NULL, NULL));
	}
	before = calls;
	order(fx, rows, N, CALX__ORDER_INSERTS, 0);
	assert_true(calls - before <= 8);
	assert_string_equal(((struct employee *)calx__obj_ptr(rows[0]))->code, "e9999");
	assert_string_equal(((struct employee *)calx__obj_ptr(rows[N - 1]))->code, "e0");
	free(rows);
}

static void every_allocation_failure_in_the_sort_leaves_the_rows_as_they_were(void **state)
{
	fixture *fx = *state;
	calx__obj *rows[5], *was[5];
	make_three_tables(fx, rows);
	memcpy(was, rows, sizeof rows);
	int rc = CALX_ENOMEM;
	long n;
	for (n = 1; rc == CALX_ENOMEM && n < 100; n++) {
		calx_error err = { 0 };
		calls = 0;
		fail_at = n;
		rc = calx__order_rows(fx->reg, rows, 5, CALX__ORDER_INSERTS, NULL, &err);
		fail_at = 0;
		if (rc == CALX_ENOMEM) {
			assert_memory_equal(rows, was, sizeof rows);
			assert_non_null(strstr(err.msg, "out of memory ordering 5 rows"));
		}
	}
	assert_int_equal(rc, CALX_OK);
	assert_true(n > 2);     /* some allocation did fail before it worked */
	assert_string_equal(names(rows, 5), "d1 d2 e1 e2 b1");
}

static int add_badge_for(calx_session *s, calx_event ev, const calx_mapper_desc *m, void *obj, void *payload)
{
	(void)ev;
	(void)m;
	(void)payload;
	struct employee *e = obj;
	struct badge *b = badge_new(s, .holder = e->code);
	return b ? calx_session_add(s, b) : calx_session_errcode(s);
}

/* emp() without asserts: allocations may fail here. */
static int make_row(calx_session *s, void **out, const calx_mapper_desc *m, const char *code, const char *link)
{
	char *copy = link ? calx_strdup(s, link) : NULL;
	if (link && !copy)
		return calx_session_errcode(s);
	if (m == &employee_mapper)
		*out = employee_new(s, .reports_to = copy, .dept = "d1");
	else
		*out = department_new(s, .parent = copy);
	if (!*out)
		return calx_session_errcode(s);
	return calx_field_set_text(s, *out, &m->fields[0], code);
}

/*
 * Dependent rows of three tables and a listener that adds a row for each
 * employee inserted (a second round), with the Nth allocation failing:
 * every run ends in a status, and the database has all of it or none.
 */
static void a_flush_in_rounds_is_all_or_nothing_under_allocation_failure(void **state)
{
	fixture *fx = *state;
	int rc = CALX_ENOMEM;
	long n;
	for (n = 1; rc != CALX_OK && n < 2000; n++) {
		calx_session *s = fixture_session(fx);
		assert_non_null(s);
		calls = 0;
		fail_at = n;
		void *objs[3] = { NULL, NULL, NULL };
		rc = calx_session_listen(s, CALX_EVENT_AFTER_INSERT, &employee_mapper, add_badge_for, NULL);
		if (rc == CALX_OK)
			rc = make_row(s, &objs[0], &employee_mapper, "e2", "e1");
		if (rc == CALX_OK)
			rc = make_row(s, &objs[1], &department_mapper, "d1", NULL);
		if (rc == CALX_OK)
			rc = make_row(s, &objs[2], &employee_mapper, "e1", NULL);
		for (int i = 0; i < 3 && rc == CALX_OK; i++)
			rc = calx_session_add(s, objs[i]);
		if (rc == CALX_OK)
			rc = calx_session_commit(s);
		fail_at = 0;
		size_t badges = count_rows(fx, &badge_mapper), emps = count_rows(fx, &employee_mapper);
		if (rc == CALX_OK) {
			assert_int_equal(emps, 2);
			assert_int_equal(badges, 2);
		} else {
			assert_int_equal(emps, 0);
			assert_int_equal(badges, 0);
			assert_int_equal(count_rows(fx, &department_mapper), 0);
			calx_session_rollback(s);
		}
		calx_session_free(s);
	}
	assert_int_equal(rc, CALX_OK);
	fprintf(stderr, "rounds test: %ld allocation sites\n", n - 1);
	assert_true(n > 10);
}

int main(void)
{
	calx_set_allocator(counting_alloc, NULL);
#define T(f) cmocka_unit_test_setup_teardown(f, spine_setup, spine_teardown)
	const struct CMUnitTest tests[] = {
		T(a_chain_added_leaf_first_comes_out_root_first),
		T(two_self_referential_keys_are_both_respected),
		T(rows_of_several_tables_come_out_one_run_per_table),
		T(deletes_come_out_children_first_by_the_rows_as_stored),
		T(independent_rows_are_grouped_by_table_in_add_order_every_time),
		T(a_cycle_places_its_earliest_row_first_and_says_so),
		T(the_spans_cover_mapped_fields_and_nothing_else),
		T(ordering_one_table_without_a_self_reference_allocates_nothing),
		T(every_allocation_failure_in_the_sort_leaves_the_rows_as_they_were),
		T(a_flush_in_rounds_is_all_or_nothing_under_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("unitofwork", tests);
}
