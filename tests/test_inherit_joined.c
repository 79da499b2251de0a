/*
 * Joined-table inheritance (tests/models/inherit_joined.h): people ->
 * employees -> managers / engineers, a table per struct, each subclass's
 * key a foreign key to its parent's table. create_all makes the parent
 * tables first; an insert writes a row per table of the struct's chain,
 * the generated key passed down in the same flush; an update writes only
 * the tables whose columns changed; a delete removes the child rows
 * first; a select of the base hands back each row as its own struct, the
 * subclass columns read in the same statement or select-in (one statement
 * per subclass, by key: per query, or the mapping's default); a select of a subclass
 * returns only its rows; the identity map is the root's; a change of
 * class and an unknown discriminator are errors; a company's staff (a
 * list of the base) loads mixed structs lazily, select-in and joined. Every
 * test runs on SQLite and PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "inherit_joined.calx.h"

static int jti_setup(void **state)
{
	return fixture_setup_schema(state, &inherit_joined_schema);
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
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	int64_t n = scalar(s, sql);
	calx_session_free(s);
	return n;
}

typedef struct ids {
	int64_t person, employee, manager, engineer;
} ids;

/* One object of each struct, committed in one flush; the program never sets kind or the keys. */
static ids add_one_of_each(fixture *fx)
{
	calx_session *s = fx->s;
	struct jti_person *p = jti_person_new(s, .name = "Pat");
	struct jti_employee *e = jti_employee_new(s, .base.name = "Eve", .salary = CALX_SOME(100));
	struct jti_manager *m = jti_manager_new(s, .base.base.name = "Max", .base.salary = CALX_SOME(300),
	                                        .office = "B12", .reports = 4);
	struct jti_engineer *g = jti_engineer_new(s, .base.base.name = "Gia", .base.salary = CALX_SOME(200),
	                                          .primary_language = "C");
	assert_non_null(p);
	assert_non_null(e);
	assert_non_null(m);
	assert_non_null(g);
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_add(s, e));
	assert_ok(s, calx_session_add(s, m));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	assert_true(g->base.base.id > 0);
	/* the server default of the engineer's own table came back */
	assert_int_equal(g->level.value, 1);
	assert_ptr_equal((void *)&g->base.base, (void *)g);
	return (ids){ p->id, e->base.id, m->base.base.id, g->base.base.id };
}

static struct jti_person **all_people(calx_session *s, calx_select **q, size_t *n)
{
	void **items;
	*q = calx_select_new(s, &jti_person_mapper);
	assert_non_null(*q);
	calx_order_by(*q, JTI_PERSON_ID, CALX_ASC);
	assert_ok(s, calx_select_all(*q, &items, n));
	return (struct jti_person **)items;
}

static void create_all_makes_a_table_per_struct(void **state)
{
	fixture *fx = *state;
	/* the child's key refers to the parent's: no engineer row without its employee and person rows */
	assert_int_not_equal(calx_engine_exec(fx->eng, "INSERT INTO jti_engineer (id, primary_language) VALUES (99, 'C')"),
	                     CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO jti_person (id, kind, name) VALUES (99, 'engineer', 'Raw')"),
	                 CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO jti_employee (id, salary) VALUES (99, 7)"), CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO jti_engineer (id, primary_language) VALUES (99, 'Go')"),
	                 CALX_OK);
	/* the level column's server default, in the engineer's own table */
	assert_int_equal(rows_of(fx, "jti_engineer WHERE level = 1"), 1);
	calx_session *s = fixture_session(fx);
	struct jti_person *p;
	assert_ok(s, jti_person_get(s, 99, &p));
	struct jti_engineer *g = jti_engineer_of(p);
	assert_non_null(g);
	assert_string_equal(g->primary_language, "Go");
	assert_int_equal(g->base.salary.value, 7);
	calx_session_free(s);
	/* ON DELETE CASCADE: the parent's row takes its children's with it */
	assert_int_equal(calx_engine_exec(fx->eng, "DELETE FROM jti_person WHERE id = 99"), CALX_OK);
	assert_int_equal(rows_of(fx, "jti_engineer"), 0);
	assert_int_equal(rows_of(fx, "jti_employee"), 0);
}

