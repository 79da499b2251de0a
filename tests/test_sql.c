/*
 * The SQL compiler (orm/sql/): the text of every node kind on both
 * dialects, from the real calx_sqlite_dialect and calx_postgresql_dialect
 * structs; no database. The caches, splitting and statements on real
 * connections are tests/test_sql_cache.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "numbers.calx.h"
#include "sql/cache.h"
#include "sql/compile.h"

static calx__ast A;
static const calx_dialect *const SQ = &calx_sqlite_dialect, *const PG = &calx_postgresql_dialect;

static int setup(void **state)
{
	(void)state;
	calx__ast_init(&A);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	calx__ast_free(&A);
	return 0;
}

/* The compiled text (kept until the next call), failing the test on an error. */
static const char *sql(const calx_dialect *d, calx__node *stmt)
{
	static char text[4096];
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	assert_false(A.oom);
	int rc = calx__compile(d, stmt, 0, &c, &err);
	if (rc != CALX_OK)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, CALX_OK);
	snprintf(text, sizeof text, "%s", c->text);
	calx__compiled_free(c);
	return text;
}

static void expect(calx__node *stmt, const char *sqlite, const char *pg)
{
	assert_string_equal(sql(SQ, stmt), sqlite);
	assert_string_equal(sql(PG, stmt), pg ? pg : sqlite);
}

/* The status compiling stmt gives on d, with the message in msg. */
static int fails(const calx_dialect *d, calx__node *stmt, unsigned max_params, char *msg)
{
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	int rc = calx__compile(d, stmt, max_params, &c, &err);
	calx__compiled_free(c);
	strcpy(msg, err.msg);
	return rc;
}

/* Shorthand builders. */
static calx__node *T(const char *name, const char *alias) { return calx__ast_table(&A, name, alias); }
static calx__node *C(const calx__node *from, const char *name) { return calx__ast_column(&A, from, name); }
static calx__node *B(int64_t i) { return calx__ast_bind(&A, calx_value_int(i)); }
static calx__node *OP(calx__op op, calx__node *l, calx__node *r) { return calx__ast_binary(&A, op, l, r); }

/* A list of nodes, NULL-terminated. */
static calx__node *L(calx__node *first, ...)
{
	va_list ap;
	va_start(ap, first);
	calx__node *tail = first;
	for (calx__node *n; (n = va_arg(ap, calx__node *)) != NULL; tail = n)
		tail->next = n;
	va_end(ap);
	return first;
}

static calx__node *SELECT(calx__node *cols, calx__node *from, calx__node *where)
{
	calx__node *s = calx__ast_select(&A);
	s->kid[CALX__SEL_COLS] = cols;
	s->kid[CALX__SEL_FROM] = from;
	s->kid[CALX__SEL_WHERE] = where;
	return s;
}

static void select_with_where_order_and_paging(void **state)
{
	(void)state;
	calx__node *u = T("users", "u");
	calx__node *s = SELECT(L(C(u, "id"), C(u, "name"), NULL), u,
	                       OP(CALX__OP_AND, OP(CALX__OP_GE, C(u, "age"), B(18)),
	                          calx__ast_like(&A, C(u, "name"), B(1), B(2))));
	s->kid[CALX__SEL_ORDER] = L(calx__ast_order(&A, C(u, "name"), CALX__ASC),
	                            calx__ast_order(&A, C(u, "id"), CALX__DESC), NULL);
	s->kid[CALX__SEL_LIMIT] = B(10);
	s->kid[CALX__SEL_OFFSET] = B(20);
	expect(s,
	       "SELECT \"u\".\"id\", \"u\".\"name\" FROM \"users\" AS \"u\" WHERE \"u\".\"age\" >= ? AND "
	       "\"u\".\"name\" LIKE ? ESCAPE ? ORDER BY \"u\".\"name\" ASC, \"u\".\"id\" DESC LIMIT ? OFFSET ?",
	       "SELECT \"u\".\"id\", \"u\".\"name\" FROM \"users\" AS \"u\" WHERE \"u\".\"age\" >= $1 AND "
	       "\"u\".\"name\" LIKE $2 ESCAPE $3 ORDER BY \"u\".\"name\" ASC, \"u\".\"id\" DESC LIMIT $4 OFFSET $5");
	s->kid[CALX__SEL_LIMIT] = NULL;
	s->kid[CALX__SEL_WHERE] = NULL;
	s->kid[CALX__SEL_ORDER] = NULL;
	expect(s, "SELECT \"u\".\"id\", \"u\".\"name\" FROM \"users\" AS \"u\" LIMIT -1 OFFSET ?",
	       "SELECT \"u\".\"id\", \"u\".\"name\" FROM \"users\" AS \"u\" OFFSET $1");
}

