/*
 * What the flush's set statements share (set_rows.h): which mappers may
 * use them, their rows' JSON members, and running one inside a savepoint.
 *
 * The savepoint is what keeps the row-at-a-time path's error report: when
 * a set statement fails on a constraint (or a value its column refuses),
 * the transaction is aborted on PostgreSQL and the error names a
 * constraint, not which of a thousand rows broke it (SQLite undoes the
 * failed statement alone, but a statement that matched fewer rows than it
 * carried has written the others, and a versioned row written twice would
 * be refused as stale the second time). Rolled back to the
 * savepoint, the rows are written again one at a time, and the first that
 * fails is reported as it always was ("update of "t" (row 517 of 1000):
 * ..."), with the same status and detail. A statement that matched fewer
 * rows than it carried (a row deleted elsewhere, a stale version) is
 * rolled back the same way, so the row reported stale is the one the row
 * path finds first. On PostgreSQL the SAVEPOINT goes in the statement's
 * round trip and its RELEASE in the next statement's, or is dropped by the
 * COMMIT (calx__savepoint_deferred: neither can fail in a transaction
 * that has not failed, and nothing runs between one held and its
 * sending). Each costs a subtransaction: a transaction that
 * writes more than 64 statements' worth this way (64,000 rows) holds more
 * subtransactions than PostgreSQL caches per backend, and until it ends
 * other sessions' visibility checks of its rows look them up in
 * pg_subtrans (the "suboverflowed" snapshot), a cost the row path does not
 * have.
 */
#include <string.h>
#include "calx/calx.h"
#include "calx/uuid.h"
#include "mapping/generation.h"
#include "mapping/value.h"
#include "sql/json_rows.h"
#include "unitofwork/plan.h"
#include "unitofwork/set_rows.h"

/*
 * Not the program's savepoints' names (calx_sp_N) nor calx_insert_many's.
 * Two, taken in turn: a statement's RELEASE may wait to go with the next
 * statement's SAVEPOINT. Were that RELEASE to fail, the next SAVEPOINT
 * would not run and the next statement's ROLLBACK TO its own name would
 * fail the flush; with one name it would roll back to the savepoint the
 * RELEASE failed to end, undoing the rows before it, and the flush would
 * go on as if they were written.
 */
static const char *const savepoint_names[2] = { "calx_flush_set", "calx_flush_set_b" };

bool calx__set_mapper_fits(const calx_session *s, const calx__mapper *m)
{
	return !(s->reg->has_joined && m->joined) && m->n_pk > 0 && m->field_words <= CALX__ROWS_MAX_WORDS;
}

bool calx__set_mapper_ok(const calx_session *s, const calx__mapper *m)
{
	return calx__set_rows_supported(s->d) && calx__set_mapper_fits(s, m);
}

int calx__set_member(calx__buf *b, bool first, const calx_field_desc *f, const calx_value *v)
{
	if (v->kind == CALX_VALUE_BLOB && f->ctype == CALX_CTYPE_USER) {
		if ((f->user_type != &calx_uuid_type && f->user_type != &calx_opt_uuid_type) || v->u.s.n != 16)
			return CALX_ETYPE;
		char text[CALX_UUID_TEXT_SIZE];
		calx_uuid u;
		memcpy(u.bytes, v->u.s.p, sizeof u.bytes);
		calx_uuid_format(&u, text);
		calx_value t = calx_value_textn(text, CALX_UUID_TEXT_SIZE - 1);
		return calx__json_member(b, first, f->column, &t, false);
	}
	return calx__json_member(b, first, f->column, v, (f->flags & CALX_FIELD_JSON) != 0);
}

int calx__set_key_members(calx_session *s, calx__buf *b, const calx__obj *h)
{
	const calx__mapper *m = calx__obj_mapper(h);
	calx_value key[CALX__MAX_PK];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	for (unsigned k = 0; k < m->n_pk && rc == CALX_OK; k++)
		rc = calx__set_member(b, k == 0, &m->desc->fields[m->pk[k]], &key[k]);
	if (rc == CALX_OK && m->version >= 0) {
		const calx_field_desc *f = &m->desc->fields[m->version];
		calx_value v;
		if ((rc = calx__field_get(f, calx__obj_snap(h), false, &v, &s->err)) == CALX_OK)
			rc = calx__set_member(b, false, f, &v);
	}
	return rc;
}

int calx__set_send(calx_session *s, calx__stmt *st, const calx_value *params, size_t n_params, calx__buf *b,
                   size_t rows, bool *all)
{
	*all = false;
	const char *name = savepoint_names[s->set_sp_turn];
	s->set_sp_turn = !s->set_sp_turn;
	int rc = calx__savepoint_deferred(s->conn, CALX__SAVEPOINT, name, &s->err);
	if (rc != CALX_OK)
		return rc;
	for (size_t i = 0; i < n_params && rc == CALX_OK; i++)
		rc = s->d->bind(st->st, (unsigned)i, &params[i], &s->err);
	if (rc == CALX_OK && b) {
		calx_value json = calx_value_textn(b->p, b->n);
		rc = s->d->bind(st->st, (unsigned)n_params, &json, &s->err);
	}
	if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_DONE)
		rc = CALX_OK;
	if (rc == CALX_OK && s->d->rows_affected(st->st) == (int64_t)rows) {
		*all = true;
		return calx__savepoint_deferred(s->conn, CALX__RELEASE, name, &s->err);
	}
	/* the statement's error, if it failed: the rows say it again one at a time, or it is the flush's */
	bool failed = rc != CALX_OK;
	calx_error keep = s->err;
	if ((rc = calx__savepoint(s->conn, CALX__ROLLBACK_TO, name, &s->err)) == CALX_OK &&
	    (rc = calx__savepoint_deferred(s->conn, CALX__RELEASE, name, &s->err)) == CALX_OK)
		return CALX_OK;
	if (failed)
		s->err = keep;
	return s->err.code;
}
