/*
 * Phase A's updates (changed columns only, matched on the key and version
 * the snapshot has) and deletes, one statement per row, from
 * orm/sql/statements.h by shape; on PostgreSQL, runs of one mapper's rows
 * go many rows a statement instead where that is safe (update_set.c,
 * delete_set.c), and fall back to these when it is not. As for inserts, a
 * row's snapshot is taken as soon as its statement worked, before its
 * after_update listeners run.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/generation.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

/* Has the mapper a computed(...) field (whose value the database writes)? */
static bool has_computed(const calx__mapper *m)
{
	for (unsigned f = 0; f < m->desc->n_fields; f++)
		if (m->desc->fields[f].flags & CALX_FIELD_COMPUTED)
			return true;
	return false;
}

int calx__exec_failed(calx_session *s, const char *what, const calx__obj *h, size_t i, size_t n)
{
	char why[200];
	calx__explain_fk_failure(s, h, why, sizeof why);
	calx_error keep = s->err;
	return calx__fail_wrap(s, "flush: %s \"%s\" (row %zu of %zu)%s: %.300s", what, calx__obj_mapper(h)->desc->table, i + 1, n,
	                       why, keep.msg);
}

/* Bind the primary key (and version) as the snapshot has them: the row as it was read. */
static int bind_key(calx_session *s, calx__stmt *st, const calx__obj *h, unsigned first)
{
	const calx__mapper *m = calx__obj_mapper(h);
	const calx_field_desc *pk = m->n_pk == 1 ? &m->desc->fields[m->pk[0]] : NULL;
	if (pk && m->version < 0 && pk->ctype == CALX_CTYPE_INT64 && !(pk->flags & CALX_FIELD_OPTIONAL)) {
		/* the usual key, as calx__obj_key gives it: every update and delete binds one */
		calx_value v = { .kind = CALX_VALUE_INT };
		memcpy(&v.u.i, calx__obj_snap(h) + pk->offset, sizeof v.u.i);
		return s->d->bind(st->st, first, &v, &s->err);
	}
	calx_value key[CALX__MAX_PK + 1];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	unsigned n = calx__obj_mapper(h)->n_pk;
	if (rc == CALX_OK && calx__obj_mapper(h)->version >= 0)
		rc = calx__field_get(&calx__obj_mapper(h)->desc->fields[calx__obj_mapper(h)->version], calx__obj_snap(h), false, &key[n++], &s->err);
	for (unsigned i = 0; i < n && rc == CALX_OK; i++)
		rc = s->d->bind(st->st, first + i, &key[i], &s->err);
	return rc;
}

/* Step an update or delete of one row and check that it found the row. */
/*
 * After an UPDATE whose SET has onupdate("SQL") columns: their new values,
 * RETURNING in field order, into the struct (h's fields not in set).
 */
static int store_onupdate(calx_session *s, calx__stmt *st, calx__obj *h, const uint64_t *set)
{
	const calx_mapper_desc *m = calx__obj_mapper(h)->desc;
	unsigned col = 0;
	for (unsigned f = 0; f < m->n_fields; f++) {
		if (calx__bit(set, f) || !calx__has_onupdate_sql(&m->fields[f]))
			continue;
		calx_value v;
		bool isnull;
		s->d->column(st->st, col++, &v);
		if (calx__field_set(&m->fields[f], calx__obj_ptr(h), &v, &s->arena, &isnull, &s->err) != CALX_OK)
			return s->err.code;
		calx__bit_set(calx__obj_nulls(h), f, isnull);
	}
	return CALX_OK;
}

/* Does m's UPDATE with these set columns carry onupdate("SQL") columns (and RETURNING)? */
static bool has_onupdate_sql(const calx__mapper *rm, const uint64_t *set)
{
	if (!rm->onupdate_sql)
		return false;
	const calx_mapper_desc *m = rm->desc;
	for (unsigned f = 0; f < m->n_fields; f++)
		if (!calx__bit(set, f) && m->fields[f].gen && calx__has_onupdate_sql(&m->fields[f]))
			return true;
	return false;
}

static int step_one_row(calx_session *s, calx__stmt *st, const calx__obj *h)
{
	int rc = s->d->step(st->st, &s->err);
	if (rc != CALX_DONE)
		return rc;
	if (s->d->rows_affected(st->st) == 1)
		return CALX_OK;
	if (calx__obj_mapper(h)->version >= 0)
		return calx_error_set(&s->err, CALX_ERETRY,
		                      "stale object: the row's version changed since it was read "
		                      "(another transaction updated or deleted it); reload and retry");
	return calx_error_set(&s->err, CALX_ENOTFOUND,
	                      "the row was not found (deleted or its key changed outside this session)");
}

