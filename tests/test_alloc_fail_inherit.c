/*
 * Allocation failure in single-table inheritance
 * (tests/models/inherit_single.h): a company with an engineer, a manager
 * and a person on its staff is committed; a second session selects every
 * person (one wide statement, each row its own struct), gets the
 * engineer by the base and by a subclass that it is not, loads the
 * company's staff lazily (a statement of the base's columns, then a get
 * of each subclass row's own columns, the identity map having been
 * emptied by a new session), changes the engineer and deletes the
 * manager, and commits. A widget of 36 fields, loaded by its root's
 * select, takes a row buffer of its own. Each allocation fails in turn, on each dialect.
 *
 * The same for joined-table inheritance (tests/models/inherit_joined.h):
 * a company with an engineer, a manager and a person, each row written
 * to its tables in one flush; a select of every person with the
 * subclasses' tables joined and one select-in (a statement per
 * subclass, by key); gets by the base and by a subclass the row is not;
 * the company's staff loaded lazily in a new session; the engineer
 * changed in two of its tables, the manager deleted from three.
 *
 * The same for concrete-table inheritance (tests/models/inherit_concrete.h):
 * a company with an engineer, a manager and a person (keys given), each
 * row in its struct's own table; a select of every person (the UNION ALL
 * of the tables); gets by the base and by a subclass the row is not; the
 * company's staff loaded select-in and lazily; the engineer changed, the
 * manager deleted.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"
#include "inherit_single.calx.h"
#include "inherit_joined.calx.h"
#include "inherit_concrete.calx.h"

/* A fresh session's one row of m (the company), into *s and *out; CALX_EINVAL unless there is exactly one. */
static int fresh_only_row(calx_engine *eng, calx_registry *reg, const calx_mapper_desc *m, calx_session **s, void **out)
{
	*out = NULL;
	int rc = calx_session_open(s, eng, reg);
	if (rc != CALX_OK)
		return rc;
	void **items;
	size_t n = 0;
	calx_select *q = calx_select_new(*s, m);
	rc = q ? calx_select_all(q, &items, &n) : calx_session_errcode(*s);
	if (rc == CALX_OK && n == 1)
		*out = items[0];
	calx_select_free(q);
	return rc == CALX_OK && !*out ? CALX_EINVAL : rc;
}

static int add_company(calx_session *s)
{
	struct sti_company *c = sti_company_new(s, .name = "Acme");
	struct sti_engineer *g = sti_engineer_new(s, .base.base.name = "Gia", .level = 2);
	struct sti_manager *m = sti_manager_new(s, .base.base.name = "Max", .reports = CALX_SOME(3));
	struct sti_person *p = sti_person_new(s, .name = "Pat");
	struct sti_widget *w = sti_widget_new(s, .w00 = CALX_SOME(1), .w33 = CALX_SOME(33));
	if (!c || !g || !m || !p || !w)
		return calx_session_errcode(s);
	int rc = calx_session_add(s, w);
	if ((g->primary_language = calx_strdup(s, "C")) == NULL || (m->office = calx_strdup(s, "B1")) == NULL)
		return calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = sti_company_staff_append(s, c, &g->base.base);
	if (rc == CALX_OK)
		rc = sti_company_staff_append(s, c, &m->base.base);
	if (rc == CALX_OK)
		rc = sti_company_staff_append(s, c, p);
	if (rc == CALX_OK)
		rc = calx_session_add(s, c);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Every person, each its own struct; the engineer's key into *eng_id, the manager into *mgr. */
static int select_people(calx_session *s, int64_t *eng_id, struct sti_manager **mgr)
{
	void **items;
	size_t n = 0;
	calx_select *q = calx_select_new(s, &sti_person_mapper);
	int rc = q ? calx_select_all(q, &items, &n) : calx_session_errcode(s);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct sti_person *p = items[i];
		if (sti_engineer_of(p))
			*eng_id = p->id;
		else if (sti_manager_of(p))
			*mgr = sti_manager_of(p);
	}
	if (rc == CALX_OK && (n != 3 || !*mgr || strcmp((*mgr)->office, "B1") != 0))
		rc = CALX_EINVAL;
	calx_select_free(q);
	return rc;
}

