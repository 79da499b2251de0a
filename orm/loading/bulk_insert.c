/*
 * INSERT of many rows from an array of structs (calx/bulk.h), SQLAlchemy's
 * session.execute(insert(User), [...]): the rows go to the database, not
 * into the session (no identity map, no listeners, no relationships).
 *
 * Every value is read and checked as the flush reads it (calx__field_get:
 * the same conversions and refusals; the same columns left to the
 * database: calx__field_left_to_db) for every row before anything is
 * sent. Then, inside a SAVEPOINT of the session's transaction, so a
 * failure takes back every row of the call and leaves the transaction
 * usable:
 * - on a dialect with execute_batch and sequences (PostgreSQL), the
 *   statements the flush's multi-row path uses: INSERT ... SELECT * FROM
 *   unnest() of one array a column, 1,000 rows a statement
 *   (calx__prepare_insert_arrays), or, for a run with a user type's bytes,
 *   calx__prepare_insert_rows (1000 rows a statement, or fewer by the
 *   parameter limit, then 512, 256, ... 1, so a table has a bounded number
 *   of shapes), pipelined by execute_batch; generated keys asked back are reserved from the
 *   column's sequence first (calx__reserve_keys), as the flush does,
 *   because a multi-row RETURNING documents no order: other server
 *   defaults come back by RETURNING and go to the row of their key;
 * - elsewhere (SQLite), one prepared statement, bound and stepped a row at
 *   a time, the key by last_insert_id, other server defaults by RETURNING.
 *
 * Rows whose columns left to the database differ (one gives its key, the
 * next leaves it 0) are sent in runs of one shape each.
 */
#include <string.h>
#include "calx/calx.h"
#include "engine/engine.h"
#include "base/alloc.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "session/session.h"
#include "loading/bulk_insert.h"

#define SAVEPOINT_NAME "calx_insert_many"

int calx__bulk_fail_row(calx__bulk_job *j, size_t i, const char *what)
{
	calx_error keep = j->s->err;
	return calx__fail(j->s, keep.code ? keep.code : CALX_ERROR, "insert many %s: %s row %zu of %zu: %.380s",
	                  j->m->desc->name, what, i + 1, j->n, keep.msg);
}

/* The columns of row i left to the database, as the flush decides it. */
static void left_to_db(const calx__bulk_job *j, size_t i, uint64_t *out)
{
	const calx__mapper *m = j->m;
	const void *base = calx__bulk_row_at(j, i);
	for (unsigned w = 0; w < m->field_words; w++) {
		out[w] = 0;
		for (uint64_t bits = m->generated[w]; bits; bits &= bits - 1) {
			unsigned f = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (calx__field_left_to_db(&m->desc->fields[f], base, false))
				out[w] |= (uint64_t)1 << (f % 64);
		}
	}
}

/* A new run from row i: its sent and returned columns. */
static int start_run(calx__bulk_job *j, size_t i, const uint64_t *omitted, size_t params)
{
	const calx__mapper *m = j->m;
	if (calx__grow((void **)&j->runs, &j->cap_runs, j->n_runs + 1, sizeof *j->runs) != 0)
		return calx__fail(j->s, CALX_ENOMEM, "insert many %s: out of memory", m->desc->name);
	calx__bulk_run *r = &j->runs[j->n_runs++];
	memset(r, 0, sizeof *r);
	r->start = i;
	r->params = params;
	memcpy(r->omitted, omitted, m->field_words * sizeof *omitted);
	int key = m->autoinc;
	r->reserve = j->returning && j->batch && key >= 0 && calx__bit(omitted, (unsigned)key);
	bool rest = false;
	for (unsigned w = 0; w < m->field_words; w++) {
		unsigned left = m->desc->n_fields - w * 64;
		uint64_t all = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
		uint64_t keybit = key >= 0 && (unsigned)key / 64 == w ? (uint64_t)1 << (key % 64) : 0;
		r->sent[w] = all & ~(r->reserve ? omitted[w] & ~keybit : omitted[w]);
		r->k += (unsigned)__builtin_popcountll(r->sent[w]);
		rest = rest || (omitted[w] & ~keybit);
	}
	/*
	 * Returned: what is left to the database (reserved keys are known).
	 * Many rows a statement come back in no documented order: the key
	 * comes back too, to find each row by; without an integer key such a
	 * run goes a row a statement.
	 */
	r->any_ret = j->returning && (rest || (!r->reserve && key >= 0 && calx__bit(omitted, (unsigned)key)));
	r->batched = j->batch && (!r->any_ret || key >= 0);
	for (unsigned w = 0; r->any_ret && w < m->field_words; w++) {
		uint64_t keybit = key >= 0 && (unsigned)key / 64 == w ? (uint64_t)1 << (key % 64) : 0;
		r->ret[w] = r->reserve ? omitted[w] & ~keybit : omitted[w];
		if (r->batched)
			r->ret[w] |= keybit;
	}
	if (!r->k)
		return calx__fail(j->s, CALX_EINVAL, "insert many %s: row %zu sends no column (every one left to the "
		                  "database): add it through the session", m->desc->name, i + 1);
	return CALX_OK;
}

