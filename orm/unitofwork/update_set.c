/*
 * A run of one mapper's updates, many rows a statement (sql/set_rows.c):
 * on PostgreSQL UPDATE t SET ... FROM json_populate_recordset(...) WHERE
 * the key (and version) match, up to CALX__SET_ROWS rows each; on SQLite
 * UPDATE t SET ... FROM (VALUES ...) with the rows' values as binds, 64
 * rows a statement, then 32 and 16.
 *
 * Measured before this (the benchmark's bulk update, 100,000 rows flushed
 * a thousand at a time), a statement a row cost a round trip and a Bind and
 * Execute on the server for every row on PostgreSQL; bench/RESULTS.md,
 * "Issue 18: set-based flush on PostgreSQL", has the figures. On SQLite,
 * which has no round trips, a statement a row still cost SQLite a
 * statement's start and end every row: 100,000 rows took 72 ms a
 * statement a row, 52 ms 64 (or 100) a statement, 56 ms 32, 64 ms 16, a
 * savepoint around each statement included; counted in instructions
 * (20,000 rows, the whole program) 64 a statement was 1.4% above a
 * statement a row, 100 a statement 4.3%.
 *
 * Rows go in the run's order. Each is prepared as the row path prepares
 * it (calx__update_prepare_row: onupdate(fn), the changed columns, the
 * version bumped); consecutive rows that set the same columns form a
 * group, sent by set statements when it has CALX__SET_MIN rows or more,
 * a statement a row otherwise. Where a set statement is not safe, the row
 * path writes the row, in its place in the order:
 *
 * - a row whose key changes (CALX__REKEY): the statement matches rows by
 *   the key they had, and two rows trading keys must go one after another;
 * - a mapper with computed columns or onupdate("SQL") columns (their new
 *   values are read back a row at a time) and joined-table subclasses
 *   (several tables a row): calx__update_set_ok says no, the whole run
 *   goes row by row;
 * - a row a value of which has no exact JSON form (calx__set_member), with
 *   the rest of its statement's rows;
 * - a statement that fails or matches fewer rows than it carries (a
 *   constraint, a stale version, a row deleted elsewhere): rolled back to
 *   its savepoint and its rows written one at a time (set_send.c), which
 *   reports the failing row exactly as before.
 *
 * Updates are ordered by table only (graph.c orders inserts and deletes),
 * and PostgreSQL checks foreign keys at the end of a statement, so a
 * statement of many rows refuses nothing the same rows one at a time
 * would accept; where it refuses more (a unique column two rows pass
 * between them), the rows go again one at a time.
 *
 * Listeners are unchanged: before_update has fired for the whole run
 * before this is called, after_update fires after it for each row an
 * UPDATE was sent for (not CALX__UNSENT).
 */
#include <string.h>
#include "calx/calx.h"
#include "mapping/generation.h"
#include "mapping/value.h"
#include "unitofwork/plan.h"
#include "unitofwork/set_rows.h"
#include "unitofwork/uow.h"

/* Can m's updates go by set statements: columns the database writes on UPDATE are read back a row at a time. */
static bool mapper_ok(const calx__mapper *m)
{
	for (unsigned f = 0; f < m->desc->n_fields; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		if ((fd->flags & CALX_FIELD_COMPUTED) || (fd->gen && calx__has_onupdate_sql(fd)))
			return false;
	}
	return true;
}

bool calx__update_set_ok(const calx_session *s, const calx__mapper *m, size_t rows)
{
	return rows >= CALX__SET_MIN && mapper_ok(m) &&
	       (calx__set_values_supported(s->d) ? calx__set_mapper_fits(s, m) : calx__set_mapper_ok(s, m));
}

/* SQLite's statements: this many rows (fewer where the parameters would not fit), then 32, 16; then one at a time. */
#define VALUES_ROWS 64
#define VALUES_SMALLEST 16

typedef struct group {
	calx_session *s;
	calx__plan *p;
	const uint64_t *set;
	size_t from, total;     /* rows are numbered from p->updates.v[from], total of them, in messages */
} group;

/* The rows [i, end) that are sent (not CALX__UNSENT), one at a time. */
static int one_by_one(const group *g, size_t i, size_t end)
{
	int rc = CALX_OK;
	for (size_t r = i; r < end && rc == CALX_OK; r++)
		if (!(g->p->updates.v[r]->flags & CALX__UNSENT))
			rc = calx__update_send_row(g->s, g->p->updates.v[r], g->set, r - g->from, g->total);
	return rc;
}

