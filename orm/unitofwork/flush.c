/*
 * The unit of work: pending inserts, detected changes and deletes become
 * statements in foreign-key order, all or nothing.
 *
 * Phase A runs the statements; the only thing it writes into objects is
 * what the database generated (keys, server defaults), and it remembers
 * enough to undo that. Phase B, reached only when every statement worked,
 * updates states, snapshots and the identity map, and cannot fail: the
 * memory it needs is reserved before phase A starts.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"

typedef struct flush_plan {
	calx__objvec inserts;   /* parents first, then add order */
	calx__objvec updates;
	calx__objvec deletes;   /* children first */
	size_t n_inserted;      /* phase A progress, for the undo */
	unsigned char *explicit_keys; /* per mapper: an autoincrement key was given (the session's) */
} flush_plan;

static bool null_bit(const uint64_t *bits, unsigned i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

static void set_bit(uint64_t *bits, unsigned i, bool on)
{
	if (on)
		bits[i / 64] |= (uint64_t)1 << (i % 64);
	else
		bits[i / 64] &= ~((uint64_t)1 << (i % 64));
}

/* Drop null flags of fields the application has assigned a value since. */
static void normalize_nulls(calx__obj *h)
{
	const calx_mapper_desc *m = h->m->desc;
	uint64_t *nulls = calx__obj_nulls(h);
	for (unsigned w = 0; w < h->m->field_words; w++) {
		/* most objects have no NULL scalar: one test per 64 fields */
		for (uint64_t bits = nulls[w]; bits; bits &= bits - 1) {
			unsigned f = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (f < m->n_fields && !calx__field_null(h, &m->fields[f]))
				set_bit(nulls, f, false);
		}
	}
}

static bool snap_null(const calx__obj *h, const calx_field_desc *f)
{
	if (f->ctype == CALX_CTYPE_STRING)
		return calx__field_zero(f, calx__obj_snap(h));
	return null_bit(calx__obj_snap_nulls(h), f->index);
}

static bool field_dirty(const calx__obj *h, const calx_field_desc *f)
{
	bool now = calx__field_null(h, f), then = snap_null(h, f);
	if (now != then)
		return true;
	return !now && !calx__field_equal(f, calx__obj_ptr(h), calx__obj_snap(h));
}

/* Same bytes and null bits as the snapshot: nothing to compare field by field. */
static bool obj_unchanged(const calx__obj *h)
{
	const calx__mapper *m = h->m;
	return memcmp(calx__obj_ptr(h), calx__obj_snap(h), m->desc->size) == 0 &&
	       memcmp(calx__obj_nulls(h), calx__obj_snap_nulls(h), m->field_words * sizeof(uint64_t)) == 0;
}

static bool obj_dirty(const calx__obj *h)
{
	const calx_mapper_desc *m = h->m->desc;
	for (unsigned f = 0; f < m->n_fields; f++)
		if (field_dirty(h, &m->fields[f]))
			return true;
	return false;
}

/* Fields the database fills at insert: keys to generate, server defaults. */
static uint64_t omitted_fields(const calx__obj *h)
{
	const calx_mapper_desc *m = h->m->desc;
	uint64_t mask = 0;
	for (uint64_t bits = h->m->generated; bits; bits &= bits - 1) {
		unsigned f = (unsigned)__builtin_ctzll(bits);
		if (calx__field_left_to_db(&m->fields[f], calx__obj_ptr(h), null_bit(calx__obj_nulls(h), f)))
			mask |= (uint64_t)1 << f;
	}
	return mask;
}

/* A versioned row starts at version 1 unless the application chose one. */
static int init_version(calx_session *s, calx__obj *h)
{
	if (h->m->version < 0)
		return CALX_OK;
	const calx_field_desc *f = &h->m->desc->fields[h->m->version];
	if (!calx__field_zero(f, calx__obj_ptr(h)))
		return CALX_OK;
	calx_value one = calx_value_int(1);
	bool isnull;
	return calx__field_set(f, calx__obj_ptr(h), &one, &s->arena, &isnull, &s->err);
}

/*
 * Optimistic locking (SQLAlchemy's version_id_col): an UPDATE sets the
 * version to the row's version + 1 and matches the row's version, so an
 * update from a stale copy changes no row.
 */
static int bump_version(calx_session *s, calx__obj *h)
{
	const calx_field_desc *f = &h->m->desc->fields[h->m->version];
	calx_value v;
	bool isnull;
	int rc = calx__field_get(f, calx__obj_snap(h), false, &v, &s->err);
	if (rc != CALX_OK)
		return rc;
	v.u.i++;
	return calx__field_set(f, calx__obj_ptr(h), &v, &s->arena, &isnull, &s->err);
}

/* Stable bucket sort by foreign-key rank: O(n + mappers). */
static int sort_by_rank(calx_session *s, calx__objvec *v, bool reverse)
{
	unsigned nm = s->reg->n_mappers;
	if (v->n < 2 || nm < 2)
		return CALX_OK;
	size_t *start = calx__calloc(nm + 1, sizeof *start);
	calx__obj **tmp = calx__malloc(v->n * sizeof *tmp);
	if (!start || !tmp) {
		calx__free(start);
		calx__free(tmp);
		return calx__fail(s, CALX_ENOMEM, "out of memory ordering the flush");
	}
	for (size_t i = 0; i < v->n; i++) {
		unsigned r = v->v[i]->m->rank;
		start[(reverse ? nm - 1 - r : r) + 1]++;
	}
	for (unsigned r = 0; r < nm; r++)
		start[r + 1] += start[r];
	for (size_t i = 0; i < v->n; i++) {
		unsigned r = v->v[i]->m->rank;
		tmp[start[reverse ? nm - 1 - r : r]++] = v->v[i];
	}
	memcpy(v->v, tmp, v->n * sizeof *tmp);
	calx__free(start);
	calx__free(tmp);
	return CALX_OK;
}

/* The plan borrows the session's vectors, so a flush allocates only when they grow. */
static void plan_begin(calx_session *s, flush_plan *p)
{
	memset(p, 0, sizeof *p);
	p->inserts = s->plan[0];
	p->updates = s->plan[1];
	p->deletes = s->plan[2];
	p->inserts.n = p->updates.n = p->deletes.n = 0;
	p->explicit_keys = s->explicit_keys;
	memset(p->explicit_keys, 0, s->reg->n_mappers);
}

static void plan_end(calx_session *s, flush_plan *p)
{
	s->plan[0] = p->inserts;
	s->plan[1] = p->updates;
	s->plan[2] = p->deletes;
}

static int plan_push(calx_session *s, calx__objvec *v, calx__obj *h)
{
	if (calx__objvec_push(v, h) != CALX_OK)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush");
	return CALX_OK;
}

/* Remember the row as the transaction found it, before its first update. */
static int keep_txn_snapshot(calx_session *s, calx__obj *h)
{
	if (h->txn_snap || (h->flags & CALX__NEW_IN_TXN))
		return CALX_OK;
	const calx__mapper *m = h->m;
	size_t n = m->desc->size + m->field_words * sizeof(uint64_t);
	h->txn_snap = calx__malloc(n);
	if (!h->txn_snap)
		return calx__fail(s, CALX_ENOMEM, "out of memory saving the state of a struct %s", m->desc->name);
	memcpy(h->txn_snap, calx__obj_snap(h), m->desc->size);
	memcpy(h->txn_snap + m->desc->size, calx__obj_snap_nulls(h), m->field_words * sizeof(uint64_t));
	if (!(h->flags & CALX__IN_LOG)) {
		/* capacity was reserved by the caller */
		s->txn_log.v[s->txn_log.n++] = h;
		h->flags |= CALX__IN_LOG;
	}
	return CALX_OK;
}

static int make_plan(calx_session *s, flush_plan *p)
{
	int rc;
	for (size_t i = 0; i < s->pending.n; i++) {
		calx__obj *h = s->pending.v[i];
		if (h->state == CALX__PENDING && (rc = plan_push(s, &p->inserts, h)) != CALX_OK)
			return rc;
	}
	if (s->tracking == CALX_TRACK_MARKED) {
		for (size_t i = 0; i < s->marked.n; i++) {
			calx__obj *h = s->marked.v[i];
			if (h->state != CALX__PERSISTENT || obj_unchanged(h))
				continue;
			normalize_nulls(h);
			if (obj_dirty(h) && (rc = plan_push(s, &p->updates, h)) != CALX_OK)
				return rc;
		}
	} else {
		/* every object that has a row; transient ones drop out of the list as we go */
		size_t keep = 0;
		for (size_t i = 0; i < s->objs.n; i++) {
			calx__obj *h = s->objs.v[i];
			if (h->state == CALX__TRANSIENT) {
				h->flags &= (uint8_t)~CALX__IN_OBJS;
				continue;
			}
			s->objs.v[keep++] = h;
			if (h->state != CALX__PERSISTENT || obj_unchanged(h))
				continue;
			normalize_nulls(h);
			if (obj_dirty(h) && (rc = plan_push(s, &p->updates, h)) != CALX_OK) {
				/* keep the rest of the list as it was */
				memmove(s->objs.v + keep, s->objs.v + i + 1, (s->objs.n - i - 1) * sizeof *s->objs.v);
				s->objs.n = keep + (s->objs.n - i - 1);
				return rc;
			}
		}
		s->objs.n = keep;
	}
	for (size_t i = 0; i < s->deleted.n; i++) {
		calx__obj *h = s->deleted.v[i];
		if (h->state == CALX__DELETED && (rc = plan_push(s, &p->deletes, h)) != CALX_OK)
			return rc;
	}
	if ((rc = sort_by_rank(s, &p->inserts, false)) != CALX_OK ||
	    (rc = sort_by_rank(s, &p->updates, false)) != CALX_OK ||
	    (rc = sort_by_rank(s, &p->deletes, true)) != CALX_OK ||
	    (rc = calx__order_self_refs(s, &p->inserts, false)) != CALX_OK ||
	    (rc = calx__order_self_refs(s, &p->deletes, true)) != CALX_OK)
		return rc;
	/* Reserve what phase B needs, so that it cannot fail. */
	size_t total = p->inserts.n + p->updates.n + p->deletes.n;
	if (calx__grow((void **)&s->objs.v, &s->objs.cap, s->objs.n + p->inserts.n, sizeof(calx__obj *)) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush");
	if (calx__grow((void **)&s->txn_log.v, &s->txn_log.cap, s->txn_log.n + total, sizeof(calx__obj *)) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush");
	if ((rc = calx__idmap_reserve(s, p->inserts.n + p->updates.n + 1)) != CALX_OK)
		return rc;
	for (size_t i = 0; i < p->updates.n; i++)
		if ((rc = keep_txn_snapshot(s, p->updates.v[i])) != CALX_OK)
			return rc;
	return CALX_OK;
}

/*
 * Can the key come from the dialect's last_insert_id instead of RETURNING?
 * When the only column left to the database is the integer autoincrement key.
 */
static bool key_by_last_id(const calx_session *s, const calx__mapper *m, uint64_t omitted)
{
	return s->d->last_insert_id && m->autoinc >= 0 && m->autoinc < 64 &&
	       omitted == (uint64_t)1 << m->autoinc;
}

static int statement_failed(calx_session *s, const char *what, const calx__obj *h, size_t i, size_t n)
{
	calx_error keep = s->err;
	return calx__fail(s, keep.code, "flush: %s \"%s\" (row %zu of %zu): %.380s", what, h->m->desc->table,
	                  i + 1, n, keep.msg);
}

/* RETURNING: what the database generated goes back into the struct. */
static int store_returning(calx_session *s, calx__obj *h, uint64_t omitted, calx_stmt *raw)
{
	const calx_mapper_desc *d = h->m->desc;
	void *obj = calx__obj_ptr(h);
	unsigned col = 0;
	h->omitted = omitted;
	for (unsigned f = 0; f < d->n_fields && f < 64; f++) {
		if (!(omitted >> f & 1))
			continue;
		calx_value v;
		bool isnull;
		s->d->column(raw, col++, &v);
		if (calx__field_set(&d->fields[f], obj, &v, &s->arena, &isnull, &s->err) != CALX_OK)
			return s->err.code;
		set_bit(calx__obj_nulls(h), f, isnull);
	}
	return CALX_OK;
}

/* The values of the columns an insert sends, in field order. */
static int insert_values(calx_session *s, flush_plan *p, calx__obj *h, uint64_t omitted, calx_value *out)
{
	const calx_mapper_desc *d = h->m->desc;
	unsigned k = 0;
	if (h->m->autoinc >= 0 && !(omitted >> h->m->autoinc & 1))
		p->explicit_keys[d->index] = 1;
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (f < 64 && (omitted >> f & 1))
			continue;
		const calx_field_desc *fd = &d->fields[f];
		int rc = calx__field_get(fd, calx__obj_ptr(h), calx__field_null(h, fd), &out[k++], &s->err);
		if (rc != CALX_OK)
			return rc;
	}
	return CALX_OK;
}

static unsigned count_sent(const calx__mapper *m, uint64_t omitted)
{
	return m->desc->n_fields - (unsigned)__builtin_popcountll(omitted);
}

static int prepare_insert(calx_session *s, const calx__mapper *m, uint64_t omitted, calx__stmt **st)
{
	uint64_t *sent = calx__calloc(m->field_words, sizeof *sent);
	uint64_t *ret = calx__calloc(m->field_words, sizeof *ret);
	if (!sent || !ret) {
		calx__free(sent);
		calx__free(ret);
		return calx__fail(s, CALX_ENOMEM, "out of memory building an insert");
	}
	for (unsigned f = 0; f < m->desc->n_fields; f++)
		calx__bit_set(sent, f, !(f < 64 && (omitted >> f & 1)));
	if (!key_by_last_id(s, m, omitted))
		ret[0] = omitted;
	int rc = calx__prepare_insert(s->conn, m, sent, ret, st, &s->err);
	calx__free(sent);
	calx__free(ret);
	return rc;
}

/* Row by row: bind, step, read RETURNING. */
static int run_inserts(calx_session *s, flush_plan *p)
{
	calx__stmt *st = NULL;
	const calx__mapper *cur_m = NULL;
	uint64_t cur_omitted = 0;
	calx_value vals[256];
	int rc = CALX_OK;
	for (size_t i = 0; i < p->inserts.n; i++) {
		calx__obj *h = p->inserts.v[i];
		if ((rc = calx__fire(s, CALX_EVENT_BEFORE_INSERT, h)) != CALX_OK || (rc = init_version(s, h)) != CALX_OK)
			break;
		normalize_nulls(h);
		uint64_t omitted = omitted_fields(h);
		unsigned k = count_sent(h->m, omitted);
		if (k > sizeof vals / sizeof vals[0]) {
			rc = calx__fail(s, CALX_EINVAL, "table \"%s\" has more than 256 columns", h->m->desc->table);
			break;
		}
		if (!st || h->m != cur_m || omitted != cur_omitted) {
			calx__stmt_release(st);
			st = NULL;
			if ((rc = prepare_insert(s, h->m, omitted, &st)) != CALX_OK) {
				rc = statement_failed(s, "preparing insert into", h, i, p->inserts.n);
				break;
			}
			cur_m = h->m;
			cur_omitted = omitted;
		}
		rc = insert_values(s, p, h, omitted, vals);
		for (unsigned j = 0; j < k && rc == CALX_OK; j++)
			rc = s->d->bind(st->st, j, &vals[j], &s->err);
		if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
			rc = store_returning(s, h, omitted, st->st);
			if (rc == CALX_OK)
				rc = s->d->step(st->st, &s->err);
		} else if (rc == CALX_DONE && omitted && key_by_last_id(s, h->m, omitted)) {
			const calx_field_desc *key = &h->m->desc->fields[h->m->autoinc];
			calx_value v = calx_value_int(s->d->last_insert_id(st->st));
			bool isnull;
			h->omitted = omitted;
			if (calx__field_set(key, calx__obj_ptr(h), &v, &s->arena, &isnull, &s->err) != CALX_OK)
				rc = s->err.code;
		}
		p->n_inserted = i + 1;
		if (rc != CALX_DONE) {
			rc = statement_failed(s, "insert into", h, i, p->inserts.n);
			break;
		}
		s->d->reset(st->st);
		if ((rc = calx__fire(s, CALX_EVENT_AFTER_INSERT, h)) != CALX_OK)
			break;
	}
	calx__stmt_release(st);
	return rc;
}

#define MAX_BATCH 10000

typedef struct batch_ctx {
	calx_session *s;
	calx__obj **rows;
	uint64_t omitted;
} batch_ctx;

static int batch_row(void *payload, size_t row, calx_stmt *raw)
{
	batch_ctx *ctx = payload;
	return store_returning(ctx->s, ctx->rows[row], ctx->omitted, raw);
}

/* Runs of one shape go to the dialect's execute_batch (pipelined). */
static int run_inserts_batched(calx_session *s, flush_plan *p)
{
	calx__obj **rows = p->inserts.v;
	size_t n = p->inserts.n, i = 0, fired = 0, cap = 0;
	calx_value *params = NULL;
	int rc = CALX_OK;
	while (i < n && rc == CALX_OK) {
		if (fired <= i) {
			if ((rc = calx__fire(s, CALX_EVENT_BEFORE_INSERT, rows[i])) != CALX_OK ||
			    (rc = init_version(s, rows[i])) != CALX_OK)
				break;
			normalize_nulls(rows[i]);
			fired = i + 1;
		}
		const calx__mapper *m = rows[i]->m;
		uint64_t omitted = omitted_fields(rows[i]);
		size_t end = i + 1;
		while (end < n && end - i < MAX_BATCH && rows[end]->m == m) {
			if (fired <= end) {
				if ((rc = calx__fire(s, CALX_EVENT_BEFORE_INSERT, rows[end])) != CALX_OK ||
				    (rc = init_version(s, rows[end])) != CALX_OK)
					break;
				normalize_nulls(rows[end]);
				fired = end + 1;
			}
			if (omitted_fields(rows[end]) != omitted)
				break;
			end++;
		}
		if (rc != CALX_OK)
			break;
		unsigned k = count_sent(m, omitted);
		size_t need = (end - i) * (k ? k : 1);
		if (calx__grow((void **)&params, &cap, need, sizeof *params) != 0) {
			rc = calx__fail(s, CALX_ENOMEM, "out of memory batching inserts into \"%s\"", m->desc->table);
			break;
		}
		for (size_t r = i; r < end && rc == CALX_OK; r++)
			if ((rc = insert_values(s, p, rows[r], omitted, params + (r - i) * k)) != CALX_OK)
				rc = statement_failed(s, "insert into", rows[r], r, n);
		if (rc != CALX_OK)
			break;
		calx__stmt *st = NULL;
		if ((rc = prepare_insert(s, m, omitted, &st)) != CALX_OK) {
			rc = statement_failed(s, "preparing insert into", rows[i], i, n);
			break;
		}
		batch_ctx ctx = { s, rows + i, omitted };
		size_t failed = 0;
		rc = s->d->execute_batch(st->st, end - i, k, params, omitted ? batch_row : NULL, &ctx, &failed, &s->err);
		calx__stmt_release(st);
		p->n_inserted = end;
		if (rc != CALX_OK) {
			rc = statement_failed(s, "insert into", rows[i + failed], i + failed, n);
			break;
		}
		for (size_t r = i; r < end && rc == CALX_OK; r++)
			rc = calx__fire(s, CALX_EVENT_AFTER_INSERT, rows[r]);
		i = end;
	}
	calx__free(params);
	return rc;
}

/* Bind the primary key (and version) as the snapshot has them: the row as it was read. */
static int bind_key(calx_session *s, calx__stmt *st, const calx__obj *h, unsigned first)
{
	calx_value key[CALX__MAX_PK + 1];
	int rc = calx__obj_key(h, calx__obj_snap(h), key, &s->err);
	unsigned n = h->m->n_pk;
	if (rc == CALX_OK && h->m->version >= 0)
		rc = calx__field_get(&h->m->desc->fields[h->m->version], calx__obj_snap(h), false, &key[n++], &s->err);
	for (unsigned i = 0; i < n && rc == CALX_OK; i++)
		rc = s->d->bind(st->st, first + i, &key[i], &s->err);
	return rc;
}

static int run_one(calx_session *s, const char *what, calx__obj *h, size_t i, size_t total, bool is_update)
{
	const calx_mapper_desc *d = h->m->desc;
	calx__stmt *st = NULL;
	int rc = calx__fire(s, is_update ? CALX_EVENT_BEFORE_UPDATE : CALX_EVENT_BEFORE_DELETE, h);
	if (rc != CALX_OK)
		return rc;
	if (is_update) {
		normalize_nulls(h);
		if (!obj_dirty(h))
			return CALX_OK;     /* a listener took the change back */
		if (h->m->version >= 0 && (rc = bump_version(s, h)) != CALX_OK)
			return statement_failed(s, what, h, i, total);
	}
	uint64_t *set = NULL;
	if (is_update) {
		if (!(set = calx__calloc(h->m->field_words, sizeof *set)))
			return calx__fail(s, CALX_ENOMEM, "out of memory building an %s", what);
		for (unsigned f = 0; f < d->n_fields; f++)
			calx__bit_set(set, f, field_dirty(h, &d->fields[f]));
		rc = calx__prepare_update(s->conn, h->m, set, &st, &s->err);
	} else {
		rc = calx__prepare_delete(s->conn, h->m, &st, &s->err);
	}
	if (rc != CALX_OK) {
		calx__free(set);
		return statement_failed(s, what, h, i, total);
	}
	unsigned k = 0;
	for (unsigned f = 0; is_update && f < d->n_fields && rc == CALX_OK; f++) {
		const calx_field_desc *fd = &d->fields[f];
		if (!calx__bit(set, f))
			continue;
		calx_value v;
		rc = calx__field_get(fd, calx__obj_ptr(h), calx__field_null(h, fd), &v, &s->err);
		if (rc == CALX_OK)
			rc = s->d->bind(st->st, k++, &v, &s->err);
	}
	if (rc == CALX_OK)
		rc = bind_key(s, st, h, k);
	if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_DONE) {
		rc = CALX_OK;
		if (s->d->rows_affected(st->st) != 1 && h->m->version >= 0)
			rc = calx_error_set(&s->err, CALX_ERETRY,
			                    "stale object: the row's version changed since it was read "
			                    "(another transaction updated or deleted it); reload and retry");
		else if (s->d->rows_affected(st->st) != 1)
			rc = calx_error_set(&s->err, CALX_ENOTFOUND,
			                    "the row was not found (deleted or its key changed outside this session)");
	}
	calx__stmt_release(st);
	calx__free(set);
	if (rc != CALX_OK)
		return statement_failed(s, what, h, i, total);
	return calx__fire(s, is_update ? CALX_EVENT_AFTER_UPDATE : CALX_EVENT_AFTER_DELETE, h);
}

