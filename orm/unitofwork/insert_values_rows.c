/*
 * Many rows a statement on a dialect that otherwise sends a statement a
 * row (SQLite, which has no execute_batch): INSERT INTO t (...) VALUES
 * (...), (...), ... for a run whose every column is given, keys included.
 *
 * Why only those: with nothing left to the database, nothing comes back,
 * so nothing has to be matched to rows. A row whose key SQLite generates
 * would need RETURNING, and a multi-row INSERT ... RETURNING measured
 * slower than a statement a row (bench/RESULTS.md: +15% instructions with
 * keys back, -26% without, 100 rows a statement).
 *
 * Errors name the row, as on the row path. A statement that fails is
 * undone by SQLite alone (a constraint aborts the statement, not the
 * transaction), and its rows are then sent again one at a time by the
 * caller, whose row path reports the row at fault and its constraint.
 * Any other failure (I/O, a lock, memory) ends the flush with the rows
 * the statement held, since SQLite may have rolled the whole transaction
 * back and no row may go out after that.
 */
#include "calx/calx.h"
#include "session/session.h"
#include "sql/statements.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

#define ROWS_PER_STATEMENT 100  /* measured: bench/RESULTS.md, "SQLite multi-row VALUES" */
#define SMALLEST_PIECE 8        /* a run's rest goes in pieces of 64, 32, 16, 8 rows; then a statement a row */

/* A refusal by the data, which undoes the statement only: the row path can find the row. */
static bool row_refused(int rc)
{
	return rc == CALX_EUNIQUE || rc == CALX_EFOREIGNKEY || rc == CALX_ENOTNULL || rc == CALX_ECHECK ||
	       rc == CALX_ERANGE || rc == CALX_ETYPE;
}

/* Rows [base, base + per) in one statement; CALX_OK, or the statement's failure (nothing of it stays). */
static int piece(calx_session *s, calx__plan *p, size_t base, size_t per, unsigned k, const uint64_t *sent,
                 const uint64_t *unsent)
{
	calx__obj **rows = p->inserts.v + base;
	calx__stmt *st = NULL;
	int rc = calx__prepare_insert_rows(s->conn, calx__obj_mapper(rows[0]), sent, NULL, per, &st, &s->err);
	if (rc != CALX_OK)
		return rc;
	for (size_t r = 0; r < per && rc == CALX_OK; r++)
		rc = calx__ins_values(s, rows[r], unsent, p->params + r * k);
	for (size_t j = 0; j < per * k && rc == CALX_OK; j++)
		rc = s->d->bind(st->st, (unsigned)j, &p->params[j], &s->err);
	if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW)
		rc = calx_error_set(&s->err, CALX_ERROR, "a multi-row insert returned a row");
	if (rc == CALX_DONE)
		rc = CALX_OK;
	s->d->reset(st->st);
	calx__stmt_release(st);
	return rc;
}

static size_t rows_per_statement(const calx_session *s, const calx__mapper *m)
{
	unsigned k = m->desc->n_fields;
	return s->d->max_params && s->d->max_params / k < ROWS_PER_STATEMENT ? s->d->max_params / k : ROWS_PER_STATEMENT;
}

bool calx__ins_values_rows_fit(const calx_session *s, const calx__mapper *m, size_t n)
{
	return !s->d->execute_batch && m->field_words <= CALX__ROWS_MAX_WORDS &&
	       rows_per_statement(s, m) >= SMALLEST_PIECE && n >= SMALLEST_PIECE;
}

int calx__ins_values_rows(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, size_t *done)
{
	*done = i;
	const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
	unsigned k = m->desc->n_fields;
	size_t per = rows_per_statement(s, m);
	if (!calx__ins_values_rows_fit(s, m, end - i))
		return CALX_OK;
	uint64_t *unsent = calx__plan_bits(s, CALX__BITS_ROW), *sent = calx__plan_bits(s, CALX__BITS_SENT);
	for (unsigned w = 0; w < m->field_words; w++) {
		unsigned left = m->desc->n_fields - w * 64;
		unsent[w] = 0;
		sent[w] = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
	}
	int rc = calx__plan_params(s, per * k);
	if (rc != CALX_OK)
		return rc;
	if (m->autoinc >= 0)
		p->explicit_keys[m->desc->index] = 1;
	size_t at = i;
	while (at < end) {
		size_t n = end - at >= per ? per : 0;
		for (size_t size = 64; !n && size >= SMALLEST_PIECE; size >>= 1)
			if (size < per && end - at >= size)
				n = size;
		if (!n)
			break;          /* the rest, a statement a row */
		rc = piece(s, p, at, n, k, sent, unsent);
		if (rc != CALX_OK) {
			if (row_refused(rc))
				break;  /* the caller sends these rows one at a time, and names the one refused */
			calx_error keep = s->err;
			return calx__fail_wrap(s, "flush: insert into \"%s\" (one of rows %zu to %zu of %zu): %.380s",
			                       m->desc->table, at - from + 1, at - from + n, p->inserts.n - from, keep.msg);
		}
		for (size_t r = at; r < at + n; r++)
			calx__state_snapshot(p->inserts.v[r]);
		at += n;
		if (p->n_inserted < at)
			p->n_inserted = at;
		*done = at;
	}
	return CALX_OK;
}