static int inherit(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int64_t eng_id = 0;
	struct sti_manager *mgr = NULL;
	struct sti_person *p = NULL;
	struct sti_manager *not_one;
	int rc = calx_registry_open(&reg, &inherit_single_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = add_company(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = select_people(s, &eng_id, &mgr);
	if (rc == CALX_OK)
		rc = sti_person_get(s, eng_id, &p);
	/* a subclass of 36 fields through its root's select: a row buffer of its own */
	if (rc == CALX_OK) {
		struct sti_gadget *gd;
		calx_select *q = calx_select_new(s, &sti_gadget_mapper);
		rc = q ? calx_select_one(q, (void **)&gd) : calx_session_errcode(s);
		if (rc == CALX_OK && (!sti_widget_of(gd) || sti_widget_of(gd)->w33.value != 33))
			rc = CALX_EINVAL;
		calx_select_free(q);
	}
	if (rc == CALX_OK && sti_manager_get(s, eng_id, &not_one) != CALX_ENOTFOUND)
		rc = calx_session_errcode(s) ? calx_session_errcode(s) : CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	/* lazily, in a session that has none of them: the subclass rows' own columns by a get each */
	struct sti_company *c = NULL;
	struct sti_person **staff = NULL;
	size_t n = 0;
	if (rc == CALX_OK)
		rc = fresh_only_row(eng, reg, &sti_company_mapper, &s, (void **)&c);
	if (rc == CALX_OK)
		rc = sti_company_staff(s, c, &staff, &n);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct sti_engineer *g = sti_engineer_of(staff[i]);
		struct sti_manager *m = sti_manager_of(staff[i]);
		if (g && (g->primary_language = calx_strdup(s, "Rust")) == NULL)
			rc = calx_session_errcode(s);
		else if (m)
			rc = calx_session_delete(s, m);
	}
	if (rc == CALX_OK && n != 3)
		rc = CALX_EINVAL;
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the company with its three people, 2 the manager deleted and the engineer writing Rust */
static long inherit_state(calx_session *s)
{
	long companies = alloc_fail_count(s, &sti_company_mapper), people = alloc_fail_count(s, &sti_person_mapper);
	long gadgets = alloc_fail_count(s, &sti_gadget_mapper);
	long rust = 0;
	if (companies < 0 || people < 0 || gadgets < 0)
		return ALLOC_FAIL_BROKEN;
	if (companies == 0 && people == 0 && gadgets == 0)
		return 0;
	if (gadgets != 1)
		return ALLOC_FAIL_PARTIAL;
	calx_select *q = calx_select_new(s, &sti_engineer_mapper);
	void **items;
	size_t n;
	if (!q || calx_select_all(q, &items, &n) != CALX_OK || n != 1) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	rust = strcmp(((struct sti_engineer *)items[0])->primary_language, "Rust") == 0;
	calx_select_free(q);
	if (companies == 1 && people == 3 && !rust)
		return 1;
	return companies == 1 && people == 2 && rust ? 2 : ALLOC_FAIL_PARTIAL;
}

static void inherit_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "inherit", &inherit_single_schema, inherit, inherit_state, 2 };
	fail_each_allocation(&sc);
}

static int jti_add_company(calx_session *s)
{
	struct jti_company *c = jti_company_new(s, .name = "Acme");
	struct jti_engineer *g = jti_engineer_new(s, .base.base.name = "Gia", .base.salary = CALX_SOME(5),
	                                          .primary_language = "C");
	struct jti_manager *m = jti_manager_new(s, .base.base.name = "Max", .reports = 3);
	struct jti_person *p = jti_person_new(s, .name = "Pat");
	if (!c || !g || !m || !p)
		return calx_session_errcode(s);
	int rc = (m->office = calx_strdup(s, "B1")) == NULL ? calx_session_errcode(s) : CALX_OK;
	if (rc == CALX_OK)
		rc = jti_company_staff_append(s, c, &g->base.base);
	if (rc == CALX_OK)
		rc = jti_company_staff_append(s, c, &m->base.base);
	if (rc == CALX_OK)
		rc = jti_company_staff_append(s, c, p);
	if (rc == CALX_OK)
		rc = calx_session_add(s, c);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Every person, each its own struct, joined or select-in; the engineer's key into *eng_id. */
static int jti_select_people(calx_session *s, calx_loading how, int64_t *eng_id)
{
	void **items;
	size_t n = 0;
	int found = 0;
	calx_select *q = calx_select_new(s, &jti_person_mapper);
	int rc = q ? calx_select_polymorphic(q, how) : calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, &n);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct jti_person *p = items[i];
		if (jti_engineer_of(p) && strcmp(jti_engineer_of(p)->primary_language, "C") == 0) {
			*eng_id = p->id;
			found |= 1;
		} else if (jti_manager_of(p) && strcmp(jti_manager_of(p)->office, "B1") == 0) {
			found |= 2;
		}
	}
	if (rc == CALX_OK && (n != 3 || found != 3))
		rc = CALX_EINVAL;
	calx_select_free(q);
	return rc;
}