static void paging_in_sql_2008_style_binds_offset_first(void **state)
{
	(void)state;
	calx_dialect fetch = calx_postgresql_dialect;
	fetch.limit_style = CALX_LIMIT_FETCH;
	calx__node *t = T("t", NULL);
	calx__node *s = SELECT(C(t, "a"), t, NULL);
	s->kid[CALX__SEL_LIMIT] = B(5);
	s->kid[CALX__SEL_OFFSET] = B(7);
	calx_error err;
	calx__compiled *c;
	assert_int_equal(calx__compile(&fetch, s, 0, &c, &err), CALX_OK);
	assert_string_equal(c->text, "SELECT \"t\".\"a\" FROM \"t\" OFFSET $1 ROWS FETCH FIRST $2 ROWS ONLY");
	/* canonical order is limit, offset: placeholder 1 takes bind 1 (the offset) */
	const calx_value *v[2];
	assert_int_equal(calx__ast_binds(s, v, 2), 2);
	assert_int_equal(c->n_params, 2);
	assert_int_equal(v[c->map[0]]->u.i, 7);
	assert_int_equal(v[c->map[1]]->u.i, 5);
	calx__compiled_free(c);
}

static void self_join_binds_each_column_to_its_alias(void **state)
{
	(void)state;
	calx__node *e = calx__ast_mapper_table(&A, &employee_mapper, "e");
	calx__node *m = calx__ast_mapper_table(&A, &employee_mapper, "m");
	calx__node *j = calx__ast_join(&A, CALX__JOIN_INNER, e, m,
	                               OP(CALX__OP_EQ, calx__ast_field(&A, e, calx_field(EMPLOYEE_REPORTS_TO)),
	                                  calx__ast_field(&A, m, calx_field(EMPLOYEE_ID))));
	calx__node *s = SELECT(L(calx__ast_field(&A, e, calx_field(EMPLOYEE_FIRST_NAME)), calx__ast_field(&A, m, calx_field(EMPLOYEE_FIRST_NAME)),
	                         NULL), j, NULL);
	expect(s, "SELECT \"e\".\"first_name\", \"m\".\"first_name\" FROM \"staff\" AS \"e\" JOIN \"staff\" AS "
	          "\"m\" ON \"e\".\"reports_to\" = \"m\".\"id\"", NULL);
	j->op = CALX__JOIN_LEFT;
	s->kid[CALX__SEL_WHERE] = calx__ast_unary(&A, CALX__OP_IS_NULL, calx__ast_field(&A, m, calx_field(EMPLOYEE_ID)));
	expect(s, "SELECT \"e\".\"first_name\", \"m\".\"first_name\" FROM \"staff\" AS \"e\" LEFT JOIN \"staff\" "
	          "AS \"m\" ON \"e\".\"reports_to\" = \"m\".\"id\" WHERE \"m\".\"id\" IS NULL", NULL);
}

static void functions_grouping_and_having(void **state)
{
	(void)state;
	calx__node *t = T("t", NULL);
	calx__node *s = SELECT(L(C(t, "a"), calx__ast_count_star(&A), calx__ast_func(&A, "max", C(t, "b")),
	                         calx__ast_func(&A, "coalesce", L(C(t, "c"), B(0), NULL)), NULL), t, NULL);
	s->kid[CALX__SEL_GROUP] = C(t, "a");
	s->kid[CALX__SEL_HAVING] = OP(CALX__OP_GT, calx__ast_count_star(&A), B(1));
	s->flags |= CALX__F_DISTINCT;
	expect(s, "SELECT DISTINCT \"t\".\"a\", count(*), max(\"t\".\"b\"), coalesce(\"t\".\"c\", ?) FROM \"t\" "
	          "GROUP BY \"t\".\"a\" HAVING count(*) > ?",
	       "SELECT DISTINCT \"t\".\"a\", count(*), max(\"t\".\"b\"), coalesce(\"t\".\"c\", $1) FROM \"t\" "
	       "GROUP BY \"t\".\"a\" HAVING count(*) > $2");
}

