/*
 * The syntax tree's arena and builders.
 */
#include <string.h>
#include "base/alloc.h"
#include "sql/ast.h"

void calx__ast_init(calx__ast *a)
{
	a->used = 0;
	a->oom = false;
	a->more.head = NULL;
	a->more.next_size = 0;
}

void calx__ast_free(calx__ast *a)
{
	calx__arena_free(&a->more);
	a->used = 0;
	a->oom = false;
}

void *calx__ast_alloc(calx__ast *a, size_t size)
{
	size_t al = alignof(max_align_t);
	size_t at = (a->used + al - 1) & ~(al - 1);
	if (at <= CALX__AST_INLINE && size <= CALX__AST_INLINE - at) {
		a->used = at + size;
		return a->block + at;
	}
	void *p = calx__arena_alloc(&a->more, size, al);
	if (!p)
		a->oom = true;
	return p;
}

char *calx__ast_strndup(calx__ast *a, const char *s, size_t n)
{
	char *p = calx__ast_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

calx__node *calx__ast_node(calx__ast *a, calx__nk kind, int op)
{
	calx__node *n = calx__ast_alloc(a, sizeof *n);
	if (!n)
		return NULL;
	memset(n, 0, sizeof *n);
	n->kind = (uint8_t)kind;
	n->op = (uint8_t)op;
	n->count = CALX__ALL;
	return n;
}

/* A node whose required operands are all there; otherwise NULL with oom set. */
calx__node *calx__ast_node_of(calx__ast *a, calx__nk kind, int op, bool operands)
{
	if (!operands) {
		a->oom = true;
		return NULL;
	}
	return calx__ast_node(a, kind, op);
}

void calx__ast_append(calx__node **head, calx__node *n)
{
	if (!n)
		return;
	while (*head)
		head = &(*head)->next;
	*head = n;
}

size_t calx__ast_list_len(const calx__node *head)
{
	size_t n = 0;
	for (; head; head = head->next)
		n++;
	return n;
}

calx__node *calx__ast_table(calx__ast *a, const char *name, const char *alias)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_TABLE, 0, name != NULL);
	if (n) {
		n->name = name;
		n->alias = alias;
	}
	return n;
}

calx__node *calx__ast_mapper_table(calx__ast *a, const calx_mapper_desc *m, const char *alias)
{
	calx__node *n = calx__ast_table(a, m->table, alias);
	if (n)
		n->desc = m;
	return n;
}

calx__node *calx__ast_column(calx__ast *a, const calx__node *from, const char *name)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_COLUMN, 0, name != NULL);
	if (n) {
		n->from = from;
		n->name = name;
	}
	return n;
}

calx__node *calx__ast_field(calx__ast *a, const calx__node *from, const calx_field_desc *f)
{
	calx__node *n = calx__ast_column(a, from, f->column);
	if (n)
		n->desc = f;
	return n;
}

calx__node *calx__ast_bind(calx__ast *a, calx_value v)
{
	calx__node *n = calx__ast_node(a, CALX__N_BIND, 0);
	if (n)
		n->v = v;
	return n;
}

calx__node *calx__ast_bind_array(calx__ast *a, size_t n, calx_value **vals)
{
	*vals = NULL;
	calx__node *node = calx__ast_node_of(a, CALX__N_BINDS, 0, n > 0);
	calx_value *at = node && n <= SIZE_MAX / sizeof *at ? calx__ast_alloc(a, n * sizeof *at) : NULL;
	if (!at) {
		a->oom = true;
		return NULL;
	}
	node->vals.at = at;
	node->vals.n = n;
	*vals = at;
	return node;
}

calx__node *calx__ast_schema_sql(calx__ast *a, const char *sql)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_SCHEMA_SQL, 0, sql != NULL);
	if (n)
		n->name = sql;
	return n;
}

calx__node *calx__ast_func(calx__ast *a, const char *name, calx__node *args)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_FUNC, 0, name != NULL);
	if (n) {
		n->name = name;
		n->kid[0] = args;
	}
	return n;
}

calx__node *calx__ast_cast(calx__ast *a, calx__node *x, const char *type)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CAST, 0, x != NULL && type != NULL);
	if (n) {
		n->name = type;
		n->kid[0] = x;
	}
	return n;
}

calx__node *calx__ast_position(calx__ast *a, unsigned position)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_POSITION, 0, position > 0 && position <= UINT16_MAX);
	if (n)
		n->flags = (uint16_t)position;
	return n;
}

