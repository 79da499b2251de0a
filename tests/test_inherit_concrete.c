/*
 * Concrete-table inheritance (tests/models/inherit_concrete.h): people ->
 * employees -> managers / engineers, a complete table per struct (every
 * column of its ancestors in it), no foreign key between them. An insert,
 * update or delete writes the one table of the object's struct; a select
 * of a struct reads the UNION ALL of its table and its subclasses' (each
 * row's discriminator a literal per table, the object allocated as that
 * struct); a get goes through the same union; the identity map is the
 * root's; keys must be unique across the tables (the program's choice of
 * keys; a collision is an error when read, never a wrong object); a
 * change of class is refused; a company's staff (a list of the base)
 * loads mixed structs lazily, select-in and joined, one statement each. Every
 * test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include <calx/inspect.h>
#include <calx/bulk.h>
#include "inherit_concrete.calx.h"

static int cti_setup(void **state)
{
	return fixture_setup_schema(state, &inherit_concrete_schema);
}

/* The integer a one-row, one-column query gives (raw SQL, the table's rows as the database has them). */
static int64_t scalar(calx_session *s, const char *sql)
{
	calx_text_query *t = calx_text(s, sql);
	calx_value v[1];
	assert_non_null(t);
	assert_calx(s, calx_text_next(t, v, 1), CALX_ROW);
	int64_t n = v[0].kind == CALX_VALUE_INT ? v[0].u.i : -1;
	calx_text_free(t);
	return n;
}

static int64_t rows_of(fixture *fx, const char *table)
{
	calx_session *s = fixture_session(fx);
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	int64_t n = scalar(s, sql);
	calx_session_free(s);
	return n;
}

/* One object of each struct, keys 1 to 4 chosen by the program (unique across the tables), one flush. */
static void add_one_of_each(fixture *fx, int64_t company)
{
	calx_session *s = fx->s;
	calx_opt_int64 co = { .value = company, .has_value = company != 0 };
	struct cti_person *p = cti_person_new(s, .id = 1, .name = "Pat", .company_id = co);
	struct cti_employee *e = cti_employee_new(s, .base.id = 2, .base.name = "Eve", .base.company_id = co,
	                                          .salary = CALX_SOME(100));
	struct cti_manager *m = cti_manager_new(s, .base.base.id = 3, .base.base.name = "Max", .base.base.company_id = co,
	                                        .base.salary = CALX_SOME(300), .office = "B12", .reports = 4,
	                                        .status = "busy");
	struct cti_engineer *g = cti_engineer_new(s, .base.base.id = 4, .base.base.name = "Gia", .base.base.company_id = co,
	                                          .base.salary = CALX_SOME(200), .primary_language = "C",
	                                          .status = "idle");
	assert_non_null(p);
	assert_non_null(e);
	assert_non_null(m);
	assert_non_null(g);
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_add(s, e));
	assert_ok(s, calx_session_add(s, m));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	/* the server default of the engineer's table came back */
	assert_int_equal(g->level.value, 1);
}

static void create_all_makes_a_complete_table_per_struct(void **state)
{
	fixture *fx = *state;
	/* every column of the ancestors in the engineer's table, and no row needed anywhere else */
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO cti_engineer (id, kind, name, salary, primary_language) "
	                                           "VALUES (99, 'engineer', 'Raw', 7, 'Go')"),
	                 CALX_OK);
	assert_int_equal(rows_of(fx, "cti_engineer WHERE level = 1"), 1);
	assert_int_equal(rows_of(fx, "cti_person"), 0);
	assert_int_equal(rows_of(fx, "cti_employee"), 0);
	calx_session *s = fixture_session(fx);
	struct cti_person *p;
	assert_ok(s, cti_person_get(s, 99, &p));
	struct cti_engineer *g = cti_engineer_of(p);
	assert_non_null(g);
	assert_string_equal(g->base.base.name, "Raw");
	assert_string_equal(g->primary_language, "Go");
	assert_int_equal(g->base.salary.value, 7);
	calx_session_free(s);
}