static void operators_get_the_parentheses_precedence_needs(void **state)
{
	(void)state;
	calx__node *t = T("t", NULL);
	calx__node *w = OP(CALX__OP_AND,
	                   OP(CALX__OP_AND, OP(CALX__OP_OR, OP(CALX__OP_EQ, C(t, "a"), B(1)), OP(CALX__OP_EQ, C(t, "b"), B(2))),
	                      calx__ast_unary(&A, CALX__OP_NOT, calx__ast_unary(&A, CALX__OP_IS_NULL, C(t, "c")))),
	                   OP(CALX__OP_GT, OP(CALX__OP_MUL, OP(CALX__OP_ADD, C(t, "a"), B(3)), B(4)),
	                      calx__ast_unary(&A, CALX__OP_NEG, C(t, "b"))));
	calx__node *s = SELECT(OP(CALX__OP_CONCAT, C(t, "x"), C(t, "y")), t, w);
	expect(s, "SELECT \"t\".\"x\" || \"t\".\"y\" FROM \"t\" WHERE (\"t\".\"a\" = ? OR \"t\".\"b\" = ?) AND "
	          "NOT (\"t\".\"c\" IS NULL) AND ((\"t\".\"a\" + ?) * ?) > (-\"t\".\"b\")",
	       "SELECT \"t\".\"x\" || \"t\".\"y\" FROM \"t\" WHERE (\"t\".\"a\" = $1 OR \"t\".\"b\" = $2) AND "
	       "NOT (\"t\".\"c\" IS NULL) AND ((\"t\".\"a\" + $3) * $4) > (-\"t\".\"b\")");
}

static void in_lists_exists_and_subqueries(void **state)
{
	(void)state;
	calx__node *u = T("users", "u"), *o = T("orders", "o"), *p = T("pets", NULL);
	calx__node *orders = SELECT(C(o, "id"), o, OP(CALX__OP_EQ, C(o, "user_id"), C(u, "id")));   /* correlated */
	calx__node *pets = SELECT(C(p, "owner"), p, OP(CALX__OP_LT, C(p, "age"), B(4)));
	calx__node *w = OP(CALX__OP_AND,
	                   OP(CALX__OP_AND, calx__ast_in_list(&A, C(u, "id"), L(B(1), B(2), B(3), NULL), false),
	                      calx__ast_in_list(&A, C(u, "name"), B(4), true)),
	                   OP(CALX__OP_OR, calx__ast_unary(&A, CALX__OP_EXISTS, orders),
	                      calx__ast_in_select(&A, C(u, "id"), pets, false)));
	expect(SELECT(C(u, "id"), u, w),
	       "SELECT \"u\".\"id\" FROM \"users\" AS \"u\" WHERE \"u\".\"id\" IN (?, ?, ?) AND \"u\".\"name\" NOT IN (?) "
	       "AND (EXISTS (SELECT \"o\".\"id\" FROM \"orders\" AS \"o\" WHERE \"o\".\"user_id\" = \"u\".\"id\") OR "
	       "\"u\".\"id\" IN (SELECT \"pets\".\"owner\" FROM \"pets\" WHERE \"pets\".\"age\" < ?))",
	       "SELECT \"u\".\"id\" FROM \"users\" AS \"u\" WHERE \"u\".\"id\" IN ($1, $2, $3) AND \"u\".\"name\" NOT IN "
	       "($4) AND (EXISTS (SELECT \"o\".\"id\" FROM \"orders\" AS \"o\" WHERE \"o\".\"user_id\" = \"u\".\"id\") "
	       "OR \"u\".\"id\" IN (SELECT \"pets\".\"owner\" FROM \"pets\" WHERE \"pets\".\"age\" < $5))");
	/* a select as a from-element, and as a value */
	calx__node *t = T("t", NULL);
	calx__node *inner = SELECT(calx__ast_func(&A, "max", C(t, "id")), t, NULL);
	inner->kid[CALX__SEL_COLS]->alias = "m";
	calx__node *x = calx__ast_subquery(&A, inner, "x");
	calx__node *one = SELECT(calx__ast_count_star(&A), T("u", NULL), NULL);
	calx__node *scalar = calx__ast_subquery(&A, one, NULL);
	scalar->alias = "n";
	expect(SELECT(L(C(x, "m"), scalar, NULL), x, NULL),
	       "SELECT \"x\".\"m\", (SELECT count(*) FROM \"u\") AS \"n\" FROM (SELECT max(\"t\".\"id\") AS \"m\" FROM "
	       "\"t\") AS \"x\"", NULL);
}