static void insert_writes_each_table_and_a_base_select_makes_each_struct(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	assert_int_equal(rows_of(fx, "jti_person"), 4);
	assert_int_equal(rows_of(fx, "jti_employee"), 3);
	assert_int_equal(rows_of(fx, "jti_manager"), 1);
	assert_int_equal(rows_of(fx, "jti_engineer"), 1);
	calx_session *s = fixture_session(fx);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT salary FROM jti_employee WHERE id = %lld", (long long)id.engineer);
	assert_int_equal(scalar(s, sql), 200);
	uint64_t before = fixture_statements(s);
	calx_select *q;
	size_t n;
	struct jti_person **ps = all_people(s, &q, &n);
	/* every struct's columns in the one statement (LEFT OUTER JOINs of the subclass tables) */
	assert_int_equal(fixture_statements(s) - before, 1);
	assert_int_equal(n, 4);
	assert_int_equal(ps[0]->id, id.person);
	assert_string_equal(ps[0]->kind, "person");
	assert_string_equal(ps[1]->kind, "employee");
	assert_string_equal(ps[2]->kind, "manager");
	assert_string_equal(ps[3]->kind, "engineer");
	struct jti_employee *e = jti_employee_of(ps[1]);
	assert_non_null(e);
	assert_int_equal(e->salary.value, 100);
	struct jti_manager *m = jti_manager_of(ps[2]);
	assert_non_null(m);
	assert_string_equal(m->base.base.name, "Max");
	assert_int_equal(m->base.salary.value, 300);
	assert_string_equal(m->office, "B12");
	assert_int_equal(m->reports, 4);
	struct jti_engineer *g = jti_engineer_of(ps[3]);
	assert_non_null(g);
	assert_string_equal(g->primary_language, "C");
	assert_int_equal(g->level.value, 1);
	g->level = (calx_opt_int32)CALX_SOME(4);           /* allocated at the engineer's size (ASan would catch a smaller block) */
	assert_null(jti_engineer_of(ps[2]));
	assert_null(jti_employee_of(ps[0]));
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
		const char *kind = ((struct jti_person *)items[i])->kind;
		if (md == &jti_manager_mapper)
			assert_string_equal(kind, "manager");
		else if (md == &jti_engineer_mapper)
			assert_string_equal(kind, "engineer");
		else if (md == &jti_employee_mapper)
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
	assert_int_equal(select_count(s, &jti_person_mapper), 8);
	assert_int_equal(select_count(s, &jti_employee_mapper), 6);
	assert_int_equal(select_count(s, &jti_manager_mapper), 2);
	assert_int_equal(select_count(s, &jti_engineer_mapper), 2);
	/* a where on a subclass's own column names its own table */
	calx_select *q = calx_select_new(s, &jti_engineer_mapper);
	calx_where(q, calx_eq(JTI_ENGINEER_PRIMARY_LANGUAGE, "C"));
	calx_order_by(q, JTI_ENGINEER_BASE_BASE_ID, CALX_DESC);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_int_equal(n, 2);
	assert_string_equal(((struct jti_engineer *)items[0])->base.base.name, "Gia");
	calx_select_free(q);
	calx_session_free(s);
}

