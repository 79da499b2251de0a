/*
 * A run of one mapper's deletes on PostgreSQL, many rows a statement
 * (sql/set_rows.c), up to CALX__SET_ROWS rows each: DELETE FROM t WHERE
 * key = ANY($1), the keys an array literal, for a one-column key without
 * a version; otherwise DELETE FROM t USING json_populate_recordset(...)
 * WHERE the key (and version) match, a composite key column by column, as
 * the row statement does.
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
 * as before. A key value without an array element form (sql/array_text.h)
 * goes in the JSON form; one without an exact JSON form sends its
 * statement's rows one at a time.
 */
#include "calx/calx.h"
#include "sql/array_text.h"
#include "sql/statements.h"
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
	                       calx__obj_mapper(p->deletes.v[i])->desc->table, i - from + 1, end - from, p->deletes.n - from, keep.msg);
}

/*
 * A one-column key without a version: the keys as an array literal, for
 * DELETE ... WHERE key = ANY($1) (sql/statements.h). CALX_ETYPE when a key
 * has no element form there (sql/array_text.h): the JSON form then.
 */
static int keys_array(calx_session *s, calx__plan *p, calx__buf *b, size_t i, size_t end)
{
	int rc = CALX_OK;
	b->n = 0;
	calx__buf_putc(b, '{');
	for (size_t r = i; r < end && rc == CALX_OK; r++) {
		const calx__obj *h = p->deletes.v[r];
		calx_value key[CALX__MAX_PK];
		if ((rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err)) == CALX_OK)
			rc = calx__array_element(b, r == i, &key[0]);
	}
	calx__buf_putc(b, '}');
	return rc;
}

/* The rows' JSON objects (sql/json_rows.h), for DELETE ... USING json_populate_recordset. */
static int keys_json(calx_session *s, calx__plan *p, calx__buf *b, size_t i, size_t end)
{
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
	return rc;
}

static int statement(calx_session *s, calx__plan *p, calx__buf *b, size_t i, size_t end, size_t from)
{
	const calx__mapper *m = calx__obj_mapper(p->deletes.v[i]);
	bool any = m->n_pk == 1 && m->version < 0;
	int rc = any ? keys_array(s, p, b, i, end) : CALX_ETYPE;
	if (rc == CALX_ETYPE) {
		any = false;
		rc = keys_json(s, p, b, i, end);
	}
	if (rc == CALX_ETYPE)
		return one_by_one(s, p, i, end, from);
	if (rc != CALX_OK)
		return failed(s, p, i, end, from);
	if (b->oom)
		return calx__fail(s, CALX_ENOMEM, "flush: delete from \"%s\": out of memory for %zu rows' keys",
		                  m->desc->table, end - i);
	calx__stmt *st;
	rc = any ? calx__prepare_delete_any(s->conn, m, &st, &s->err) : calx__prepare_delete_set(s->conn, m, &st, &s->err);
	if (rc != CALX_OK)
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
