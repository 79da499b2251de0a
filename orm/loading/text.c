/*
 * Raw SQL through calx_text (calx/text.h): the program's text with named
 * parameters, rewritten and prepared by the SQL layer (orm/sql/text.c),
 * run in the session's transaction after its autoflush; rows handed out
 * as values. Everything refused is refused before the text is sent.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "mapping/value.h"
#include "session/session.h"
#include "sql/expr.h"
#include "sql/text.h"
#include "loading/text_int.h"

calx_text_query *calx_text(calx_session *s, const char *sql)
{
	if (!s)
		return NULL;
	calx_text_query *t = calx__calloc(1, sizeof *t);
	if (!t) {
		calx__fail(s, CALX_ENOMEM, "calx_text: out of memory");
		return NULL;
	}
	t->s = s;
	if (calx__text_parse(s->d, sql, &t->sql, &t->err) != CALX_OK || !t->sql.n_names)
		return t;
	t->values = calx__calloc(t->sql.n_names, sizeof *t->values);
	t->bound = calx__calloc(t->sql.n_names, sizeof *t->bound);
	if (!t->values || !t->bound)
		calx_error_set(&t->err, CALX_ENOMEM, "calx_text: out of memory for the parameters");
	return t;
}

int calx_text_bind(calx_text_query *t, const char *name, calx_value v)
{
	if (!t)
		return CALX_EINVAL;
	calx_session *s = t->s;
	if (t->err.code) {
		s->err = t->err;
		return t->err.code;
	}
	if (t->started)
		return calx__fail(s, CALX_ESTATE, "calx_text_bind: the text ran already");
	size_t i = 0;
	while (name && i < t->sql.n_names && strcmp(t->sql.names[i], name) != 0)
		i++;
	if (!name || i == t->sql.n_names)
		return calx__fail(s, CALX_EINVAL, "calx_text_bind: the text has no parameter :%.64s",
		                  name ? name : "(NULL)");
	if (calx__value_span_bad(&v))
		return calx__fail(s, CALX_EINVAL, "calx_text_bind :%.64s: an invalid text value (a NULL pointer with a "
		                  "length, or a length beyond any string)", name);
	if (!calx__expr_own(&v))
		return calx__fail(s, CALX_ENOMEM, "calx_text_bind :%.64s: out of memory copying the value", name);
	calx__expr_disown(&t->values[i]);
	t->values[i] = v;
	t->bound[i] = true;
	return CALX_OK;
}

static int start(calx_text_query *t)
{
	calx_session *s = t->s;
	int rc;
	t->started = true;
	t->done = true;         /* until the statement is prepared */
	if (t->err.code) {
		s->err = t->err;
		return t->err.code;
	}
	for (size_t i = 0; i < t->sql.n_names; i++)
		if (!t->bound[i])
			return calx__fail(s, CALX_EINVAL, "calx_text: parameter :%.64s is not bound (calx_text_bind)",
			                  t->sql.names[i]);
	if ((rc = calx__check_usable(s)) != CALX_OK || (rc = calx__check_not_flushing(s, "calx_text")) != CALX_OK)
		return rc;
	if (s->autoflush && (rc = calx__flush(s)) != CALX_OK)
		return rc;
	if ((rc = calx__begin(s)) != CALX_OK)
		return rc;
	if ((rc = calx__text_prepare(s->conn, &t->sql, t->values, &t->st, &s->err)) != CALX_OK)
		return rc;
	t->done = false;
	return CALX_OK;
}

int calx__text_step(calx_text_query *t, uint64_t *changed)
{
	int rc;
	if (!t->started && (rc = start(t)) != CALX_OK)
		return rc;
	if (t->done)
		return CALX_DONE;
	calx_session *s = t->s;
	rc = s->d->step(t->st, &s->err);
	if (rc == CALX_ROW)
		return rc;
	if (rc == CALX_DONE && changed) {
		int64_t n = s->d->rows_affected(t->st);
		*changed = n > 0 ? (uint64_t)n : 0;
	}
	calx__text_finalize(s->conn, t->st);
	t->st = NULL;
	t->done = true;
	return rc;
}

int calx_text_next(calx_text_query *t, calx_value *vals, size_t n)
{
	if (!t || (!vals && n))
		return CALX_EINVAL;
	int rc = calx__text_step(t, NULL);
	if (rc != CALX_ROW)
		return rc;
	calx_session *s = t->s;
	t->n_cols = s->d->column_count(t->st);
	for (size_t i = 0; i < n; i++) {
		if (i < t->n_cols)
			s->d->column(t->st, (unsigned)i, &vals[i]);
		else
			vals[i] = calx_value_null();
	}
	return CALX_ROW;
}

size_t calx_text_column_count(const calx_text_query *t)
{
	return t ? t->n_cols : 0;
}

int calx_text_exec(calx_text_query *t, uint64_t *rows)
{
	if (rows)
		*rows = 0;
	if (!t)
		return CALX_EINVAL;
	if (t->started)
		return calx__fail(t->s, CALX_ESTATE, "calx_text_exec: the text ran already");
	uint64_t changed = 0;
	int rc;
	while ((rc = calx__text_step(t, &changed)) == CALX_ROW)
		;
	if (rc != CALX_DONE)
		return rc;
	if (rows)
		*rows = changed;
	return CALX_OK;
}

void calx_text_free(calx_text_query *t)
{
	if (!t)
		return;
	if (t->st)
		calx__text_finalize(t->s->conn, t->st);
	for (size_t i = 0; t->values && i < t->sql.n_names; i++)
		calx__expr_disown(&t->values[i]);
	calx__free(t->values);
	calx__free(t->bound);
	calx__text_sql_free(&t->sql);
	calx__free(t->cols);
	calx__free(t->scratch);
	calx__free(t);
}