/* step_one_row for an UPDATE with RETURNING (onupdate("SQL")): the new values stored, then the row count checked. */
static int step_returning(calx_session *s, calx__stmt *st, calx__obj *h, const uint64_t *set)
{
	int rc = s->d->step(st->st, &s->err);
	if (rc == CALX_ROW) {
		if ((rc = store_onupdate(s, st, h, set)) != CALX_OK)
			return rc;
		rc = s->d->step(st->st, &s->err);
	}
	if (rc != CALX_DONE)
		return rc;
	if (s->d->rows_affected(st->st) == 1)
		return CALX_OK;
	if (calx__obj_mapper(h)->version >= 0)
		return calx_error_set(&s->err, CALX_ERETRY,
		                      "stale object: the row's version changed since it was read "
		                      "(another transaction updated or deleted it); reload and retry");
	return calx_error_set(&s->err, CALX_ENOTFOUND,
	                      "the row was not found (deleted or its key changed outside this session)");
}

/*
 * Optimistic locking (SQLAlchemy's version_id_col): an UPDATE sets the
 * version to the row's version + 1 and matches the row's version, so an
 * update from a stale copy changes no row.
 */
static int bump_version(calx_session *s, calx__obj *h, uint64_t *set)
{
	const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[calx__obj_mapper(h)->version];
	calx_value v;
	bool isnull;
	int rc = calx__field_get(f, calx__obj_snap(h), false, &v, &s->err);
	if (rc != CALX_OK)
		return rc;
	v.u.i++;
	calx__bit_set(set, f->index, true);
	return calx__field_set(f, calx__obj_ptr(h), &v, &s->arena, &isnull, &s->err);
}

/* Static, with global wrappers below: the row loop here inlines them (a global function of a -fPIC library is not). */
static inline __attribute__((always_inline)) int prepare_row(calx_session *s, calx__obj *h, uint64_t *set, size_t i,
                                                            size_t total, bool *send)
{
	const calx__mapper *m = calx__obj_mapper(h);
	*send = false;
	calx__state_normalize_nulls(h);
	/* onupdate(fn): for a row that changes, before its SET is worked out */
	if (m->onupdate_fn && calx__state_dirty(h))
		calx__run_onupdate_fns(m->desc, calx__obj_ptr(h));
	if (!calx__state_dirty_set(h, set)) {
		calx__state_snapshot(h);        /* a listener took the change back */
		h->flags |= CALX__UNSENT;
		return CALX_OK;
	}
	if (m->version >= 0 && bump_version(s, h, set) != CALX_OK)
		return calx__exec_failed(s, "update of", h, i, total);
	for (unsigned k = 0; k < m->n_pk; k++)
		if (calx__bit(set, m->pk[k]))
			h->flags |= CALX__REKEY;
	*send = true;
	return CALX_OK;
}

static inline __attribute__((always_inline)) int send_row(calx_session *s, calx__obj *h, const uint64_t *set, size_t i,
                                                         size_t total)
{
	static const char what[] = "update of";
	const calx__mapper *m = calx__obj_mapper(h);
	calx__stmt *st = NULL;
	int rc;
	if ((rc = calx__prepare_update(s->conn, m, set, &st, &s->err)) != CALX_OK)
		return calx__exec_failed(s, what, h, i, total);
	bool returning = has_onupdate_sql(m, set);
	unsigned k = 0;
	for (unsigned f = 0; f < m->desc->n_fields && rc == CALX_OK; f++) {
		const calx_field_desc *fd = &m->desc->fields[f];
		calx_value v;
		if (calx__bit(set, f) && (rc = calx__field_get(fd, calx__obj_ptr(h), calx__null_bit_normalized(h, f), &v,
		                                                &s->err)) == CALX_OK)
			rc = s->d->bind(st->st, k++, &v, &s->err);
	}
	if (rc == CALX_OK && (rc = bind_key(s, st, h, k)) == CALX_OK)
		rc = returning ? step_returning(s, st, h, set) : step_one_row(s, st, h);
	calx__stmt_release(st);
	if (rc != CALX_OK)
		return calx__exec_failed(s, what, h, i, total);
	calx__state_snapshot(h);
	/* computed columns the UPDATE changed in the database: read back into the struct and its snapshot */
	if (s->reg->has_computed && has_computed(m) && (rc = calx__refresh(s, h)) != CALX_OK)
		return calx__exec_failed(s, what, h, i, total);
	return CALX_OK;
}

int calx__update_prepare_row(calx_session *s, calx__obj *h, uint64_t *set, size_t i, size_t total, bool *send)
{
	return prepare_row(s, h, set, i, total, send);
}

int calx__update_send_row(calx_session *s, calx__obj *h, const uint64_t *set, size_t i, size_t total)
{
	return send_row(s, h, set, i, total);
}