static int jti(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	int64_t eng_id = 0;
	struct jti_person *p = NULL;
	struct jti_manager *not_one;
	int rc = calx_registry_open(&reg, &inherit_joined_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = jti_add_company(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = jti_select_people(s, CALX_LOAD_JOINED, &eng_id);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = jti_select_people(s, CALX_LOAD_SELECTIN, &eng_id);
	calx_session_free(s);
	s = NULL;
	/* by the base, from the database: the engineer's own tables by a get of its struct */
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = jti_person_get(s, eng_id, &p);
	if (rc == CALX_OK && (!jti_engineer_of(p) || strcmp(jti_engineer_of(p)->primary_language, "C") != 0))
		rc = CALX_EINVAL;
	if (rc == CALX_OK && jti_manager_get(s, eng_id, &not_one) != CALX_ENOTFOUND)
		rc = calx_session_errcode(s) ? calx_session_errcode(s) : CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	/* lazily, in a session that has none of them */
	struct jti_company *c = NULL;
	struct jti_person **staff = NULL;
	size_t n = 0;
	if (rc == CALX_OK)
		rc = fresh_only_row(eng, reg, &jti_company_mapper, &s, (void **)&c);
	if (rc == CALX_OK)
		rc = jti_company_staff(s, c, &staff, &n);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct jti_engineer *g = jti_engineer_of(staff[i]);
		struct jti_manager *m = jti_manager_of(staff[i]);
		if (g) {
			strcpy(g->primary_language, "Rust");
			g->base.salary = (calx_opt_int32)CALX_SOME(6);
		} else if (m) {
			rc = calx_session_delete(s, m);
		}
	}
	if (rc == CALX_OK && n != 3)
		rc = CALX_EINVAL;
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the company with its three people, 2 the manager deleted and the engineer writing Rust */
static long jti_state(calx_session *s)
{
	long companies = alloc_fail_count(s, &jti_company_mapper), people = alloc_fail_count(s, &jti_person_mapper);
	long employees = alloc_fail_count(s, &jti_employee_mapper);
	if (companies < 0 || people < 0 || employees < 0)
		return ALLOC_FAIL_BROKEN;
	if (companies == 0 && people == 0 && employees == 0)
		return 0;
	calx_select *q = calx_select_new(s, &jti_engineer_mapper);
	void **items;
	size_t n;
	if (!q || calx_select_all(q, &items, &n) != CALX_OK || n != 1) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	struct jti_engineer *g = items[0];
	int rust = strcmp(g->primary_language, "Rust") == 0 && g->base.salary.value == 6;
	int c = strcmp(g->primary_language, "C") == 0 && g->base.salary.value == 5;
	calx_select_free(q);
	if (companies == 1 && people == 3 && employees == 2 && c)
		return 1;
	return companies == 1 && people == 2 && employees == 1 && rust ? 2 : ALLOC_FAIL_PARTIAL;
}

static void joined_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "inherit_joined", &inherit_joined_schema, jti, jti_state, 2 };
	fail_each_allocation(&sc);
}

static int cti_add_company(calx_session *s)
{
	struct cti_company *c = cti_company_new(s, .id = 1, .name = "Acme");
	struct cti_engineer *g = cti_engineer_new(s, .base.base.id = 1, .base.base.name = "Gia",
	                                          .base.salary = CALX_SOME(5), .primary_language = "C");
	struct cti_manager *m = cti_manager_new(s, .base.base.id = 2, .base.base.name = "Max", .reports = 3);
	struct cti_person *p = cti_person_new(s, .id = 3, .name = "Pat");
	if (!c || !g || !m || !p)
		return calx_session_errcode(s);
	int rc = (m->office = calx_strdup(s, "B1")) == NULL ? calx_session_errcode(s) : CALX_OK;
	if (rc == CALX_OK)
		rc = cti_company_staff_append(s, c, &g->base.base);
	if (rc == CALX_OK)
		rc = cti_company_staff_append(s, c, &m->base.base);
	if (rc == CALX_OK)
		rc = cti_company_staff_append(s, c, p);
	if (rc == CALX_OK)
		rc = calx_session_add(s, c);
	return rc == CALX_OK ? calx_session_commit(s) : rc;
}

/* Every person through the union, each its own struct. */
static int cti_select_people(calx_session *s)
{
	void **items;
	size_t n = 0;
	int found = 0;
	calx_select *q = calx_select_new(s, &cti_person_mapper);
	int rc = q ? calx_select_all(q, &items, &n) : calx_session_errcode(s);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct cti_person *p = items[i];
		if (cti_engineer_of(p) && strcmp(cti_engineer_of(p)->primary_language, "C") == 0)
			found |= 1;
		else if (cti_manager_of(p) && strcmp(cti_manager_of(p)->office, "B1") == 0)
			found |= 2;
	}
	if (rc == CALX_OK && (n != 3 || found != 3))
		rc = CALX_EINVAL;
	calx_select_free(q);
	return rc;
}

