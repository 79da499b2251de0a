/*
 * PostgreSQL's set insert (declared in sql/statements.h):
 *
 *   INSERT INTO t (a, b) SELECT * FROM unnest(
 *       coalesce($1, ARRAY[(CAST(NULL AS t)).a]),
 *       coalesce($2, ARRAY[(CAST(NULL AS t)).b])) [RETURNING ...]
 *
 * one parameter a column, an array literal of the rows' values
 * (sql/array_text.h), however many rows the statement carries.
 *
 * Why arrays: a thousand rows as a multi-row VALUES list of 3,000
 * parameters cost the server about 3.1 ms a statement to plan and run,
 * where the same rows as three arrays cost 2.1 ms, and the arrays' Bind
 * is cheaper too (pg_stat_statements, 100,000 rows; bench/RESULTS.md,
 * "PostgreSQL's insert: one array a column").
 *
 * Why coalesce: unnest() needs to know each array's type, and the type is
 * the table's, not calx's. A column may be an enum, a domain or an integer
 * narrower than calx's CREATE TABLE would write, and PostgreSQL assigns no
 * text[] element to an enum column. The second argument is an array of the
 * column's own type, read from the table's row type, so the server gives
 * the parameter that array type, and each element is read by the
 * column's input function, as an untyped parameter of the VALUES form
 * is. It is never evaluated: the parameter is never NULL. A row type
 * needs no privilege on the table, only its name.
 */
#include "calx/calx.h"
#include "sql/shaped.h"

static calx__node *column_array(calx__ast *a, const calx__mapper *m, const calx_field_desc *f)
{
	calx__node *type = calx__ast_node_of(a, CALX__N_CAST, CALX__CAST_COLUMN_ARRAY, true);
	calx__node *bind = calx__ast_bind(a, calx_value_null());
	if (!type || !bind)
		return NULL;
	type->name = m->desc->table;
	type->desc = f;
	bind->next = type;
	return calx__ast_func(a, "coalesce", bind);
}

static calx__node *build_insert_arrays(calx__ast *a, const calx__mapper *m, const uint64_t *sent, const uint64_t *ret,
                                       size_t n)
{
	(void)n;
	calx__node *ins = calx__ast_insert(a, calx__ast_mapper_table(a, m->desc, NULL)), *sel = calx__ast_select(a);
	if (!ins || !sel)
		return NULL;
	calx__node *arrays = NULL, **tail = &arrays;
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		if (!calx__bit(sent, f))
			continue;
		if (!(*tail = column_array(a, m, &m->desc->fields[f])))
			return NULL;
		tail = &(*tail)->next;
	}
	sel->flags |= CALX__F_STAR;
	sel->kid[CALX__SEL_FROM] = calx__ast_func(a, "unnest", arrays);
	ins->kid[CALX__INS_COLS] = calx__ast_fields(a, m, sent, false);
	ins->kid[CALX__INS_ROWS] = sel;
	ins->kid[CALX__INS_RETURNING] = calx__ast_fields(a, m, ret, false);
	return sel->kid[CALX__SEL_FROM] && ins->kid[CALX__INS_COLS] ? ins : NULL;
}

int calx__prepare_insert_arrays(calx__conn *c, const calx__mapper *m, const uint64_t *sent, const uint64_t *returning,
                                calx__stmt **out, calx_error *err)
{
	bool returns = false;
	for (unsigned w = 0; returning && w < m->field_words; w++)
		returns = returns || returning[w];
	calx__shape_key k = calx__shape_key_of(CALX__KEY_INSERT_ARRAYS, m);
	k.run[0] = sent;
	k.n[0] = m->field_words;
	k.run[1] = returning;
	k.n[1] = returns ? m->field_words : 0;
	return calx__prepare_shaped(c, &k, m, build_insert_arrays, sent, returns ? returning : NULL, out, err);
}
