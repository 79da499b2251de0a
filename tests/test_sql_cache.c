/*
 * The SQL layer's caches and runtime: compiled SQL by shape (no database),
 * then on real SQLite and PostgreSQL connections: the bounded statement
 * cache, statements split under a parameter limit, a self-join, and
 * savepoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "helpers.h"
#include "numbers.calx.h"
#include "sql/statements.h"
#include "sql/stmtcache.h"

static calx__ast A;

/* SELECT ? AS "alias" [WHERE "t"."a" = ?]: a shape per alias, any values. */
static calx__node *probe(const char *alias, int64_t v)
{
	calx__node *s = calx__ast_select(&A), *col = calx__ast_bind(&A, calx_value_int(v));
	col->alias = alias;
	s->kid[CALX__SEL_COLS] = col;
	return s;
}

static void same_shape_compiles_once_whatever_the_values(void **state)
{
	(void)state;
	const calx_dialect *ds[] = { &calx_sqlite_dialect, &calx_postgresql_dialect };
	for (int i = 0; i < 2; i++) {
		calx__sqlcache cache;
		calx_error err;
		calx__compiled *a, *b, *c, *d;
		calx__shape_key ka, kb, kc, kd;
		calx__sqlcache_init(&cache, ds[i]);
		calx__ast_init(&A);
		calx__node *t = calx__ast_mapper_table(&A, &amount_mapper, NULL);
		calx__node *s1 = calx__ast_select(&A), *s2 = calx__ast_select(&A), *s3 = calx__ast_select(&A);
		s1->kid[CALX__SEL_COLS] = calx__ast_field(&A, t, calx_field(AMOUNT_ID));
		s2->kid[CALX__SEL_COLS] = calx__ast_field(&A, t, calx_field(AMOUNT_ID));
		s3->kid[CALX__SEL_COLS] = calx__ast_field(&A, t, calx_field(AMOUNT_BIG));
		s1->kid[CALX__SEL_FROM] = s2->kid[CALX__SEL_FROM] = s3->kid[CALX__SEL_FROM] = t;
		s1->kid[CALX__SEL_WHERE] = calx__ast_binary(&A, CALX__OP_EQ, calx__ast_field(&A, t, calx_field(AMOUNT_LABEL)),
		                                            calx__ast_bind(&A, calx_value_text("one")));
		s2->kid[CALX__SEL_WHERE] = calx__ast_binary(&A, CALX__OP_EQ, calx__ast_field(&A, t, calx_field(AMOUNT_LABEL)),
		                                            calx__ast_bind(&A, calx_value_text("two")));
		s3->kid[CALX__SEL_WHERE] = calx__ast_binary(&A, CALX__OP_EQ, calx__ast_field(&A, t, calx_field(AMOUNT_LABEL)),
		                                            calx__ast_bind(&A, calx_value_text("one")));
		assert_int_equal(calx__shape_of(&A, s1, &ka, &err), CALX_OK);
		assert_int_equal(calx__shape_of(&A, s2, &kb, &err), CALX_OK);
		assert_int_equal(calx__shape_of(&A, s3, &kc, &err), CALX_OK);
		assert_int_equal(calx__sqlcache_get(&cache, &ka, s1, &a, &err), CALX_OK);
		assert_int_equal(calx__sqlcache_get(&cache, &kb, s2, &b, &err), CALX_OK);
		assert_int_equal(calx__sqlcache_get(&cache, &kc, s3, &c, &err), CALX_OK);
		assert_ptr_equal(a, b);                 /* one compiled text for both */
		assert_ptr_not_equal(a, c);             /* another column: another shape */
		assert_non_null(strstr(c->text, "\"big\""));
		const calx_value *v1[1], *v2[1];
		calx__ast_binds(s1, v1, 1);
		calx__ast_binds(s2, v2, 1);
		assert_string_equal(v1[0]->u.s.p, "one");
		assert_string_equal(v2[0]->u.s.p, "two");
		/* a key that only shares the hash is a miss: compared word for word */
		calx__node *s4 = probe("x", 1);
		assert_int_equal(calx__shape_of(&A, s4, &kd, &err), CALX_OK);
		kd.hash = ka.hash;
		assert_int_equal(calx__sqlcache_get(&cache, &kd, s4, &d, &err), CALX_OK);
		assert_ptr_not_equal(d, a);
		assert_non_null(strstr(d->text, "AS \"x\""));
		calx__compiled *again;
		assert_int_equal(calx__sqlcache_get(&cache, &ka, NULL, &again, &err), CALX_OK);
		assert_ptr_equal(again, a);
		calx__compiled *held[4] = { a, b, c, d };
		for (int k = 0; k < 4; k++)
			calx__sqlcache_put(&cache, held[k]);
		calx__sqlcache_put(&cache, again);
		/* bounded: the least recently used unheld entries go */
		cache.bound = 3;
		calx__compiled *x;
		assert_int_equal(calx__sqlcache_get(&cache, &kc, NULL, &x, &err), CALX_OK);     /* held */
		for (int k = 0; k < 5; k++) {
			char alias[16];
			snprintf(alias, sizeof alias, "a%d", k);
			calx__node *s = probe(alias, k);
			calx__shape_key key;
			calx__compiled *y;
			assert_int_equal(calx__shape_of(&A, s, &key, &err), CALX_OK);
			assert_int_equal(calx__sqlcache_get(&cache, &key, s, &y, &err), CALX_OK);
			calx__sqlcache_put(&cache, y);
			assert_true(cache.entries.n <= 3);
		}
		calx__compiled *still;
		assert_int_equal(calx__sqlcache_get(&cache, &kc, NULL, &still, &err), CALX_OK);
		assert_ptr_equal(still, x);
		calx__sqlcache_put(&cache, still);
		calx__sqlcache_put(&cache, x);
		calx__sqlcache_free(&cache);
		calx__ast_free(&A);
	}
}

