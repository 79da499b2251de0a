/*
 * tests/fuzz/fuzz_sql.c - libFuzzer target: the SQL compiler (orm/sql/) on
 * random, well-formed syntax trees.
 *
 * The input chooses up to four statements over the tables of
 * tests/fuzz/fuzz_models.h (through calx-reflect): selects with joins,
 * subqueries in FROM, WHERE, IN and as values, correlated columns, set
 * operations, grouping, ordering, limits; inserts of several rows or of
 * defaults, updates, deletes, with RETURNING; CREATE TABLE and INDEX, DROP.
 * Expressions nest operators, functions, IN lists, LIKE ... ESCAPE and
 * binds of every value kind (and hostile names: quotes in aliases). Each
 * tree is compiled for SQLite and for PostgreSQL. What must hold:
 *   - compiling never crashes; both dialects compile it, or both refuse it
 *     with a status and a message (CALX_ERANGE may differ: their parameter
 *     limits do);
 *   - the text carries no value: outside quoted identifiers there is no
 *     string literal, no number but a placeholder's ($n, in order) and
 *     SQLite's LIMIT -1, no word but SQL keywords and the function names
 *     used; one statement, parentheses balanced, quotes closed; as many
 *     placeholders as n_params, each mapped to a bind of the tree;
 *   - two trees of one shape key (calx__shape_of) compile to the same text
 *     (a per-input statement cache, as the engine keeps);
 *   - on SQLite (an in-memory database with the tables and a few rows,
 *     inside a transaction rolled back after each input) the statement
 *     prepares, binds and runs to the end, or fails with an error message;
 *     a syntax error is a finding: the compiler wrote SQL SQLite cannot
 *     parse from a tree it accepted;
 *   - an INSERT's rows and an IN list are also split for a small parameter
 *     limit (calx__chunks), each window compiled within it.
 * A finding is reported, then __builtin_trap().
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calx/calx.h"
#include "calx/sys/dialect.h"
#include "fuzz_bytes.h"
#include "fuzz_models.calx.h"
#include "sql/ast.h"
#include "sql/cache.h"
#include "sql/compile.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DEPTH 5             /* of nested expressions and queries */
#define MAX_NODES 400           /* per statement */
#define MAX_STATEMENTS 4
#define MAX_ROWS 200            /* stepped per statement */
/*
 * Table references per statement, nested selects included: with at most 16
 * rows a table when a statement runs (4 in the fixture, 4 more from each
 * of the three statements before it at most), none scans more than 16^4
 * combinations, well under the 10 s an input may take (a slow input is a
 * timeout, a failure, to libFuzzer).
 */
#define MAX_TABLES 4
#define MAX_INSERT_ROWS 4

static const calx_dialect *const sq = &calx_sqlite_dialect;
static const calx_dialect *const pg = &calx_postgresql_dialect;
static calx_conn *conn;
static const calx_mapper_desc *const mappers[] = { &fz_owner_mapper, &fz_item_mapper };

/* Names: ordinary ones and ones that need their quotes doubled. */
static const char *const aliases[] = { "t0", "t1", "t2", "sub", "a\"b", "select", "x y", "\"", "t0" };
static const char *const col_aliases[] = { "c0", "c1", "c2", "c3" };
static const char *const new_tables[] = { "fzq_new", "fzq_\"q\"", "fzq_owners", "fzq new" };
static const char *const new_columns[] = { "k", "v", "w\"x", "id" };
static const char *const index_names[] = { "fzq_ix", "fzq_\"ix\"", "fzq_owners" };
static const char *const funcs[] = { "lower", "upper", "length", "abs", "coalesce", "nullif", "typeof", "hex",
				     "min", "max", "sum", "total", "avg", "count", "no_such_function" };
static const char *const schema_types[] = { "INTEGER", "TEXT", "REAL", "BLOB" };
static const char *const schema_checks[] = { "1 = 1", "k IS NOT NULL" };
static const char *const texts[] = { "", "a", "%", "_", "\\", "O'Brien", "'; DROP TABLE fzq_owners; --", "?", "$1",
				     "\"", "caf\xc3\xa9", "\xff\xfe", "a\nb", "/* x */", "NULL", "0" };
static const char *const numerics[] = { "0", "-1.5", "1e400", "NaN", "Infinity", "12345678901234567890.5", "1e",
					 "abc", "" };

/* SQL the compiler may write outside quotes, besides the function names above. */
static const char *const keywords[] = { "SELECT", "DISTINCT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER",
					"ASC", "DESC", "LIMIT", "OFFSET", "ROWS", "FETCH", "FIRST", "ONLY", "AS",
					"JOIN", "LEFT", "ON", "AND", "OR", "NOT", "IN", "EXISTS", "IS", "NULL",
					"LIKE", "ESCAPE", "UNION", "ALL", "INTERSECT", "EXCEPT", "INSERT", "INTO",
					"VALUES", "DEFAULT", "UPDATE", "SET", "DELETE", "RETURNING" };

