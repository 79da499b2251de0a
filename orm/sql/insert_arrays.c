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
#include <ctype.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/registry.h"
#include "sql/array_text.h"
#include "sql/insert_arrays.h"
#include "sql/shaped.h"

static calx__node *typed_bind(calx__ast *a, const calx__mapper *m, const calx_field_desc *f)
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
		if (!(*tail = typed_bind(a, m, &m->desc->fields[f])))
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
	bool returns;
	calx__shape_key k = calx__insert_key(CALX__KEY_INSERT_ARRAYS, m, sent, returning, &returns);
	return calx__prepare_shaped(c, &k, m, build_insert_arrays, sent, returns ? returning : NULL, out, err);
}

/* --- the rows as arrays ------------------------------------------------- */

bool calx__arrays_fit(calx__arrays *a, const calx_dialect *d, const calx__mapper *m, const uint64_t *sent)
{
	char type[256];
	unsigned c = 0;
	memset(a->bytea, 0, sizeof a->bytea);
	memset(a->uuid, 0, sizeof a->uuid);
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		if (!calx__bit(sent, f))
			continue;
		unsigned at = c++;
		if (at >= 64 * CALX__ROWS_MAX_WORDS)
			return false;
		bool bytes = fd->ctype == CALX_CTYPE_BYTEARRAY || fd->ctype == CALX_CTYPE_BYTES;
		if (fd->ctype != CALX_CTYPE_USER && !fd->sql_type && !fd->sql_type_variants) {
			calx__bit_set(a->bytea, at, bytes);     /* the dialect's own type for a C type: never an array */
			continue;
		}
		calx__column_type(d, fd, type, sizeof type);
		for (char *t = type; *t; t++)
			*t = (char)tolower((unsigned char)*t);
		if (strchr(type, '[') || strstr(type, "array"))
			return false;
		calx__bit_set(a->bytea, at, !strcmp(type, "bytea"));
		calx__bit_set(a->uuid, at, !strcmp(type, "uuid"));
	}
	return true;
}

/* Rows [lo, hi)'s array of column c: "{v1,v2,...}" and a NUL, at the end of the text; its length in *out. */
static int column_array(calx__arrays *a, const calx_value *vals, size_t lo, size_t hi, unsigned k, unsigned c,
                        calx_value *out, size_t *bad, calx_error *err)
{
	size_t at = a->text.n;
	bool bytea = calx__bit(a->bytea, c), uuid = calx__bit(a->uuid, c);
	calx__buf_putc(&a->text, '{');
	for (size_t r = lo; r < hi; r++) {
		const calx_value *v = &vals[r * k + c];
		if (v->kind == CALX_VALUE_BLOB) {
			if (!bytea && !uuid)
				return CALX__NO_ARRAY_FORM;
			calx__array_bytes(&a->text, r == lo, v, bytea);
		} else if (calx__array_value(&a->text, r == lo, v) != CALX_OK) {
			*bad = r;
			return calx_error_set(err, CALX_ERANGE, "postgresql: text contains a NUL byte, which PostgreSQL cannot store");
		}
	}
	calx__buf_putn(&a->text, "}", 2);
	*out = (calx_value){ .kind = CALX_VALUE_TEXT, .u.s.n = a->text.n - at - 1 };
	return CALX_OK;
}

int calx__arrays_make(calx__arrays *a, const calx_value *vals, size_t n, unsigned k, size_t per, calx_value *out,
                      size_t *bad, calx_error *err)
{
	size_t count = (n + per - 1) / per;
	int rc = CALX_OK;
	a->text.n = 0;
	for (size_t st = 0; st < count && rc == CALX_OK; st++)
		for (unsigned c = 0; c < k && rc == CALX_OK; c++)
			rc = column_array(a, vals, st * per, n - st * per < per ? n : st * per + per, k, c, &out[st * k + c],
			                  bad, err);
	if (rc != CALX_OK)
		return rc;
	if (a->text.oom)
		return calx_error_set(err, CALX_ENOMEM, "out of memory for the arrays of %zu rows", n);
	/* the text is where it stays now: each array follows the last one's NUL */
	const char *at = a->text.p;
	for (size_t j = 0; j < count * k; j++) {
		out[j].u.s.p = at;
		at += out[j].u.s.n + 1;
	}
	return CALX_OK;
}

void calx__arrays_free(calx__arrays *a)
{
	calx__buf_free(&a->text);
}