static void placeholders_are_numbered_across_subqueries_and_set_operations(void **state)
{
	(void)state;
	calx__node *t = T("t", NULL), *u = T("u", NULL), *v = T("v", NULL);
	calx__node *sub = SELECT(C(u, "c"), u, OP(CALX__OP_GT, C(u, "d"), B(2)));
	calx__node *a = SELECT(C(t, "a"), t, OP(CALX__OP_AND, OP(CALX__OP_EQ, C(t, "b"), B(1)),
	                                        calx__ast_in_select(&A, C(t, "c"), sub, false)));
	calx__node *b = SELECT(C(v, "a"), v, OP(CALX__OP_LT, C(v, "b"), B(3)));
	calx__node *all = calx__ast_setop(&A, CALX__SET_UNION_ALL, a, b);
	all->kid[CALX__SETOP_ORDER] = calx__ast_order(&A, calx__ast_column(&A, NULL, "a"), CALX__ASC);
	all->kid[CALX__SETOP_LIMIT] = B(4);
	expect(all,
	       "SELECT \"t\".\"a\" FROM \"t\" WHERE \"t\".\"b\" = ? AND \"t\".\"c\" IN (SELECT \"u\".\"c\" FROM \"u\" WHERE "
	       "\"u\".\"d\" > ?) UNION ALL SELECT \"v\".\"a\" FROM \"v\" WHERE \"v\".\"b\" < ? ORDER BY \"a\" ASC LIMIT ?",
	       "SELECT \"t\".\"a\" FROM \"t\" WHERE \"t\".\"b\" = $1 AND \"t\".\"c\" IN (SELECT \"u\".\"c\" FROM \"u\" WHERE "
	       "\"u\".\"d\" > $2) UNION ALL SELECT \"v\".\"a\" FROM \"v\" WHERE \"v\".\"b\" < $3 ORDER BY \"a\" ASC LIMIT $4");
	/* $n takes the n-th value in the tree's order */
	calx_error err;
	calx__compiled *c;
	const calx_value *vals[4];
	assert_int_equal(calx__compile(PG, all, 0, &c, &err), CALX_OK);
	assert_int_equal(calx__ast_binds(all, vals, 4), 4);
	for (unsigned i = 0; i < c->n_params; i++)
		assert_int_equal(vals[c->map[i]]->u.i, i + 1);
	calx__compiled_free(c);
}

/* $n of every width, as printf writes them (the compiler writes its own digits): 12,345 keys in one IN list. */
static void placeholders_of_many_digits_are_numbered_in_order(void **state)
{
	(void)state;
	enum { N = 12345 };
	calx__node *u = T("u", NULL), *items = NULL, **tail = &items;
	for (int i = 0; i < N; i++) {
		*tail = B(i);
		tail = &(*tail)->next;
	}
	calx__node *s = SELECT(C(u, "id"), u, calx__ast_in_list(&A, C(u, "id"), items, false));
	assert_false(A.oom);
	size_t cap = (size_t)N * 8 + 100, n = 0;
	char *want = malloc(cap);
	assert_non_null(want);
	n += (size_t)snprintf(want + n, cap - n, "SELECT \"u\".\"id\" FROM \"u\" WHERE \"u\".\"id\" IN (");
	for (int i = 0; i < N; i++)
		n += (size_t)snprintf(want + n, cap - n, "%s$%d", i ? ", " : "", i + 1);
	snprintf(want + n, cap - n, ")");
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	assert_int_equal(calx__compile(PG, s, 0, &c, &err), CALX_OK);
	assert_string_equal(c->text, want);
	calx__compiled_free(c);
	free(want);
}

/* The values placeholder i binds, in placeholder order: what bind_all (sql/run.c) sends. */
static void bound_ints(const calx_dialect *d, calx__node *stmt, int64_t *out, unsigned want)
{
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	assert_int_equal(calx__compile(d, stmt, 0, &c, &err), CALX_OK);
	assert_int_equal(c->n_params, want);
	const calx_value *vals[16];
	assert_int_equal(calx__ast_binds(stmt, vals, 16), c->n_binds);
	for (unsigned i = 0; i < c->n_params; i++)
		out[i] = vals[c->map[i]]->u.i;
	calx__compiled_free(c);
}

static bool same_shape(const calx__shape_key *a, const calx__shape_key *b)
{
	uint64_t words[512];
	assert_true(a->n[0] + a->n[1] <= 512);
	calx__shape_key_flatten(a, words);
	return calx__shape_key_equal(b, a->head, words, a->n[0] + a->n[1]);
}