/* One row's JSON object: its key and version as the snapshot has them, the set columns' new values. */
static int row_json(calx_session *s, calx__buf *b, const calx__obj *h, const uint64_t *set)
{
	const calx__mapper *m = calx__obj_mapper(h);
	calx__buf_putc(b, '{');
	int rc = calx__set_key_members(s, b, h);
	for (unsigned f = 0; f < m->desc->n_fields && rc == CALX_OK; f++) {
		if (!calx__bit(set, f) || (int)f == m->version)
			continue;
		const calx_field_desc *fd = &m->desc->fields[f];
		calx_value v;
		if ((rc = calx__field_get(fd, calx__obj_ptr(h), calx__null_bit_normalized(h, f), &v, &s->err)) == CALX_OK)
			rc = calx__set_member(b, false, fd, &v);
	}
	calx__buf_putc(b, '}');
	return rc;
}

static int failed(const group *g, size_t i, size_t end)
{
	calx_error keep = g->s->err;
	return calx__fail_wrap(g->s, "flush: update of \"%s\" (rows %zu to %zu of %zu): %.380s",
	                       calx__obj_mapper(g->p->updates.v[i])->desc->table, i - g->from + 1, end - g->from, g->total, keep.msg);
}

/* After a set statement of rows [i, end) ran (rc) and was released: a row at a time if it fell short, else snapshots. */
static int sent(const group *g, size_t i, size_t end, int rc, bool all)
{
	if (rc != CALX_OK)
		return failed(g, i, end);
	if (!all)
		return one_by_one(g, i, end);   /* rolled back: the row at fault is reported as always */
	calx__obj **rows = g->p->updates.v;
	for (size_t r = i; r < end; r++)
		if (!(rows[r]->flags & CALX__UNSENT))
			calx__state_snapshot(rows[r]);
	return CALX_OK;
}

/* Rows [i, end), n of them sent, by one set statement (or one at a time, when it cannot or did not work). */
static int statement(const group *g, calx__buf *b, size_t i, size_t end, size_t n)
{
	calx_session *s = g->s;
	calx__obj **rows = g->p->updates.v;
	const calx__mapper *m = calx__obj_mapper(rows[i]);
	int rc = CALX_OK;
	b->n = 0;
	calx__buf_putc(b, '[');
	for (size_t r = i, k = 0; r < end && rc == CALX_OK; r++) {
		if (rows[r]->flags & CALX__UNSENT)
			continue;
		if (k++)
			calx__buf_putc(b, ',');
		rc = row_json(s, b, rows[r], g->set);
	}
	calx__buf_putc(b, ']');
	if (rc == CALX_ETYPE)
		return one_by_one(g, i, end);   /* a value without an exact JSON form: as the row path writes it */
	if (rc != CALX_OK)
		return failed(g, i, end);
	if (b->oom)
		return calx__fail(s, CALX_ENOMEM, "flush: update of \"%s\": out of memory for %zu rows' values",
		                  m->desc->table, n);
	calx__stmt *st;
	if ((rc = calx__prepare_update_set(s->conn, m, g->set, &st, &s->err)) != CALX_OK)
		return failed(g, i, end);
	calx_value step = calx_value_int(1);    /* the version's */
	bool all;
	rc = calx__set_send(s, st, &step, m->version >= 0 ? 1 : 0, b, n, &all);
	calx__stmt_release(st);
	return sent(g, i, end, rc, all);
}

/* One row's binds of SQLite's statement: its key and version as the snapshot has them, the set columns' new values. */
static int row_values(calx_session *s, const calx__obj *h, const uint64_t *set, calx_value *out)
{
	const calx__mapper *m = calx__obj_mapper(h);
	int rc = calx__obj_key(h, calx__obj_snap(h), out, &s->err);
	unsigned k = m->n_pk;
	if (rc == CALX_OK && m->version >= 0)
		rc = calx__field_get(&m->desc->fields[m->version], calx__obj_snap(h), false, &out[k++], &s->err);
	for (unsigned f = 0; f < m->desc->n_fields && rc == CALX_OK; f++) {
		if (!calx__bit(set, f) || (int)f == m->version)
			continue;
		rc = calx__field_get(&m->desc->fields[f], calx__obj_ptr(h), calx__null_bit_normalized(h, f), &out[k++],
		                     &s->err);
	}
	return rc;
}

