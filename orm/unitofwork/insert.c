/*
 * Phase A's inserts: row by row, or in pipelined batches (one
 * execute_batch call per run of one table and statement shape) where the
 * dialect has execute_batch. What the database generates comes back by
 * RETURNING, or by last_insert_id when the integer key is all there is.
 *
 * The only things written into objects are what the database generated
 * (remembered in the object's omitted bits, for the undo) and the version
 * of a versioned row. Each row's snapshot is taken as soon as its
 * statement worked, before its after_insert listeners run, so a change
 * they make is a change the next flush will find. The listeners fire by
 * runs (insert_runs.c).
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"


/* Can the key come from the dialect's last_insert_id instead of RETURNING? */
static bool key_by_last_id(const calx_session *s, const calx__mapper *m, const uint64_t *omitted)
{
	if (!s->d->last_insert_id || m->autoinc < 0)
		return false;
	/* only when the integer autoincrement key is the one column left to the database */
	for (unsigned w = 0; w < m->field_words; w++)
		if (omitted[w] != ((unsigned)m->autoinc / 64 == w ? (uint64_t)1 << (m->autoinc % 64) : 0))
			return false;
	return true;
}

static unsigned count_omitted(const calx__mapper *m, const uint64_t *omitted)
{
	unsigned n = 0;
	for (unsigned w = 0; w < m->field_words; w++)
		n += (unsigned)__builtin_popcountll(omitted[w]);
	return n;
}

static inline calx__ins_shape shape_of(const calx_session *s, const calx__mapper *m, const uint64_t *omitted)
{
	unsigned n = count_omitted(m, omitted);
	return (calx__ins_shape){ m, m->desc->n_fields - n, n > 0, key_by_last_id(s, m, omitted) };
}

/*
 * The columns of ret (field order) from the row raw is on into the struct
 * at base, but for field skip (-1: none), whose column is read past: what
 * an insert's RETURNING brought back. h, the session's object at base, gets
 * its NULL marks; NULL for a struct that is no object (calx_insert_many).
 */
static inline int store_columns(calx_session *s, const calx_mapper_desc *d, void *base, calx__obj *h,
                                const uint64_t *ret, int skip, calx_stmt *raw)
{
	unsigned col = 0;
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (!calx__bit(ret, f))
			continue;
		if ((int)f == skip) {
			col++;
			continue;
		}
		calx_value v;
		bool isnull;
		s->d->column(raw, col++, &v);
		if (calx__field_set(&d->fields[f], base, &v, &s->arena, &isnull, &s->err) != CALX_OK)
			return s->err.code;
		if (h)
			calx__obj_mark_null(h, f, isnull);
	}
	return CALX_OK;
}

int calx__store_returned(calx_session *s, const calx_mapper_desc *d, void *base, const uint64_t *ret, int skip,
                         calx_stmt *raw)
{
	return store_columns(s, d, base, NULL, ret, skip, raw);
}

int calx__ins_store_columns(calx_session *s, calx__obj *h, const uint64_t *ret, int skip, calx_stmt *raw)
{
	return store_columns(s, calx__obj_mapper(h)->desc, calx__obj_ptr(h), h, ret, skip, raw);
}

/* RETURNING: what the database generated goes back into the struct. */
static int store_returning(calx_session *s, calx__obj *h, const uint64_t *omitted, calx_stmt *raw)
{
	int rc = calx__obj_set_omitted(s, h, omitted);
	return rc == CALX_OK ? store_columns(s, calx__obj_mapper(h)->desc, calx__obj_ptr(h), h, omitted, -1, raw) : rc;
}

static inline int store_key(calx_session *s, calx__obj *h, const calx_value *v)
{
	const calx_field_desc *key = &calx__obj_mapper(h)->desc->fields[calx__obj_mapper(h)->autoinc];
	bool isnull;
	if (key->ctype == CALX_CTYPE_INT64 && !(key->flags & CALX_FIELD_OPTIONAL) && v->kind == CALX_VALUE_INT) {
		/* the usual key: stored as calx__field_set would, an int64 has no range to check */
		memcpy((char *)calx__obj_ptr(h) + key->offset, &v->u.i, sizeof v->u.i);
		return CALX_OK;
	}
	return calx__field_set(key, calx__obj_ptr(h), v, &s->arena, &isnull, &s->err) == CALX_OK ? CALX_OK
	                                                                                         : s->err.code;
}

int calx__ins_store_key(calx_session *s, calx__obj *h, const calx_value *v)
{
	return store_key(s, h, v);
}

