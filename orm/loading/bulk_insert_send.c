/*
 * calx_insert_many's runs sent (bulk_insert.h): on PostgreSQL many rows a
 * statement, pipelined, one array a column (or a VALUES list for a run
 * with a user type's bytes), keys reserved first and other server
 * defaults matched back by key; on SQLite one prepared statement a row,
 * the key by last_insert_id.
 */
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"
#include "session/session.h"
#include "sql/insert_arrays.h"
#include "loading/bulk_insert.h"
#include "unitofwork/insert.h"

static int set_key(calx__bulk_job *j, void *base, const calx_value *key)
{
	bool isnull;
	const calx_field_desc *f = &j->m->desc->fields[j->m->autoinc];
	return calx__field_set(f, base, key, &j->s->arena, &isnull, &j->s->err) == CALX_OK ? CALX_OK : j->s->err.code;
}

/* calx__reserve_keys' callback: key i of the current run, into its struct and its parameter. */
static int take_key(void *payload, size_t i, const calx_value *key)
{
	calx__bulk_job *j = payload;
	const calx__bulk_run *r = j->cur;
	unsigned slot = 0;
	for (unsigned f = 0; f < (unsigned)j->m->autoinc; f++)
		slot += calx__bit(r->sent, f);
	j->params[r->params + i * r->k + slot] = *key;
	return set_key(j, calx__bulk_row_at(j, r->start + i), key);
}

static bool same_key(const calx__bulk_job *j, size_t i, const calx_value *key)
{
	calx_value v;
	calx_error ignore;
	const calx_field_desc *f = &j->m->desc->fields[j->m->autoinc];
	return calx__field_get(f, calx__bulk_row_at(j, i), false, &v, &ignore) == CALX_OK && v.kind == CALX_VALUE_INT &&
	       key->kind == CALX_VALUE_INT && v.u.i == key->u.i;
}

/* execute_batch's callback: the rows statement `stmt` of the current pieces returned, each to the row of its key. */
static int returned(void *payload, size_t stmt, calx_stmt *raw)
{
	calx__bulk_job *j = payload;
	const calx__bulk_run *r = j->cur;
	size_t first = j->base + stmt * j->per, got = 0, sent = j->end - first < j->per ? j->end - first : j->per;
	unsigned key_col = 0;
	for (unsigned f = 0; f < (unsigned)j->m->autoinc; f++)
		key_col += calx__bit(r->ret, f);
	int rc;
	do {
		calx_value k;
		j->s->d->column(raw, key_col, &k);
		size_t at = got < sent && same_key(j, r->start + first + got, &k) ? first + got : SIZE_MAX;
		for (size_t x = first; at == SIZE_MAX && x < first + sent; x++)
			if (same_key(j, r->start + x, &k))
				at = x;
		if (at == SIZE_MAX || ++got > sent)
			return calx_error_set(&j->s->err, CALX_ERROR, "the insert returned a key none of its rows has");
		void *row = calx__bulk_row_at(j, r->start + at);
		if ((rc = calx__store_returned(j->s, j->m->desc, row, r->ret, j->m->autoinc, raw)) != CALX_OK)
			return rc;
	} while ((rc = j->s->d->step(raw, &j->s->err)) == CALX_ROW);
	if (rc != CALX_DONE)
		return rc;
	return got == sent ? CALX_OK
	                   : calx_error_set(&j->s->err, CALX_ERROR, "the insert returned %zu rows of %zu", got, sent);
}

/* `count` statements of `per` rows each, from the run's row `base`. */
static int pieces(calx__bulk_job *j, const calx__bulk_run *r, size_t base, size_t per, size_t count)
{
	calx_session *s = j->s;
	calx__stmt *st = NULL;
	size_t failed = 0;
	int rc = calx__prepare_insert_rows(s->conn, j->m, r->sent, r->any_ret ? r->ret : NULL, per, &st, &s->err);
	if (rc != CALX_OK)
		return calx__bulk_fail_row(j, r->start + base, "preparing the insert of");
	j->base = base;
	j->per = per;
	j->end = base + count * per;
	rc = s->d->execute_batch(st->st, count, (unsigned)(per * r->k), j->params + r->params + base * r->k,
	                         r->any_ret ? returned : NULL, j, &failed, &s->err);
	calx__stmt_release(st);
	return rc == CALX_OK ? CALX_OK : calx__bulk_fail_row(j, r->start + base + failed * per, "a statement holding");
}

/*
 * The run as statements of up to CALX__BULK_ROWS_PER_STATEMENT rows, one array a
 * column each (sql/insert_arrays.h), pipelined; the arrays go after every
 * row's values in params.
 */