static void the_identity_map_is_keyed_by_the_root(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct jti_person *p;
	struct jti_employee *e;
	struct jti_engineer *g;
	struct jti_manager *m;
	assert_ok(s, jti_person_get(s, id.engineer, &p));
	assert_string_equal(p->kind, "engineer");
	assert_string_equal(((struct jti_engineer *)p)->primary_language, "C");
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	assert_ptr_equal(g, p);
	assert_ok(s, jti_employee_get(s, id.engineer, &e));
	assert_ptr_equal(e, p);
	assert_calx(s, jti_manager_get(s, id.engineer, &m), CALX_ENOTFOUND);
	calx_session_free(s);
	/* by the subclass first, from the database */
	s = fixture_session(fx);
	assert_ok(s, jti_manager_get(s, id.manager, &m));
	assert_string_equal(m->office, "B12");
	assert_ok(s, jti_person_get(s, id.manager, &p));
	assert_ptr_equal(p, m);
	assert_calx(s, jti_engineer_get(s, id.manager, &g), CALX_ENOTFOUND);
	calx_session_free(s);
}

static void updates_write_only_changed_tables_and_deletes_go_children_first(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct jti_engineer *g;
	struct jti_manager *m;
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	/* one column of the engineer's own table: one UPDATE */
	strcpy(g->primary_language, "Rust");
	uint64_t before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 1);
	/* a column of each of the three tables: three */
	strcpy(g->base.base.name, "Gina");
	g->base.salary = (calx_opt_int32)CALX_SOME(250);
	g->level = (calx_opt_int32)CALX_SOME(2);
	before = fixture_statements(s);
	assert_ok(s, calx_session_flush(s));
	assert_int_equal(fixture_statements(s) - before, 3);
	assert_ok(s, jti_manager_get(s, id.manager, &m));
	assert_ok(s, calx_session_delete(s, m));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "jti_manager"), 0);
	assert_int_equal(rows_of(fx, "jti_employee"), 2);
	assert_int_equal(rows_of(fx, "jti_person"), 3);
	s = fixture_session(fx);
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	assert_string_equal(g->primary_language, "Rust");
	assert_string_equal(g->base.base.name, "Gina");
	assert_int_equal(g->base.salary.value, 250);
	assert_int_equal(g->level.value, 2);
	assert_ok(s, calx_session_delete(s, g));
	struct jti_person *p;
	assert_ok(s, jti_person_get(s, id.person, &p));
	assert_ok(s, calx_session_delete(s, p));
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "jti_engineer"), 0);
	assert_int_equal(rows_of(fx, "jti_employee"), 1);
	assert_int_equal(rows_of(fx, "jti_person"), 1);
}

static void a_change_of_class_and_of_key_are_refused(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct jti_engineer *g;
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	strcpy(g->base.base.kind, "manager");
	assert_calx(s, calx_session_flush(s), CALX_ESTATE);
	assert_non_null(strstr(calx_session_errmsg(s), "change of class"));
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	s = fixture_session(fx);
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	g->base.base.id = 1000;
	assert_calx(s, calx_session_flush(s), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "joined-table"));
	assert_ok(s, calx_session_rollback(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "jti_engineer"), 1);
}

static void an_unknown_discriminator_is_an_error(void **state)
{
	fixture *fx = *state;
	assert_int_equal(calx_engine_exec(fx->eng, "INSERT INTO jti_person (id, kind, name) VALUES (5, 'intern', 'Ivo')"),
	                 CALX_OK);
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &jti_person_mapper);
	void **items;
	size_t n;
	assert_calx(s, calx_select_all(q, &items, &n), CALX_ETYPE);
	assert_non_null(strstr(calx_session_errmsg(s), "'intern'"));
	calx_select_free(q);
	calx_session_free(s);
}