static void statements_split_under_a_parameter_limit(void **state)
{
	(void)state;
	calx__ast_init(&A);
	calx_error err;
	calx__node *ins = calx__ast_insert(&A, calx__ast_table(&A, "t", NULL));
	ins->kid[CALX__INS_COLS] = calx__ast_column(&A, NULL, "a");
	calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_column(&A, NULL, "b"));
	calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_column(&A, NULL, "c"));
	for (int r = 0; r < 11; r++) {
		calx__node *vals = calx__ast_bind(&A, calx_value_int(r));
		calx__ast_append(&vals, calx__ast_bind(&A, calx_value_int(r)));
		calx__ast_append(&vals, calx__ast_bind(&A, calx_value_int(r)));
		calx__ast_insert_row(&A, ins, vals);
	}
	calx__compiled *c;
	assert_int_equal(calx__compile(&calx_sqlite_dialect, ins, 7, &c, &err), CALX_ERANGE);
	calx__chunks ch;
	assert_int_equal(calx__chunks_init(&ch, ins, ins, 7, &err), CALX_OK);
	size_t sizes[8], n = 0;
	while (calx__chunks_next(&ch)) {
		assert_int_equal(calx__compile(&calx_postgresql_dialect, ins, 7, &c, &err), CALX_OK);
		assert_true(c->n_params <= 7);
		const calx_value *v[6];
		assert_int_equal(calx__ast_binds(ins, v, 6), c->n_params);
		assert_int_equal(v[0]->u.i, (int64_t)(2 * n));      /* the window's first row */
		if (n == 0)
			assert_string_equal(c->text, "INSERT INTO \"t\" (\"a\", \"b\", \"c\") VALUES ($1, $2, $3), ($4, $5, $6)");
		sizes[n++] = c->n_params / 3;
		calx__compiled_free(c);
	}
	assert_int_equal(n, 6);
	assert_true(sizes[0] == 2 && sizes[4] == 2 && sizes[5] == 1);
	assert_int_equal(ins->count, CALX__ALL);       /* the whole list again */
	/* an IN list with two parameters around it: three items per select under five */
	calx__node *t = calx__ast_table(&A, "t", NULL), *items = NULL;
	for (int i = 0; i < 10; i++)
		calx__ast_append(&items, calx__ast_bind(&A, calx_value_int(i)));
	calx__node *in = calx__ast_in_list(&A, calx__ast_column(&A, t, "id"), items, false);
	calx__node *s = calx__ast_select(&A);
	s->kid[CALX__SEL_COLS] = calx__ast_column(&A, t, "id");
	s->kid[CALX__SEL_FROM] = t;
	s->kid[CALX__SEL_WHERE] = calx__ast_binary(&A, CALX__OP_AND, in, calx__ast_binary(&A, CALX__OP_LT,
	                                           calx__ast_column(&A, t, "a"), calx__ast_bind(&A, calx_value_int(1))));
	s->kid[CALX__SEL_LIMIT] = calx__ast_bind(&A, calx_value_int(100));
	assert_int_equal(calx__chunks_init(&ch, s, in, 5, &err), CALX_OK);
	assert_int_equal(ch.per, 3);
	for (n = 0; calx__chunks_next(&ch); n++) {
		assert_int_equal(calx__compile(&calx_sqlite_dialect, s, 5, &c, &err), CALX_OK);
		assert_int_equal(c->n_params, (n < 3 ? 3 : 1) + 2);
		calx__compiled_free(c);
	}
	assert_int_equal(n, 4);
	assert_int_equal(calx__chunks_init(&ch, s, in, 2, &err), CALX_ERANGE);
	assert_int_equal(calx__chunks_init(&ch, s, s, 5, &err), CALX_EINVAL);
	calx__ast_free(&A);
}