calx__node *calx__ast_count_star(calx__ast *a)
{
	calx__node *n = calx__ast_func(a, "count", NULL);
	if (n)
		n->flags |= CALX__F_STAR;
	return n;
}

calx__node *calx__ast_unary(calx__ast *a, calx__op op, calx__node *x)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_UNARY, op, x != NULL);
	if (n)
		n->kid[0] = x;
	return n;
}

calx__node *calx__ast_binary(calx__ast *a, calx__op op, calx__node *l, calx__node *r)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_BINARY, op, l && r);
	if (n) {
		n->kid[0] = l;
		n->kid[1] = r;
	}
	return n;
}

calx__node *calx__ast_like(calx__ast *a, calx__node *l, calx__node *pattern, calx__node *escape)
{
	calx__node *n = calx__ast_binary(a, CALX__OP_LIKE, l, pattern);
	if (n)
		n->kid[2] = escape;
	return n;
}

calx__node *calx__ast_in_list(calx__ast *a, calx__node *x, calx__node *items, bool negate)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_IN, 0, x && items);
	if (n) {
		n->kid[CALX__IN_EXPR] = x;
		n->kid[CALX__IN_LIST] = items;
		n->flags = negate ? CALX__F_NOT : 0;
	}
	return n;
}

calx__node *calx__ast_in_select(calx__ast *a, calx__node *x, calx__node *select, bool negate)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_IN, 0, x && select);
	if (n) {
		n->kid[CALX__IN_EXPR] = x;
		n->kid[CALX__IN_SELECT] = select;
		n->flags = negate ? CALX__F_NOT : 0;
	}
	return n;
}

calx__node *calx__ast_subquery(calx__ast *a, calx__node *select, const char *alias)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_SUBQUERY, 0, select != NULL);
	if (n) {
		n->kid[0] = select;
		n->alias = alias;
	}
	return n;
}

calx__node *calx__ast_join(calx__ast *a, int join, calx__node *left, calx__node *right, calx__node *on)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_JOIN, join, left && right && on);
	if (n) {
		n->kid[0] = left;
		n->kid[1] = right;
		n->kid[2] = on;
	}
	return n;
}

calx__node *calx__ast_order(calx__ast *a, calx__node *x, int dir)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_ORDER, dir, x != NULL);
	if (n)
		n->kid[0] = x;
	return n;
}

calx__node *calx__ast_select(calx__ast *a)
{
	return calx__ast_node(a, CALX__N_SELECT, 0);
}

calx__node *calx__ast_setop(calx__ast *a, int op, calx__node *left, calx__node *right)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_SETOP, op, left && right);
	if (n) {
		n->kid[CALX__SETOP_LEFT] = left;
		n->kid[CALX__SETOP_RIGHT] = right;
	}
	return n;
}

calx__node *calx__ast_insert(calx__ast *a, calx__node *table)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_INSERT, 0, table != NULL);
	if (n)
		n->kid[CALX__INS_TABLE] = table;
	return n;
}

void calx__ast_insert_row(calx__ast *a, calx__node *insert, calx__node *values)
{
	calx__node *row = calx__ast_node_of(a, CALX__N_ROW, 0, insert != NULL);
	if (!row)
		return;
	row->kid[0] = values;
	calx__ast_append(&insert->kid[CALX__INS_ROWS], row);
}

calx__node *calx__ast_update(calx__ast *a, calx__node *table)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_UPDATE, 0, table != NULL);
	if (n)
		n->kid[CALX__UPD_TABLE] = table;
	return n;
}

void calx__ast_update_set(calx__ast *a, calx__node *update, calx__node *column, calx__node *value)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_ASSIGN, 0, update && column && value);
	if (!n)
		return;
	n->kid[0] = column;
	n->kid[1] = value;
	calx__ast_append(&update->kid[CALX__UPD_SET], n);
}

calx__node *calx__ast_delete(calx__ast *a, calx__node *table)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_DELETE, 0, table != NULL);
	if (n)
		n->kid[CALX__DEL_TABLE] = table;
	return n;
}

calx__node *calx__ast_cursor(calx__ast *a, int op, const char *name, calx__node *select, size_t rows)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CURSOR, op, name && (op != CALX__CURSOR_DECLARE || select));
	if (n) {
		n->name = name;
		n->kid[0] = select;
		n->count = rows;
	}
	return n;
}

calx__node *calx__ast_txn(calx__ast *a, int op, const char *savepoint)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_TXN, op, op < CALX__TX_SAVEPOINT || savepoint);
	if (n)
		n->name = savepoint;
	return n;
}