typedef struct gen {
	fz_bytes in;
	calx__ast *a;
	unsigned nodes;
	unsigned tables;                /* referenced so far (MAX_TABLES) */
	bool ddl;                       /* the statement is DDL: its text holds schema SQL */
} gen;

/* What columns an expression may name: the from-elements of a select and of the selects around it. */
typedef struct scope {
	const calx__node *from[4];
	const calx_mapper_desc *m[4];   /* a table's mapper, or NULL: a subquery with ncols[i] columns c0.. */
	unsigned ncols[4];
	unsigned n;
	const struct scope *outer;
} scope;

static calx__node *expr(gen *g, const scope *sc, unsigned depth);
static calx__node *query(gen *g, const scope *outer, unsigned depth, unsigned want_cols, unsigned *ncols_out);

static bool budget(gen *g, unsigned depth)
{
	return depth < MAX_DEPTH && g->nodes < MAX_NODES && g->in.n > 0;
}

static calx_value value(gen *g)
{
	switch (fz_pick(&g->in, 7)) {
	case 0: return calx_value_null();
	case 1: return calx_value_int((int64_t)fz_u64(&g->in));
	case 2: return calx_value_int((int64_t)fz_pick(&g->in, 8) - 2);
	case 3: {
		uint64_t bits = fz_u64(&g->in);
		double d;
		memcpy(&d, &bits, sizeof d);
		return calx_value_real(d);
	}
	case 4: return calx_value_text(texts[fz_pick(&g->in, sizeof texts / sizeof texts[0])]);
	case 5: {
		/* a blob of the input's own bytes: they stay valid for the whole call */
		size_t n = fz_pick(&g->in, 9);
		if (n > g->in.n)
			n = g->in.n;
		calx_value v = { CALX_VALUE_BLOB, { 0 } };
		v.u.s.p = (const char *)g->in.p;
		v.u.s.n = n;
		g->in.p += n;
		g->in.n -= n;
		return v;
	}
	default: return calx_value_numeric(numerics[fz_pick(&g->in, sizeof numerics / sizeof numerics[0])]);
	}
}

static calx__node *bind(gen *g)
{
	g->nodes++;
	return calx__ast_bind(g->a, value(g));
}

/* A column of some from-element in scope (an outer one: correlated), or a bind when there is none. */
static calx__node *column(gen *g, const scope *sc)
{
	const scope *s = sc;
	for (unsigned up = fz_pick(&g->in, 3); up && s && s->outer; up--)
		s = s->outer;
	if (!s || !s->n)
		return bind(g);
	unsigned i = fz_pick(&g->in, s->n);
	g->nodes++;
	/* now and then unqualified: SQLite may find it ambiguous, a clean error */
	const calx__node *from = fz_pick(&g->in, 8) ? s->from[i] : NULL;
	if (s->m[i])
		return calx__ast_field(g->a, from, &s->m[i]->fields[fz_pick(&g->in, s->m[i]->n_fields)]);
	return calx__ast_column(g->a, from, col_aliases[fz_pick(&g->in, s->ncols[i])]);
}

static calx__node *expr_list(gen *g, const scope *sc, unsigned depth, unsigned n)
{
	calx__node *head = NULL;
	for (unsigned i = 0; i < n; i++)
		calx__ast_append(&head, expr(g, sc, depth + 1));
	return head;
}