/* --- on real connections ------------------------------------------------------ */

static const calx_dialect *base;
static calx_dialect counting;
static int n_prepared, n_finalized;

static int count_prepare(calx_conn *c, const char *sql, calx_stmt **out, calx_error *err)
{
	n_prepared++;
	return base->prepare(c, sql, out, err);
}

static void count_finalize(calx_stmt *st)
{
	n_finalized++;
	base->finalize(st);
}

typedef struct live {
	fixture fx;                     /* an engine and the numbers tables */
	calx__sqlcache cache;
	calx__conn c;                   /* a connection of our own, through the counting dialect */
} live;

static int live_setup(void **state)
{
	static live l;
	char url[512];
	memset(&l, 0, sizeof l);
	*state = &l;
	if (!test_url(url, sizeof url))
		return -1;
	if (current_dialect == TEST_SQLITE)
		snprintf(l.fx.path, sizeof l.fx.path, "%s", url + 7);
	base = current_dialect == TEST_SQLITE ? &calx_sqlite_dialect : &calx_postgresql_dialect;
	counting = *base;
	counting.prepare = count_prepare;
	counting.finalize = count_finalize;
	n_prepared = n_finalized = 0;
	calx_error err;
	if (calx_engine_open(&l.fx.eng, url) != CALX_OK || calx_registry_open(&l.fx.reg, &numbers_schema, NULL) != CALX_OK ||
	    calx_drop_all(l.fx.reg, l.fx.eng) != CALX_OK || calx_create_all(l.fx.reg, l.fx.eng) != CALX_OK ||
	    base->connect(&l.c.raw, url, &err) != CALX_OK)
		return -1;
	calx__sqlcache_init(&l.cache, &counting);
	l.c.d = &counting;
	l.c.sql = &l.cache;
	l.c.bound = 4;
	calx__ast_init(&A);
	return 0;
}

static int live_teardown(void **state)
{
	live *l = *state;
	calx__stmtcache_clear(&l->c);
	for (int i = 0; i < 3; i++)
		if (l->c.txn[i])
			counting.finalize(l->c.txn[i]);
	base->disconnect(l->c.raw);
	calx__sqlcache_free(&l->cache);
	calx_registry_free(l->fx.reg);
	calx_engine_free(l->fx.eng);
	if (l->fx.path[0])
		unlink(l->fx.path);
	calx__ast_free(&A);
	return 0;
}

/* Prepare SELECT ? AS alias through the connection's cache, with v bound. */
static calx__stmt *checkout(live *l, const char *alias, int64_t v)
{
	calx_error err;
	calx__stmt *st = NULL;
	int rc = calx__sql_prepare(&l->c, &A, probe(alias, v), &st, &err);
	if (rc != CALX_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, CALX_OK);
	return st;
}

