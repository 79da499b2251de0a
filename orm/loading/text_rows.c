/*
 * Raw SQL's rows onto structs and onto rows of declared kinds
 * (calx/text.h): SQLAlchemy's select(User).from_statement(text(...)) and
 * text(...).columns(...).
 *
 * Onto a struct: the rows' columns are matched to the mapper's columns by
 * name once, at the first row (exactly, else ignoring case when one
 * column matches: PostgreSQL folds unquoted names to lower case), every
 * result column must be one of the struct's and every one of the struct's
 * must be there; then each row is loaded as a select's row is, through the
 * identity map (load.c, with the columns in the text's order).
 *
 * Of declared kinds: each value is converted to the kind asked for where
 * that loses nothing (an integer as a real, a whole real or decimal as an
 * integer, a number as decimal text), which irons out what the dialects
 * hand back for one expression (SQLite's sum of integers an INTEGER,
 * PostgreSQL's a NUMERIC); anything else is CALX_ETYPE naming the column.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "base/decimal.h"
#include "mapping/value.h"
#include "session/session.h"
#include "loading/polymorphic.h"
#include "loading/text_int.h"

#define SCRATCH 32      /* a number's decimal text: "-9223372036854775808", "%.17g" */

static const char *kind_name(calx_value_kind k)
{
	static const char *const names[] = { "NULL", "an integer", "a real", "text", "bytes", "a decimal" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "an unknown kind";
}

/* The field of m named name: exactly, else the one that matches ignoring case; -1: none. */
static int field_named(const calx_mapper_desc *m, const char *name)
{
	int loose = -1, n_loose = 0;
	for (unsigned f = 0; f < m->n_fields; f++) {
		if (!strcmp(m->fields[f].column, name))
			return (int)f;
		if (!strcasecmp(m->fields[f].column, name)) {
			loose = (int)f;
			n_loose++;
		}
	}
	return n_loose == 1 ? loose : -1;
}

/* Each field's column in the rows, from the first row's column names. */
static int match_columns(calx_text_query *t, const calx_mapper_desc *m)
{
	calx_session *s = t->s;
	unsigned n = s->d->column_count(t->st);
	if (!s->d->column_name)
		return calx__fail(s, CALX_EINVAL, "calx_text onto %s: the %s dialect names no result columns", m->name,
		                  s->d->name);
	calx__free(t->cols);
	t->cols_of = NULL;
	if (!(t->cols = calx__malloc((m->n_fields ? m->n_fields : 1) * sizeof *t->cols)))
		return calx__fail(s, CALX_ENOMEM, "calx_text onto %s: out of memory", m->name);
	for (unsigned f = 0; f < m->n_fields; f++)
		t->cols[f] = UINT32_MAX;
	for (unsigned c = 0; c < n; c++) {
		const char *name = s->d->column_name(t->st, c);
		int f = name ? field_named(m, name) : -1;
		if (f < 0)
			return calx__fail(s, CALX_EINVAL, "calx_text onto %s: the text's column \"%.64s\" is no column of "
			                  "table \"%s\"", m->name, name ? name : "(unnamed)", m->table);
		if (t->cols[f] != UINT32_MAX)
			return calx__fail(s, CALX_EINVAL, "calx_text onto %s: the text has column \"%s\" twice", m->name,
			                  m->fields[f].column);
		t->cols[f] = c;
	}
	for (unsigned f = 0; f < m->n_fields; f++)
		if (t->cols[f] == UINT32_MAX)
			return calx__fail(s, CALX_EINVAL, "calx_text onto %s: column \"%s\" is missing from the text's "
			                  "rows (an object needs every mapped column: select them all)", m->name,
			                  m->fields[f].column);
	t->cols_of = m;
	return CALX_OK;
}

int calx_text_next_object(calx_text_query *t, const calx_mapper_desc *md, void **out)
{
	if (out)
		*out = NULL;
	if (!t || !md || !out)
		return CALX_EINVAL;
	calx_session *s = t->s;
	const calx__mapper *m = calx__registry_find(s->reg, md, &s->err);
	if (!m)
		return s->err.code;
	if (m->poly)
		return calx__fail(s, CALX_EINVAL, "calx_text onto %s: a struct of an inheritance hierarchy (use a select)",
		                  md->name);
	int rc = calx__text_step(t, NULL);
	if (rc != CALX_ROW)
		return rc;
	if (t->cols_of != md && (rc = match_columns(t, md)) != CALX_OK)
		return rc;
	calx__stmt row = { .st = t->st };
	calx__obj *h;
	if ((rc = calx__load_row_exact(s, m, &row, 0, t->cols, &h)) != CALX_OK)
		return rc;
	*out = calx__obj_ptr(h);
	return CALX_ROW;
}

/* Value v of column c as kind k, losing nothing, or CALX_ETYPE. */
static int as_kind(calx_text_query *t, size_t c, calx_value_kind k, calx_value *v)
{
	calx_session *s = t->s;
	calx_value_kind from = v->kind;
	int64_t i;
	double d;
	if (from == CALX_VALUE_NULL || from == k)
		return CALX_OK;
	switch (k) {
	case CALX_VALUE_INT:
		if (from == CALX_VALUE_REAL && v->u.d >= -9223372036854775808.0 && v->u.d < 9223372036854775808.0 &&
		    (double)(int64_t)v->u.d == v->u.d) {
			*v = calx_value_int((int64_t)v->u.d);
			return CALX_OK;
		}
		if (from == CALX_VALUE_NUMERIC && calx__dec_to_int64(v->u.s.p, v->u.s.n, &i) == CALX__DEC_OK) {
			*v = calx_value_int(i);
			return CALX_OK;
		}
		break;
	case CALX_VALUE_REAL:
		if (from == CALX_VALUE_INT) {
			*v = calx_value_real((double)v->u.i);
			return CALX_OK;
		}
		if (from == CALX_VALUE_NUMERIC && calx__dec_to_double(v->u.s.p, v->u.s.n, &d) == CALX__DEC_OK) {
			*v = calx_value_real(d);
			return CALX_OK;
		}
		break;
	case CALX_VALUE_NUMERIC:
		if (from == CALX_VALUE_INT || (from == CALX_VALUE_REAL && v->u.d == v->u.d && v->u.d - v->u.d == 0)) {
			char *buf = t->scratch + c * SCRATCH;
			int len = from == CALX_VALUE_INT ? snprintf(buf, SCRATCH, "%" PRId64, v->u.i)
			                                 : snprintf(buf, SCRATCH, "%.17g", v->u.d);
			v->kind = CALX_VALUE_NUMERIC;
			v->u.s.p = buf;
			v->u.s.n = (size_t)len;
			return CALX_OK;
		}
		break;
	case CALX_VALUE_TEXT:
	case CALX_VALUE_BLOB:
		break;
	default:
		return calx__fail(s, CALX_EINVAL, "calx_text_next_typed: column %zu declared of no kind (%d)", c + 1, (int)k);
	}
	const char *name = s->d->column_name ? s->d->column_name(t->st, (unsigned)c) : NULL;
	return calx__fail(s, CALX_ETYPE, "calx_text_next_typed: column %zu (\"%.64s\") is %s, not %s", c + 1,
	                  name ? name : "?", kind_name(from), kind_name(k));
}

int calx_text_next_typed(calx_text_query *t, const calx_value_kind *kinds, calx_value *vals, size_t n)
{
	if (!t || ((!kinds || !vals) && n))
		return CALX_EINVAL;
	calx_session *s = t->s;
	if (n > t->scratch_n) {
		calx__free(t->scratch);
		t->scratch_n = 0;
		if (!(t->scratch = calx__malloc(n * SCRATCH)))
			return calx__fail(s, CALX_ENOMEM, "calx_text_next_typed: out of memory");
		t->scratch_n = n;
	}
	int rc = calx__text_step(t, NULL);
	if (rc != CALX_ROW)
		return rc;
	size_t have = s->d->column_count(t->st);
	t->n_cols = have;
	if (have != n)
		return calx__fail(s, CALX_EINVAL, "calx_text_next_typed: the text's rows have %zu columns, %zu declared",
		                  have, n);
	for (size_t c = 0; c < n; c++) {
		s->d->column(t->st, (unsigned)c, &vals[c]);
		if ((rc = as_kind(t, c, kinds[c], &vals[c])) != CALX_OK)
			return rc;
	}
	return CALX_ROW;
}
