/*
 * Single-table inheritance (tests/models/inherit_single.h): people ->
 * employees -> managers / engineers in one table, sti_people, told apart
 * by its kind column. create_all makes the one table with every column;
 * inserts write the discriminator; a select of the base hands back each
 * row as its own struct, a select of a subclass only its rows; the
 * identity map is the root's; updates and deletes work at every level; a
 * change of class and an unknown discriminator are errors; a company's
 * staff (a list of the base) loads mixed structs lazily, by select-in
 * and joined. Every test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "inherit_single.calx.h"

static int sti_setup(void **state)
{
	return fixture_setup_schema(state, &inherit_single_schema);
}

typedef struct ids {
	int64_t person, employee, manager, engineer;
} ids;

/* One object of each struct, committed; the program never sets kind. */
static ids add_one_of_each(fixture *fx)
{
	calx_session *s = fx->s;
	struct sti_person *p = sti_person_new(s, .name = "Pat");
	struct sti_employee *e = sti_employee_new(s, .base.name = "Eve", .salary = CALX_SOME(100));
	struct sti_manager *m = sti_manager_new(s, .base.base.name = "Max", .base.salary = CALX_SOME(300),
	                                        .office = "B12", .reports = CALX_SOME(4));
	struct sti_engineer *g = sti_engineer_new(s, .base.base.name = "Gia", .base.salary = CALX_SOME(200),
	                                          .primary_language = "C", .level = 3);
	assert_non_null(p);
	assert_non_null(e);
	assert_non_null(m);
	assert_non_null(g);
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_add(s, e));
	assert_ok(s, calx_session_add(s, m));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	/* C11 6.7.2.1p15: a pointer to the struct is a pointer to its first member, down to the root */
	assert_ptr_equal((void *)&g->base.base, (void *)g);
	return (ids){ p->id, e->base.id, m->base.base.id, g->base.base.id };
}

/* Every person, by key, from a new session. */
static struct sti_person **all_people(calx_session *s, calx_select **q, size_t *n)
{
	void **items;
	*q = calx_select_new(s, &sti_person_mapper);
	assert_non_null(*q);
	calx_order_by(*q, STI_PERSON_ID, CALX_ASC);
	assert_ok(s, calx_select_all(*q, &items, n));
	return (struct sti_person **)items;
}

static void create_all_makes_one_table_with_every_column(void **state)
{
	fixture *fx = *state;
	/* every column of the hierarchy in sti_people, the subclasses' nullable (a base row leaves them out) */
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO sti_people (kind, name, salary, office, reports, "
	                                           "primary_language, level) VALUES ('manager', 'Raw', 1, 'A1', 2, NULL, 5)"),
	                 CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO sti_people (kind, name) VALUES ('person', 'Bare')"), CALX_OK);
	/* no table of the subclasses' own */
	assert_int_not_equal(calx_engine_exec(fx->eng, "SELECT 1 FROM sti_engineer"), CALX_OK);
	assert_int_equal(count_rows(fx, &sti_person_mapper), 2);
	calx_session *s = fixture_session(fx);
	calx_select *q;
	size_t n;
	struct sti_person **ps = all_people(s, &q, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ps[0]->kind, "manager");
	struct sti_manager *m = (struct sti_manager *)ps[0];
	assert_string_equal(m->office, "A1");
	assert_int_equal(m->reports.value, 2);
	assert_string_equal(ps[1]->kind, "person");
	assert_string_equal(ps[1]->name, "Bare");
	/* the server default of a subclass's NOT NULL column filled the base row */
	calx_select *lq = calx_select_new(s, &sti_engineer_mapper);
	calx_value v[1];
	const calx_field_desc *cols[] = { calx_field(STI_ENGINEER_LEVEL) };
	assert_ok(s, calx_select_columns(lq, cols, 1));
	assert_int_equal(calx_select_next_values(lq, v), CALX_DONE);  /* no engineer rows */
	calx_select_free(lq);
	calx_select_free(q);
	calx_session_free(s);
}

