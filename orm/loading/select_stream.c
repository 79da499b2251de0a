/*
 * Streaming a select on PostgreSQL, whose results libpq hands over whole:
 * a select read row by row (calx_select_next, calx_select_next_values)
 * goes through a server-side cursor, DECLARE calx_c<k> NO SCROLL CURSOR
 * FOR the select, then FETCH FORWARD n FROM it as each batch runs out, so
 * a loop over a million rows holds n rows of the result at a time
 * (CALX__STREAM_ROWS, or calx_select_yield_per's n). Other statements may
 * run between the FETCHes (a get, a lazy load, another select), which
 * libpq's single-row mode would not allow on the same connection.
 *
 * What reads the whole result anyway takes one statement as before:
 * calx_select_all, _one, _one_or_none, _first, _scalar, and the selects
 * that load relationships select-in or joined; so does a select whose
 * LIMIT fits one batch. Dialects that step rows one at a time (SQLite)
 * never need it.
 *
 * A cursor lives until its transaction ends (NO HOLD): its slot on the
 * connection is freed by CLOSE when the rows run out or the select is
 * freed, and by the end of the transaction (orm/sql/run.c).
 *
 * Round trips: a dialect with step_after (PostgreSQL: pipeline mode)
 * takes the DECLARE and the first FETCH in one, and a cursor read to its
 * end is not closed there and then: its CLOSE goes in the same round trip
 * as the next DECLARE of its slot, or not at all if the transaction ends
 * first. A select of a few rows read row by row, a report, is one round
 * trip instead of three (DECLARE, FETCH, CLOSE).
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/ast.h"
#include "sql/statements.h"
#include "loading/select_int.h"

void calx_select_yield_per(calx_select *q, size_t n)
{
	if (!q)
		return;
	if (q->started || n == 0) {
		calx__select_builder_error(q, CALX_EINVAL, "calx_select_yield_per of 0 rows, or after the select ran");
		return;
	}
	q->batch = n;
	/* SQLAlchemy's yield_per holds what the program holds: here, what it keeps (select_release.c) */
	if (!q->hold)
		q->release = true;
}

static size_t batch_of(const calx_select *q)
{
	return q->batch ? q->batch : CALX__STREAM_ROWS;
}

bool calx__stream_wanted(const calx_select *q)
{
	const calx_dialect *d = q->s->d;
	if (d->version < 2 || !d->server_cursors || q->whole || q->buffered || q->joined)
		return false;
	/* a LIMIT that fits one batch: one statement does */
	return q->limit < 0 || (uint64_t)q->limit > batch_of(q);
}

/* Prepare one cursor statement (DECLARE, CLOSE), which returns no rows. */
static int prepare_cursor(calx__conn *c, calx__ast *a, calx__node *stmt, calx__stmt **st, calx_error *err)
{
	*st = NULL;
	return stmt ? calx__sql_prepare(c, a, stmt, st, err)
	            : calx_error_set(err, CALX_ENOMEM, "out of memory building a cursor statement");
}

/* Prepare and run one cursor statement. */
static int run_once(calx__conn *c, calx__ast *a, calx__node *stmt, calx_error *err)
{
	calx__stmt *st;
	int rc = prepare_cursor(c, a, stmt, &st, err);
	if (rc == CALX_OK && (rc = c->d->step(st->st, err)) == CALX_DONE)
		rc = CALX_OK;
	if (st)
		c->d->reset(st->st);
	calx__stmt_release(st);
	return rc;
}

static bool pipelined(const calx__conn *c)
{
	return c->d->version >= 2 && c->d->step_after;
}

/*
 * DECLARE, with the slot's pending CLOSE before it, and the first FETCH
 * (q->st, prepared) in one round trip: the FETCH's first batch is then
 * q->st's result.
 */