static void insert_writes_one_table_and_a_base_select_makes_each_struct(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	assert_int_equal(rows_of(fx, "cti_person"), 1);
	assert_int_equal(rows_of(fx, "cti_employee"), 1);
	assert_int_equal(rows_of(fx, "cti_manager"), 1);
	assert_int_equal(rows_of(fx, "cti_engineer"), 1);
	/* each row in its struct's table, whole: the manager's salary is in cti_manager */
	assert_int_equal(rows_of(fx, "cti_manager WHERE id = 3 AND salary = 300 AND kind = 'manager' AND name = 'Max'"), 1);
	assert_int_equal(rows_of(fx, "cti_engineer WHERE id = 4 AND salary = 200 AND primary_language = 'C'"), 1);
	calx_session *s = fixture_session(fx);
	assert_int_equal(scalar(s, "SELECT 1"), 1);     /* the transaction begun: count the select alone */
	uint64_t before = fixture_statements(s);
	calx_select *q = calx_select_new(s, &cti_person_mapper);
	assert_non_null(q);
	calx_order_by(q, CTI_PERSON_ID, CALX_ASC);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	/* one statement: the UNION ALL of the four tables */
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	struct cti_person **ps = (struct cti_person **)items;
	assert_string_equal(ps[0]->kind, "person");
	assert_null(cti_employee_of(ps[0]));
	struct cti_employee *e = cti_employee_of(ps[1]);
	assert_non_null(e);
	assert_null(cti_manager_of(ps[1]));
	assert_int_equal(e->salary.value, 100);
	struct cti_manager *m = cti_manager_of(ps[2]);
	assert_non_null(m);
	assert_string_equal(m->office, "B12");
	assert_int_equal(m->reports, 4);
	assert_int_equal(m->base.salary.value, 300);
	assert_string_equal(m->status, "busy");
	struct cti_engineer *g = cti_engineer_of(ps[3]);
	assert_non_null(g);
	assert_string_equal(g->primary_language, "C");
	assert_string_equal(g->base.base.name, "Gia");
	assert_int_equal(g->level.value, 1);
	assert_string_equal(g->status, "idle");        /* the siblings' status: one column of the union */
	calx_select_free(q);
	calx_session_free(s);
}

static size_t count_of(calx_session *s, const calx_mapper_desc *md, calx_expr *where)
{
	calx_select *q = calx_select_new(s, md);
	assert_non_null(q);
	if (where)
		calx_where(q, where);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	for (size_t i = 0; i < n; i++)
		assert_true(((struct cti_person *)items[i])->id > 0);
	calx_select_free(q);
	return n;
}

static void a_subclass_select_reads_its_table_and_its_subclasses(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	calx_session *s = fixture_session(fx);
	assert_int_equal(count_of(s, &cti_employee_mapper, NULL), 3);
	assert_int_equal(count_of(s, &cti_manager_mapper, NULL), 1);
	assert_int_equal(count_of(s, &cti_engineer_mapper, NULL), 1);
	/* a condition on a subclass's own column, and on an inherited one */
	assert_int_equal(count_of(s, &cti_engineer_mapper, calx_eq(CTI_ENGINEER_PRIMARY_LANGUAGE, "C")), 1);
	assert_int_equal(count_of(s, &cti_engineer_mapper, calx_eq(CTI_ENGINEER_PRIMARY_LANGUAGE, "Go")), 0);
	assert_int_equal(count_of(s, &cti_employee_mapper, calx_gt(CTI_EMPLOYEE_SALARY, 150)), 2);
	assert_int_equal(count_of(s, &cti_person_mapper, calx_eq(CTI_PERSON_NAME, "Max")), 1);
	/* a column two siblings share: each struct's select reads its own rows' */
	assert_int_equal(count_of(s, &cti_manager_mapper, calx_eq(CTI_MANAGER_STATUS, "busy")), 1);
	assert_int_equal(count_of(s, &cti_engineer_mapper, calx_eq(CTI_ENGINEER_STATUS, "busy")), 0);
	assert_int_equal(count_of(s, &cti_engineer_mapper, calx_eq(CTI_ENGINEER_STATUS, "idle")), 1);
	calx_session_free(s);
}

