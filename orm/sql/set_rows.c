/*
 * The flush's set statements (declared in sql/statements.h). On
 * PostgreSQL: UPDATE ... FROM and DELETE ... USING the rows of one JSON
 * parameter, through json_populate_recordset with the table's own row
 * type. On SQLite: UPDATE ... FROM a VALUES list of the rows' binds.
 *
 * Why JSON and the table's row type, not unnest() of one typed array a
 * column: unnest needs each column's type written in the statement
 * (CAST($1 AS bigint[])), and the type calx would write (its CREATE
 * TABLE's) is not always the table's: a mapping onto an existing table may
 * have an integer column for an int64_t field, or a PostgreSQL enum or
 * domain where calx writes text. Assigning text[] elements to an enum
 * column is an error, where the row-at-a-time statement's untyped
 * parameter is not. CAST(NULL AS t) names the row type the database has
 * for t, so each value is read by its column's own input function, as an
 * untyped parameter is. Measured on this machine, 100,000 rows, 1,000 a
 * statement: the same time as unnest() of text arrays (0.36-0.58 s against
 * 0.40-0.46 s, in one psql script each).
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "sql/shaped.h"

const char *calx__set_rows_alias(const calx_mapper_desc *m)
{
	const char *dot = strrchr(m->table, '.'), *name = dot ? dot + 1 : m->table;
	return strcmp(name, "calx_rows") ? "calx_rows" : "calx_rows_";
}

/* json_populate_recordset(CAST(NULL AS t), ?) AS alias, in FROM or USING */
static calx__node *rows_source(calx__ast *a, const calx__mapper *m)
{
	calx__node *row_type = calx__ast_node_of(a, CALX__N_CAST, CALX__CAST_NULL_ROW, true);
	if (!row_type)
		return NULL;
	row_type->name = m->desc->table;
	row_type->next = calx__ast_bind(a, calx_value_null());
	calx__node *f = calx__ast_func(a, "json_populate_recordset", row_type);
	if (f)
		f->alias = calx__set_rows_alias(m->desc);
	return f;
}

/* t.key = rows.key for each key column, and t.version = rows.version */
static calx__node *rows_match(calx__ast *a, const calx__mapper *m, const calx__node *t, const calx__node *rows)
{
	calx__node *w = NULL;
	for (unsigned i = 0; i <= m->n_pk; i++) {
		int f = i < m->n_pk ? (int)m->pk[i] : m->version;
		if (f < 0)
			break;
		const calx_field_desc *fd = &m->desc->fields[f];
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, t, fd), calx__ast_field(a, rows, fd));
		w = w ? calx__ast_binary(a, CALX__OP_AND, w, eq) : eq;
	}
	return w;
}

static calx__node *build_update_set(calx__ast *a, const calx__mapper *m, const uint64_t *set, const uint64_t *unused,
                                    size_t n)
{
	(void)unused;
	(void)n;
	calx__node *t = calx__ast_mapper_table(a, m->desc, NULL);
	calx__node *up = calx__ast_update(a, t), *rows = rows_source(a, m);
	if (!up || !rows)
		return NULL;
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		if (!calx__bit(set, f))
			continue;
		const calx_field_desc *fd = &m->desc->fields[f];
		calx__node *v = calx__ast_field(a, rows, fd);
		/* the rows hold the version the snapshot has, to match on: the new one is one more */
		if ((int)f == m->version)
			v = calx__ast_binary(a, CALX__OP_ADD, v, calx__ast_bind(a, calx_value_null()));
		calx__ast_update_set(a, up, calx__ast_field(a, NULL, fd), v);
	}
	up->kid[CALX__UPD_FROM] = rows;
	up->kid[CALX__UPD_WHERE] = rows_match(a, m, t, rows);
	return up;
}

int calx__prepare_update_set(calx__conn *c, const calx__mapper *m, const uint64_t *set, calx__stmt **out,
                             calx_error *err)
{
	calx__shape_key k = calx__shape_key_of(CALX__KEY_UPDATE_SET, m);
	k.run[0] = set;
	k.n[0] = m->field_words;
	return calx__prepare_shaped(c, &k, m, build_update_set, set, NULL, out, err);
}

static calx__node *build_delete_set(calx__ast *a, const calx__mapper *m, const uint64_t *unused,
                                    const uint64_t *unused2, size_t n)
{
	(void)unused;
	(void)unused2;
	(void)n;
	calx__node *t = calx__ast_mapper_table(a, m->desc, NULL);
	calx__node *del = calx__ast_delete(a, t), *rows = rows_source(a, m);
	if (!del || !rows)
		return NULL;
	del->kid[CALX__DEL_USING] = rows;
	del->kid[CALX__DEL_WHERE] = rows_match(a, m, t, rows);
	return del;
}