static void a_relationship_to_the_base_loads_mixed_structs(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct jti_company *c = jti_company_new(s, .name = "Acme");
	assert_ok(s, calx_session_add(s, c));
	assert_ok(s, calx_session_flush(s));
	struct jti_person *p = jti_person_new(s, .name = "Pat", .company_id = CALX_SOME(c->id));
	struct jti_manager *m = jti_manager_new(s, .base.base.name = "Max", .base.base.company_id = CALX_SOME(c->id),
	                                        .office = "B1", .reports = 2);
	struct jti_engineer *g = jti_engineer_new(s, .base.base.name = "Gia", .base.base.company_id = CALX_SOME(c->id),
	                                          .primary_language = "C");
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_add(s, m));
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_commit(s));
	calx_loading how[] = { CALX_LOAD_LAZY, CALX_LOAD_SELECTIN, CALX_LOAD_JOINED };
	for (size_t k = 0; k < 3; k++) {
		calx_session *r = fixture_session(fx);
		struct jti_company *rc;
		struct jti_person **staff;
		size_t n;
		uint64_t before;
		if (how[k] == CALX_LOAD_LAZY) {
			assert_ok(r, jti_company_get(r, c->id, &rc));
			before = fixture_statements(r);
			assert_ok(r, jti_company_staff(r, rc, &staff, &n));
			/* one statement: the subclasses' tables joined in, no statement per subclass row */
			assert_int_equal(fixture_statements(r) - before, 1);
		} else {
			calx_select *q = calx_select_new(r, &jti_company_mapper);
			assert_ok(r, calx_select_load(q, JTI_COMPANY_REL_STAFF, how[k]));
			void **items;
			size_t nc;
			assert_int_equal(scalar(r, "SELECT 1"), 1);
			before = fixture_statements(r);
			assert_ok(r, calx_select_all(q, &items, &nc));
			if (how[k] == CALX_LOAD_SELECTIN)       /* the companies, then their staff with the subclasses' tables */
				assert_int_equal(fixture_statements(r) - before, 2);
			else                                    /* joined: the subclasses' tables joined in the one statement */
				assert_int_equal(fixture_statements(r) - before, 1);
			assert_int_equal(nc, 1);
			rc = items[0];
			staff = rc->staff.items;
			n = rc->staff.n;
			calx_select_free(q);
		}
		assert_int_equal(n, 3);
		int seen = 0;
		for (size_t i = 0; i < n; i++) {
			struct jti_person *x = staff[i];
			if (jti_manager_of(x)) {
				assert_string_equal(jti_manager_of(x)->office, "B1");
				seen |= 1;
			} else if (jti_engineer_of(x)) {
				assert_string_equal(jti_engineer_of(x)->primary_language, "C");
				seen |= 2;
			} else {
				assert_string_equal(x->kind, "person");
				seen |= 4;
			}
		}
		assert_int_equal(seen, 7);
		calx_session_free(r);
	}
}

/* Select-in: the select reads its struct's tables, then one statement per subclass with rows, by key. */
static void select_in_reads_each_subclass_by_one_statement(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	add_one_of_each(fx);
	add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	calx_select *q = calx_select_new(s, &jti_person_mapper);
	assert_ok(s, calx_select_polymorphic(q, CALX_LOAD_SELECTIN));
	calx_order_by(q, JTI_PERSON_ID, CALX_ASC);
	assert_int_equal(scalar(s, "SELECT 1"), 1);     /* the transaction begun: its BEGIN is not counted below */
	uint64_t before = fixture_statements(s);
	void **items;
	size_t n;
	assert_ok(s, calx_select_all(q, &items, &n));
	/* the person table, then employees, managers and engineers: four, for twelve rows */
	assert_int_equal(fixture_statements(s) - before, 4);
	assert_int_equal(n, 12);
	for (size_t i = 0; i < n; i += 4) {
		struct jti_person **ps = (struct jti_person **)items + i;
		assert_string_equal(ps[0]->kind, "person");
		assert_int_equal(jti_employee_of(ps[1])->salary.value, 100);
		assert_string_equal(jti_manager_of(ps[2])->office, "B12");
		assert_int_equal(jti_manager_of(ps[2])->base.salary.value, 300);
		assert_string_equal(jti_engineer_of(ps[3])->primary_language, "C");
		assert_int_equal(jti_engineer_of(ps[3])->level.value, 1);
	}
	assert_int_equal(((struct jti_person *)items[3])->id, id.engineer);
	calx_select_free(q);
	/* a select of a subclass with subclasses: its chain's tables, then its subclasses' rows */
	calx_session *t = fixture_session(fx);
	q = calx_select_new(t, &jti_employee_mapper);
	assert_ok(t, calx_select_polymorphic(q, CALX_LOAD_SELECTIN));
	calx_where(q, calx_eq(JTI_EMPLOYEE_BASE_NAME, "Gia"));
	assert_int_equal(scalar(t, "SELECT 1"), 1);
	before = fixture_statements(t);
	assert_ok(t, calx_select_all(q, &items, &n));
	assert_int_equal(fixture_statements(t) - before, 2);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(jti_engineer_of(items[i])->primary_language, "C");
	/* rows the identity map has are its objects */
	struct jti_engineer *g;
	assert_ok(t, jti_engineer_get(t, id.engineer, &g));
	assert_true(g == items[0] || g == items[1] || g == items[2]);
	calx_select_free(q);
	calx_session_free(t);
	/* the strategy is one of two, chosen before the select runs */
	q = calx_select_new(s, &jti_person_mapper);
	assert_calx(s, calx_select_polymorphic(q, CALX_LOAD_LAZY), CALX_EINVAL);
	assert_ok(s, calx_select_all(q, &items, &n));
	assert_calx(s, calx_select_polymorphic(q, CALX_LOAD_SELECTIN), CALX_ESTATE);
	calx_select_free(q);
	calx_session_free(s);
}