static void the_identity_map_is_keyed_by_the_root(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	calx_session *s = fixture_session(fx);
	struct cti_person *p;
	struct cti_employee *e;
	struct cti_engineer *g;
	struct cti_manager *m;
	assert_ok(s, cti_person_get(s, 4, &p));
	assert_non_null(cti_engineer_of(p));
	uint64_t before = fixture_statements(s);
	assert_ok(s, cti_engineer_get(s, 4, &g));
	assert_ok(s, cti_employee_get(s, 4, &e));
	assert_int_equal(fixture_statements(s) - before, 0);
	assert_ptr_equal((void *)g, (void *)p);
	assert_ptr_equal((void *)e, (void *)p);
	assert_calx(s, cti_manager_get(s, 4, &m), CALX_ENOTFOUND);
	/* in a fresh session, a get of the subclass first, then of the base */
	calx_session *t = fixture_session(fx);
	assert_ok(t, cti_manager_get(t, 3, &m));
	assert_ok(t, cti_person_get(t, 3, &p));
	assert_ptr_equal((void *)m, (void *)p);
	/* a subclass's get reads its subtree's tables only: no employee row 1 (a person) */
	assert_calx(t, cti_employee_get(t, 1, &e), CALX_ENOTFOUND);
	assert_calx(t, cti_engineer_get(t, 3, &g), CALX_ENOTFOUND);
	calx_session_free(t);
	calx_session_free(s);
}

static void updates_and_deletes_write_the_objects_table(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	calx_session *s = fixture_session(fx);
	struct cti_engineer *g;
	struct cti_manager *m;
	assert_ok(s, cti_engineer_get(s, 4, &g));
	assert_ok(s, cti_manager_get(s, 3, &m));
	snprintf(g->primary_language, sizeof g->primary_language, "Rust");
	snprintf(g->base.base.name, sizeof g->base.base.name, "Gianna");
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 1);       /* one UPDATE, of cti_engineer */
	assert_ok(s, calx_session_delete(s, m));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "cti_engineer WHERE name = 'Gianna' AND primary_language = 'Rust'"), 1);
	assert_int_equal(rows_of(fx, "cti_person WHERE name = 'Gianna'"), 0);
	assert_int_equal(rows_of(fx, "cti_manager"), 0);
	assert_int_equal(rows_of(fx, "cti_person"), 1);
	assert_int_equal(rows_of(fx, "cti_employee"), 1);
}

static void a_change_of_class_is_refused(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	calx_session *s = fixture_session(fx);
	struct cti_employee *e;
	assert_ok(s, cti_employee_get(s, 2, &e));
	snprintf(e->base.kind, sizeof e->base.kind, "manager");
	assert_calx(s, calx_session_flush(s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "change of class"));
	calx_session_free(s);
	/* a new object whose discriminator is another struct's identity */
	calx_session *t = fixture_session(fx);
	struct cti_employee *x = cti_employee_new(t, .base.id = 9, .base.name = "X");
	snprintf(x->base.kind, sizeof x->base.kind, "engineer");
	assert_ok(t, calx_session_add(t, x));
	assert_calx(t, calx_session_flush(t), CALX_EINVAL);
	calx_session_free(t);
	assert_int_equal(rows_of(fx, "cti_employee WHERE kind = 'manager'"), 0);
}

/* The keys are the program's to keep unique: one key in two tables is an error when read, not a wrong object. */
static void a_key_in_two_tables_is_an_error(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO cti_person (id, kind, name) VALUES (5, 'person', 'A')"),
	                 CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO cti_engineer (id, kind, name, primary_language) "
	                                           "VALUES (5, 'engineer', 'B', 'C')"),
	                 CALX_OK);
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &cti_person_mapper);
	void **items;
	size_t n;
	assert_calx(s, calx_select_all(q, &items, &n), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "unique across"));
	calx_select_free(q);
	calx_session_free(s);
	/* each struct's own select is fine: its subtree has the key once */
	calx_session *t = fixture_session(fx);
	struct cti_engineer *g;
	assert_ok(t, cti_engineer_get(t, 5, &g));
	assert_string_equal(g->base.base.name, "B");
	calx_session_free(t);
}