static calx__node *expr(gen *g, const scope *sc, unsigned depth)
{
	if (!budget(g, depth))
		return fz_pick(&g->in, 2) ? column(g, sc) : bind(g);
	g->nodes++;
	calx__ast *a = g->a;
	switch (fz_pick(&g->in, 14)) {
	case 0: case 1: return column(g, sc);
	case 2: return bind(g);
	case 3: case 4: {
		calx__op op = (calx__op)(CALX__OP_EQ + fz_pick(&g->in, CALX__OP_CONCAT));
		if (op == CALX__OP_LIKE)
			op = CALX__OP_EQ;
		calx__node *l = expr(g, sc, depth + 1);
		return calx__ast_binary(a, op, l, expr(g, sc, depth + 1));
	}
	case 5: {
		static const calx__op ops[] = { CALX__OP_NOT, CALX__OP_NEG, CALX__OP_IS_NULL, CALX__OP_IS_NOT_NULL };
		return calx__ast_unary(a, ops[fz_pick(&g->in, 4)], expr(g, sc, depth + 1));
	}
	case 6: return calx__ast_unary(a, CALX__OP_EXISTS, query(g, sc, depth + 1, 0, NULL));
	case 7: {
		calx__node *x = expr(g, sc, depth + 1);
		return calx__ast_in_list(a, x, expr_list(g, sc, depth, 1 + fz_pick(&g->in, 6)), fz_u8(&g->in) & 1);
	}
	case 8: {
		calx__node *x = expr(g, sc, depth + 1);
		return calx__ast_in_select(a, x, query(g, sc, depth + 1, 1, NULL), fz_u8(&g->in) & 1);
	}
	case 9: return calx__ast_subquery(a, query(g, sc, depth + 1, 1, NULL), NULL);
	case 10: {
		const char *f = funcs[fz_pick(&g->in, sizeof funcs / sizeof funcs[0])];
		if (!strcmp(f, "count") && fz_u8(&g->in) & 1)
			return calx__ast_count_star(a);
		return calx__ast_func(a, f, expr_list(g, sc, depth, fz_pick(&g->in, 4)));
	}
	case 11: {
		calx__node *l = expr(g, sc, depth + 1);
		calx__node *p = expr(g, sc, depth + 1);
		return calx__ast_like(a, l, p, fz_u8(&g->in) & 1 ? bind(g) : NULL);
	}
	case 12: {
		/* a deep chain: the depth limit and the parentheses of a junction */
		calx__node *x = expr(g, sc, MAX_DEPTH);
		for (unsigned n = fz_pick(&g->in, 40); n; n--)
			x = calx__ast_binary(a, fz_u8(&g->in) & 1 ? CALX__OP_AND : CALX__OP_OR, x, expr(g, sc, MAX_DEPTH));
		return x;
	}
	default: return calx__ast_binary(a, CALX__OP_AND, expr(g, sc, depth + 1), expr(g, sc, depth + 1));
	}
}

/* A table of the model, its scope entry filled. */
static calx__node *table(gen *g, scope *sc, bool alias)
{
	const calx_mapper_desc *m = mappers[fz_pick(&g->in, 2)];
	calx__node *t = calx__ast_mapper_table(g->a, m, alias ? aliases[fz_pick(&g->in, sizeof aliases / sizeof aliases[0])]
							     : NULL);
	g->nodes++;
	g->tables++;
	if (t && sc->n < 4) {
		sc->from[sc->n] = t;
		sc->m[sc->n] = m;
		sc->n++;
	}
	return t;
}

static calx__node *from_element(gen *g, scope *sc, const scope *outer, unsigned depth)
{
	unsigned kind = budget(g, depth) ? fz_pick(&g->in, 4) : 0;
	if (kind == 2 && g->tables + 2 > MAX_TABLES)
		kind = 0;
	switch (kind) {
	case 0: case 1: return table(g, sc, fz_u8(&g->in) & 1);
	case 2: {
		calx__node *l = table(g, sc, true);
		calx__node *r = table(g, sc, true);
		return calx__ast_join(g->a, fz_u8(&g->in) & 1 ? CALX__JOIN_LEFT : CALX__JOIN_INNER, l, r,
				      expr(g, sc, depth + 1));
	}
	default: {
		unsigned ncols = 0;
		calx__node *q = query(g, outer, depth + 1, 0, &ncols);
		const char *alias = fz_pick(&g->in, 8) ? aliases[fz_pick(&g->in, sizeof aliases / sizeof aliases[0])] : NULL;
		calx__node *s = calx__ast_subquery(g->a, q, alias);
		if (s && sc->n < 4 && ncols) {
			sc->from[sc->n] = s;
			sc->m[sc->n] = NULL;
			sc->ncols[sc->n] = ncols;
			sc->n++;
		}
		return s;
	}
	}
}

static calx__node *order_list(gen *g, const scope *sc, unsigned depth)
{
	calx__node *head = NULL;
	for (unsigned n = fz_pick(&g->in, 3); n; n--) {
		calx__node *x = expr(g, sc, depth + 1);
		calx__ast_append(&head, fz_u8(&g->in) & 1 ? calx__ast_order(g->a, x, fz_u8(&g->in) & 1 ? CALX__DESC : CALX__ASC)
						       : x);
	}
	return head;
}