static void a_bind_array_is_a_placeholder_a_value_of_its_window(void **state)
{
	(void)state;
	calx__node *u = T("u", NULL);
	calx_value *vals;
	calx__node *arr = calx__ast_bind_array(&A, 5, &vals);
	assert_non_null(arr);
	for (int i = 0; i < 5; i++)
		vals[i] = calx_value_int(100 + i);
	calx__node *in = calx__ast_in_list(&A, C(u, "id"), arr, false);
	calx__node *s = SELECT(C(u, "id"), u, OP(CALX__OP_AND, OP(CALX__OP_AND, OP(CALX__OP_EQ, C(u, "b"), B(10)), in),
	                                            OP(CALX__OP_EQ, C(u, "c"), B(20))));
	expect(s,
	       "SELECT \"u\".\"id\" FROM \"u\" WHERE \"u\".\"b\" = ? AND \"u\".\"id\" IN (?, ?, ?, ?, ?) AND "
	       "\"u\".\"c\" = ?",
	       "SELECT \"u\".\"id\" FROM \"u\" WHERE \"u\".\"b\" = $1 AND \"u\".\"id\" IN ($2, $3, $4, $5, $6) AND "
	       "\"u\".\"c\" = $7");
	int64_t got[8];
	bound_ints(PG, s, got, 7);
	int64_t all[] = { 10, 100, 101, 102, 103, 104, 20 };
	assert_memory_equal(got, all, sizeof all);
	/* a window of two from the second value: two placeholders, those two values, the others' numbers follow */
	in->first = 1;
	in->count = 2;
	expect(s,
	       "SELECT \"u\".\"id\" FROM \"u\" WHERE \"u\".\"b\" = ? AND \"u\".\"id\" IN (?, ?) AND \"u\".\"c\" = ?",
	       "SELECT \"u\".\"id\" FROM \"u\" WHERE \"u\".\"b\" = $1 AND \"u\".\"id\" IN ($2, $3) AND \"u\".\"c\" = $4");
	bound_ints(SQ, s, got, 4);
	int64_t window[] = { 10, 101, 102, 20 };
	assert_memory_equal(got, window, sizeof window);
	/* the shape follows the window's size, not its values: a window of two elsewhere is the same statement */
	calx_error err = { 0 };
	calx__shape_key k1, k2, k3;
	assert_int_equal(calx__shape_of(&A, s, &k1, &err), CALX_OK);
	in->first = 3;
	assert_int_equal(calx__shape_of(&A, s, &k2, &err), CALX_OK);
	in->count = 1;
	assert_int_equal(calx__shape_of(&A, s, &k3, &err), CALX_OK);
	assert_true(same_shape(&k1, &k2));
	assert_false(same_shape(&k1, &k3));
	/* past the values: an empty list, refused */
	in->first = 5;
	char msg[CALX_ERRMSG_MAX];
	assert_int_equal(fails(SQ, s, 0, msg), CALX_EINVAL);
	assert_non_null(strstr(msg, "IN with an empty list"));
}

static void set_operations_wrap_what_needs_parentheses(void **state)
{
	(void)state;
	calx__node *ta = T("a", NULL);
	calx__node *a = SELECT(C(ta, "x"), ta, NULL);
	calx__node *b = SELECT(calx__ast_column(&A, NULL, "x"), T("b", NULL), NULL);
	calx__node *c = SELECT(calx__ast_column(&A, NULL, "x"), T("c", NULL), NULL);
	calx__node *d = SELECT(calx__ast_column(&A, NULL, "x"), T("d", NULL), NULL);
	calx__node *ab = calx__ast_setop(&A, CALX__SET_UNION, a, b);
	/* INTERSECT ranks above UNION on PostgreSQL, and SQLite takes no parentheses */
	calx__node *abc = calx__ast_setop(&A, CALX__SET_INTERSECT, ab, c);
	calx__node *all = calx__ast_setop(&A, CALX__SET_EXCEPT, abc, calx__ast_setop(&A, CALX__SET_UNION, c, d));
	expect(all, "SELECT * FROM (SELECT \"a\".\"x\" FROM \"a\" UNION SELECT \"x\" FROM \"b\") AS \"calx_set1\" "
	            "INTERSECT SELECT \"x\" FROM \"c\" EXCEPT SELECT * FROM (SELECT \"x\" FROM \"c\" UNION SELECT \"x\" FROM "
	            "\"d\") AS \"calx_set2\"", NULL);
	calx__node *flat = calx__ast_setop(&A, CALX__SET_UNION, calx__ast_setop(&A, CALX__SET_INTERSECT, c, d), b);
	expect(flat, "SELECT \"x\" FROM \"c\" INTERSECT SELECT \"x\" FROM \"d\" UNION SELECT \"x\" FROM \"b\"", NULL);
}

