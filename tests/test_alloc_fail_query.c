/*
 * Allocation failure in the query language's later statements: a
 * stream letting its objects go (a fresh session, one object kept); a union
 * of two selects of values (ordered, paged, one operand paged itself),
 * read to the end and checked; a select over a union in FROM; bulk UPDATE and DELETE by criteria with
 * each synchronisation (values evaluated into the objects, text copied
 * into a char *, keys fetched, an expression expiring them, a subquery in
 * the where), then rolled back; an insert of many rows from an array of
 * structs, with RETURNING, rolled back; raw SQL through calx_text with named
 * parameters (one used twice), read and run for its effect, its rows
 * onto the struct and of declared kinds; the registry's criteria (one
 * every user meets) in each select of users; a plugin's data kept on the
 * session. Each allocation fails in
 * turn, on each dialect.
 */
#include <stdio.h>
#include <string.h>
#include "test_alloc_fail.h"

static int add_users(calx_session *s)
{
	static const char *const names[] = { "ann", "bob", "cid", "dee" };
	int rc;
	for (int i = 0; i < 4; i++) {
		struct user *u = user_new(s, .name = "", .age = 10 * (i + 1));
		if (!u)
			return calx_session_errcode(s);
		if ((rc = calx_field_set_text(s, u, USER_NAME, names[i])) != CALX_OK || (rc = calx_session_add(s, u)) != CALX_OK)
			return rc;
	}
	return calx_session_commit(s);
}

/* (name, age) of users with age in [lo, hi] */
static calx_select *named_ages(calx_session *s, int lo, int hi)
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return NULL;
	calx_expr *e[] = { calx_col(USER_NAME), calx_col(USER_AGE) };
	calx_select_exprs(q, e, 2);     /* an error is kept and reported when the union runs */
	calx_where(q, calx_between(USER_AGE, lo, hi));
	return q;
}

/* ages 10..20 UNION the oldest of 20..40, ordered by age descending: dee:40 bob:20 ann:10 */
static int a_union(calx_session *s)
{
	calx_select *oldest = named_ages(s, 20, 40);
	calx_order_by(oldest, USER_AGE, CALX_DESC);
	calx_limit(oldest, 1);
	calx_select *u = calx_union(named_ages(s, 10, 20), oldest, false);
	if (!u)
		return calx_session_errcode(s);
	calx_order_by(u, USER_AGE, CALX_DESC);
	calx_limit(u, 10);
	char got[64] = "";
	calx_value v[2];
	int rc;
	while ((rc = calx_select_next_values(u, v)) == CALX_ROW) {
		size_t k = strlen(got);
		snprintf(got + k, sizeof got - k, "%s%.*s:%lld", k ? " " : "", (int)v[0].u.s.n, v[0].u.s.p,
		         (long long)v[1].u.i);
	}
	calx_select_free(u);
	if (rc != CALX_DONE)
		return rc;
	return strcmp(got, "dee:40 bob:20 ann:10") == 0 ? CALX_OK : CALX_EINVAL;
}

/* SELECT sum(age) FROM (ages 10..20 UNION ALL ages 30..40) WHERE age > 15: 90 */
static int a_derived_table(calx_session *s)
{
	calx_select *q = calx_select_from_set(calx_union(named_ages(s, 10, 20), named_ages(s, 30, 40), true));
	if (!q)
		return calx_session_errcode(s);
	calx_expr *e[] = { calx_sum(calx_set_col(q, 1)) };
	calx_select_exprs(q, e, 1);
	calx_where(q, calx_cmp(CALX_OP_GT, calx_set_col(q, 1), calx_lit(15)));
	calx_value v;
	int rc = calx_select_scalar(q, &v);
	if (rc == CALX_OK && (v.kind != CALX_VALUE_INT || v.u.i != 90))
		rc = CALX_EINVAL;
	calx_select_free(q);
	return rc;
}

/* calx_insert_many of 40 users, keys and the server default written back, two shapes; then rolled back */
static int insert_many(calx_session *s)
{
	struct user u[40];
	memset(u, 0, sizeof u);
	for (int i = 0; i < 40; i++) {
		snprintf(u[i].name, sizeof u[i].name, "many%d", i);
		u[i].age = i;
		u[i].note = "n";
	}
	u[20].created = (calx_opt_int64){ 7, true };
	uint64_t n = 0;
	int rc = calx_insert_many(s, &user_mapper, u, 40, CALX_INSERT_RETURNING, &n);
	if (rc != CALX_OK)
		return rc;
	if (n != 40 || !u[39].id || u[39].id == u[38].id || u[0].created.value != 42 || u[20].created.value != 7)
		return CALX_EINVAL;
	return calx_session_rollback(s);
}