static calx__node *select_q(gen *g, const scope *outer, unsigned depth, unsigned want_cols, unsigned *ncols_out)
{
	calx__node *s = calx__ast_select(g->a);
	if (!s)
		return NULL;
	g->nodes++;
	scope sc = { .outer = outer };
	for (unsigned n = fz_pick(&g->in, 3); n && g->tables < MAX_TABLES; n--)
		calx__ast_append(&s->kid[CALX__SEL_FROM], from_element(g, &sc, outer, depth));
	unsigned ncols = want_cols ? want_cols : 1 + fz_pick(&g->in, 4);
	for (unsigned i = 0; i < ncols; i++) {
		calx__node *x = expr(g, &sc, depth + 1);
		if (x)
			x->alias = col_aliases[i];
		calx__ast_append(&s->kid[CALX__SEL_COLS], x);
	}
	unsigned parts = fz_u8(&g->in);
	if (parts & 1)
		s->kid[CALX__SEL_WHERE] = expr(g, &sc, depth + 1);
	if (parts & 2) {
		s->kid[CALX__SEL_GROUP] = expr_list(g, &sc, depth, 1 + fz_pick(&g->in, 2));
		if (parts & 4)
			s->kid[CALX__SEL_HAVING] = expr(g, &sc, depth + 1);
	}
	if (parts & 8)
		s->kid[CALX__SEL_ORDER] = order_list(g, &sc, depth);
	if (parts & 16)
		s->kid[CALX__SEL_LIMIT] = parts & 64 ? expr(g, &sc, depth + 1) : bind(g);
	if (parts & 32)
		s->kid[CALX__SEL_OFFSET] = bind(g);
	if (parts & 128)
		s->flags |= CALX__F_DISTINCT;
	if (ncols_out)
		*ncols_out = ncols;
	return s;
}

/* A select, or a set operation of two queries with as many columns. */
static calx__node *query(gen *g, const scope *outer, unsigned depth, unsigned want_cols, unsigned *ncols_out)
{
	if (!budget(g, depth) || fz_pick(&g->in, 4))
		return select_q(g, outer, depth, want_cols, ncols_out);
	unsigned ncols = 0;
	calx__node *l = query(g, outer, depth + 1, want_cols, &ncols);
	/* mostly as many columns on the right; otherwise a clean error */
	calx__node *r = query(g, outer, depth + 1, fz_pick(&g->in, 8) ? ncols : 0, NULL);
	calx__node *q = calx__ast_setop(g->a, CALX__SET_UNION + (int)fz_pick(&g->in, 4), l, r);
	if (!q)
		return NULL;
	g->nodes++;
	unsigned parts = fz_u8(&g->in);
	if (parts & 1) {
		calx__node *c = calx__ast_column(g->a, NULL, col_aliases[fz_pick(&g->in, ncols ? ncols : 1)]);
		q->kid[CALX__SETOP_ORDER] = parts & 2 ? calx__ast_order(g->a, c, CALX__DESC) : c;
	}
	if (parts & 4)
		q->kid[CALX__SETOP_LIMIT] = bind(g);
	if (parts & 8)
		q->kid[CALX__SETOP_OFFSET] = bind(g);
	if (ncols_out)
		*ncols_out = ncols;
	return q;
}

static calx__node *returning(gen *g, const calx_mapper_desc *m)
{
	calx__node *head = NULL;
	if (fz_pick(&g->in, 4))
		return NULL;
	for (unsigned n = 1 + fz_pick(&g->in, 3); n; n--)
		calx__ast_append(&head, calx__ast_field(g->a, NULL, &m->fields[fz_pick(&g->in, m->n_fields)]));
	return head;
}

static calx__node *insert_stmt(gen *g)
{
	scope sc = { 0 };
	calx__node *t = table(g, &sc, false);
	const calx_mapper_desc *m = sc.m[0];
	calx__node *ins = calx__ast_insert(g->a, t);
	if (!ins)
		return NULL;
	sc.n = 0;       /* VALUES cannot name the table's columns */
	if (fz_pick(&g->in, 8) == 0) {
		calx__ast_insert_row(g->a, ins, NULL);  /* DEFAULT VALUES */
	} else {
		unsigned ncols = 0;
		for (unsigned f = 0; f < m->n_fields; f++)
			if (fz_pick(&g->in, 4)) {
				calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(g->a, NULL, &m->fields[f]));
				ncols++;
			}
		if (!ncols) {
			calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(g->a, NULL, &m->fields[0]));
			ncols = 1;
		}
		for (unsigned r = 1 + fz_pick(&g->in, MAX_INSERT_ROWS); r; r--)
			calx__ast_insert_row(g->a, ins, expr_list(g, &sc, 1, ncols));
	}
	ins->kid[CALX__INS_RETURNING] = returning(g, m);
	return ins;
}

static calx__node *update_stmt(gen *g)
{
	scope sc = { 0 };
	calx__node *t = table(g, &sc, false);
	const calx_mapper_desc *m = sc.m[0];
	calx__node *u = calx__ast_update(g->a, t);
	if (!u)
		return NULL;
	for (unsigned n = 1 + fz_pick(&g->in, 3); n; n--) {
		calx__node *c = calx__ast_field(g->a, NULL, &m->fields[fz_pick(&g->in, m->n_fields)]);
		calx__ast_update_set(g->a, u, c, expr(g, &sc, 1));
	}
	if (fz_pick(&g->in, 4))
		u->kid[CALX__UPD_WHERE] = expr(g, &sc, 1);
	u->kid[CALX__UPD_RETURNING] = returning(g, m);
	return u;
}