static void a_relationship_to_the_base_loads_mixed_structs(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct cti_company *c = cti_company_new(s, .id = 1, .name = "Acme");
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_commit(s));
	add_one_of_each(fx, 1);
	calx_loading how[] = { CALX_LOAD_LAZY, CALX_LOAD_SELECTIN };
	for (size_t k = 0; k < 2; k++) {
		calx_session *r = fixture_session(fx);
		struct cti_company *rc;
		struct cti_person **staff;
		size_t n;
		uint64_t before;
		if (how[k] == CALX_LOAD_LAZY) {
			assert_ok(r, cti_company_get(r, 1, &rc));
			before = fixture_statements(r);
			assert_ok(r, cti_company_staff(r, rc, &staff, &n));
			assert_int_equal(fixture_statements(r) - before, 1);
		} else {
			calx_select *q = calx_select_new(r, &cti_company_mapper);
			assert_ok(r, calx_select_load(q, CTI_COMPANY_REL_STAFF, how[k]));
			void **items;
			size_t nc;
			assert_int_equal(scalar(r, "SELECT 1"), 1);
			before = fixture_statements(r);
			assert_ok(r, calx_select_all(q, &items, &nc));
			assert_int_equal(fixture_statements(r) - before, 2);   /* the companies, then their staff's union */
			assert_int_equal(nc, 1);
			rc = items[0];
			staff = rc->staff.items;
			n = rc->staff.n;
			calx_select_free(q);
		}
		assert_int_equal(n, 4);
		int seen = 0;
		for (size_t i = 0; i < n; i++) {
			struct cti_person *x = staff[i];
			if (cti_manager_of(x)) {
				assert_string_equal(cti_manager_of(x)->office, "B12");
				seen |= 1;
			} else if (cti_engineer_of(x)) {
				assert_string_equal(cti_engineer_of(x)->primary_language, "C");
				seen |= 2;
			} else if (cti_employee_of(x)) {
				assert_int_equal(cti_employee_of(x)->salary.value, 100);
				seen |= 4;
			} else {
				assert_string_equal(x->kind, "person");
				seen |= 8;
			}
		}
		assert_int_equal(seen, 15);
		calx_session_free(r);
	}
	/* joined: the union LEFT JOINed in the companies' select, each row its struct, one statement */
	calx_session *r = fixture_session(fx);
	calx_select *q = calx_select_new(r, &cti_company_mapper);
	assert_ok(r, calx_select_load(q, CTI_COMPANY_REL_STAFF, CALX_LOAD_JOINED));
	void **items;
	size_t nc;
	assert_int_equal(scalar(r, "SELECT 1"), 1);
	uint64_t before = fixture_statements(r);
	assert_ok(r, calx_select_all(q, &items, &nc));
	assert_int_equal(fixture_statements(r) - before, 1);
	assert_int_equal(nc, 1);
	struct cti_company *rc = items[0];
	assert_int_equal(rc->staff.n, 4);
	int seen = 0;
	for (size_t i = 0; i < rc->staff.n; i++) {
		struct cti_person *x = rc->staff.items[i];
		if (cti_manager_of(x))
			seen |= strcmp(cti_manager_of(x)->status, "busy") == 0 ? 1 : 0;
		else if (cti_engineer_of(x))
			seen |= strcmp(cti_engineer_of(x)->primary_language, "C") == 0 ? 2 : 0;
		else if (cti_employee_of(x))
			seen |= cti_employee_of(x)->salary.value == 100 ? 4 : 0;
		else
			seen |= strcmp(x->kind, "person") == 0 ? 8 : 0;
	}
	assert_int_equal(seen, 15);
	calx_select_free(q);
	calx_session_free(r);
}

/* A bulk update or delete of a struct writes its own table (SQLAlchemy's query(...).update() does the same). */
static void bulk_statements_write_the_structs_own_table(void **state)
{
	fixture *fx = *state;
	add_one_of_each(fx, 0);
	calx_session *s = fixture_session(fx);
	calx_update *u = calx_update_new(s, &cti_employee_mapper);
	calx_update_set(u, CTI_EMPLOYEE_SALARY, calx_lit(999));
	uint64_t rows = 0;
	assert_ok(s, calx_update_run(u, CALX_SYNC_NONE, &rows));
	calx_update_free(u);
	assert_int_equal(rows, 1);      /* cti_employee's one row; the manager's and engineer's tables are theirs */
	calx_delete *d = calx_delete_new(s, &cti_person_mapper);
	assert_ok(s, calx_delete_run(d, CALX_SYNC_NONE, &rows));
	calx_delete_free(d);
	assert_int_equal(rows, 1);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "cti_employee WHERE salary = 999"), 1);
	assert_int_equal(rows_of(fx, "cti_manager WHERE salary = 300"), 1);
	assert_int_equal(rows_of(fx, "cti_person"), 0);
	assert_int_equal(rows_of(fx, "cti_engineer"), 1);
}