/* A fresh session streaming the users 2 a batch, letting them go but one it keeps: 3 let go */
static int released_stream(calx_engine *eng, calx_registry *reg)
{
	calx_session *s2 = NULL;
	int rc = calx_session_open(&s2, eng, reg);
	if (rc != CALX_OK)
		return rc;
	calx_select *q = calx_select_new(s2, &user_mapper);
	if (!q) {
		rc = calx_session_errcode(s2);
		calx_session_free(s2);
		return rc;
	}
	calx_order_by(q, USER_AGE, CALX_ASC);
	calx_select_yield_per(q, 2);
	calx_select_release_passed(q);
	struct user *u, *kept = NULL;
	while ((rc = calx_select_next(q, (void **)&u)) == CALX_ROW) {
		if (u->age != 20)
			continue;
		if ((rc = calx_select_keep(q, u)) != CALX_OK)
			break;
		kept = u;
	}
	if (rc == CALX_DONE)
		rc = calx_select_released(q) == 3 && kept && !strcmp(kept->name, "bob") ? CALX_OK : CALX_EINVAL;
	calx_select_free(q);
	calx_session_free(s2);
	return rc;
}

/* The users by age, loaded: ann 10, bob 20, cid 30, dee 40. */
static int load_users(calx_session *s, struct user *u[4])
{
	calx_select *q = calx_select_new(s, &user_mapper);
	if (!q)
		return calx_session_errcode(s);
	calx_order_by(q, USER_AGE, CALX_ASC);
	void **rows;
	size_t n;
	int rc = calx_select_all(q, &rows, &n);
	if (rc == CALX_OK && n != 4)
		rc = CALX_EINVAL;
	for (size_t i = 0; rc == CALX_OK && i < 4; i++)
		u[i] = rows[i];
	calx_select_free(q);
	return rc;
}

static int bulk(calx_session *s)
{
	struct user *u[4];
	int rc = load_users(s, u);
	if (rc != CALX_OK)
		return rc;
	uint64_t rows = 0;
	/* evaluate: cid and dee get a note, copied into the session's memory */
	calx_update *up = calx_update_new(s, &user_mapper);
	if (!up)
		return calx_session_errcode(s);
	calx_update_where(up, calx_and(calx_ge(USER_AGE, 30), calx_is_null(USER_NOTE)));
	calx_update_set(up, USER_NOTE, calx_lit("older"));
	calx_update_set(up, USER_SCORE, calx_lit(2.5));
	rc = calx_update_run(up, CALX_SYNC_EVALUATE, &rows);
	calx_update_free(up);
	if (rc != CALX_OK)
		return rc;
	if (rows != 2 || !u[2]->note || strcmp(u[2]->note, "older") != 0 || u[3]->score != 2.5 || u[0]->note)
		return CALX_EINVAL;
	/* fetch, with an expression and a subquery: ann and bob, expired */
	calx_select *young = calx_select_new(s, &user_mapper);
	if (!young)
		return calx_session_errcode(s);
	calx_expr *id[] = { calx_col(USER_ID) };
	calx_select_exprs(young, id, 1);
	calx_where(young, calx_lt(USER_AGE, 25));
	if (!(up = calx_update_new(s, &user_mapper))) {
		calx_select_free(young);
		return calx_session_errcode(s);
	}
	calx_update_where(up, calx_in_select(USER_ID, young));
	calx_update_set(up, USER_AGE, calx_add(calx_col(USER_AGE), calx_lit(1)));
	rc = calx_update_run(up, CALX_SYNC_FETCH, &rows);
	calx_update_free(up);
	if (rc != CALX_OK)
		return rc;
	if (rows != 2 || !calx_object_is_expired(s, u[0]))
		return CALX_EINVAL;
	/* delete: dee by fetch, cid by evaluation */
	for (int i = 0; i < 2; i++) {
		calx_delete *d = calx_delete_new(s, &user_mapper);
		if (!d)
			return calx_session_errcode(s);
		calx_delete_where(d, calx_eq(USER_NAME, i ? "cid" : "dee"));
		rc = calx_delete_run(d, i ? CALX_SYNC_EVALUATE : CALX_SYNC_FETCH, &rows);
		calx_delete_free(d);
		if (rc != CALX_OK)
			return rc;
		if (rows != 1)
			return CALX_EINVAL;
	}
	return calx_session_rollback(s);
}