static void undo_inserts(calx_session *s, flush_plan *p)
{
	for (size_t i = 0; i < p->n_inserted; i++) {
		calx__obj *h = p->inserts.v[i];
		const calx_mapper_desc *d = h->m->desc;
		for (unsigned f = 0; f < d->n_fields && f < 64; f++) {
			if (!(h->omitted >> f & 1))
				continue;
			memset((char *)calx__obj_ptr(h) + d->fields[f].offset, 0, d->fields[f].size);
			set_bit(calx__obj_nulls(h), f, false);
		}
		h->omitted = 0;
	}
	(void)s;
}

static void take_snapshot(calx__obj *h)
{
	const calx__mapper *m = h->m;
	memcpy(calx__obj_snap(h), calx__obj_ptr(h), m->desc->size);
	memcpy(calx__obj_snap_nulls(h), calx__obj_nulls(h), m->field_words * sizeof(uint64_t));
}

static void log_obj(calx_session *s, calx__obj *h, uint8_t flag)
{
	h->flags |= flag;
	if (!(h->flags & CALX__IN_LOG)) {
		s->txn_log.v[s->txn_log.n++] = h;
		h->flags |= CALX__IN_LOG;
	}
}

static void commit_plan(calx_session *s, flush_plan *p)
{
	for (size_t i = 0; i < p->inserts.n; i++) {
		calx__obj *h = p->inserts.v[i];
		h->state = CALX__PERSISTENT;
		take_snapshot(h);
		log_obj(s, h, CALX__NEW_IN_TXN);
		calx__idmap_insert(s, h);       /* capacity reserved: cannot fail */
		if (!(h->flags & CALX__IN_OBJS)) {
			s->objs.v[s->objs.n++] = h;  /* reserved too */
			h->flags |= CALX__IN_OBJS;
		}
	}
	for (size_t i = 0; i < p->updates.n; i++) {
		calx__obj *h = p->updates.v[i];
		bool rekey = false;
		for (unsigned k = 0; k < h->m->n_pk && !rekey; k++)
			rekey = !calx__field_equal(&h->m->desc->fields[h->m->pk[k]], calx__obj_ptr(h), calx__obj_snap(h));
		if (rekey)
			calx__idmap_remove(s, h);
		take_snapshot(h);
		if (rekey)
			calx__idmap_insert(s, h);       /* the key changed: capacity reserved */
	}
	for (size_t i = 0; i < p->deletes.n; i++) {
		calx__obj *h = p->deletes.v[i];
		h->state = CALX__GONE;
		calx__idmap_remove(s, h);
		log_obj(s, h, CALX__GONE_IN_TXN);
	}
	for (size_t i = 0; i < s->pending.n; i++)
		s->pending.v[i]->flags &= (uint8_t)~CALX__IN_PENDING;
	for (size_t i = 0; i < s->deleted.n; i++)
		s->deleted.v[i]->flags &= (uint8_t)~CALX__IN_DELETED;
	for (size_t i = 0; i < s->marked.n; i++)
		s->marked.v[i]->flags &= (uint8_t)~CALX__IN_MARKED;
	/* objects dropped from pending by a delete stay transient, off the list */
	s->pending.n = 0;
	s->deleted.n = 0;
	s->marked.n = 0;
}