static calx__node *delete_stmt(gen *g)
{
	scope sc = { 0 };
	calx__node *t = table(g, &sc, false);
	const calx_mapper_desc *m = sc.m[0];
	calx__node *d = calx__ast_delete(g->a, t);
	if (!d)
		return NULL;
	if (fz_pick(&g->in, 4))
		d->kid[CALX__DEL_WHERE] = expr(g, &sc, 1);
	d->kid[CALX__DEL_RETURNING] = returning(g, m);
	return d;
}

static calx__node *name_list(gen *g, unsigned n)
{
	calx__node *head = NULL;
	for (; n; n--)
		calx__ast_append(&head, calx__ast_column(g->a, NULL, new_columns[fz_pick(&g->in, 4)]));
	return head;
}

static calx__node *ddl_stmt(gen *g)
{
	calx__ast *a = g->a;
	g->ddl = true;
	switch (fz_pick(&g->in, 3)) {
	case 0: {
		calx__node *t = calx__ast_table(a, new_tables[fz_pick(&g->in, 4)], NULL);
		calx__node *ct = calx__ast_create_table(a, t, fz_u8(&g->in) & 1);
		if (!ct)
			return NULL;
		for (unsigned n = 1 + fz_pick(&g->in, 4); n; n--) {
			const char *name = new_columns[fz_pick(&g->in, 4)];
			const calx_mapper_desc *m = mappers[fz_pick(&g->in, 2)];
			bool typed = fz_u8(&g->in) & 1;
			calx__ast_append(&ct->kid[CALX__CT_COLS],
					 calx__ast_coldef(a, name, typed ? &m->fields[fz_pick(&g->in, m->n_fields)] : NULL,
							  schema_types[fz_pick(&g->in, 4)], fz_u8(&g->in) & 1,
							  fz_u8(&g->in) & 1 ? "0" : NULL));
		}
		for (unsigned n = fz_pick(&g->in, 3); n; n--) {
			calx__node *c;
			switch (fz_pick(&g->in, 4)) {
			case 0: c = calx__ast_constraint(a, CALX__CON_PRIMARY_KEY, "pk_fzq", name_list(g, 1 + fz_pick(&g->in, 2))); break;
			case 1: c = calx__ast_constraint(a, CALX__CON_UNIQUE, "uq_\"fzq\"", name_list(g, 1 + fz_pick(&g->in, 2))); break;
			case 2: c = calx__ast_check(a, "ck_fzq", schema_checks[fz_pick(&g->in, 2)]); break;
			default:
				c = calx__ast_foreign_key(a, "fk_fzq", name_list(g, 1), calx__ast_table(a, "fzq_owners", NULL),
							  calx__ast_column(a, NULL, "id"), (int)fz_pick(&g->in, 6),
							  (int)fz_pick(&g->in, 6));
			}
			calx__ast_append(&ct->kid[CALX__CT_CONSTRAINTS], c);
		}
		return ct;
	}
	case 1: {
		const calx_mapper_desc *m = mappers[fz_pick(&g->in, 2)];
		calx__node *cols = NULL;
		for (unsigned n = 1 + fz_pick(&g->in, 3); n; n--)
			calx__ast_append(&cols, calx__ast_field(a, NULL, &m->fields[fz_pick(&g->in, m->n_fields)]));
		return calx__ast_create_index(a, index_names[fz_pick(&g->in, 3)], calx__ast_mapper_table(a, m, NULL), cols,
					      fz_u8(&g->in) & 1, fz_u8(&g->in) & 1);
	}
	default: {
		bool tbl = fz_u8(&g->in) & 1;
		return calx__ast_drop(a, tbl ? CALX__DROP_TABLE : CALX__DROP_INDEX,
				      tbl ? new_tables[fz_pick(&g->in, 4)] : index_names[fz_pick(&g->in, 3)], fz_u8(&g->in) & 1);
	}
	}
}

static calx__node *statement(gen *g)
{
	g->ddl = false;
	g->nodes = 0;
	g->tables = 0;
	switch (fz_pick(&g->in, 8)) {
	case 0: case 1: case 2: return query(g, NULL, 0, 0, NULL);
	case 3: return insert_stmt(g);
	case 4: return update_stmt(g);
	case 5: return delete_stmt(g);
	case 6: return ddl_stmt(g);
	default: return query(g, NULL, 0, 0, NULL);
	}
}