static int64_t first_int(live *l, calx__stmt *st)
{
	calx_error err;
	calx_value v;
	assert_int_equal(l->c.d->step(st->st, &err), CALX_ROW);
	l->c.d->column(st->st, 0, &v);
	if (v.kind == CALX_VALUE_TEXT)          /* PostgreSQL: an untyped parameter comes back as text */
		return strtoll(v.u.s.p, NULL, 10);
	return v.u.i;
}

static void statement_cache_is_bounded_and_never_evicts_a_busy_statement(void **state)
{
	live *l = *state;
	calx__stmt *a = checkout(l, "a", 1);
	assert_int_equal(first_int(l, a), 1);
	calx__stmt_release(a);
	assert_ptr_equal(checkout(l, "a", 2), a);       /* same shape: the same statement, new values */
	assert_int_equal(first_int(l, a), 2);
	/* a held, while ten other shapes come and go through a cache of four */
	for (int i = 0; i < 10; i++) {
		char alias[16];
		snprintf(alias, sizeof alias, "s%d", i);
		calx__stmt *st = checkout(l, alias, i);
		calx__stmt_release(st);
		assert_true(l->c.stmts.n <= 4);
	}
	assert_int_equal(n_prepared, 11);
	assert_int_equal(n_finalized, 11 - 4);          /* eviction finalized them */
	calx_error err;
	assert_int_equal(l->c.d->step(a->st, &err), CALX_DONE);      /* still alive */
	calx__stmt_release(a);
	/* the same shape twice at once: a private twin, finalized when given back */
	a = checkout(l, "a", 3);
	calx__stmt *twin = checkout(l, "a", 4);
	assert_ptr_not_equal(a, twin);
	assert_false(twin->cached);
	assert_int_equal(first_int(l, twin), 4);
	int before = n_finalized;
	calx__stmt_release(twin);
	assert_int_equal(n_finalized, before + 1);
	/* every statement busy: the cache goes over its bound until they come back */
	calx__stmt *held[5] = { a };
	for (int i = 1; i < 5; i++) {
		char alias[16];
		snprintf(alias, sizeof alias, "h%d", i);
		held[i] = checkout(l, alias, i);
	}
	assert_int_equal(l->c.stmts.n, 5);
	for (int i = 0; i < 5; i++)
		calx__stmt_release(held[i]);
	calx__stmt_release(checkout(l, "last", 0));
	assert_true(l->c.stmts.n <= 4);
	if (current_dialect == TEST_POSTGRESQL) {
		/* evicted statements are gone from the server too */
		calx__node *s = calx__ast_select(&A), *t = calx__ast_table(&A, "pg_prepared_statements", NULL);
		s->kid[CALX__SEL_COLS] = calx__ast_count_star(&A);
		s->kid[CALX__SEL_FROM] = t;
		calx__stmt *st;
		assert_int_equal(calx__sql_prepare(&l->c, &A, s, &st, &err), CALX_OK);
		assert_int_equal(first_int(l, st), (int64_t)l->c.stmts.n);
		calx__stmt_release(st);
	}
}

/* Run a statement without rows through the connection's cache. */
static void run(live *l, calx__node *stmt)
{
	calx_error err;
	calx__stmt *st;
	int rc = calx__sql_prepare(&l->c, &A, stmt, &st, &err);
	if (rc == CALX_OK) {
		rc = l->c.d->step(st->st, &err);
		rc = rc == CALX_DONE ? CALX_OK : rc;
		calx__stmt_release(st);
	}
	if (rc != CALX_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, CALX_OK);
}

/* Run select s in the windows of its IN list in under the connection's limit: the sum of the first columns, *statements the count. */
static int64_t windows(live *l, calx__node *s, calx__node *in, int *statements)
{
	calx_error err;
	calx__chunks ch;
	calx__stmt *st;
	int64_t found = 0;
	*statements = 0;
	assert_int_equal(calx__chunks_init(&ch, s, in, counting.max_params, &err), CALX_OK);
	while (calx__chunks_next(&ch)) {
		assert_int_equal(calx__sql_prepare(&l->c, &A, s, &st, &err), CALX_OK);
		found += first_int(l, st);
		calx__stmt_release(st);
		++*statements;
	}
	return found;
}