/* calx_text: the users of at least :age, then one renamed and put back; the rows checked */
static int text(calx_session *s)
{
	calx_text_query *t = calx_text(s, "SELECT name, age FROM users WHERE age >= :age AND age - :step <> :age "
	                                  "ORDER BY age");
	if (!t)
		return calx_session_errcode(s);
	int rc = calx_text_bind(t, "age", calx_v(20));
	if (rc == CALX_OK)
		rc = calx_text_bind(t, "step", calx_v(10));
	char got[64] = "";
	calx_value v[2];
	while (rc == CALX_OK && (rc = calx_text_next(t, v, 2)) == CALX_ROW) {
		size_t k = strlen(got);
		snprintf(got + k, sizeof got - k, "%s%.*s", k ? " " : "", (int)v[0].u.s.n, v[0].u.s.p);
		rc = CALX_OK;
	}
	calx_text_free(t);
	if (rc != CALX_DONE)
		return rc;
	if (strcmp(got, "bob dee") != 0)
		return CALX_EINVAL;
	if (!(t = calx_text(s, "UPDATE users SET note = :note WHERE name = :name")))
		return calx_session_errcode(s);
	uint64_t rows = 0;
	if ((rc = calx_text_bind(t, "note", calx_v("raw"))) == CALX_OK &&
	    (rc = calx_text_bind(t, "name", calx_v("ann"))) == CALX_OK)
		rc = calx_text_exec(t, &rows);
	calx_text_free(t);
	if (rc != CALX_OK)
		return rc;
	if (rows != 1)
		return CALX_EINVAL;
	/* rows onto the struct, and rows of declared kinds */
	if (!(t = calx_text(s, "SELECT * FROM users WHERE age >= 30 ORDER BY age")))
		return calx_session_errcode(s);
	struct user *u;
	int n = 0;
	while ((rc = calx_text_next_object(t, &user_mapper, (void **)&u)) == CALX_ROW)
		n += u->age >= 30;
	calx_text_free(t);
	if (rc != CALX_DONE)
		return rc;
	if (n != 2)
		return CALX_EINVAL;
	if (!(t = calx_text(s, "SELECT sum(age), count(*) FROM users")))
		return calx_session_errcode(s);
	const calx_value_kind kinds[] = { CALX_VALUE_NUMERIC, CALX_VALUE_REAL };
	rc = calx_text_next_typed(t, kinds, v, 2);
	bool right = rc == CALX_ROW && v[0].kind == CALX_VALUE_NUMERIC && v[0].u.s.n == 3 &&
	             !memcmp(v[0].u.s.p, "100", 3) && v[1].kind == CALX_VALUE_REAL && v[1].u.d == 4.0;
	calx_text_free(t);
	if (rc != CALX_ROW)
		return rc;
	return right ? calx_session_rollback(s) : CALX_EINVAL;
}

static int queries(calx_engine *eng, calx_registry *reg)
{
	calx_session *s = NULL;
	/* a criterion every user meets: the registry's criteria in every select below */
	int rc = calx_registry_add_criteria(reg, &user_mapper, calx_ge(USER_AGE, 0));
	if (rc != CALX_OK)
		return rc;
	/* a plugin's state on the registry */
	void *state = calx_registry_alloc(reg, 32);
	if (!state)
		return CALX_ENOMEM;
	static const char reg_key = 0;
	if ((rc = calx_registry_set_info(reg, &reg_key, state)) != CALX_OK)
		return rc;
	if (calx_registry_info(reg, &reg_key) != state)
		return CALX_EINVAL;
	if ((rc = calx_session_open(&s, eng, reg)) != CALX_OK)
		goto done;
	/* a plugin's data on the session (calx/plugin.h): more than the session's first arena chunk holds */
	static const char key = 0;
	void *mine = calx_session_alloc(s, 20000);
	if (!mine) {
		rc = calx_session_errcode(s);
		goto done;
	}
	if ((rc = calx_session_set_info(s, &key, mine)) != CALX_OK || (rc = add_users(s)) != CALX_OK)
		goto done;
	if (calx_session_info(s, &key) != mine) {
		rc = CALX_EINVAL;
		goto done;
	}
	if ((rc = a_union(s)) != CALX_OK || (rc = a_derived_table(s)) != CALX_OK || (rc = bulk(s)) != CALX_OK ||
	    (rc = insert_many(s)) != CALX_OK || (rc = text(s)) != CALX_OK)
		goto done;
done:
	if (rc != CALX_OK && s)
		calx_session_rollback(s);
	calx_session_free(s);
	/* in a session of its own, once the first has let its connection go */
	if (rc == CALX_OK)
		rc = released_stream(eng, reg);
	return rc;
}

/* 0 no users, 1 the four; anything else a commit in part */
static long users_state(calx_session *s)
{
	long n = alloc_fail_count(s, &user_mapper);
	return n < 0 ? ALLOC_FAIL_BROKEN : n == 0 ? 0 : n == 4 ? 1 : ALLOC_FAIL_PARTIAL;
}

static void queries_survive_every_allocation_failure(void **state)
{
	(void)state;
	static const alloc_scenario sc = { "unions, bulk update and delete, raw SQL", &shop_schema, queries, users_state, 1 };
	fail_each_allocation(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queries_survive_every_allocation_failure),
	};
	return RUN_ON_ALL_DIALECTS("alloc_fail_query", tests);
}