static void insert_update_delete(void **state)
{
	(void)state;
	calx__node *ins = calx__ast_insert(&A, T("t", NULL));
	ins->kid[CALX__INS_COLS] = L(C(NULL, "a"), C(NULL, "b"), NULL);
	calx__ast_insert_row(&A, ins, L(B(1), B(2), NULL));
	ins->kid[CALX__INS_RETURNING] = C(NULL, "id");
	expect(ins, "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?) RETURNING \"id\"",
	       "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2) RETURNING \"id\"");
	calx__ast_insert_row(&A, ins, L(B(3), B(4), NULL));
	calx__ast_insert_row(&A, ins, L(B(5), B(6), NULL));
	ins->kid[CALX__INS_RETURNING] = NULL;
	expect(ins, "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?), (?, ?), (?, ?)",
	       "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4), ($5, $6)");
	calx__node *def = calx__ast_insert(&A, T("t", NULL));
	calx__ast_insert_row(&A, def, NULL);
	def->kid[CALX__INS_RETURNING] = L(C(NULL, "id"), C(NULL, "created"), NULL);
	expect(def, "INSERT INTO \"t\" DEFAULT VALUES RETURNING \"id\", \"created\"", NULL);

	calx__node *up = calx__ast_update(&A, T("t", NULL));
	calx__ast_update_set(&A, up, C(NULL, "a"), B(1));
	calx__ast_update_set(&A, up, C(NULL, "b"), OP(CALX__OP_ADD, C(NULL, "b"), B(2)));
	up->kid[CALX__UPD_WHERE] = OP(CALX__OP_AND, OP(CALX__OP_EQ, C(NULL, "id"), B(3)),
	                              OP(CALX__OP_EQ, C(NULL, "version"), B(4)));
	up->kid[CALX__UPD_RETURNING] = C(NULL, "b");
	expect(up, "UPDATE \"t\" SET \"a\" = ?, \"b\" = \"b\" + ? WHERE \"id\" = ? AND \"version\" = ? RETURNING \"b\"",
	       "UPDATE \"t\" SET \"a\" = $1, \"b\" = \"b\" + $2 WHERE \"id\" = $3 AND \"version\" = $4 RETURNING \"b\"");
	calx__node *del = calx__ast_delete(&A, T("t", NULL));
	del->kid[CALX__DEL_WHERE] = OP(CALX__OP_LT, C(NULL, "id"), B(9));
	del->kid[CALX__DEL_RETURNING] = C(NULL, "id");
	expect(del, "DELETE FROM \"t\" WHERE \"id\" < ? RETURNING \"id\"", "DELETE FROM \"t\" WHERE \"id\" < $1 RETURNING \"id\"");
	del->kid[CALX__DEL_WHERE] = del->kid[CALX__DEL_RETURNING] = NULL;
	expect(del, "DELETE FROM \"t\"", NULL);

	/* SQLite's set statement for updates (sql/set_rows.c): UPDATE ... FROM a VALUES list of binds */
	calx__node *rows = calx__ast_node(&A, CALX__N_VALUES, 0);
	rows->alias = "r";
	rows->kid[0] = calx__ast_node(&A, CALX__N_ROW, 0);
	rows->kid[0]->kid[0] = L(B(1), B(2), NULL);
	rows->kid[0]->next = calx__ast_node(&A, CALX__N_ROW, 0);
	rows->kid[0]->next->kid[0] = L(B(3), B(4), NULL);
	calx__node *t = T("t", NULL), *set = calx__ast_update(&A, t);
	calx__ast_update_set(&A, set, C(NULL, "a"), C(rows, "column2"));
	set->kid[CALX__UPD_FROM] = rows;
	set->kid[CALX__UPD_WHERE] = OP(CALX__OP_EQ, C(t, "id"), C(rows, "column1"));
	expect(set, "UPDATE \"t\" SET \"a\" = \"r\".\"column2\" FROM (VALUES (?, ?), (?, ?)) AS \"r\" "
	            "WHERE \"t\".\"id\" = \"r\".\"column1\"",
	       "UPDATE \"t\" SET \"a\" = \"r\".\"column2\" FROM (VALUES ($1, $2), ($3, $4)) AS \"r\" "
	       "WHERE \"t\".\"id\" = \"r\".\"column1\"");
	/* a VALUES list needs rows (and a name for them, as a column of it does) */
	char msg[256];
	rows->kid[0] = NULL;
	assert_int_equal(fails(SQ, set, 0, msg), CALX_EINVAL);
	assert_non_null(strstr(msg, "a VALUES list in FROM needs rows and an alias"));
}