static void split_inserts_and_in_lists_run_under_the_limit(void **state)
{
	live *l = *state;
	counting.max_params = 7;        /* this connection's dialect allows seven */
	calx__node *t = calx__ast_mapper_table(&A, &amount_mapper, NULL);
	calx__node *ins = calx__ast_insert(&A, t);
	ins->kid[CALX__INS_COLS] = calx__ast_field(&A, NULL, calx_field(AMOUNT_ID));
	calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(&A, NULL, calx_field(AMOUNT_BIG)));
	calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(&A, NULL, calx_field(AMOUNT_LABEL)));
	for (int r = 1; r <= 11; r++) {
		calx__node *vals = calx__ast_bind(&A, calx_value_int(r));
		calx__ast_append(&vals, calx__ast_bind(&A, calx_value_int(r * 10)));
		calx__ast_append(&vals, calx__ast_bind(&A, calx_value_text("x")));
		calx__ast_insert_row(&A, ins, vals);
	}
	calx_error err;
	calx__stmt *st;
	assert_int_equal(calx__sql_prepare(&l->c, &A, ins, &st, &err), CALX_ERANGE);
	calx__chunks ch;
	int statements = 0;
	assert_int_equal(calx__chunks_init(&ch, ins, ins, counting.max_params, &err), CALX_OK);
	while (calx__chunks_next(&ch)) {
		run(l, ins);
		statements++;
	}
	assert_int_equal(statements, 6);
	/* which of 0..19 exist: an IN list of twenty in selects of five (two parameters elsewhere) */
	calx__node *items = NULL;
	for (int i = 0; i < 20; i++)
		calx__ast_append(&items, calx__ast_bind(&A, calx_value_int(i)));
	calx__node *in = calx__ast_in_list(&A, calx__ast_field(&A, t, calx_field(AMOUNT_ID)), items, false);
	calx__node *s = calx__ast_select(&A);
	s->kid[CALX__SEL_COLS] = calx__ast_count_star(&A);
	s->kid[CALX__SEL_FROM] = t;
	s->kid[CALX__SEL_WHERE] = calx__ast_binary(&A, CALX__OP_AND, in,
	                                           calx__ast_binary(&A, CALX__OP_GE, calx__ast_field(&A, t, calx_field(AMOUNT_BIG)),
	                                                            calx__ast_bind(&A, calx_value_int(0))));
	s->kid[CALX__SEL_LIMIT] = calx__ast_bind(&A, calx_value_int(1));
	assert_int_equal(windows(l, s, in, &statements), 11);
	assert_int_equal(statements, 4);
	/* the same twenty as one bind array (the select-in's keys): windowed value by value, the same answer */
	calx_value *vals;
	calx__node *arr = calx__ast_bind_array(&A, 20, &vals);
	assert_non_null(arr);
	for (int i = 0; i < 20; i++)
		vals[i] = calx_value_int(i);
	in->kid[CALX__IN_LIST] = arr;
	assert_int_equal(windows(l, s, in, &statements), 11);
	assert_int_equal(statements, 4);
}