/* --- checks ---------------------------------------------------------------- */

static bool allowed_word(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strlen(keywords[i]) == n && !memcmp(keywords[i], w, n))
			return true;
	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
		if (strlen(funcs[i]) == n && !memcmp(funcs[i], w, n))
			return true;
	return false;
}

/* The text of one compiled statement, read as SQL: no value in it, and its placeholders in order. */
static void check_text(const calx_dialect *d, const calx__compiled *c, bool ddl)
{
	const char *t = c->text;
	unsigned depth = 0, placeholders = 0;
	if (strlen(t) != c->len)
		FZ_FAIL("%s: text length %zu, strlen %zu: %s", d->name, c->len, strlen(t), t);
	for (size_t i = 0; t[i];) {
		char ch = t[i];
		if (ch == '"') {
			/* a quoted identifier; "" inside is one quote */
			for (i++;; i++) {
				if (!t[i])
					FZ_FAIL("%s: unclosed identifier: %s", d->name, t);
				if (t[i] == '"' && t[i + 1] == '"')
					i++;
				else if (t[i] == '"')
					break;
			}
			i++;
			continue;
		}
		if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			if (!depth)
				FZ_FAIL("%s: unbalanced ')': %s", d->name, t);
			depth--;
		} else if (ch == ';' || ch == '\'' || (ch == '-' && t[i + 1] == '-') || (ch == '/' && t[i + 1] == '*')) {
			FZ_FAIL("%s: '%c' outside an identifier: %s", d->name, ch, t);
		} else if (ch == '?') {
			if (d->numbered_params)
				FZ_FAIL("%s: '?' in numbered-parameter SQL: %s", d->name, t);
			placeholders++;
		} else if (ch == '$') {
			unsigned long k = strtoul(t + i + 1, NULL, 10);
			if (!d->numbered_params || k != placeholders + 1)
				FZ_FAIL("%s: placeholder $%lu out of order (after %u): %s", d->name, k, placeholders, t);
			placeholders++;
			for (i++; isdigit((unsigned char)t[i]); i++)
				;
			continue;
		} else if (!ddl && isdigit((unsigned char)ch)) {
			if (!(i >= 7 && !strncmp(t + i - 7, "LIMIT -1", 8)))
				FZ_FAIL("%s: a number in the text: %s", d->name, t);
		} else if (!ddl && (isalpha((unsigned char)ch) || ch == '_')) {
			size_t n = 0;
			while (isalnum((unsigned char)t[i + n]) || t[i + n] == '_')
				n++;
			if (!allowed_word(t + i, n))
				FZ_FAIL("%s: '%.*s' is neither a keyword nor a function: %s", d->name, (int)n, t + i, t);
			i += n;
			continue;
		}
		i++;
	}
	if (depth)
		FZ_FAIL("%s: unbalanced '(': %s", d->name, t);
	if (placeholders != c->n_params)
		FZ_FAIL("%s: %u placeholders, n_params %u: %s", d->name, placeholders, c->n_params, t);
	for (unsigned i = 0; i < c->n_params; i++)
		if (c->map[i] >= c->n_binds)
			FZ_FAIL("%s: placeholder %u maps to bind %u of %u", d->name, i, c->map[i], c->n_binds);
}

/* Shapes seen in this input: the same key must give the same text. */
static void check_shape(calx__sqlcache *cache, calx__ast *a, calx__node *stmt, const calx__compiled *fresh)
{
	calx__shape_key k;
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	if (calx__shape_of(a, stmt, &k, &err) != CALX_OK)
		return;
	if (calx__sqlcache_get(cache, &k, NULL, &c, &err) == CALX_OK && c) {
		if (strcmp(c->text, fresh->text) || c->n_params != fresh->n_params ||
		    (c->n_params && memcmp(c->map, fresh->map, c->n_params * sizeof *c->map)))
			FZ_FAIL("one shape key, two statements:\n  %s\n  %s", c->text, fresh->text);
		calx__sqlcache_put(cache, c);
		return;
	}
	if (calx__sqlcache_get(cache, &k, stmt, &c, &err) == CALX_OK && c)
		calx__sqlcache_put(cache, c);
}

static bool is_syntax_error(const char *msg)
{
	return strstr(msg, "syntax error") || strstr(msg, "unrecognized token") || strstr(msg, "incomplete input");
}