static void create_table_with_named_constraints_and_indexes(void **state)
{
	(void)state;
	calx__node *ct = calx__ast_create_table(&A, calx__ast_mapper_table(&A, &employee_mapper, NULL), true);
	ct->kid[CALX__CT_COLS] = L(calx__ast_coldef(&A, "id", calx_field(EMPLOYEE_ID), NULL, true, NULL),
	                           calx__ast_coldef(&A, "salary", calx_field(EMPLOYEE_SALARY), NULL, false, "0"),
	                           calx__ast_coldef(&A, "dept", NULL, "VARCHAR(8)", true, "'none'"),
	                           calx__ast_coldef(&A, "team", NULL, "INTEGER", false, NULL), NULL);
	ct->kid[CALX__CT_CONSTRAINTS] =
		L(calx__ast_constraint(&A, CALX__CON_PRIMARY_KEY, "pk_employees", L(C(NULL, "id"), C(NULL, "dept"), NULL)),
		  calx__ast_constraint(&A, CALX__CON_UNIQUE, "uq_employees_dept_team", L(C(NULL, "dept"), C(NULL, "team"), NULL)),
		  calx__ast_check(&A, "ck_employees_salary", "salary >= 0"),
		  calx__ast_foreign_key(&A, "fk_employees_team", L(C(NULL, "dept"), C(NULL, "team"), NULL), T("teams", NULL),
		                        L(C(NULL, "dept"), C(NULL, "id"), NULL), CALX__FK_CASCADE, CALX__FK_SET_NULL),
		  NULL);
	const char *tail = "\tCONSTRAINT \"pk_employees\" PRIMARY KEY (\"id\", \"dept\"),\n"
	                   "\tCONSTRAINT \"uq_employees_dept_team\" UNIQUE (\"dept\", \"team\"),\n"
	                   "\tCONSTRAINT \"ck_employees_salary\" CHECK (salary >= 0),\n"
	                   "\tCONSTRAINT \"fk_employees_team\" FOREIGN KEY (\"dept\", \"team\") REFERENCES \"teams\" "
	                   "(\"dept\", \"id\") ON DELETE CASCADE ON UPDATE SET NULL\n)";
	char sqlite[1024], pg[1024];
	snprintf(sqlite, sizeof sqlite, "CREATE TABLE IF NOT EXISTS \"staff\" (\n\t\"id\" INTEGER NOT NULL,\n"
	         "\t\"salary\" INTEGER DEFAULT (0),\n\t\"dept\" VARCHAR(8) NOT NULL DEFAULT ('none'),\n"
	         "\t\"team\" INTEGER,\n%s", tail);
	snprintf(pg, sizeof pg, "CREATE TABLE IF NOT EXISTS \"staff\" (\n\t\"id\" BIGINT GENERATED BY DEFAULT AS "
	         "IDENTITY NOT NULL,\n\t\"salary\" INTEGER DEFAULT (0),\n\t\"dept\" VARCHAR(8) NOT NULL DEFAULT ('none'),\n"
	         "\t\"team\" INTEGER,\n%s", tail);
	expect(ct, sqlite, pg);
	expect(calx__ast_create_index(&A, "ix_t_a_b", T("t", NULL), L(C(NULL, "a"), C(NULL, "b"), NULL), true, true),
	       "CREATE UNIQUE INDEX IF NOT EXISTS \"ix_t_a_b\" ON \"t\" (\"a\", \"b\")", NULL);
	expect(calx__ast_create_index(&A, "ix_t_a", T("t", NULL), C(NULL, "a"), false, false),
	       "CREATE INDEX \"ix_t_a\" ON \"t\" (\"a\")", NULL);
	expect(calx__ast_drop(&A, CALX__DROP_TABLE, "t", true), "DROP TABLE IF EXISTS \"t\"", NULL);
	expect(calx__ast_drop(&A, CALX__DROP_INDEX, "ix_t_a", false), "DROP INDEX \"ix_t_a\"", NULL);
	assert_int_equal(calx__fk_action("SET DEFAULT"), CALX__FK_SET_DEFAULT);
	assert_int_equal(calx__fk_action("DROP TABLE x"), -1);
}

static void transaction_control_and_savepoints(void **state)
{
	(void)state;
	expect(calx__ast_txn(&A, CALX__TX_BEGIN, NULL), "BEGIN", NULL);
	expect(calx__ast_txn(&A, CALX__TX_COMMIT, NULL), "COMMIT", NULL);
	expect(calx__ast_txn(&A, CALX__TX_ROLLBACK, NULL), "ROLLBACK", NULL);
	expect(calx__ast_txn(&A, CALX__TX_SAVEPOINT, "sp 1"), "SAVEPOINT \"sp 1\"", NULL);
	expect(calx__ast_txn(&A, CALX__TX_RELEASE, "sp 1"), "RELEASE SAVEPOINT \"sp 1\"", NULL);
	expect(calx__ast_txn(&A, CALX__TX_ROLLBACK_TO, "sp 1"), "ROLLBACK TO SAVEPOINT \"sp 1\"", NULL);
}