/* Rows [i, end), n of them sent, by one of SQLite's statements (one at a time when it did not work). */
static int values_statement(const group *g, size_t i, size_t end, size_t n, unsigned width)
{
	calx_session *s = g->s;
	calx__obj **rows = g->p->updates.v;
	const calx__mapper *m = calx__obj_mapper(rows[i]);
	size_t step = m->version >= 0, n_params = step + n * width;
	int rc = calx__plan_params(s, n_params);
	if (rc != CALX_OK)
		return failed(g, i, end);
	calx_value *v = g->p->params;
	if (step)
		*v++ = calx_value_int(1);       /* the version's */
	for (size_t r = i; r < end && rc == CALX_OK; r++) {
		if (rows[r]->flags & CALX__UNSENT)
			continue;
		rc = row_values(s, rows[r], g->set, v);
		v += width;
	}
	calx__stmt *st;
	if (rc != CALX_OK || (rc = calx__prepare_update_values(s->conn, m, g->set, n, &st, &s->err)) != CALX_OK)
		return failed(g, i, end);
	bool all;
	rc = calx__set_send(s, st, g->p->params, n_params, NULL, n, &all);
	calx__stmt_release(st);
	return sent(g, i, end, rc, all);
}

/* SQLite: a group [i, end) of rows that set the same columns, in pieces of VALUES_ROWS sent rows, then smaller. */
static int send_values(const group *g, size_t i, size_t end)
{
	const calx__mapper *m = calx__obj_mapper(g->p->updates.v[i]);
	unsigned width = calx__update_values_width(m, g->set);
	size_t max_params = g->s->d->max_params, per = VALUES_ROWS;
	if (max_params && (max_params - 1) / width < per)
		per = (max_params - 1) / width;
	int rc = CALX_OK;
	while (i < end && rc == CALX_OK) {
		size_t left = 0;
		for (size_t r = i; r < end; r++)
			left += !(g->p->updates.v[r]->flags & CALX__UNSENT);
		size_t want = left >= per ? per : 0;
		for (size_t size = VALUES_ROWS / 2; !want && size >= VALUES_SMALLEST; size >>= 1)
			if (size < per && left >= size)
				want = size;
		if (!want)
			return one_by_one(g, i, end);   /* the rest, a statement a row */
		size_t stop = i, k = 0;
		for (; stop < end && k < want; stop++)
			k += !(g->p->updates.v[stop]->flags & CALX__UNSENT);
		rc = values_statement(g, i, stop, k, width);
		i = stop;
	}
	return rc;
}

/* A group [i, end) of rows that set the same columns: statements of up to CALX__SET_ROWS sent rows. */
static int send_group(const group *g, calx__buf *b, size_t i, size_t end)
{
	size_t n = 0;
	for (size_t r = i; r < end; r++)
		n += !(g->p->updates.v[r]->flags & CALX__UNSENT);
	if (n < CALX__SET_MIN)
		return one_by_one(g, i, end);
	if (calx__set_values_supported(g->s->d))
		return send_values(g, i, end);
	int rc = CALX_OK;
	while (i < end && rc == CALX_OK) {
		size_t stop = i, k = 0;
		for (; stop < end && k < CALX__SET_ROWS; stop++)
			k += !(g->p->updates.v[stop]->flags & CALX__UNSENT);
		rc = statement(g, b, i, stop, k);
		i = stop;
	}
	return rc;
}

static bool same_bits(const uint64_t *a, const uint64_t *b, unsigned words)
{
	return memcmp(a, b, words * sizeof *a) == 0;
}

int calx__update_set_run(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from)
{
	const unsigned words = calx__obj_mapper(p->updates.v[i])->field_words;
	uint64_t *set = calx__plan_bits(s, CALX__BITS_SET), *cols = calx__plan_bits(s, CALX__BITS_GROUP);
	group g = { s, p, cols, from, p->updates.n - from };
	calx__buf b = CALX__BUF_INIT;
	size_t open = end;      /* the first row of the group being gathered; end: none */
	int rc = CALX_OK;
	for (size_t r = i; r < end && rc == CALX_OK; r++) {
		calx__obj *h = p->updates.v[r];
		bool send;
		h->flags &= (uint16_t)~CALX__UNSENT;
		if ((rc = calx__update_prepare_row(s, h, set, r - from, g.total, &send)) != CALX_OK || !send)
			continue;
		bool joins = !(h->flags & CALX__REKEY);
		if (open < end && (!joins || !same_bits(set, cols, words))) {
			rc = send_group(&g, &b, open, r);
			open = end;
		}
		if (rc != CALX_OK)
			break;
		if (!joins) {
			rc = calx__update_send_row(s, h, set, r - from, g.total);
		} else if (open == end) {
			open = r;
			memcpy(cols, set, words * sizeof *cols);
		}
	}
	if (rc == CALX_OK && open < end)
		rc = send_group(&g, &b, open, end);
	calx__buf_free(&b);
	return rc;
}