/* Every row's values, checked, into params; the runs of one shape. Nothing is sent. */
static int read_rows(calx__bulk_job *j)
{
	const calx__mapper *m = j->m;
	const calx_field_desc *fields = m->desc->fields;
	uint64_t omitted[CALX__ROWS_MAX_WORDS];
	size_t at = 0;
	int rc;
	for (size_t i = 0; i < j->n; i++) {
		left_to_db(j, i, omitted);
		calx__bulk_run *r = j->n_runs ? &j->runs[j->n_runs - 1] : NULL;
		if (!r || memcmp(r->omitted, omitted, m->field_words * sizeof *omitted) != 0) {
			if (r)
				r->end = i;
			if ((rc = start_run(j, i, omitted, at)) != CALX_OK)
				return rc;
			r = &j->runs[j->n_runs - 1];
		}
		const void *base = calx__bulk_row_at(j, i);
		for (unsigned f = 0; f < m->desc->n_fields; f++) {
			if (!calx__bit(r->sent, f))
				continue;
			if (r->reserve && (int)f == m->autoinc) {
				j->params[at++] = calx_value_null();    /* the reserved key, before sending */
				continue;
			}
			if ((rc = calx__field_get(&fields[f], base, false, &j->params[at++], &j->s->err)) != CALX_OK)
				return calx__bulk_fail_row(j, i, "the value of a column of");
		}
	}
	if (j->n_runs)
		j->runs[j->n_runs - 1].end = j->n;
	return CALX_OK;
}

/* After a failure: the fields written back are zero again, as they were (every one was left to the database). */
static void undo_written(calx__bulk_job *j)
{
	const calx_mapper_desc *d = j->m->desc;
	for (size_t x = 0; x < j->n_runs; x++) {
		const calx__bulk_run *r = &j->runs[x];
		for (size_t i = r->start; i < r->end; i++)
			for (unsigned f = 0; f < d->n_fields; f++)
				if (calx__bit(r->omitted, f))
					memset((char *)calx__bulk_row_at(j, i) + d->fields[f].offset, 0, d->fields[f].size);
	}
}

static int refuse(calx_session *s, const calx__mapper *m, size_t n, const void *rows, unsigned flags)
{
	const char *name = m->desc->name;
	if (n && !rows)
		return calx__fail(s, CALX_EINVAL, "insert many %s: %zu rows at NULL", name, n);
	if (flags & ~(unsigned)CALX_INSERT_RETURNING)
		return calx__fail(s, CALX_EINVAL, "insert many %s: unknown flags 0x%x (only CALX_INSERT_RETURNING)", name, flags);
	if (m->poly || m->desc->parent || m->desc->n_tables != 1)
		return calx__fail(s, CALX_EINVAL, "insert many %s: a struct of an inheritance hierarchy: add its objects "
		                  "to the session (the flush sets the discriminator)", name);
	if (m->version >= 0)
		return calx__fail(s, CALX_EINVAL, "insert many %s: a versioned struct: add its objects to the session "
		                  "(the flush starts the version)", name);
	if (m->field_words > CALX__ROWS_MAX_WORDS)
		return calx__fail(s, CALX_EINVAL, "insert many %s: more than %d columns", name, CALX__ROWS_MAX_WORDS * 64);
	if (n > SIZE_MAX / 2 / (m->desc->n_fields + 1) / sizeof(calx_value))
		return calx__fail(s, CALX_ERANGE, "insert many %s: %zu rows", name, n);
	return CALX_OK;
}