static void self_join_under_two_aliases_runs(void **state)
{
	live *l = *state;
	calx_session *s;
	assert_int_equal(calx_session_open(&s, l->fx.eng, l->fx.reg), CALX_OK);
	const char *names[] = { "Andrew", "Nancy", "Jane" };
	for (int i = 0; i < 3; i++) {
		struct employee *e = calx_object_new(s, &employee_mapper);
		e->id = i + 1;
		e->first_name = (char *)names[i];
		if (i)
			calx_opt_set(&e->reports_to, 1);      /* the first row has no manager: NULL */
		assert_ok(s, calx_session_add(s, e));
	}
	assert_ok(s, calx_session_commit(s));
	calx_session_free(s);
	calx__node *e = calx__ast_mapper_table(&A, &employee_mapper, "e");
	calx__node *m = calx__ast_mapper_table(&A, &employee_mapper, "m");
	calx__node *sel = calx__ast_select(&A);
	sel->kid[CALX__SEL_COLS] = calx__ast_field(&A, e, calx_field(EMPLOYEE_FIRST_NAME));
	calx__ast_append(&sel->kid[CALX__SEL_COLS], calx__ast_field(&A, m, calx_field(EMPLOYEE_FIRST_NAME)));
	sel->kid[CALX__SEL_FROM] = calx__ast_join(&A, CALX__JOIN_INNER, e, m,
	                                          calx__ast_binary(&A, CALX__OP_EQ, calx__ast_field(&A, e, calx_field(EMPLOYEE_REPORTS_TO)),
	                                                           calx__ast_field(&A, m, calx_field(EMPLOYEE_ID))));
	sel->kid[CALX__SEL_ORDER] = calx__ast_order(&A, calx__ast_field(&A, e, calx_field(EMPLOYEE_ID)), CALX__ASC);
	calx_error err;
	calx__stmt *st;
	calx_value a, b;
	assert_int_equal(calx__sql_prepare(&l->c, &A, sel, &st, &err), CALX_OK);
	for (int i = 1; i < 3; i++) {
		assert_int_equal(l->c.d->step(st->st, &err), CALX_ROW);
		l->c.d->column(st->st, 0, &a);
		l->c.d->column(st->st, 1, &b);
		assert_memory_equal(a.u.s.p, names[i], a.u.s.n);
		assert_memory_equal(b.u.s.p, "Andrew", b.u.s.n);     /* each column from its own alias */
	}
	assert_int_equal(l->c.d->step(st->st, &err), CALX_DONE);
	calx__stmt_release(st);
}

static void savepoints_roll_back_part_of_a_transaction(void **state)
{
	live *l = *state;
	calx_error err;
	calx__node *t = calx__ast_mapper_table(&A, &amount_mapper, NULL);
	calx__node *ins[2];
	for (int i = 0; i < 2; i++) {
		ins[i] = calx__ast_insert(&A, t);
		ins[i]->kid[CALX__INS_COLS] = calx__ast_field(&A, NULL, calx_field(AMOUNT_ID));
		calx__ast_insert_row(&A, ins[i], calx__ast_bind(&A, calx_value_int(100 + i)));
	}
	assert_int_equal(calx__txn(&l->c, CALX__TXN_BEGIN, &err), CALX_OK);
	run(l, ins[0]);
	assert_int_equal(calx__savepoint(&l->c, CALX__SAVEPOINT, "before second", &err), CALX_OK);
	run(l, ins[1]);
	assert_int_equal(calx__savepoint(&l->c, CALX__ROLLBACK_TO, "before second", &err), CALX_OK);
	assert_int_equal(calx__savepoint(&l->c, CALX__RELEASE, "before second", &err), CALX_OK);
	assert_int_equal(calx__txn(&l->c, CALX__TXN_COMMIT, &err), CALX_OK);
	assert_int_equal(calx__savepoint(&l->c, CALX__SAVEPOINT, "", &err), CALX_EINVAL);
	l->fx.dialect = current_dialect;
	assert_int_equal(count_rows(&l->fx, &amount_mapper), 1);
}

int main(void)
{
	const struct CMUnitTest plain[] = {
		cmocka_unit_test(same_shape_compiles_once_whatever_the_values),
		cmocka_unit_test(statements_split_under_a_parameter_limit),
	};
#define T(f) cmocka_unit_test_setup_teardown(f, live_setup, live_teardown)
	const struct CMUnitTest on_databases[] = {
		T(statement_cache_is_bounded_and_never_evicts_a_busy_statement),
		T(split_inserts_and_in_lists_run_under_the_limit),
		T(self_join_under_two_aliases_runs),
		T(savepoints_roll_back_part_of_a_transaction),
	};
	int failed = cmocka_run_group_tests_name("sql_cache", plain, NULL, NULL);
	return failed + RUN_ON_ALL_DIALECTS("sql_live", on_databases);
}
