/*
 * The SQL compiler: selects, set operations, DML and transaction control
 * (expressions are in compile_expr.c, DDL in compile_ddl.c). It walks the tree in the
 * canonical order of sql/shape.c and writes text for one dialect; the only
 * text it copies from a node is a SCHEMA_SQL node's, and names, which it
 * quotes. Every value is a placeholder.
 */
#include <stdio.h>
#include <string.h>
#include "calx/errors.h"
#include "base/alloc.h"
#include "sql/compile_int.h"
#include "sql/qualified.h"

static void from_element(calx__cc *c, const calx__node *f, unsigned depth)
{
	switch (f->kind) {
	case CALX__N_TABLE:
		calx__cc_table(c, f->name);
		break;
	case CALX__N_SUBQUERY:
		if (!f->alias) {
			calx__cc_fail(c, CALX_EINVAL, "a subquery in FROM needs an alias");
			return;
		}
		calx__cc_subquery(c, f->kid[0], depth + 1);
		break;
	case CALX__N_FUNC:
		/* a set-returning function (generate_series) */
		calx__cc_expr(c, f, true, depth + 1);
		break;
	case CALX__N_VALUES:
		/* rows of binds, their columns column1, column2, ... (SQLite's names for them) */
		if (!f->alias || !f->kid[0]) {
			calx__cc_fail(c, CALX_EINVAL, "a VALUES list in FROM needs rows and an alias");
			return;
		}
		calx__buf_puts(&c->b, "(VALUES ");
		for (const calx__node *row = f->kid[0]; row; row = row->next) {
			calx__buf_puts(&c->b, row == f->kid[0] ? "(" : ", (");
			calx__cc_list(c, row->kid[0], depth + 1);
			calx__buf_putc(&c->b, ')');
		}
		calx__buf_putc(&c->b, ')');
		break;
	case CALX__N_JOIN:
		from_element(c, f->kid[0], depth + 1);
		calx__buf_puts(&c->b, f->op == CALX__JOIN_LEFT ? " LEFT JOIN " : " JOIN ");
		from_element(c, f->kid[1], depth + 1);
		calx__buf_puts(&c->b, " ON ");
		calx__cc_expr(c, f->kid[2], true, depth + 1);
		return;
	default:
		calx__cc_fail(c, CALX_EINVAL, "a FROM item that is not a table, subquery, function, VALUES list or join");
		return;
	}
	if (f->alias) {
		calx__buf_puts(&c->b, " AS ");
		calx__cc_ident(c, f->alias);
	}
}

/* ORDER BY, LIMIT, OFFSET of a select or a set operation. */
static void order_and_page(calx__cc *c, const calx__node *order, const calx__node *limit,
                           const calx__node *offset, unsigned depth)
{
	for (const calx__node *o = order; o; o = o->next) {
		calx__buf_puts(&c->b, o == order ? " ORDER BY " : ", ");
		calx__cc_expr(c, o->kind == CALX__N_ORDER ? o->kid[0] : o, false, depth + 1);
		if (o->kind == CALX__N_ORDER) {
			calx__buf_puts(&c->b, o->op == CALX__DESC ? " DESC" : " ASC");
			if (o->flags & CALX__NULLS_FIRST)
				calx__buf_puts(&c->b, " NULLS FIRST");
			else if (o->flags & CALX__NULLS_LAST)
				calx__buf_puts(&c->b, " NULLS LAST");
		}
	}
	unsigned style = c->d->version >= 2 ? c->d->limit_style : CALX_LIMIT_OFFSET;
	if (style == CALX_LIMIT_FETCH) {
		if (offset) {
			calx__buf_puts(&c->b, " OFFSET ");
			calx__cc_expr(c, offset, false, depth + 1);
			calx__buf_puts(&c->b, " ROWS");
		}
		if (limit) {
			calx__buf_puts(&c->b, " FETCH FIRST ");
			calx__cc_expr(c, limit, false, depth + 1);
			calx__buf_puts(&c->b, " ROWS ONLY");
		}
		return;
	}
	if (limit) {
		calx__buf_puts(&c->b, " LIMIT ");
		calx__cc_expr(c, limit, false, depth + 1);
	} else if (offset && style == CALX_LIMIT_OFFSET) {
		calx__buf_puts(&c->b, " LIMIT -1");     /* SQLite has no OFFSET without LIMIT */
	}
	if (offset) {
		calx__buf_puts(&c->b, " OFFSET ");
		calx__cc_expr(c, offset, false, depth + 1);
	}
}