/* The mapping's default: polymorphic_load("selectin") on the root (the seed models' person). */
static void the_mapping_chooses_select_in(void **state)
{
	fixture *fx = *state;
	calx_session *s = fx->s;
	struct jti_seed_engineer *g = jti_seed_engineer_new(s, .base.name = "dilbert", .primary_language = "java");
	struct jti_seed_manager *m = jti_seed_manager_new(s, .base.name = "dogbert", .manager_name = "dogbert");
	struct jti_seed_person *p = jti_seed_person_new(s, .name = "joesmith");
	assert_ok(s, calx_session_add(s, g));
	assert_ok(s, calx_session_add(s, m));
	assert_ok(s, calx_session_add(s, p));
	assert_ok(s, calx_session_commit(s));
	calx_session *r = fixture_session(fx);
	for (int how = 0; how < 2; how++) {
		calx_select *q = calx_select_new(r, &jti_seed_person_mapper);
		if (how)        /* this select joins instead */
			assert_ok(r, calx_select_polymorphic(q, CALX_LOAD_JOINED));
		calx_order_by(q, JTI_SEED_PERSON_ID, CALX_ASC);
		assert_int_equal(scalar(r, "SELECT 1"), 1);
		uint64_t before = fixture_statements(r);
		void **items;
		size_t n;
		assert_ok(r, calx_select_all(q, &items, &n));
		assert_int_equal(fixture_statements(r) - before, how ? 1 : 3);
		assert_int_equal(n, 3);
		assert_string_equal(jti_seed_engineer_of(items[0])->primary_language, "java");
		assert_string_equal(jti_seed_manager_of(items[1])->manager_name, "dogbert");
		assert_null(jti_seed_engineer_of(items[2]));
		calx_select_free(q);
		calx_session_free(r);
		r = fixture_session(fx);
	}
	calx_session_free(r);
}