/* The company's staff, select-in; the company into *out. */
static int cti_company_selectin(calx_session *s, struct cti_company **out)
{
	void **items;
	size_t nc = 0;
	calx_select *q = calx_select_new(s, &cti_company_mapper);
	int rc = q ? calx_select_load(q, CTI_COMPANY_REL_STAFF, CALX_LOAD_SELECTIN) : calx_session_errcode(s);
	if (rc == CALX_OK)
		rc = calx_select_all(q, &items, &nc);
	*out = rc == CALX_OK && nc == 1 ? items[0] : NULL;
	calx_select_free(q);
	if (rc == CALX_OK && (!*out || (*out)->staff.n != 3))
		rc = CALX_EINVAL;
	return rc;
}

static int cti(calx_engine *eng, calx_registry *harness_reg)
{
	(void)harness_reg;
	calx_registry *reg = NULL;
	calx_session *s = NULL;
	struct cti_person *p = NULL;
	struct cti_manager *not_one;
	struct cti_company *c = NULL;
	int rc = calx_registry_open(&reg, &inherit_concrete_schema, NULL);
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK && (rc = cti_add_company(s)) != CALX_OK)
		calx_session_rollback(s);
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = cti_select_people(s);
	calx_session_free(s);
	s = NULL;
	/* by the base, from the database, then by a subclass it is not */
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = cti_person_get(s, 1, &p);
	if (rc == CALX_OK && (!cti_engineer_of(p) || strcmp(cti_engineer_of(p)->primary_language, "C") != 0))
		rc = CALX_EINVAL;
	if (rc == CALX_OK && cti_manager_get(s, 1, &not_one) != CALX_ENOTFOUND)
		rc = calx_session_errcode(s) ? calx_session_errcode(s) : CALX_EINVAL;
	calx_session_free(s);
	s = NULL;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = cti_company_selectin(s, &c);
	calx_session_free(s);
	s = NULL;
	/* lazily, in a session that has none of them; then a change and a delete */
	struct cti_person **staff = NULL;
	size_t n = 0;
	if (rc == CALX_OK && (rc = calx_session_open(&s, eng, reg)) == CALX_OK)
		rc = cti_company_get(s, 1, &c);
	if (rc == CALX_OK)
		rc = cti_company_staff(s, c, &staff, &n);
	for (size_t i = 0; rc == CALX_OK && i < n; i++) {
		struct cti_engineer *g = cti_engineer_of(staff[i]);
		struct cti_manager *m = cti_manager_of(staff[i]);
		if (g)
			strcpy(g->primary_language, "Rust");
		else if (m)
			rc = calx_session_delete(s, m);
	}
	if (rc == CALX_OK && n != 3)
		rc = CALX_EINVAL;
	if (rc == CALX_OK)
		rc = calx_session_commit(s);
	calx_session_free(s);
	calx_registry_free(reg);
	return rc;
}

/* 0 empty, 1 the company with its three people, 2 the manager deleted and the engineer writing Rust */
static long cti_state(calx_session *s)
{
	long companies = alloc_fail_count(s, &cti_company_mapper), people = alloc_fail_count(s, &cti_person_mapper);
	long managers = alloc_fail_count(s, &cti_manager_mapper);
	if (companies < 0 || people < 0 || managers < 0)
		return ALLOC_FAIL_BROKEN;
	if (companies == 0 && people == 0)
		return 0;
	calx_select *q = calx_select_new(s, &cti_engineer_mapper);
	void **items;
	size_t n;
	if (!q || calx_select_all(q, &items, &n) != CALX_OK || n != 1) {
		calx_select_free(q);
		return ALLOC_FAIL_BROKEN;
	}
	struct cti_engineer *g = items[0];
	int rust = strcmp(g->primary_language, "Rust") == 0, c = strcmp(g->primary_language, "C") == 0;
	calx_select_free(q);
	if (companies == 1 && people == 3 && managers == 1 && c)
		return 1;
	return companies == 1 && people == 2 && managers == 0 && rust ? 2 : ALLOC_FAIL_PARTIAL;
}

static void concrete_survives_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "inherit_concrete", &inherit_concrete_schema, cti, cti_state, 2 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inherit_survives_every_allocation_failure),
		cmocka_unit_test(joined_survives_every_allocation_failure),
		cmocka_unit_test(concrete_survives_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_inherit", tests);
}