static void insert_writes_the_discriminator_and_a_base_select_makes_each_struct(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	calx_select *q;
	size_t n;
	struct sti_person **ps = all_people(s, &q, &n);
	assert_int_equal(n, 4);
	assert_int_equal(ps[0]->id, id.person);
	assert_string_equal(ps[0]->kind, "person");
	assert_string_equal(ps[1]->kind, "employee");
	assert_string_equal(ps[2]->kind, "manager");
	assert_string_equal(ps[3]->kind, "engineer");
	struct sti_employee *e = (struct sti_employee *)ps[1];
	assert_int_equal(e->salary.value, 100);
	struct sti_manager *m = (struct sti_manager *)ps[2];
	assert_string_equal(m->base.base.name, "Max");
	assert_int_equal(m->base.salary.value, 300);
	assert_string_equal(m->office, "B12");
	assert_int_equal(m->reports.value, 4);
	struct sti_engineer *g = (struct sti_engineer *)ps[3];
	assert_string_equal(g->primary_language, "C");
	assert_int_equal(g->level, 3);
	/* allocated at the engineer's size: the last member is the object's own (ASan would catch a smaller block) */
	g->level = 4;
	/* the generated casts check the discriminator */
	assert_null(sti_engineer_of(ps[2]));
	assert_ptr_equal(sti_engineer_of(ps[3]), g);
	assert_ptr_equal(sti_employee_of(ps[2]), (struct sti_employee *)m);
	assert_ptr_equal(sti_employee_of(ps[3]), (struct sti_employee *)g);
	assert_null(sti_employee_of(ps[0]));
	/* the column as the database has it */
	calx_select *kq = calx_select_new(s, &sti_person_mapper);
	const calx_field_desc *cols[] = { calx_field(STI_PERSON_KIND) };
	assert_ok(s, calx_select_columns(kq, cols, 1));
	calx_order_by(kq, STI_PERSON_ID, CALX_ASC);
	calx_value v[1];
	const char *want[] = { "person", "employee", "manager", "engineer" };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(calx_select_next_values(kq, v), CALX_ROW);
		assert_int_equal(v[0].u.s.n, strlen(want[i]));
		assert_memory_equal(v[0].u.s.p, want[i], strlen(want[i]));
	}
	assert_int_equal(calx_select_next_values(kq, v), CALX_DONE);
	calx_select_free(kq);
	calx_select_free(q);
	calx_session_free(s);
}

static size_t select_count(calx_session *s, const calx_mapper_desc *md)
{
	calx_select *q = calx_select_new(s, md);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	for (size_t i = 0; i < n; i++) {
		/* each row is of this struct or one of its subclasses */
		const char *kind = ((struct sti_person *)items[i])->kind;
		if (md == &sti_manager_mapper)
			assert_string_equal(kind, "manager");
		else if (md == &sti_engineer_mapper)
			assert_string_equal(kind, "engineer");
		else if (md == &sti_employee_mapper)
			assert_true(!strcmp(kind, "employee") || !strcmp(kind, "manager") || !strcmp(kind, "engineer"));
	}
	calx_select_free(q);
	return n;
}

static void a_subclass_select_returns_only_its_rows(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx);
	add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	assert_int_equal(select_count(s, &sti_person_mapper), 8);
	assert_int_equal(select_count(s, &sti_employee_mapper), 6);
	assert_int_equal(select_count(s, &sti_manager_mapper), 2);
	assert_int_equal(select_count(s, &sti_engineer_mapper), 2);
	/* with a where of its own */
	calx_select *q = calx_select_new(s, &sti_engineer_mapper);
	calx_where(q, calx_eq(STI_ENGINEER_PRIMARY_LANGUAGE, "C"));
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 2);
	calx_select_free(q);
	calx_session_free(s);
}