static int send_arrays(calx__bulk_job *j, const calx__bulk_run *r, calx__arrays *a, size_t n)
{
	calx_session *s = j->s;
	size_t per = CALX__BULK_ROWS_PER_STATEMENT, count = (n + per - 1) / per, failed = 0, bad = 0;
	calx_value *arrays = j->params + j->n * j->m->desc->n_fields;
	int rc = calx__arrays_make(a, j->params + r->params, n, r->k, per, arrays, &bad, &s->err);
	if (rc == CALX__NO_ARRAY_FORM)
		return rc;
	if (rc == CALX_ERANGE)
		return calx__bulk_fail_row(j, r->start + bad, "the value of a column of");
	if (rc != CALX_OK)
		return calx__fail(s, rc, "insert many %s: out of memory for the arrays of %zu rows", j->m->desc->name, n);
	calx__stmt *st = NULL;
	if (calx__prepare_insert_arrays(s->conn, j->m, r->sent, r->any_ret ? r->ret : NULL, &st, &s->err) != CALX_OK)
		return calx__bulk_fail_row(j, r->start, "preparing the insert of");
	j->per = per;
	j->end = n;
	size_t group = calx__arrays_group(per, r->k);
	for (size_t first = 0; first < count && rc == CALX_OK; first += group) {
		j->base = first * per;
		rc = s->d->execute_batch(st->st, count - first < group ? count - first : group, r->k, arrays + first * r->k,
		                         r->any_ret ? returned : NULL, j, &failed, &s->err);
		if (rc != CALX_OK)
			rc = calx__bulk_fail_row(j, r->start + j->base + failed * per, "a statement holding");
	}
	calx__stmt_release(st);
	return rc;
}

/* Many rows a statement, pipelined (PostgreSQL). */
int calx__bulk_send_batched(calx__bulk_job *j, const calx__bulk_run *r)
{
	size_t n = r->end - r->start;
	int rc;
	j->cur = r;
	if (r->reserve && (rc = calx__reserve_keys(j->s->conn, j->m, n, take_key, j, &j->s->err)) != CALX_OK)
		return rc == CALX_ENOTFOUND
		               ? calx__fail(j->s, CALX_EINVAL, "insert many %s: its key has no sequence to reserve keys "
		                            "from (leave out the flag CALX_INSERT_RETURNING)", j->m->desc->name)
		               : calx__bulk_fail_row(j, r->start, "reserving keys for");
	calx__arrays a = CALX__ARRAYS_INIT;
	if (calx__arrays_fit(&a, j->s->d, j->m, r->sent)) {
		rc = send_arrays(j, r, &a, n);
		calx__arrays_free(&a);
		if (rc != CALX__NO_ARRAY_FORM)
			return rc;
	}
	size_t max = j->s->d->max_params ? j->s->d->max_params / r->k : CALX__BULK_ROWS_PER_STATEMENT;
	size_t per = max < CALX__BULK_ROWS_PER_STATEMENT ? max : CALX__BULK_ROWS_PER_STATEMENT;
	size_t done = n / per * per;
	rc = done ? pieces(j, r, 0, per, n / per) : CALX_OK;
	for (size_t piece = (size_t)1 << 9; piece && rc == CALX_OK; piece >>= 1)
		if (n - done >= piece) {
			rc = pieces(j, r, done, piece, 1);
			done += piece;
		}
	return rc;
}

/* One prepared statement, a row at a time (SQLite). */
int calx__bulk_send_rows(calx__bulk_job *j, const calx__bulk_run *r)
{
	calx_session *s = j->s;
	const calx__mapper *m = j->m;
	bool only_key = m->autoinc >= 0 && calx__bit(r->omitted, (unsigned)m->autoinc);
	for (unsigned w = 0; only_key && w < m->field_words; w++)
		only_key = r->omitted[w] == ((unsigned)m->autoinc / 64 == w ? (uint64_t)1 << (m->autoinc % 64) : 0);
	bool by_last_id = j->returning && only_key && s->d->last_insert_id;
	calx__stmt *st = NULL;
	int rc = calx__prepare_insert(s->conn, m, r->sent, r->any_ret && !by_last_id ? r->ret : NULL, &st, &s->err);
	if (rc != CALX_OK)
		return calx__bulk_fail_row(j, r->start, "preparing the insert of");
	for (size_t i = r->start; i < r->end && rc == CALX_OK; i++) {
		const calx_value *v = j->params + r->params + (i - r->start) * r->k;
		for (unsigned c = 0; c < r->k && rc == CALX_OK; c++)
			rc = s->d->bind(st->st, c, &v[c], &s->err);
		if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
			if ((rc = calx__store_returned(j->s, j->m->desc, calx__bulk_row_at(j, i), r->ret, -1, st->st)) == CALX_OK)
				rc = s->d->step(st->st, &s->err);
		} else if (rc == CALX_DONE && by_last_id) {
			calx_value key = calx_value_int(s->d->last_insert_id(st->st));
			if ((rc = set_key(j, calx__bulk_row_at(j, i), &key)) == CALX_OK)
				rc = CALX_DONE;
		}
		if (rc != CALX_DONE) {
			rc = calx__bulk_fail_row(j, i, "inserting");
			break;
		}
		rc = CALX_OK;
		s->d->reset(st->st);
	}
	calx__stmt_release(st);
	return rc;
}
