/*
 * The FROM of a concrete-table hierarchy's statements (concrete_union.h):
 * SQLAlchemy's polymorphic_union. For a struct m, one SELECT per table
 * of m and of its subclasses, glued by UNION ALL:
 *
 *   (SELECT "cti_person"."id" AS "id", ('person') AS "kind", ..., (NULL) AS "salary", ...
 *      FROM "cti_person"
 *    UNION ALL SELECT "cti_engineer"."id" AS "id", ('engineer') AS "kind", ..., "cti_engineer"."salary" AS "salary", ...
 *      FROM "cti_engineer" ...) AS "cti_person"
 *
 * Every branch reads the hierarchy's wide row in the same order (the
 * root's columns, then each subclass's own, schema order; a subclass's
 * table_columns says where its fields are), NULL where its table has no
 * such column. The discriminator is a literal per branch: a row's struct
 * is the table it came from, whatever the stored column says. The union
 * takes the struct's table name as its alias, so a condition on any
 * column of the hierarchy (calx_eq(CTI_ENGINEER_PRIMARY_LANGUAGE, ...))
 * names the union's column.
 */
#include <string.h>
#include "calx/calx.h"
#include "sql/concrete_union.h"

/* The field of struct x at position i of the wide row, or NULL (x's table has no such column). */
static const calx_field_desc *field_at(const calx__mapper *x, unsigned i)
{
	const calx_mapper_desc *d = x->desc;
	if (!d->table_columns)
		return i < d->n_fields ? &d->fields[i] : NULL;
	for (unsigned f = 0; f < d->n_fields; f++)
		if (d->table_columns[f] == i)
			return &d->fields[f];
	return NULL;
}

/* The field that names position i of the wide row: the root's, or the subclass's that declares it. */
static const calx_field_desc *wide_field(const calx__mapper *m, unsigned i)
{
	for (const calx__mapper *x = m->root; x; x = x->next_poly) {
		const calx_field_desc *fd = field_at(x, i);
		if (fd)
			return fd;
	}
	return NULL;
}

/* x's identity as an SQL literal: digits, or text in single quotes (doubled inside). */
static calx__node *identity_literal(calx__ast *a, const calx__mapper *x)
{
	const char *id = x->desc->polymorphic_identity;
	size_t n = strlen(id), k = 0;
	char *sql = calx__ast_alloc(a, 2 * n + 3);
	if (!sql)
		return NULL;
	bool text = x->identity.kind == CALX_VALUE_TEXT;
	if (text)
		sql[k++] = '\'';
	for (size_t j = 0; j < n; j++) {
		if (id[j] == '\'')
			sql[k++] = '\'';
		sql[k++] = id[j];
	}
	if (text)
		sql[k++] = '\'';
	sql[k] = '\0';
	return calx__ast_schema_sql(a, sql);
}

/*
 * NULL typed as the column it stands for, so that PostgreSQL can match
 * the union's branches (an untyped NULL in two branches becomes text,
 * which an integer column of a third does not match). A type both
 * dialects accept in CAST: the first word of the column's sql_type, or
 * one for its C type (SQLite takes any name; a NULL stays NULL).
 */
static calx__node *typed_null(calx__ast *a, const calx_field_desc *fd)
{
	const char *type;
	switch (fd->ctype) {
	case CALX_CTYPE_BOOL: type = "BOOLEAN"; break;
	case CALX_CTYPE_FLOAT: case CALX_CTYPE_DOUBLE: type = "REAL"; break;
	case CALX_CTYPE_STRING: case CALX_CTYPE_CHARARRAY: case CALX_CTYPE_CHAR: type = "TEXT"; break;
	case CALX_CTYPE_BYTEARRAY: case CALX_CTYPE_BYTES: type = "BYTEA"; break;
	default: type = "BIGINT"; break;
	}
	if (fd->sql_type) {
		size_t n = 0;
		while ((fd->sql_type[n] >= 'A' && fd->sql_type[n] <= 'Z') || (fd->sql_type[n] >= 'a' && fd->sql_type[n] <= 'z') ||
		       (n && fd->sql_type[n] >= '0' && fd->sql_type[n] <= '9') || fd->sql_type[n] == '_')
			n++;
		if (n)
			type = calx__ast_strndup(a, fd->sql_type, n);
	}
	return type ? calx__ast_cast(a, calx__ast_schema_sql(a, "NULL"), type) : NULL;
}

/* SELECT x's wide row FROM x's table. */
static calx__node *branch(calx__ast *a, const calx__mapper *x)
{
	const calx_mapper_desc *d = x->desc;
	calx__node *sel = calx__ast_select(a), *t = calx__ast_mapper_table(a, d, NULL);
	if (!sel || !t)
		return NULL;
	sel->kid[CALX__SEL_FROM] = t;
	calx__node **tail = &sel->kid[CALX__SEL_COLS];
	for (unsigned i = 0; i < x->wide_n; i++) {
		const calx_field_desc *fd = field_at(x, i), *named = wide_field(x, i);
		calx__node *col = i == (unsigned)d->discriminator ? identity_literal(a, x)
		                : fd ? calx__ast_field(a, t, fd) : named ? typed_null(a, named) : NULL;
		if (!col || !named)
			return NULL;
		col->alias = named->column;
		*tail = col;
		tail = &col->next;
	}
	return sel;
}

calx__node *calx__concrete_from(calx__ast *a, const calx__mapper *m, const char *alias)
{
	calx__node *u = NULL;
	for (const calx__mapper *x = m->root; x; x = x->next_poly) {
		if (!calx__mapper_is_a(x, m) || x->abstract)
			continue;       /* not m's, or an abstract root's table, which is never created */
		calx__node *b = branch(a, x);
		if (!b)
			return NULL;
		u = u ? calx__ast_setop(a, CALX__SET_UNION_ALL, u, b) : b;
		if (!u)
			return NULL;
	}
	calx__node *from = calx__ast_subquery(a, u, alias ? alias : m->desc->table);
	if (from)
		from->desc = m->desc;
	return from;
}

bool calx__concrete_cols(calx__ast *a, const calx__mapper *m, const calx__node *u, calx__node ***tail)
{
	for (unsigned i = 0; i < m->wide_n; i++) {
		const calx_field_desc *fd = wide_field(m, i);
		calx__node *col = fd ? calx__ast_field(a, u, fd) : NULL;
		if (!col)
			return false;
		**tail = col;
		*tail = &col->next;
	}
	return true;
}

calx__node *calx__concrete_get(calx__ast *a, const calx__mapper *m)
{
	calx__node *sel = calx__ast_select(a), *u = calx__concrete_from(a, m, NULL);
	if (!sel || !u)
		return NULL;
	sel->kid[CALX__SEL_FROM] = u;
	calx__node **tail = &sel->kid[CALX__SEL_COLS];
	if (!calx__concrete_cols(a, m, u, &tail))
		return NULL;
	calx__node *w = NULL;
	for (unsigned i = 0; i < m->n_pk; i++) {
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, u, &m->desc->fields[m->pk[i]]),
		                                  calx__ast_bind(a, calx_value_null()));
		w = w ? calx__ast_binary(a, CALX__OP_AND, w, eq) : eq;
	}
	sel->kid[CALX__SEL_WHERE] = w;
	return sel;
}