/* Prepare, bind and step on SQLite: it runs, or fails with a message, never with a syntax error. */
static void run_sqlite(calx__node *stmt, const calx__compiled *c)
{
	calx_error err = { 0 };
	calx_stmt *st = NULL;
	int rc = sq->prepare(conn, c->text, &st, &err);
	if (rc != CALX_OK) {
		if (!err.msg[0] || is_syntax_error(err.msg))
			FZ_FAIL("sqlite refuses the compiled SQL: %s\n  %s", err.msg, c->text);
		return;
	}
	const calx_value *small[256];
	const calx_value **vals = c->n_binds <= 256 ? small : malloc(c->n_binds * sizeof *vals);
	if (!vals)
		FZ_FAIL("out of memory");
	if (calx__ast_binds(stmt, vals, c->n_binds) != c->n_binds)
		FZ_FAIL("calx__ast_binds disagrees with the compiler's n_binds");
	for (unsigned i = 0; i < c->n_params && rc == CALX_OK; i++)
		rc = sq->bind(st, i, vals[c->map[i]], &err);
	for (unsigned row = 0; rc == CALX_OK && row < MAX_ROWS; row++) {
		rc = sq->step(st, &err);
		if (rc == CALX_ROW) {
			unsigned n = sq->column_count(st);
			for (unsigned j = 0; j < n; j++) {
				calx_value v;
				sq->column(st, j, &v);
				if ((v.kind == CALX_VALUE_TEXT || v.kind == CALX_VALUE_BLOB) && v.u.s.n && !v.u.s.p)
					FZ_FAIL("sqlite column %u: %zu bytes at NULL", j, v.u.s.n);
			}
			rc = CALX_OK;
		} else if (rc == CALX_DONE) {
			rc = CALX_DONE;
		}
	}
	if (rc != CALX_OK && rc != CALX_DONE && (!err.msg[0] || is_syntax_error(err.msg)))
		FZ_FAIL("sqlite: %s\n  %s", err.msg, c->text);
	sq->finalize(st);
	if (vals != small)
		free(vals);
}

/* The windows of an insert's rows or an IN list, for a parameter limit of max. */
static void check_chunks(calx__node *stmt, calx__node *owner, unsigned max)
{
	calx__chunks ch;
	calx_error err = { 0 };
	if (calx__chunks_init(&ch, stmt, owner, max, &err) != CALX_OK) {
		if (!err.msg[0])
			FZ_FAIL("calx__chunks_init failed without a message");
		return;
	}
	while (calx__chunks_next(&ch)) {
		calx__compiled *c = NULL;
		int rc = calx__compile(sq, stmt, max, &c, &err);
		if (rc == CALX_OK) {
			if (c->n_params > max)
				FZ_FAIL("a window of %u parameters for a limit of %u: %s", c->n_params, max, c->text);
			check_text(sq, c, false);
			run_sqlite(stmt, c);
		} else if (rc == CALX_ERANGE) {
			FZ_FAIL("a window over the limit of %u: %s", max, err.msg);
		}
		calx__compiled_free(c);
	}
	if (owner->first != 0 || owner->count != CALX__ALL)
		FZ_FAIL("the chunks left a window set");
}

static calx__node *find_in_list(calx__node *n, unsigned depth)
{
	if (!n || depth > 64)
		return NULL;
	if (n->kind == CALX__N_IN && n->kid[CALX__IN_LIST])
		return n;
	for (int i = 0; i < CALX__KIDS; i++) {
		for (calx__node *k = n->kid[i]; k; k = k->next) {
			calx__node *f = find_in_list(k, depth + 1);
			if (f)
				return f;
		}
	}
	return NULL;
}

static void check_statement(calx__sqlcache *cache, calx__ast *a, calx__node *stmt, bool ddl, unsigned split)
{
	calx_error es = { 0 }, ep = { 0 };
	calx__compiled *cs = NULL, *cp = NULL;
	int rs = calx__compile(sq, stmt, 0, &cs, &es);
	int rp = calx__compile(pg, stmt, 0, &cp, &ep);
	if ((rs != CALX_OK && !es.msg[0]) || (rp != CALX_OK && !ep.msg[0]))
		FZ_FAIL("a refusal without a message");
	if ((rs == CALX_OK) != (rp == CALX_OK) && rs != CALX_ERANGE && rp != CALX_ERANGE)
		FZ_FAIL("the dialects disagree: sqlite %d (%s), postgresql %d (%s)", rs, es.msg, rp, ep.msg);
	if (cp)
		check_text(pg, cp, ddl);
	if (cs) {
		check_text(sq, cs, ddl);
		check_shape(cache, a, stmt, cs);
		run_sqlite(stmt, cs);
	}
	calx__compiled_free(cs);
	calx__compiled_free(cp);
	if (split && !ddl) {
		calx__node *owner = stmt->kind == CALX__N_INSERT && stmt->kid[CALX__INS_COLS] ? stmt : find_in_list(stmt, 0);
		if (owner)
			check_chunks(stmt, owner, split);
	}
}

/* --- the fixture ------------------------------------------------------------ */