static void identifiers_are_quoted_and_values_never_pasted(void **state)
{
	(void)state;
	calx__node *t = T("we\"ird", "x\"y");
	const char *evil = "'); DROP TABLE t; --";
	calx__node *s = SELECT(C(t, "a\"b"), t, OP(CALX__OP_EQ, C(t, "c"), calx__ast_bind(&A, calx_value_text(evil))));
	expect(s, "SELECT \"x\"\"y\".\"a\"\"b\" FROM \"we\"\"ird\" AS \"x\"\"y\" WHERE \"x\"\"y\".\"c\" = ?",
	       "SELECT \"x\"\"y\".\"a\"\"b\" FROM \"we\"\"ird\" AS \"x\"\"y\" WHERE \"x\"\"y\".\"c\" = $1");
	char buf[16];
	assert_int_equal(calx__quote_ident(SQ, "a\"b", buf, sizeof buf), 6);
	assert_string_equal(buf, "\"a\"\"b\"");
	assert_int_equal(calx__quote_ident(SQ, "much too long a name", buf, sizeof buf), 0);
	/* another dialect's quotes */
	calx_dialect brackets = calx_sqlite_dialect;
	brackets.ident_quote = "[]";
	assert_string_equal(sql(&brackets, calx__ast_drop(&A, CALX__DROP_TABLE, "a]b", true)), "DROP TABLE IF EXISTS [a]]b]");
}

static void malformed_trees_and_limits_are_errors(void **state)
{
	(void)state;
	char msg[CALX_ERRMSG_MAX];
	calx__node *t = T("t", NULL);
	assert_int_equal(fails(SQ, SELECT(calx__ast_func(&A, "max(1); --", NULL), t, NULL), 0, msg), CALX_EINVAL);
	assert_non_null(strstr(msg, "function name"));
	calx__node *in = calx__ast_in_list(&A, C(t, "a"), B(1), false);
	in->count = 0;
	assert_int_equal(fails(PG, SELECT(C(t, "a"), t, in), 0, msg), CALX_EINVAL);
	calx__node *three = SELECT(L(B(1), B(2), B(3), NULL), NULL, NULL);
	assert_int_equal(fails(PG, three, 2, msg), CALX_ERANGE);
	assert_non_null(strstr(msg, "3 parameters, at most 2"));
	assert_int_equal(fails(PG, three, 3, msg), CALX_OK);
	calx_dialect old = calx_sqlite_dialect;
	old.returning = 0;
	calx__node *del = calx__ast_delete(&A, t);
	del->kid[CALX__DEL_RETURNING] = C(NULL, "id");
	assert_int_equal(fails(&old, del, 0, msg), CALX_EINVAL);
	assert_int_equal(fails(SQ, SELECT(C(t, "a"), calx__ast_subquery(&A, SELECT(C(t, "a"), t, NULL), NULL), NULL), 0, msg),
	                 CALX_EINVAL);
	/* as deep as allowed, then one deeper */
	calx__node *e = OP(CALX__OP_EQ, C(t, "a"), B(1));
	for (int i = 0; i < CALX__MAX_DEPTH - 3; i++)
		e = calx__ast_unary(&A, CALX__OP_NOT, e);
	calx__node *deep = SELECT(C(t, "a"), t, e);
	assert_int_equal(fails(SQ, deep, 0, msg), CALX_OK);
	deep->kid[CALX__SEL_WHERE] = calx__ast_unary(&A, CALX__OP_NOT, calx__ast_unary(&A, CALX__OP_NOT, e));
	assert_int_equal(fails(SQ, deep, 0, msg), CALX_EINVAL);
	calx__shape_key k;
	calx_error err;
	assert_int_equal(calx__shape_of(&A, deep, &k, &err), CALX_EINVAL);
}

int main(void)
{
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T_(select_with_where_order_and_paging),
		T_(paging_in_sql_2008_style_binds_offset_first),
		T_(self_join_binds_each_column_to_its_alias),
		T_(functions_grouping_and_having),
		T_(operators_get_the_parentheses_precedence_needs),
		T_(in_lists_exists_and_subqueries),
		T_(placeholders_are_numbered_across_subqueries_and_set_operations),
		T_(placeholders_of_many_digits_are_numbered_in_order),
		T_(a_bind_array_is_a_placeholder_a_value_of_its_window),
		T_(set_operations_wrap_what_needs_parentheses),
		T_(insert_update_delete),
		T_(create_table_with_named_constraints_and_indexes),
		T_(transaction_control_and_savepoints),
		T_(identifiers_are_quoted_and_values_never_pasted),
		T_(malformed_trees_and_limits_are_errors),
	};
	return cmocka_run_group_tests_name("sql", tests, NULL, NULL);
}
