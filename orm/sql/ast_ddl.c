/*
 * The syntax tree's DDL nodes: CREATE TABLE and its column definitions,
 * constraints (keys, checks, foreign keys with their actions), CREATE
 * INDEX, DROP and ALTER TABLE. ast.c has the arena, expressions and DML.
 */
#include <string.h>
#include "base/alloc.h"
#include "sql/ast.h"

calx__node *calx__ast_create_table(calx__ast *a, calx__node *table, bool if_not_exists)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CREATE_TABLE, 0, table != NULL);
	if (n) {
		n->kid[CALX__CT_TABLE] = table;
		n->flags = if_not_exists ? CALX__F_IF_NOT_EXISTS : 0;
	}
	return n;
}

calx__node *calx__ast_coldef(calx__ast *a, const char *name, const calx_field_desc *f, const char *type,
                             bool not_null, const char *default_sql)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_COLDEF, 0, name && (f || type));
	if (!n)
		return NULL;
	n->name = name;
	n->desc = f;
	if (!f)
		n->kid[0] = calx__ast_schema_sql(a, type);
	if (default_sql)
		n->kid[1] = calx__ast_schema_sql(a, default_sql);
	n->flags = not_null ? CALX__F_NOT_NULL : 0;
	return n;
}

calx__node *calx__ast_constraint(calx__ast *a, int kind, const char *name, calx__node *cols)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CONSTRAINT, kind, name && (cols || kind == CALX__CON_CHECK));
	if (n) {
		n->name = name;
		n->kid[CALX__CS_COLS] = cols;
	}
	return n;
}

calx__node *calx__ast_check(calx__ast *a, const char *name, const char *sql)
{
	calx__node *n = calx__ast_constraint(a, CALX__CON_CHECK, name, NULL);
	if (n && !(n->kid[CALX__CS_CHECK] = calx__ast_schema_sql(a, sql)))
		return NULL;
	return n;
}

calx__node *calx__ast_foreign_key(calx__ast *a, const char *name, calx__node *cols, calx__node *ref_table,
                                  calx__node *ref_cols, int on_delete, int on_update)
{
	calx__node *n = calx__ast_constraint(a, CALX__CON_FOREIGN_KEY, name, cols);
	if (!n || !ref_table || !ref_cols || on_delete < 0 || on_update < 0) {
		a->oom = true;  /* callers check actions first (calx__fk_action) */
		return NULL;
	}
	n->kid[CALX__CS_REF_TABLE] = ref_table;
	n->kid[CALX__CS_REF_COLS] = ref_cols;
	n->flags = (uint16_t)(on_delete | on_update << 4);
	return n;
}

int calx__fk_action(const char *text)
{
	/* the words calx-reflect accepts (reflect/annot_field.c), in enum order */
	static const char *const words[] = { "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" };
	if (!text)
		return CALX__FK_NONE;
	for (int i = 0; i < 5; i++)
		if (strcmp(text, words[i]) == 0)
			return CALX__FK_CASCADE + i;
	return -1;
}

calx__node *calx__ast_create_index(calx__ast *a, const char *name, calx__node *table, calx__node *cols,
                                   bool unique, bool if_not_exists)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CREATE_INDEX, 0, name && table && cols);
	if (n) {
		n->name = name;
		n->kid[0] = table;
		n->kid[1] = cols;
		n->flags = (uint16_t)((unique ? CALX__F_UNIQUE : 0) | (if_not_exists ? CALX__F_IF_NOT_EXISTS : 0));
	}
	return n;
}

calx__node *calx__ast_create_schema(calx__ast *a, const char *qualified_table)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_CREATE_SCHEMA, 0, qualified_table != NULL);
	if (n)
		n->name = qualified_table;
	return n;
}

calx__node *calx__ast_drop(calx__ast *a, int what, const char *name, bool if_exists)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_DROP, what, name != NULL);
	if (n) {
		n->name = name;
		n->flags = if_exists ? CALX__F_IF_EXISTS : 0;
	}
	return n;
}

calx__node *calx__ast_alter(calx__ast *a, calx__node *table, calx__node *constraint, const char *name)
{
	calx__node *n = calx__ast_node_of(a, CALX__N_ALTER, constraint ? CALX__ALTER_ADD_CONSTRAINT : CALX__ALTER_DROP_CONSTRAINT,
	                        table && (constraint || name));
	if (n) {
		n->kid[0] = table;
		n->kid[1] = constraint;
		n->name = name;
	}
	return n;
}