/* The key from last_insert_id, for the same bookkeeping as RETURNING. */
static int store_last_id(calx_session *s, calx__obj *h, const uint64_t *omitted, calx_stmt *raw)
{
	calx_value v = calx_value_int(s->d->last_insert_id(raw));
	int rc = calx__obj_set_omitted(s, h, omitted);
	return rc == CALX_OK ? store_key(s, h, &v) : rc;
}

/* Static, so the per-row loops here inline it (a global function of a -fPIC library is not inlined). */
static int insert_values(calx_session *s, calx__obj *h, const uint64_t *unsent, calx_value *out)
{
	const calx_mapper_desc *d = calx__obj_mapper(h)->desc;
	unsigned k = 0;
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (calx__bit(unsent, f))
			continue;
		const calx_field_desc *fd = &d->fields[f];
		if (fd->ctype == CALX_CTYPE_INT64 && !(fd->flags & CALX_FIELD_OPTIONAL)) {
			/* the commonest column, read as calx__field_get would: its null bit, else the integer */
			calx_value *v = &out[k++];
			v->kind = calx__null_bit_normalized(h, f) ? CALX_VALUE_NULL : CALX_VALUE_INT;
			memcpy(&v->u.i, (const char *)calx__obj_ptr(h) + fd->offset, sizeof v->u.i);
			continue;
		}
		int rc = calx__field_get(fd, calx__obj_ptr(h), calx__null_bit_normalized(h, f), &out[k++], &s->err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

int calx__ins_values(calx_session *s, calx__obj *h, const uint64_t *unsent, calx_value *out)
{
	return insert_values(s, h, unsent, out);
}

/* An autoincrement key the program gave: the sequence is moved above it after the round (PostgreSQL). */
static inline void note_explicit_key(calx__plan *p, const calx__mapper *m, const uint64_t *omitted)
{
	if (m->autoinc >= 0 && !calx__bit(omitted, (unsigned)m->autoinc))
		p->explicit_keys[m->desc->index] = 1;
}

static int prepare_insert(calx_session *s, const calx__ins_shape *sh, const uint64_t *omitted, calx__stmt **st)
{
	const calx__mapper *m = sh->m;
	uint64_t *sent = calx__plan_bits(s, CALX__BITS_SENT), *ret = calx__plan_bits(s, CALX__BITS_RETURNING);
	for (unsigned w = 0; w < m->field_words; w++) {
		unsigned left = m->desc->n_fields - w * 64;
		uint64_t all = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
		sent[w] = all & ~omitted[w];
		ret[w] = sh->by_last_id ? 0 : omitted[w];
	}
	return calx__prepare_insert(s->conn, m, sent, ret, st, &s->err);
}

/* The end of the rows from rows[i] up to limit of its mapper with every column given (a scratch word each). */
static size_t given_end(calx_session *s, calx__plan *p, size_t i, size_t limit)
{
	uint64_t *bits = calx__plan_bits(s, CALX__BITS_SENT);
	const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
	size_t e = i + 1;
	for (; e < limit && calx__obj_mapper(p->inserts.v[e]) == m; e++) {
		calx__state_left_to_db(p->inserts.v[e], bits);
		if (count_omitted(m, bits))
			break;
	}
	return e;
}

/* The end of the rows from rows[i] up to limit of its mapper with only the columns in omitted left to the database. */
static size_t keyed_end(calx_session *s, calx__plan *p, size_t i, size_t limit, const uint64_t *omitted)
{
	uint64_t *bits = calx__plan_bits(s, CALX__BITS_SENT);
	const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
	size_t e = i;
	for (; e < limit && calx__obj_mapper(p->inserts.v[e]) == m; e++) {
		calx__state_left_to_db(p->inserts.v[e], bits);
		if (!calx__ins_same_bits(bits, omitted, m->field_words))
			break;
	}
	return e;
}

/*
 * Row by row: bind, step, read what the database generated (the SQLite
 * path); runs of given rows many a statement, and runs whose key alone is
 * generated too, after their first row (insert_rowid.c).
 */
static int insert_rows(calx_session *s, calx__plan *p, size_t from)
{
	uint64_t *run = calx__plan_bits(s, CALX__BITS_RUN), *row = calx__plan_bits(s, CALX__BITS_ROW);
	calx__stmt *st = NULL;
	calx__ins_shape sh = { NULL, 0, false, false };
	size_t n = p->inserts.n, run0 = from, end = from, single_until = from;
	int rc = CALX_OK;
	for (size_t i = from; i < n; i++) {
		if (i == end) {
			if (i > run0 && (rc = calx__ins_after_run(s, p, run0, i)) != CALX_OK)
				break;
			run0 = i;
			if ((rc = calx__ins_before_run(s, p, i, &end)) != CALX_OK)
				break;
		}
		calx__obj *h = p->inserts.v[i];
		const calx__mapper *m = calx__obj_mapper(h);
		calx__state_left_to_db(h, row);
		if (i >= single_until && count_omitted(m, row) == 0) {
			/* every column given: the rows like it that follow go many a statement */
			size_t e = given_end(s, p, i, end), done;
			if ((rc = calx__ins_values_rows(s, p, i, e, from, &done)) != CALX_OK)
				break;
			single_until = e;
			if (done > i) {
				i = done - 1;
				continue;
			}
		}
		if (!st || m != sh.m || !calx__ins_same_bits(row, run, m->field_words)) {
			calx__stmt_release(st);
			st = NULL;
			calx__ins_copy_bits(run, row, m->field_words);
			sh = shape_of(s, m, run);
			if ((rc = calx__plan_params(s, sh.sent)) != CALX_OK)
				break;
			if ((rc = prepare_insert(s, &sh, run, &st)) != CALX_OK) {
				rc = calx__exec_failed(s, "preparing insert into", h, i - from, n - from);
				break;
			}
		}
		note_explicit_key(p, m, run);
		rc = insert_values(s, h, run, p->params);
		for (unsigned j = 0; j < sh.sent && rc == CALX_OK; j++)
			rc = s->d->bind(st->st, j, &p->params[j], &s->err);
		if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
			if ((rc = store_returning(s, h, run, st->st)) == CALX_OK)
				rc = s->d->step(st->st, &s->err);
		} else if (rc == CALX_DONE && sh.by_last_id) {
			if ((rc = store_last_id(s, h, run, st->st)) == CALX_OK)
				rc = CALX_DONE;
		}
		if (p->n_inserted < i + 1)
			p->n_inserted = i + 1;  /* not less: rows ahead may hold keys chosen for them (insert_rowid.c) */
		if (rc != CALX_DONE) {
			rc = calx__exec_failed(s, "insert into", h, i - from, n - from);
			break;
		}
		rc = CALX_OK;
		s->d->reset(st->st);
		calx__state_snapshot(h);
		if (sh.by_last_id && s->d->rowid_keys && i + 1 >= single_until && i + 1 < end) {
			/* the rows after it whose key alone is left to SQLite: numbered here, many a statement */
			size_t e = keyed_end(s, p, i + 1, end, run), done;
			if (e > i + 1 && (rc = calx__ins_rowid_rows(s, p, i + 1, e, from, s->d->last_insert_id(st->st),
			                                             run, &done)) != CALX_OK)
				break;
			single_until = e;
			if (e > i + 1 && done > i + 1)
				i = done - 1;
		}
	}
	calx__stmt_release(st);
	if (rc == CALX_OK && end > run0)
		rc = calx__ins_after_run(s, p, run0, end);
	return rc;
}

typedef struct batch_ctx {
	calx_session *s;
	calx__obj **rows;
	const uint64_t *omitted;
} batch_ctx;

static int batch_row(void *payload, size_t row, calx_stmt *raw)
{
	batch_ctx *ctx = payload;
	return store_returning(ctx->s, ctx->rows[row], ctx->omitted, raw);
}

/*
 * The end of the rows from rows[i] up to limit that share one statement
 * shape (the columns left to the database); the shape is left in
 * CALX__BITS_RUN.
 */
static size_t shape_end(calx_session *s, calx__plan *p, size_t i, size_t limit)
{
	calx__obj **rows = p->inserts.v;
	uint64_t *run = calx__plan_bits(s, CALX__BITS_RUN), *row = calx__plan_bits(s, CALX__BITS_ROW);
	unsigned words = calx__obj_mapper(rows[i])->field_words;
	calx__state_left_to_db(rows[i], run);
	size_t e = i + 1;
	for (; e < limit; e++) {
		calx__state_left_to_db(rows[e], row);
		if (!calx__ins_same_bits(row, run, words))
			break;
	}
	return e;
}

/* Rows [i, end) of one run, a statement each, pipelined by the dialect's execute_batch. */
static int batch_run(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from)
{
	const uint64_t *run = calx__plan_bits(s, CALX__BITS_RUN);
	calx__obj **rows = p->inserts.v;
	size_t n = p->inserts.n;
	calx__ins_shape sh = shape_of(s, calx__obj_mapper(rows[i]), run);
	unsigned k = sh.sent;
	int rc = calx__plan_params(s, (end - i) * (k ? k : 1));
	if (rc != CALX_OK)
		return rc;
	note_explicit_key(p, sh.m, run);
	for (size_t r = i; r < end; r++)
		if (insert_values(s, rows[r], run, p->params + (r - i) * k) != CALX_OK)
			return calx__exec_failed(s, "insert into", rows[r], r - from, n - from);
	calx__stmt *st = NULL;
	if (prepare_insert(s, &sh, run, &st) != CALX_OK)
		return calx__exec_failed(s, "preparing insert into", rows[i], i - from, n - from);
	batch_ctx ctx = { s, rows + i, run };
	size_t failed = 0;
	rc = s->d->execute_batch(st->st, end - i, k, p->params, sh.omits ? batch_row : NULL, &ctx, &failed, &s->err);
	calx__stmt_release(st);
	p->n_inserted = end;
	if (rc != CALX_OK)
		return calx__exec_failed(s, "insert into", rows[i + failed], i + failed - from, n - from);
	return CALX_OK;
}

/*
 * The listeners' runs (before_run), each sent as runs of one shape: many
 * rows a statement where the dialect reserves keys ahead (insert_multi.c),
 * else a statement a row, pipelined.
 */
static int insert_batches(calx_session *s, calx__plan *p, size_t from)
{
	size_t n = p->inserts.n, i = from;
	int rc = CALX_OK;
	while (i < n && rc == CALX_OK) {
		size_t run_end;
		if ((rc = calx__ins_before_run(s, p, i, &run_end)) != CALX_OK)
			break;
		for (size_t j = i; j < run_end && rc == CALX_OK;) {
			size_t end = shape_end(s, p, j, run_end);
			bool taken;
			if ((rc = calx__ins_multi(s, p, j, end, from, &taken)) != CALX_OK ||
			    (!taken && (rc = batch_run(s, p, j, end, from)) != CALX_OK))
				break;
			for (size_t r = j; r < end; r++)
				calx__state_snapshot(p->inserts.v[r]);
			j = end;
		}
		if (rc == CALX_OK)
			rc = calx__ins_after_run(s, p, i, run_end);
		i = run_end;
	}
	return rc;
}

static int plain_inserts(calx_session *s, calx__plan *p, size_t from)
{
	return s->d->execute_batch ? insert_batches(s, p, from) : insert_rows(s, p, from);
}

/* A deferred table's insert the database would refuse: a column it cannot fill is not mapped (calx_prepare). */
static int refuse_unfilled(calx_session *s, calx__plan *p, size_t from)
{
	for (size_t i = from; i < p->inserts.n; i++) {
		const calx__mapper *m = calx__obj_mapper(p->inserts.v[i]);
		const calx__table *t = calx__registry_table(s->reg, m->desc->tables[0]);
		if (t && t->unfilled[0])
			return calx_error_set(&s->err, CALX_ESTATE,
			                      "flush: insert into %s: struct %s does not map column %s, which is NOT NULL "
			                      "without a default (deferred mapping): map it, or give it a default",
			                      t->desc->name, m->desc->name, t->unfilled);
	}
	return CALX_OK;
}

int calx__exec_inserts(calx_session *s, calx__plan *p, size_t from)
{
	if (s->reg->has_deferred) {
		int rc = refuse_unfilled(s, p, from);
		if (rc != CALX_OK)
			return rc;
	}
	if (s->reg->has_joined)         /* joined-table objects: a row per table (joined_write.c) */
		return calx__joined_inserts(s, p, from, plain_inserts);
	return plain_inserts(s, p, from);
}

/* Explicit values in an identity column: move its sequence above them. */
int calx__exec_sync_keys(calx_session *s, calx__plan *p)
{
	/* SQLite's rowid moves above explicit keys by itself: the flags are read here only */
	if (s->d->version < 2 || !s->d->identity_setval)
		return CALX_OK;
	int rc = CALX_OK;
	for (unsigned m = 0; m < s->reg->n_mappers; m++) {
		const calx__mapper *rm = &s->reg->mappers[m];
		if (!p->explicit_keys[m])
			continue;
		p->explicit_keys[m] = 0;
		if (rc == CALX_OK)
			rc = calx__sync_autoincrement(s->conn, rm, &s->err);
	}
	return rc;
}