static calx__node *build_delete_any(calx__ast *a, const calx__mapper *m, const uint64_t *unused,
                                    const uint64_t *unused2, size_t n)
{
	(void)unused;
	(void)unused2;
	(void)n;
	calx__node *t = calx__ast_mapper_table(a, m->desc, NULL);
	calx__node *del = calx__ast_delete(a, t);
	calx__node *any = calx__ast_func(a, "ANY", calx__ast_bind(a, calx_value_null()));
	if (!del || !any)
		return NULL;
	del->kid[CALX__DEL_WHERE] = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, t, &m->desc->fields[m->pk[0]]), any);
	return del;
}

int calx__prepare_delete_any(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	calx__shape_key k = calx__shape_key_of(CALX__KEY_DELETE_ANY, m);
	return calx__prepare_shaped(c, &k, m, build_delete_any, NULL, NULL, out, err);
}

/*
 * SQLite's: the rows as binds, so each value is bound as the row-at-a-time
 * statement binds it (a JSON document of them would be read back by
 * SQLite's json functions, slower than a statement a row when measured:
 * 82 ms against 72 ms for 100,000 rows, where 100 rows of binds took 51
 * ms). A VALUES list's columns are named column1, column2, ...: a row is
 * the key columns (m->pk order), the version, then the set columns in
 * field order (the version's excepted).
 */
static calx__node *values_column(calx__ast *a, const calx__node *rows, unsigned k)
{
	char name[24];
	int n = snprintf(name, sizeof name, "column%u", k + 1);
	return calx__ast_column(a, rows, calx__ast_strndup(a, name, (size_t)n));
}

static calx__node *build_update_values(calx__ast *a, const calx__mapper *m, const uint64_t *set, const uint64_t *unused,
                                       size_t n)
{
	(void)unused;
	calx__node *t = calx__ast_mapper_table(a, m->desc, NULL);
	calx__node *up = calx__ast_update(a, t), *rows = calx__ast_node(a, CALX__N_VALUES, 0);
	if (!up || !rows)
		return NULL;
	rows->alias = calx__set_rows_alias(m->desc);
	/* the columns of a row: its key, its version, the values it sets */
	unsigned k = 0, version = 0;
	calx__node *match = NULL;
	for (unsigned i = 0; i <= m->n_pk; i++, k++) {
		int f = i < m->n_pk ? (int)m->pk[i] : m->version;
		if (f < 0)
			break;
		if (f == m->version)
			version = k;
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, t, &m->desc->fields[f]),
		                                  values_column(a, rows, k));
		match = match ? calx__ast_binary(a, CALX__OP_AND, match, eq) : eq;
	}
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		if (!calx__bit(set, f))
			continue;
		calx__node *v;
		/* the rows hold the version the snapshot has, to match on: the new one is one more */
		if ((int)f == m->version)
			v = calx__ast_binary(a, CALX__OP_ADD, values_column(a, rows, version), calx__ast_bind(a, calx_value_null()));
		else
			v = values_column(a, rows, k++);
		calx__ast_update_set(a, up, calx__ast_field(a, NULL, &m->desc->fields[f]), v);
	}
	/* n rows of k binds, appended at a kept tail */
	calx__node **tail = &rows->kid[0];
	for (size_t r = 0; r < n; r++) {
		calx__node *row = calx__ast_node(a, CALX__N_ROW, 0), **item = row ? &row->kid[0] : NULL;
		if (!row)
			return NULL;
		for (unsigned j = 0; j < k; j++) {
			if (!(*item = calx__ast_bind(a, calx_value_null())))
				return NULL;
			item = &(*item)->next;
		}
		*tail = row;
		tail = &row->next;
	}
	up->kid[CALX__UPD_FROM] = rows;
	up->kid[CALX__UPD_WHERE] = match;
	return up;
}

int calx__prepare_update_values(calx__conn *c, const calx__mapper *m, const uint64_t *set, size_t rows,
                                calx__stmt **out, calx_error *err)
{
	uint64_t count = rows;
	calx__shape_key k = calx__shape_key_of(CALX__KEY_UPDATE_VALUES, m);
	k.run[0] = set;
	k.n[0] = m->field_words;
	k.run[1] = &count;
	k.n[1] = 1;
	return calx__prepare_shaped_n(c, &k, m, build_update_values, set, NULL, rows, out, err);
}

unsigned calx__update_values_width(const calx__mapper *m, const uint64_t *set)
{
	unsigned k = m->n_pk + (m->version >= 0);
	for (unsigned f = 0; f < m->desc->n_fields; f++)
		k += calx__bit(set, f) && (int)f != m->version;
	return k;
}

int calx__prepare_delete_set(calx__conn *c, const calx__mapper *m, calx__stmt **out, calx_error *err)
{
	calx__shape_key k = calx__shape_key_of(CALX__KEY_DELETE_SET, m);
	return calx__prepare_shaped(c, &k, m, build_delete_set, NULL, NULL, out, err);
}