static void the_identity_map_is_keyed_by_the_root(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct sti_person *p;
	struct sti_employee *e;
	struct sti_engineer *g;
	struct sti_manager *m;
	/* from the database, by the base: an engineer */
	assert_ok(s, sti_person_get(s, id.engineer, &p));
	assert_string_equal(p->kind, "engineer");
	assert_ok(s, sti_engineer_get(s, id.engineer, &g));
	assert_ptr_equal(g, p);
	assert_ok(s, sti_employee_get(s, id.engineer, &e));
	assert_ptr_equal(e, p);
	/* an engineer is no manager: not found, as SQLAlchemy's get gives None */
	assert_calx(s, sti_manager_get(s, id.engineer, &m), CALX_ENOTFOUND);
	assert_non_null(strstr(calx_session_errmsg(s), "is a struct sti_engineer, not a struct sti_manager"));
	/* the same from the database, in a fresh session (nothing in its identity map yet) */
	calx_session *s2 = fixture_session(fx);
	assert_calx(s2, sti_manager_get(s2, id.engineer, &m), CALX_ENOTFOUND);
	assert_calx(s2, sti_engineer_get(s2, id.person, &g), CALX_ENOTFOUND);
	/* a get of the subclass first, then the base finds it */
	assert_ok(s2, sti_manager_get(s2, id.manager, &m));
	assert_string_equal(m->office, "B12");
	assert_ok(s2, sti_person_get(s2, id.manager, &p));
	assert_ptr_equal(p, m);
	/* a base get of a subclass row reads the subclass's own columns too */
	calx_session *s3 = fixture_session(fx);
	assert_ok(s3, sti_person_get(s3, id.engineer, &p));
	assert_string_equal(((struct sti_engineer *)p)->primary_language, "C");
	calx_session_free(s);
	calx_session_free(s2);
	calx_session_free(s3);
}

static void updates_and_deletes_work_at_every_level(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct sti_person *p;
	struct sti_employee *e;
	struct sti_manager *m;
	struct sti_engineer *g;
	assert_ok(s, sti_person_get(s, id.person, &p));
	assert_ok(s, sti_employee_get(s, id.employee, &e));
	assert_ok(s, sti_manager_get(s, id.manager, &m));
	assert_ok(s, sti_engineer_get(s, id.engineer, &g));
	strcpy(p->name, "Pat2");
	e->salary = (calx_opt_int32)CALX_SOME(101);
	m->office = "C3";
	m->base.base.company_id = (calx_opt_int64)CALX_NULL;
	g->primary_language = "Rust";
	g->level = 9;
	assert_ok(s, calx_session_commit(s));
	calx_session *r = fixture_session(fx);
	calx_select *q;
	size_t n;
	struct sti_person **ps = all_people(r, &q, &n);
	assert_int_equal(n, 4);
	assert_string_equal(ps[0]->name, "Pat2");
	assert_int_equal(((struct sti_employee *)ps[1])->salary.value, 101);
	assert_string_equal(((struct sti_manager *)ps[2])->office, "C3");
	assert_string_equal(((struct sti_engineer *)ps[3])->primary_language, "Rust");
	assert_int_equal(((struct sti_engineer *)ps[3])->level, 9);
	calx_select_free(q);
	calx_session_free(r);
	/* deletes, one level at a time */
	assert_ok(s, calx_session_delete(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sti_person_mapper), 3);
	assert_ok(s, sti_manager_get(s, id.manager, &m));
	assert_ok(s, sti_employee_get(s, id.employee, &e));
	assert_ok(s, calx_session_delete(s, m));
	assert_ok(s, calx_session_delete(s, e));
	assert_ok(s, calx_session_commit(s));
	assert_ok(s, sti_person_get(s, id.person, &p));
	assert_ok(s, calx_session_delete(s, p));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(count_rows(fx, &sti_person_mapper), 0);
	calx_session_free(s);
}

static void an_unknown_discriminator_is_an_error(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO sti_people (kind, name) VALUES ('robot', 'R2')"), CALX_OK);
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &sti_person_mapper);
	void **items;
	size_t n;
	assert_calx(s, calx_select_all(q, &items, &n), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "'robot'"));
	assert_non_null(strstr(calx_session_errmsg(s), "person, employee, manager, engineer"));
	calx_select_free(q);
	/* a get of it too (the get's narrow row) */
	calx_session *s2 = fixture_session(fx);
	calx_select *rq = calx_select_new(s2, &sti_employee_mapper);
	assert_ok(s2, calx_select_all(rq, &items, &n));          /* a subclass's select never reads it */
	assert_int_equal(n, 3);
	calx_select_free(rq);
	calx_session_free(s);
	calx_session_free(s2);
}