int calx_insert_many(calx_session *s, const calx_mapper_desc *md, void *rows, size_t n, unsigned flags,
                     uint64_t *inserted)
{
	if (inserted)
		*inserted = 0;
	if (!s || !md)
		return CALX_EINVAL;
	const calx__mapper *m = calx__registry_find(s->reg, md, &s->err);
	if (!m)
		return s->err.code;
	int rc = refuse(s, m, n, rows, flags);
	if (rc == CALX_OK)
		rc = calx__check_usable(s);
	if (rc == CALX_OK)
		rc = calx__check_not_flushing(s, "calx_insert_many");
	if (rc != CALX_OK || !n)
		return rc;
	if (s->autoflush && (rc = calx__flush(s)) != CALX_OK)
		return rc;
	calx__bulk_job j = { s, m, rows, n, md->size, (flags & CALX_INSERT_RETURNING) != 0,
		  s->d->execute_batch && s->d->identity_setval && s->d->version >= 2, NULL, NULL, 0, 0, NULL, 0, 0, 0 };
	/* every row's values, then room for a run's arrays: a column's a statement (send_arrays) */
	size_t arrays = j.batch ? (n + CALX__BULK_ROWS_PER_STATEMENT - 1) / CALX__BULK_ROWS_PER_STATEMENT * md->n_fields : 0;
	if (!(j.params = calx__malloc((n * md->n_fields + arrays) * sizeof *j.params)))
		return calx__fail(s, CALX_ENOMEM, "insert many %s: out of memory for %zu rows", md->name, n);
	/* everything checked before anything is sent */
	if ((rc = read_rows(&j)) != CALX_OK || (rc = calx__begin(s)) != CALX_OK ||
	    (rc = calx__savepoint(s->conn, CALX__SAVEPOINT, SAVEPOINT_NAME, &s->err)) != CALX_OK)
		goto done;
	bool explicit_key = false;
	for (size_t x = 0; x < j.n_runs && rc == CALX_OK; x++) {
		const calx__bulk_run *r = &j.runs[x];
		explicit_key = explicit_key || (m->autoinc >= 0 && !calx__bit(r->omitted, (unsigned)m->autoinc));
		rc = r->batched ? calx__bulk_send_batched(&j, r) : calx__bulk_send_rows(&j, r);
		if (rc == CALX_OK)      /* progress, for the engine's log (calx/trace.h) */
			calx__log(s->eng, CALX_LOG_DEBUG, "insert_many", "%s: %zu of %zu rows sent", md->table, r->end, n);
	}
	/* keys the program gave: the sequence moves past them (PostgreSQL), as after a flush */
	if (rc == CALX_OK && explicit_key)
		rc = calx__sync_autoincrement(s->conn, m, &s->err);
	if (rc == CALX_OK) {
		rc = calx__savepoint(s->conn, CALX__RELEASE, SAVEPOINT_NAME, &s->err);
	} else {
		calx_error keep = s->err;
		/* the call's rows go; the transaction stays usable */
		if (calx__savepoint(s->conn, CALX__ROLLBACK_TO, SAVEPOINT_NAME, &s->err) != CALX_OK ||
		    calx__savepoint(s->conn, CALX__RELEASE, SAVEPOINT_NAME, &s->err) != CALX_OK)
			s->failed = true;
		s->err = keep;
		if (j.returning)
			undo_written(&j);
	}
done:
	calx__free(j.params);
	calx__free(j.runs);
	if (rc == CALX_OK && inserted)
		*inserted = n;
	return rc;
}