/* AbstractConcreteBase: no table for the root, its selects and gets read its subclasses' tables. */
static void an_abstract_root_has_no_table(void **state)
{
	fixture *fx = *state;
	/* create_all made the subclasses' tables, not the root's */
	assert_int_not_equal(calx_engine_exec(fx->eng, "INSERT INTO cti_staff (id, kind, name) VALUES (1, 'x', 'y')"),
	                     CALX_OK);
	calx_session *s = fx->s;
	struct cti_clerk *c = cti_clerk_new(s, .base.id = 1, .base.name = "Cleo", .desk = "D4");
	struct cti_driver *d = cti_driver_new(s, .base.id = 2, .base.name = "Dan", .trips = 12);
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_add(s, d));
	assert_ok(s, calx_session_commit(s));
	assert_string_equal(c->base.kind, "clerk");
	assert_int_equal(rows_of(fx, "cti_clerk WHERE kind = 'clerk' AND desk = 'D4'"), 1);
	assert_int_equal(rows_of(fx, "cti_driver WHERE trips = 12"), 1);
	calx_session *r = fixture_session(fx);
	calx_select *q = calx_select_new(r, &cti_staff_mapper);
	calx_order_by(q, CTI_STAFF_ID, CALX_ASC);
	void **items;
	size_t n;
	assert_ok(r, calx_select_all(q, &items, &n));
	assert_int_equal(n, 2);
	assert_non_null(cti_clerk_of(items[0]));
	assert_string_equal(cti_clerk_of(items[0])->desk, "D4");
	assert_non_null(cti_driver_of(items[1]));
	assert_int_equal(cti_driver_of(items[1])->trips, 12);
	void *driver = items[1];
	calx_select_free(q);
	struct cti_staff *st;
	assert_ok(r, cti_staff_get(r, 2, &st));
	assert_ptr_equal((void *)st, driver);
	assert_calx(r, cti_staff_get(r, 3, &st), CALX_ENOTFOUND);
	/* the root's own objects have nowhere to go */
	struct cti_staff *x = cti_staff_new(r, .id = 5, .name = "Nobody");
	assert_ok(r, calx_session_add(r, x));
	assert_calx(r, calx_session_flush(r), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(r), "abstract"));
	calx_session_free(r);
}

/* The schema diff knows an abstract root's table is never created: it is not "missing". */
static void the_schema_diff_leaves_the_abstract_root_out(void **state)
{
	fixture *fx = *state;
	calx_drift_list *d;
	assert_int_equal(calx_schema_diff(fx->reg, fx->eng, &d), CALX_OK);
	unsigned drift = 0;
	for (unsigned i = 0; i < calx_drift_list_count(d); i++) {
		const calx_drift *e = calx_drift_list_entry(d, i);
		if (e->kind != CALX_DRIFT_EXTRA_TABLE) {     /* PostgreSQL's test database holds other suites' tables */
			print_error("%s\n", e->text);
			drift++;
		}
	}
	calx_drift_list_free(d);
	assert_int_equal(drift, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, cti_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(create_all_makes_a_complete_table_per_struct),
		T(insert_writes_one_table_and_a_base_select_makes_each_struct),
		T(a_subclass_select_reads_its_table_and_its_subclasses),
		T(the_identity_map_is_keyed_by_the_root),
		T(updates_and_deletes_write_the_objects_table),
		T(a_change_of_class_is_refused),
		T(a_key_in_two_tables_is_an_error),
		T(a_relationship_to_the_base_loads_mixed_structs),
		T(bulk_statements_write_the_structs_own_table),
		T(an_abstract_root_has_no_table),
		T(the_schema_diff_leaves_the_abstract_root_out),
	};
	return RUN_ON_ALL_DIALECTS("inherit_concrete", tests);
}