static void a_change_of_class_is_refused(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct sti_engineer *g;
	assert_ok(s, sti_engineer_get(s, id.engineer, &g));
	strcpy(g->base.base.kind, "manager");
	g->level = 7;
	assert_calx(s, calx_session_commit(s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "change of class"));
	assert_ok(s, calx_session_rollback(s));
	/* nothing was written */
	calx_session *r = fixture_session(fx);
	struct sti_engineer *again;
	assert_ok(r, sti_engineer_get(r, id.engineer, &again));
	assert_int_equal(again->level, 3);
	assert_string_equal(again->base.base.kind, "engineer");
	calx_session_free(r);
	/* a new object that says it is another struct is refused too; one left unset gets its own */
	struct sti_engineer *liar = sti_engineer_new(s, .base.base.kind = "manager", .base.base.name = "L");
	assert_non_null(liar);
	assert_ok(s, calx_session_add(s, liar));
	assert_calx(s, calx_session_flush(s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "polymorphic_identity is 'engineer'"));
	strcpy(liar->base.base.kind, "");
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(liar->base.base.kind, "engineer");
	calx_session_free(s);
}

/* A company with staff of mixed structs. */
static int64_t add_company(fixture *fx)
{
	calx_session *s = fx->s;
	struct sti_company *c = sti_company_new(s, .name = "Acme");
	struct sti_engineer *g = sti_engineer_new(s, .base.base.name = "Gia", .primary_language = "C", .level = 2);
	struct sti_manager *m = sti_manager_new(s, .base.base.name = "Max", .office = "B1");
	struct sti_person *p = sti_person_new(s, .name = "Pat");
	assert_ok(s, sti_company_staff_append(s, c, &g->base.base));
	assert_ok(s, sti_company_staff_append(s, c, &m->base.base));
	assert_ok(s, sti_company_staff_append(s, c, p));
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_commit(s));
	return c->id;
}

static void check_staff(struct sti_person **staff, size_t n)
{
	int seen = 0;
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(staff[i]->kind, "engineer")) {
			assert_string_equal(sti_engineer_of(staff[i])->primary_language, "C");
			seen |= 1;
		} else if (!strcmp(staff[i]->kind, "manager")) {
			assert_string_equal(sti_manager_of(staff[i])->office, "B1");
			seen |= 2;
		} else {
			assert_string_equal(staff[i]->kind, "person");
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
}

static void a_relationship_to_the_base_loads_mixed_structs(void **state)
{
	fixture *fx = *state;
	int64_t cid = add_company(fx);
	/* lazy */
	calx_session *s = fixture_session(fx);
	struct sti_company *c;
	struct sti_person **staff;
	size_t n;
	assert_ok(s, sti_company_get(s, cid, &c));
	assert_ok(s, sti_company_staff(s, c, &staff, &n));
	check_staff(staff, n);
	calx_session_free(s);
	/* select-in and joined, for a select's whole result */
	calx_loading how[] = { CALX_LOAD_SELECTIN, CALX_LOAD_JOINED };
	for (size_t k = 0; k < 2; k++) {
		calx_session *t = fixture_session(fx);
		calx_select *q = calx_select_new(t, &sti_company_mapper);
		assert_ok(t, calx_select_load(q, STI_COMPANY_REL_STAFF, how[k]));
		void **items;
		size_t nc;
		assert_ok(t, calx_select_all(q, &items, &nc));
		assert_int_equal(nc, 1);
		c = items[0];
		assert_true(calx_related_is_loaded(t, c, STI_COMPANY_REL_STAFF));
		check_staff(c->staff.items, c->staff.n);
		calx_select_free(q);
		calx_session_free(t);
	}
}

/* A subclass of 36 fields, loaded by its root's select and by a get of the root. */
static void a_wide_subclass_loads(void **state)
{
	fixture *fx = *state;
	struct sti_widget *w = sti_widget_new(fx->s, .w00 = CALX_SOME(7), .w33 = CALX_SOME(33));
	assert_non_null(w);
	assert_ok(fx->s, calx_session_add(fx->s, w));
	assert_ok(fx->s, calx_session_commit(fx->s));
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &sti_gadget_mapper);
	struct sti_gadget *g;
	assert_ok(s, calx_select_one(q, (void **)&g));
	assert_string_equal(g->kind, "widget");
	struct sti_widget *back = sti_widget_of(g);
	assert_non_null(back);
	assert_int_equal(back->w00.value, 7);
	assert_false(back->w01.has_value);
	assert_int_equal(back->w33.value, 33);
	calx_select_free(q);
	calx_session *s2 = fixture_session(fx);
	assert_ok(s2, sti_gadget_get(s2, w->base.id, &g));
	assert_int_equal(sti_widget_of(g)->w33.value, 33);
	calx_session_free(s);
	calx_session_free(s2);
}