static void select_stmt(calx__cc *c, const calx__node *n, unsigned depth)
{
	const calx__node *const *k = (const calx__node *const *)n->kid;
	if (!k[CALX__SEL_COLS] == !(n->flags & CALX__F_STAR)) {
		calx__cc_fail(c, CALX_EINVAL, "a select without columns, or with columns and *");
		return;
	}
	calx__buf_puts(&c->b, n->flags & CALX__F_DISTINCT ? "SELECT DISTINCT " : "SELECT ");
	if (n->flags & CALX__F_STAR)
		calx__buf_putc(&c->b, '*');
	for (const calx__node *x = k[CALX__SEL_COLS]; x; x = x->next) {
		if (x != k[CALX__SEL_COLS])
			calx__buf_puts(&c->b, ", ");
		calx__cc_expr(c, x, false, depth + 1);
		if (x->alias) {
			calx__buf_puts(&c->b, " AS ");
			calx__cc_ident(c, x->alias);
		}
	}
	for (const calx__node *f = k[CALX__SEL_FROM]; f; f = f->next) {
		calx__buf_puts(&c->b, f == k[CALX__SEL_FROM] ? " FROM " : ", ");
		from_element(c, f, depth + 1);
	}
	if (k[CALX__SEL_WHERE]) {
		calx__buf_puts(&c->b, " WHERE ");
		calx__cc_expr(c, k[CALX__SEL_WHERE], true, depth + 1);
	}
	if (k[CALX__SEL_GROUP]) {
		calx__buf_puts(&c->b, " GROUP BY ");
		calx__cc_list(c, k[CALX__SEL_GROUP], depth + 1);
	}
	if (k[CALX__SEL_HAVING]) {
		calx__buf_puts(&c->b, " HAVING ");
		calx__cc_expr(c, k[CALX__SEL_HAVING], true, depth + 1);
	}
	order_and_page(c, k[CALX__SEL_ORDER], k[CALX__SEL_LIMIT], k[CALX__SEL_OFFSET], depth);
}

static bool paged(const calx__node *q)
{
	if (q->kind == CALX__N_SELECT)
		return q->kid[CALX__SEL_ORDER] || q->kid[CALX__SEL_LIMIT] || q->kid[CALX__SEL_OFFSET];
	return q->kid[CALX__SETOP_ORDER] || q->kid[CALX__SETOP_LIMIT] || q->kid[CALX__SETOP_OFFSET];
}

/*
 * An operand of a set operation. SQLite allows no parentheses there, and
 * PostgreSQL ranks INTERSECT above UNION and EXCEPT, so an operand that
 * would need them -- a paged one, a set operation on the right, a looser
 * one under INTERSECT -- becomes SELECT * FROM (operand) AS "calx_setN".
 */
static void setop_operand(calx__cc *c, const calx__node *q, int parent, bool left, unsigned depth)
{
	bool parent_intersect = parent == CALX__SET_INTERSECT || parent == CALX__SET_INTERSECT_ALL;
	bool q_intersect = q->op == CALX__SET_INTERSECT || q->op == CALX__SET_INTERSECT_ALL;
	bool inline_ok = !paged(q) && (q->kind == CALX__N_SELECT || (left && !(parent_intersect && !q_intersect)));
	if (inline_ok) {
		calx__cc_query(c, q, depth);
		return;
	}
	char alias[32];
	snprintf(alias, sizeof alias, "calx_set%u", ++c->wraps);
	calx__buf_puts(&c->b, "SELECT * FROM ");
	calx__cc_subquery(c, q, depth);
	calx__buf_puts(&c->b, " AS ");
	calx__cc_ident(c, alias);
}

void calx__cc_query(calx__cc *c, const calx__node *n, unsigned depth)
{
	if (depth > CALX__MAX_DEPTH) {
		calx__cc_fail(c, CALX_EINVAL, "statement nested too deeply");
		return;
	}
	if (n->kind == CALX__N_SELECT) {
		select_stmt(c, n, depth);
		return;
	}
	static const char *const ops[] = { NULL, " UNION ", " UNION ALL ", " INTERSECT ", " EXCEPT ", " INTERSECT ALL ",
		                           " EXCEPT ALL " };
	const calx__node *l = n->kid[CALX__SETOP_LEFT], *r = n->kid[CALX__SETOP_RIGHT];
	/* SQLite's compound selects are UNION, UNION ALL, INTERSECT and EXCEPT: no ALL for the last two */
	if (n->kind == CALX__N_SETOP && (n->op == CALX__SET_INTERSECT_ALL || n->op == CALX__SET_EXCEPT_ALL) &&
	    !calx__cc_postgresql(c)) {
		calx__cc_fail(c, CALX_EINVAL, n->op == CALX__SET_INTERSECT_ALL
		                                      ? "INTERSECT ALL is PostgreSQL's only: SQLite has INTERSECT (no ALL)"
		                                      : "EXCEPT ALL is PostgreSQL's only: SQLite has EXCEPT (no ALL)");
		return;
	}
	if (n->kind != CALX__N_SETOP || n->op < CALX__SET_UNION || n->op > CALX__SET_EXCEPT_ALL ||
	    (l->kind != CALX__N_SELECT && l->kind != CALX__N_SETOP) || (r->kind != CALX__N_SELECT && r->kind != CALX__N_SETOP)) {
		calx__cc_fail(c, CALX_EINVAL, "a set operation's operands must be selects");
		return;
	}
	setop_operand(c, l, n->op, true, depth + 1);
	calx__buf_puts(&c->b, ops[n->op]);
	setop_operand(c, r, n->op, false, depth + 1);
	order_and_page(c, n->kid[CALX__SETOP_ORDER], n->kid[CALX__SETOP_LIMIT], n->kid[CALX__SETOP_OFFSET], depth);
}