static int update_one(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	uint64_t *set = calx__plan_bits(s, CALX__BITS_SET);
	bool send;
	int rc = prepare_row(s, h, set, i, total, &send);
	return rc == CALX_OK && send ? send_row(s, h, set, i, total) : rc;
}

int calx__exec_update_one(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	h->flags &= (uint16_t)~CALX__UNSENT;
	return s->reg->has_joined && calx__obj_mapper(h)->joined ? calx__joined_update(s, h, i, total) : update_one(s, h, i, total);
}

int calx__exec_update_cols(calx_session *s, calx__obj *h, const uint64_t *set, const calx_value *vals)
{
	calx__stmt *st = NULL;
	int rc = calx__prepare_update(s->conn, calx__obj_mapper(h), set, &st, &s->err);
	unsigned k = 0;
	for (unsigned f = 0; f < calx__obj_mapper(h)->desc->n_fields && rc == CALX_OK; f++)
		if (calx__bit(set, f)) {
			rc = s->d->bind(st->st, k, &vals[k], &s->err);
			k++;
		}
	if (rc == CALX_OK && (rc = bind_key(s, st, h, k)) == CALX_OK)
		rc = has_onupdate_sql(calx__obj_mapper(h), set) ? step_returning(s, st, h, set) : step_one_row(s, st, h);
	calx__stmt_release(st);
	return rc;
}

/*
 * The listeners' order (docs/architecture.md, "Listener order"): a run is
 * the consecutive objects of one mapper; before_update fires for each
 * object of a run, then its statements go, then after_update fires for
 * each object an UPDATE was sent for. The same on every path and dialect.
 */
int calx__exec_updates(calx_session *s, calx__plan *p, size_t from)
{
	size_t n = p->updates.n, i = from;
	int rc = CALX_OK;
	while (i < n && rc == CALX_OK) {
		const calx__mapper *m = calx__obj_mapper(p->updates.v[i]);
		size_t end = i;
		for (; end < n && calx__obj_mapper(p->updates.v[end]) == m && rc == CALX_OK; end++)
			rc = calx__fire(s, CALX_EVENT_BEFORE_UPDATE, p->updates.v[end]);
		if (calx__update_set_ok(s, m, end - i))
			rc = calx__update_set_run(s, p, i, end, from);      /* many rows a statement (update_set.c) */
		else
			for (size_t r = i; r < end && rc == CALX_OK; r++)
				rc = calx__exec_update_one(s, p->updates.v[r], r - from, n - from);
		for (size_t r = i; r < end && rc == CALX_OK; r++)
			if (!(p->updates.v[r]->flags & CALX__UNSENT))
				rc = calx__fire(s, CALX_EVENT_AFTER_UPDATE, p->updates.v[r]);
		i = end;
	}
	return rc;
}

static int delete_one(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	calx__stmt *st = NULL;
	int rc;
	if ((rc = calx__prepare_delete(s->conn, calx__obj_mapper(h), &st, &s->err)) != CALX_OK)
		return calx__exec_failed(s, "delete from", h, i, total);
	if ((rc = bind_key(s, st, h, 0)) == CALX_OK)
		rc = step_one_row(s, st, h);
	calx__stmt_release(st);
	if (rc != CALX_OK)
		return calx__exec_failed(s, "delete from", h, i, total);
	return CALX_OK;
}

int calx__delete_send_row(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	return delete_one(s, h, i, total);
}

/*
 * Deletes are one run per round: before_delete fired for every object the
 * round deletes (calx__exec_before_deletes, keep.c) before any key is
 * cleared or row deleted; then the DELETEs, then after_delete for each.
 */
int calx__exec_deletes(calx_session *s, calx__plan *p, size_t from)
{
	int rc = CALX_OK;
	bool joined = s->reg->has_joined;
	size_t n = p->deletes.n;
	for (size_t i = from; i < n && rc == CALX_OK;) {
		/* a run of one mapper's rows: many a statement where it can (delete_set.c) */
		const calx__mapper *m = calx__obj_mapper(p->deletes.v[i]);
		size_t end = i + 1;
		while (end < n && calx__obj_mapper(p->deletes.v[end]) == m)
			end++;
		if (calx__delete_set_ok(s, m, end - i)) {
			rc = calx__delete_set_run(s, p, i, end, from);
			i = end;
			continue;
		}
		for (; i < end && rc == CALX_OK; i++)
			rc = joined && m->joined ? calx__joined_delete(s, p->deletes.v[i], i - from, n - from)
			                         : delete_one(s, p->deletes.v[i], i - from, n - from);
	}
	for (size_t i = from; i < n && rc == CALX_OK; i++)
		rc = calx__fire(s, CALX_EVENT_AFTER_DELETE, p->deletes.v[i]);
	return rc;
}