/* Bulk statements: a delete by criteria takes the subclasses' rows with it (ON DELETE CASCADE); an update of a joined table's column is refused. */
static void bulk_statements_on_a_joined_hierarchy(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	calx_update *u = calx_update_new(s, &jti_engineer_mapper);
	calx_update_set(u, JTI_ENGINEER_PRIMARY_LANGUAGE, calx_lit("Go"));
	uint64_t rows = 0;
	assert_calx(s, calx_update_run(u, CALX_SYNC_NONE, &rows), CALX_EINVAL);
	assert_non_null(strstr(calx_session_errmsg(s), "jti_engineer"));
	calx_update_free(u);
	/* a column of the root's table: fine */
	u = calx_update_new(s, &jti_engineer_mapper);
	calx_update_set(u, JTI_ENGINEER_BASE_BASE_NAME, calx_lit("Gus"));
	assert_ok(s, calx_update_run(u, CALX_SYNC_NONE, &rows));
	assert_int_equal(rows, 1);
	calx_update_free(u);
	calx_delete *d = calx_delete_new(s, &jti_employee_mapper);
	calx_delete_where(d, calx_eq(JTI_EMPLOYEE_BASE_NAME, "Gus"));
	assert_ok(s, calx_delete_run(d, CALX_SYNC_NONE, &rows));
	assert_int_equal(rows, 1);
	calx_delete_free(d);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	assert_int_equal(rows_of(fx, "jti_engineer"), 0);
	assert_int_equal(rows_of(fx, "jti_employee"), 2);
	assert_int_equal(rows_of(fx, "jti_person"), 3);
	(void)id;
}

/* The session's other operations on a joined-table object: a savepoint rolled back, expiry and refresh, merge. */
static void savepoints_refresh_and_merge(void **state)
{
	fixture *fx = *state;
	ids id = add_one_of_each(fx);
	calx_session *s = fixture_session(fx);
	struct jti_engineer *g;
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	/* inside a savepoint: a new engineer and a change of the old one, rolled back */
	assert_ok(s, calx_session_begin_nested(s));
	struct jti_engineer *n = jti_engineer_new(s, .base.base.name = "Ned", .primary_language = "Zig");
	assert_ok(s, calx_session_add(s, n));
	strcpy(g->primary_language, "Ada");
	assert_ok(s, calx_session_flush(s));
	assert_ok(s, calx_session_rollback_nested(s));
	assert_string_equal(g->primary_language, "C");
	assert_ok(s, calx_session_commit(s));
	assert_int_equal(rows_of(fx, "jti_engineer"), 1);
	assert_int_equal(rows_of(fx, "jti_person"), 4);
	/* changed in the database behind the session's back: refresh reads every table again */
	assert_int_equal(calx_engine_exec(fx->eng, "UPDATE jti_engineer SET primary_language = 'Go'"), CALX_OK);
	assert_int_equal(calx_engine_exec(fx->eng, "UPDATE jti_employee SET salary = 7"), CALX_OK);
	assert_ok(s, calx_session_refresh(s, g));
	assert_string_equal(g->primary_language, "Go");
	assert_int_equal(g->base.salary.value, 7);
	/* a plain struct merged onto the session's object for its key */
	struct jti_engineer plain = *g;
	strcpy(plain.primary_language, "OCaml");
	plain.base.salary = (calx_opt_int32)CALX_SOME(8);
	void *merged;
	assert_ok(s, calx_session_merge_value(s, &jti_engineer_mapper, &plain, &merged));
	assert_ptr_equal(merged, g);
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	s = fixture_session(fx);
	assert_ok(s, jti_engineer_get(s, id.engineer, &g));
	assert_string_equal(g->primary_language, "OCaml");
	assert_int_equal(g->base.salary.value, 8);
	calx_session_free(s);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, jti_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(create_all_makes_a_table_per_struct),
		T(insert_writes_each_table_and_a_base_select_makes_each_struct),
		T(a_subclass_select_returns_only_its_rows),
		T(the_identity_map_is_keyed_by_the_root),
		T(updates_write_only_changed_tables_and_deletes_go_children_first),
		T(a_change_of_class_and_of_key_are_refused),
		T(an_unknown_discriminator_is_an_error),
		T(a_relationship_to_the_base_loads_mixed_structs),
		T(select_in_reads_each_subclass_by_one_statement),
		T(the_mapping_chooses_select_in),
		T(bulk_statements_on_a_joined_hierarchy),
		T(savepoints_refresh_and_merge),
	};
	return RUN_ON_ALL_DIALECTS("inherit_joined", tests);
}