static void returning(calx__cc *c, const calx__node *list)
{
	if (!list)
		return;
	if (c->d->version >= 2 && !c->d->returning) {
		calx__cc_fail(c, CALX_EINVAL, "this database has no RETURNING");
		return;
	}
	calx__buf_puts(&c->b, " RETURNING ");
	calx__cc_list(c, list, 1);
}

/* " (a, b, c) ": an insert's columns */
static void insert_columns(calx__cc *c, const calx__node *cols)
{
	calx__buf_puts(&c->b, " (");
	for (const calx__node *x = cols; x; x = x->next) {
		if (x != cols)
			calx__buf_puts(&c->b, ", ");
		calx__cc_ident(c, x->name);
	}
	calx__buf_puts(&c->b, ") ");
}

static void insert_stmt(calx__cc *c, const calx__node *n)
{
	const calx__node *cols = n->kid[CALX__INS_COLS], *row = n->kid[CALX__INS_ROWS];
	size_t n_cols = calx__ast_list_len(cols), k = 0;
	calx__buf_puts(&c->b, "INSERT INTO ");
	calx__cc_table(c, n->kid[CALX__INS_TABLE]->name);
	for (size_t skip = n->first; row && skip; skip--)
		row = row->next;
	if (n_cols && row && row->kind == CALX__N_SELECT) {
		/* INSERT INTO t (cols) SELECT ...: the rows a query gives (sql/insert_arrays.c) */
		insert_columns(c, cols);
		calx__cc_query(c, row, 1);
	} else if (!n_cols) {
		/* one row of nothing but defaults */
		if (!row || row->kid[0] || (row->next && n->count > 1) || n->count == 0)
			calx__cc_fail(c, CALX_EINVAL, "an insert without columns takes one row without values");
		calx__buf_puts(&c->b, " DEFAULT VALUES");
	} else {
		insert_columns(c, cols);
		calx__buf_puts(&c->b, "VALUES ");
		for (; row && k < n->count; row = row->next, k++) {
			if (calx__ast_list_len(row->kid[0]) != n_cols)
				calx__cc_fail(c, CALX_EINVAL, "an insert row with more or fewer values than columns");
			calx__buf_puts(&c->b, k ? ", (" : "(");
			calx__cc_list(c, row->kid[0], 1);
			calx__buf_putc(&c->b, ')');
		}
		if (!k)
			calx__cc_fail(c, CALX_EINVAL, "an insert without rows");
	}
	returning(c, n->kid[CALX__INS_RETURNING]);
}

static void update_stmt(calx__cc *c, const calx__node *n)
{
	calx__buf_puts(&c->b, "UPDATE ");
	calx__cc_table(c, n->kid[CALX__UPD_TABLE]->name);
	if (!n->kid[CALX__UPD_SET])
		calx__cc_fail(c, CALX_EINVAL, "an update that sets nothing");
	for (const calx__node *x = n->kid[CALX__UPD_SET]; x; x = x->next) {
		calx__buf_puts(&c->b, x == n->kid[CALX__UPD_SET] ? " SET " : ", ");
		calx__cc_ident(c, x->kid[0]->name);
		calx__buf_puts(&c->b, " = ");
		calx__cc_expr(c, x->kid[1], false, 1);
	}
	for (const calx__node *f = n->kid[CALX__UPD_FROM]; f; f = f->next) {
		calx__buf_puts(&c->b, f == n->kid[CALX__UPD_FROM] ? " FROM " : ", ");
		from_element(c, f, 1);
	}
	if (n->kid[CALX__UPD_WHERE]) {
		calx__buf_puts(&c->b, " WHERE ");
		calx__cc_expr(c, n->kid[CALX__UPD_WHERE], true, 1);
	}
	returning(c, n->kid[CALX__UPD_RETURNING]);
}