int calx__flush(calx_session *s)
{
	if (s->flushing)
		return CALX_OK;
	flush_plan p;
	plan_begin(s, &p);
	s->flushing = true;     /* a before_flush listener may add objects, not flush */
	int rc = calx__fire(s, CALX_EVENT_BEFORE_FLUSH, NULL);
	s->flushing = false;
	if (rc != CALX_OK)
		return rc;
	rc = make_plan(s, &p);
	if (rc != CALX_OK)
		goto done;
	if (!p.inserts.n && !p.updates.n && !p.deletes.n) {
		commit_plan(s, &p);
		goto done;
	}
	if ((rc = calx__begin(s)) != CALX_OK)
		goto failed;    /* nothing written, but the connection may be gone: roll back first */
	s->flushing = true;
	rc = s->d->execute_batch ? run_inserts_batched(s, &p) : run_inserts(s, &p);
	for (unsigned m = 0; rc == CALX_OK && m < s->reg->n_mappers; m++) {
		const calx__mapper *rm = &s->reg->mappers[m];
		if (p.explicit_keys[m])
			rc = calx__sync_autoincrement(s->conn, rm, &s->err);
	}
	for (size_t i = 0; rc == CALX_OK && i < p.updates.n; i++)
		rc = run_one(s, "update of", p.updates.v[i], i, p.updates.n, true);
	for (size_t i = 0; rc == CALX_OK && i < p.deletes.n; i++)
		rc = run_one(s, "delete from", p.deletes.v[i], i, p.deletes.n, false);
	s->flushing = false;
	if (rc != CALX_OK) {
		undo_inserts(s, &p);
		goto failed;
	}
	commit_plan(s, &p);
	s->flushing = true;
	rc = calx__fire(s, CALX_EVENT_AFTER_FLUSH, NULL);
	s->flushing = false;
	if (rc != CALX_OK)
		goto failed;    /* the objects are persistent now: rollback undoes them */
	goto done;
failed: {
		calx_error keep = s->err;
		calx__txn(s->conn, CALX__TXN_ROLLBACK, &s->err);
		s->err = keep;
		s->in_txn = false;
		s->failed = true;
	}
done:
	plan_end(s, &p);
	return rc;
}