static int declare_and_fetch(calx_select *q, calx__conn *c, int slot, calx__node *declare)
{
	calx_session *s = q->s;
	calx__stmt *close = NULL, *decl = NULL;
	calx_stmt *before[2];
	unsigned n = 0;
	calx__ast a;
	calx__ast_init(&a);
	int rc = CALX_OK;
	if (c->cursors_closing >> slot & 1) {
		char name[24];
		calx__cursor_name(slot, name, sizeof name);
		if ((rc = prepare_cursor(c, &a, calx__ast_cursor(&a, CALX__CURSOR_CLOSE, name, NULL, 0), &close, &s->err)) ==
		    CALX_OK)
			before[n++] = close->st;
	}
	if (rc == CALX_OK && (rc = prepare_cursor(c, q->ast, declare, &decl, &s->err)) == CALX_OK)
		before[n++] = decl->st;
	if (rc == CALX_OK)
		rc = c->d->step_after(before, n, q->st->st, &s->err);
	if (rc == CALX_OK)
		c->cursors_closing &= ~((uint64_t)1 << slot);
	if (close)
		c->d->reset(close->st);
	if (decl)
		c->d->reset(decl->st);
	calx__stmt_release(close);
	calx__stmt_release(decl);
	calx__ast_free(&a);
	return rc;
}

int calx__stream_open(calx_select *q, calx__node *sel)
{
	calx_session *s = q->s;
	calx__conn *c = s->conn;
	int slot = 0;
	while (slot < 64 && ((c->cursors | c->cursors_lost) >> slot & 1))
		slot++;
	if (slot == 64)
		return calx__fail(s, CALX_EINVAL,
		                  "select %s: 64 selects are being read row by row on this session at once "
		                  "(or their cursors wait for the transaction's end after a failed statement)",
		                  q->m->desc->name);
	char name[24];
	calx__cursor_name(slot, name, sizeof name);
	/* the DECLARE binds the select's values, read when it runs: the tree is q's, kept until freed */
	const char *kept = calx__ast_strndup(q->ast, name, strlen(name));
	calx__node *declare = kept ? calx__ast_cursor(q->ast, CALX__CURSOR_DECLARE, kept, sel, 0) : NULL;
	calx__ast a;
	calx__ast_init(&a);
	calx__node *fetch = calx__ast_cursor(&a, CALX__CURSOR_FETCH, name, NULL, batch_of(q));
	int rc = fetch ? calx__sql_prepare(c, &a, fetch, &q->st, &s->err)
	               : calx__fail(s, CALX_ENOMEM, "out of memory building a cursor statement");
	calx__ast_free(&a);
	if (rc == CALX_OK)
		rc = pipelined(c) ? declare_and_fetch(q, c, slot, declare) : run_once(c, q->ast, declare, &s->err);
	if (rc != CALX_OK) {
		calx__stmt_release(q->st);
		q->st = NULL;
		return rc;
	}
	c->cursors |= (uint64_t)1 << slot;
	q->cursor = slot + 1;
	q->cursor_conn = c;
	q->cursor_epoch = c->cursor_epoch;
	q->in_batch = 0;
	return CALX_OK;
}

int calx__stream_step(calx_select *q)
{
	calx_session *s = q->s;
	if (s->conn != q->cursor_conn || s->conn->cursor_epoch != q->cursor_epoch) {
		q->cursor = 0;
		return calx__fail(s, CALX_ESTATE,
		                  "select %s: its rows were read through a cursor of a transaction that has ended "
		                  "(commit or rollback); read them before it ends, or whole (calx_select_all)",
		                  q->m->desc->name);
	}
	int rc = s->d->step(q->st->st, &s->err);
	if (rc == CALX_DONE && q->in_batch == batch_of(q)) {
		/* a full batch: there may be more */
		s->d->reset(q->st->st);
		q->in_batch = 0;
		rc = s->d->step(q->st->st, &s->err);
	}
	if (rc == CALX_ROW) {
		q->in_batch++;
		return rc;
	}
	if (rc == CALX_DONE) {
		calx_error keep = s->err;
		if (pipelined(s->conn)) {
			/* read to its end: closed with the slot's next DECLARE, or by the transaction's end */
			int slot = q->cursor - 1;
			q->cursor = 0;
			s->conn->cursors &= ~((uint64_t)1 << slot);
			s->conn->cursors_closing |= (uint64_t)1 << slot;
		} else {
			calx__stream_close(q);
		}
		s->err = keep;
	}
	return rc;
}

void calx__stream_close(calx_select *q)
{
	if (!q->cursor)
		return;
	int slot = q->cursor - 1;
	calx__conn *c = q->s->conn;
	q->cursor = 0;
	if (!c || c != q->cursor_conn || c->cursor_epoch != q->cursor_epoch || !(c->cursors >> slot & 1))
		return;         /* ended with its transaction (the slot may be another select's now) */
	c->cursors &= ~((uint64_t)1 << slot);
	calx_error ignored;
	(void)calx__cursor_close(c, slot, &ignored);
}