static void delete_stmt(calx__cc *c, const calx__node *n)
{
	calx__buf_puts(&c->b, "DELETE FROM ");
	calx__cc_table(c, n->kid[CALX__DEL_TABLE]->name);
	for (const calx__node *f = n->kid[CALX__DEL_USING]; f; f = f->next) {
		calx__buf_puts(&c->b, f == n->kid[CALX__DEL_USING] ? " USING " : ", ");
		from_element(c, f, 1);
	}
	if (n->kid[CALX__DEL_WHERE]) {
		calx__buf_puts(&c->b, " WHERE ");
		calx__cc_expr(c, n->kid[CALX__DEL_WHERE], true, 1);
	}
	returning(c, n->kid[CALX__DEL_RETURNING]);
}

static void txn_stmt(calx__cc *c, const calx__node *n)
{
	static const char *const words[] = { NULL, "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT ", "RELEASE SAVEPOINT ",
	                                     "ROLLBACK TO SAVEPOINT " };
	if (n->op < CALX__TX_BEGIN || n->op > CALX__TX_ROLLBACK_TO) {
		calx__cc_fail(c, CALX_EINVAL, "an unknown transaction statement");
		return;
	}
	calx__buf_puts(&c->b, words[n->op]);
	if (n->op >= CALX__TX_SAVEPOINT)
		calx__cc_ident(c, n->name);
}

/* A server-side cursor's statements; the FETCH count is a number of the statement's, not a value. */
static void cursor_stmt(calx__cc *c, const calx__node *n)
{
	char rows[24];
	switch (n->op) {
	case CALX__CURSOR_DECLARE:
		calx__buf_puts(&c->b, "DECLARE ");
		calx__cc_ident(c, n->name);
		calx__buf_puts(&c->b, " NO SCROLL CURSOR FOR ");
		calx__cc_query(c, n->kid[0], 0);
		return;
	case CALX__CURSOR_FETCH:
		snprintf(rows, sizeof rows, "%zu", n->count);
		calx__buf_puts(&c->b, "FETCH FORWARD ");
		calx__buf_puts(&c->b, rows);
		calx__buf_puts(&c->b, " FROM ");
		calx__cc_ident(c, n->name);
		return;
	case CALX__CURSOR_CLOSE:
		calx__buf_puts(&c->b, "CLOSE ");
		calx__cc_ident(c, n->name);
		return;
	default:
		calx__cc_fail(c, CALX_EINVAL, "an unknown cursor statement");
	}
}

int calx__compile(const calx_dialect *d, calx__node *stmt, unsigned max_params, calx__compiled **out,
                  calx_error *err)
{
	*out = NULL;
	calx__cc c = { d, CALX__BUF_INIT, 0, NULL, 0, 0, CALX_OK, err };
	unsigned n_binds = (unsigned)calx__ast_binds(stmt, NULL, 0);
	switch (stmt->kind) {
	case CALX__N_SELECT:
	case CALX__N_SETOP: calx__cc_query(&c, stmt, 0); break;
	case CALX__N_INSERT: insert_stmt(&c, stmt); break;
	case CALX__N_UPDATE: update_stmt(&c, stmt); break;
	case CALX__N_DELETE: delete_stmt(&c, stmt); break;
	case CALX__N_TXN: txn_stmt(&c, stmt); break;
	case CALX__N_CURSOR: cursor_stmt(&c, stmt); break;
	default: calx__cc_ddl(&c, stmt); break;
	}
	unsigned limit = max_params ? max_params : d->max_params;
	if (c.rc == CALX_OK && c.b.oom)
		calx__cc_fail(&c, CALX_ENOMEM, "out of memory");
	if (c.rc == CALX_OK && limit && c.n_params > limit) {
		char what[160];
		snprintf(what, sizeof what, "the statement has %u parameters, at most %u are allowed: split it", c.n_params,
		         limit);
		calx__cc_fail(&c, CALX_ERANGE, what);
	}
	calx__compiled *r = c.rc == CALX_OK ? calx__calloc(1, sizeof *r) : NULL;
	if (c.rc == CALX_OK && !r)
		calx__cc_fail(&c, CALX_ENOMEM, "out of memory");
	if (c.rc != CALX_OK) {
		calx__buf_free(&c.b);
		calx__free(c.map);
		return c.rc;
	}
	r->len = c.b.n;
	r->text = calx__buf_detach(&c.b);
	r->n_params = c.n_params;
	r->n_binds = n_binds;
	r->map = c.map;
	if (!r->text) {
		calx__compiled_free(r);
		return calx_error_set(err, CALX_ENOMEM, "compiling SQL for %s: out of memory", d->name);
	}
	*out = r;
	return CALX_OK;
}

void calx__compiled_free(calx__compiled *c)
{
	if (!c)
		return;
	calx__free(c->text);
	calx__free(c->map);
	calx__free(c->key.words);
	calx__free(c);
}
