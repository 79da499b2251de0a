/*
 * A run of one mapper's deletes on PostgreSQL, many rows a statement
 * (sql/set_rows.c): DELETE FROM t USING json_populate_recordset(...)
 * WHERE the key (and version) match, up to CALX__SET_ROWS rows each. A
 * composite key is matched column by column, as the row statement does.
 *
 * The order: graph.c puts a round's deletes children first, and runs of
 * one mapper keep that order between tables. Inside one statement the
 * rows of a table that refer to each other (a tree in one table) go
 * together; PostgreSQL checks foreign keys, RESTRICT too, and runs ON
 * DELETE actions after the statement, when every row of it is gone, so
 * the statement refuses nothing the rows one at a time in graph.c's order
 * would accept. post_update keys were set NULL before (post_update.c), and
 * before_delete fired for the round before any of this (keep.c).
 *
 * A statement that fails or deletes fewer rows than it carries (a row
 * deleted elsewhere, a stale version) is rolled back to its savepoint and
 * its rows go one at a time (set_send.c), which reports the failing row
 * as before. A key value without an exact JSON form sends its statement's
 * rows one at a time too.
 */
#include "calx/calx.h"
#include "unitofwork/plan.h"
#include "unitofwork/set_rows.h"
#include "unitofwork/uow.h"

bool calx__delete_set_ok(const calx_session *s, const calx__mapper *m, size_t rows)
{
	return rows >= CALX__SET_MIN && calx__set_mapper_ok(s, m);
}

static int one_by_one(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from)
{
	int rc = CALX_OK;
	for (size_t r = i; r < end && rc == CALX_OK; r++)
		rc = calx__delete_send_row(s, p->deletes.v[r], r - from, p->deletes.n - from);
	return rc;
}

static int failed(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from)
{
	calx_error keep = s->err;
	return calx__fail_wrap(s, "flush: delete from \"%s\" (rows %zu to %zu of %zu): %.380s",
	                       p->deletes.v[i]->m->desc->table, i - from + 1, end - from, p->deletes.n - from, keep.msg);
}

static int statement(calx_session *s, calx__plan *p, calx__buf *b, size_t i, size_t end, size_t from)
{
	const calx__mapper *m = p->deletes.v[i]->m;
	int rc = CALX_OK;
	b->n = 0;
	calx__buf_putc(b, '[');
	for (size_t r = i; r < end && rc == CALX_OK; r++) {
		if (r > i)
			calx__buf_putc(b, ',');
		calx__buf_putc(b, '{');
		rc = calx__set_key_members(s, b, p->deletes.v[r]);
		calx__buf_putc(b, '}');
	}
	calx__buf_putc(b, ']');
	if (rc == CALX_ETYPE)
		return one_by_one(s, p, i, end, from);
	if (rc != CALX_OK)
		return failed(s, p, i, end, from);
	if (b->oom)
		return calx__fail(s, CALX_ENOMEM, "flush: delete from \"%s\": out of memory for %zu rows' keys",
		                  m->desc->table, end - i);
	calx__stmt *st;
	if ((rc = calx__prepare_delete_set(s->conn, m, &st, &s->err)) != CALX_OK)
		return failed(s, p, i, end, from);
	bool all;
	rc = calx__set_send(s, st, NULL, 0, b, end - i, &all);
	calx__stmt_release(st);
	if (rc != CALX_OK)
		return failed(s, p, i, end, from);
	return all ? CALX_OK : one_by_one(s, p, i, end, from);
}

int calx__delete_set_run(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from)
{
	calx__buf b = CALX__BUF_INIT;
	int rc = CALX_OK;
	for (size_t at = i; at < end && rc == CALX_OK; at += CALX__SET_ROWS)
		rc = statement(s, p, &b, at, end - at > CALX__SET_ROWS ? at + CALX__SET_ROWS : end, from);
	calx__buf_free(&b);
	return rc;
}