static void exec_tree(calx__node *stmt, const calx_value *binds)
{
	calx_error err = { 0 };
	calx__compiled *c = NULL;
	calx_stmt *st = NULL;
	if (calx__compile(sq, stmt, 0, &c, &err) != CALX_OK || sq->prepare(conn, c->text, &st, &err) != CALX_OK) {
		fprintf(stderr, "fuzz_sql: fixture: %s\n", err.msg);
		exit(1);
	}
	for (unsigned i = 0; i < c->n_params; i++)
		if (sq->bind(st, i, &binds[c->map[i]], &err) != CALX_OK) {
			fprintf(stderr, "fuzz_sql: fixture: %s\n", err.msg);
			exit(1);
		}
	if (sq->step(st, &err) != CALX_DONE) {
		fprintf(stderr, "fuzz_sql: fixture: %s\n", err.msg);
		exit(1);
	}
	sq->finalize(st);
	calx__compiled_free(c);
}

static void txn(int op)
{
	calx__ast a;
	calx__compiled *c = NULL;
	calx_error err = { 0 };
	calx__ast_init(&a);
	calx__node *t = calx__ast_txn(&a, op, NULL);
	if (!t || calx__compile(sq, t, 0, &c, &err) != CALX_OK || sq->exec(conn, c->text, &err) != CALX_OK)
		FZ_FAIL("transaction control: %s", err.msg);
	calx__compiled_free(c);
	calx__ast_free(&a);
}

/* A few rows in each table, inserted as trees like any statement. */
static void fixture_rows(void)
{
	for (unsigned t = 0; t < 2; t++) {
		const calx_mapper_desc *m = mappers[t];
		for (int64_t k = 1; k <= 4; k++) {
			calx__ast a;
			calx__ast_init(&a);
			calx__node *ins = calx__ast_insert(&a, calx__ast_mapper_table(&a, m, NULL));
			calx__node *vals = NULL;
			calx_value v[8];
			for (unsigned f = 0; f < m->n_fields && f < 8; f++) {
				calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(&a, NULL, &m->fields[f]));
				if (f == 0 || (t == 1 && f == 1))
					v[f] = calx_value_int(f == 0 ? k : 1 + k % 3);     /* key; an item's owner */
				else if (m->fields[f].ctype == CALX_CTYPE_STRING || m->fields[f].ctype == CALX_CTYPE_CHARARRAY)
					v[f] = calx_value_text(k % 2 ? "a%b" : "O'Brien");
				else
					v[f] = calx_value_int(k * 7 % 5);
				calx__ast_append(&vals, calx__ast_bind(&a, v[f]));
			}
			calx__ast_insert_row(&a, ins, vals);
			if (a.oom) {
				fprintf(stderr, "fuzz_sql: out of memory\n");
				exit(1);
			}
			exec_tree(ins, v);
			calx__ast_free(&a);
		}
	}
}

static void cleanup(void)
{
	if (conn)
		sq->disconnect(conn);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	calx_engine *eng = NULL;
	calx_registry *reg = NULL;
	char *ddl = NULL;
	calx_error err = { 0 };
	/* the tables' DDL as create_all writes it, run on the target's own connection */
	if (calx_engine_open(&eng, "sqlite::memory:") != CALX_OK ||
	    calx_registry_open(&reg, &fuzz_models_schema, NULL) != CALX_OK ||
	    calx_registry_ddl(reg, eng, &ddl) != CALX_OK || sq->connect(&conn, "sqlite::memory:", &err) != CALX_OK ||
	    sq->exec(conn, ddl, &err) != CALX_OK) {
		fprintf(stderr, "fuzz_sql: setup: %s %s %s\n", eng ? calx_engine_errmsg(eng) : "",
			reg ? calx_registry_errmsg(reg) : "", err.msg);
		exit(1);
	}
	calx_free(ddl);
	calx_registry_free(reg);
	calx_engine_free(eng);
	atexit(cleanup);
	fixture_rows();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gen g = { .in = { data, size } };
	calx__sqlcache cache;
	calx__sqlcache_init(&cache, sq);
	txn(CALX__TX_BEGIN);
	/* the first byte: a parameter limit to split for, or none */
	unsigned split = fz_u8(&g.in);
	split = split < 64 ? 1 + split % 12 : 0;
	for (unsigned i = 0; i < MAX_STATEMENTS && g.in.n; i++) {
		calx__ast a;
		calx__ast_init(&a);
		g.a = &a;
		calx__node *stmt = statement(&g);
		if (stmt && !a.oom)
			check_statement(&cache, &a, stmt, g.ddl, split);
		calx__ast_free(&a);
	}
	txn(CALX__TX_ROLLBACK);
	calx__sqlcache_free(&cache);
	return 0;
}