/* An integer discriminator: each row its struct, a subclass's select filtered, a program's 0 given the identity. */
static void an_integer_discriminator_works_the_same(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sti_shape *plain = sti_shape_new(s, .label = "dot");
	struct sti_circle *c = sti_circle_new(s, .base.label = "c", .radius = CALX_SOME(1.5));
	struct sti_square *q = sti_square_new(s, .base.label = "q", .side = CALX_SOME(2.0));
	assert_int_equal(c->base.sort, 2);        /* the constructor's default */
	q->base.sort = 0;                         /* unset: the flush writes the identity */
	assert_ok(s, calx_session_add(s, plain));
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_add(s, q));
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(q->base.sort, 3);
	calx_session *r = fixture_session(fx);
	calx_select *sel = calx_select_new(r, &sti_shape_mapper);
	calx_order_by(sel, STI_SHAPE_ID, CALX_ASC);
	void **items;
	size_t n;
	assert_ok(r, calx_select_all(sel, &items, &n));
	assert_int_equal(n, 3);
	struct sti_shape **shapes = (struct sti_shape **)items;
	assert_int_equal(shapes[0]->sort, 1);
	assert_null(sti_circle_of(shapes[0]));
	assert_true(sti_circle_of(shapes[1])->radius.value == 1.5);
	assert_true(sti_square_of(shapes[2])->side.value == 2.0);
	calx_select_free(sel);
	calx_select *cq = calx_select_new(r, &sti_circle_mapper);
	assert_ok(r, calx_select_all(cq, &items, &n));
	assert_int_equal(n, 1);
	assert_string_equal(((struct sti_circle *)items[0])->base.label, "c");
	calx_select_free(cq);
	/* another struct's number in a new object is refused */
	struct sti_circle *liar = sti_circle_new(s, .base.sort = 3);
	assert_ok(s, calx_session_add(s, liar));
	assert_calx(s, calx_session_commit(s), CALX_EINVAL);
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(r);
}

/* A char * discriminator: set by the constructor, NULL is "unset", and the cast checks it. */
static void a_string_discriminator_works_the_same(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct sti_widget *w = sti_widget_new(s, .w01 = CALX_SOME(1));
	struct sti_gadget *g = sti_gadget_new(s);
	assert_string_equal(w->base.kind, "widget");
	g->kind = NULL;                           /* unset: the flush writes the identity */
	assert_ok(s, calx_session_add(s, w));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(g->kind, "gadget");
	assert_null(sti_widget_of(g));
	assert_ptr_equal(sti_widget_of(&w->base), w);
	calx_session *r = fixture_session(fx);
	calx_select *q = calx_select_new(r, &sti_widget_mapper);
	void **items;
	size_t n;
	assert_ok(r, calx_select_all(q, &items, &n));
	assert_int_equal(n, 1);
	assert_int_equal(((struct sti_widget *)items[0])->w01.value, 1);
	calx_select_free(q);
	calx_session_free(r);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, sti_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(create_all_makes_one_table_with_every_column),
		T(insert_writes_the_discriminator_and_a_base_select_makes_each_struct),
		T(a_subclass_select_returns_only_its_rows),
		T(the_identity_map_is_keyed_by_the_root),
		T(updates_and_deletes_work_at_every_level),
		T(an_unknown_discriminator_is_an_error),
		T(a_change_of_class_is_refused),
		T(a_relationship_to_the_base_loads_mixed_structs),
		T(a_wide_subclass_loads),
		T(an_integer_discriminator_works_the_same),
		T(a_string_discriminator_works_the_same),
	};
	return RUN_ON_ALL_DIALECTS("inherit_single", tests);
}
