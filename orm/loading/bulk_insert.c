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
#include "sql/insert_arrays.h"
#include "sql/statements.h"
#include "session/session.h"

#define ROWS_PER_STATEMENT 1000
#define SAVEPOINT_NAME "calx_insert_many"

/* A run of rows of one shape: the columns left to the database. */
typedef struct run {
	size_t start, end;              /* rows [start, end) */
	size_t params;                  /* its first parameter in params */
	unsigned k;                     /* parameters a row */
	bool reserve;                   /* keys reserved from the sequence (PostgreSQL with RETURNING) */
	uint64_t omitted[CALX__ROWS_MAX_WORDS];
	uint64_t sent[CALX__ROWS_MAX_WORDS];
	uint64_t ret[CALX__ROWS_MAX_WORDS];
	bool any_ret;                   /* RETURNING ret */
	bool batched;                   /* many rows a statement */
} run;

typedef struct job {
	calx_session *s;
	const calx__mapper *m;
	char *rows;
	size_t n, size;
	bool returning;
	bool batch;                     /* execute_batch and sequences: many rows a statement */
	calx_value *params;
	run *runs;
	size_t n_runs, cap_runs;
	const run *cur;                 /* the run execute_batch is sending */
	size_t base, per, end;          /* ... its current statements: first row, rows a statement, row after the last */
} job;

static inline void *row_at(const job *j, size_t i)
{
	return j->rows + i * j->size;
}

static int fail_row(job *j, size_t i, const char *what)
{
	calx_error keep = j->s->err;
	return calx__fail(j->s, keep.code ? keep.code : CALX_ERROR, "insert many %s: %s row %zu of %zu: %.380s",
	                  j->m->desc->name, what, i + 1, j->n, keep.msg);
}

/* The columns of row i left to the database, as the flush decides it. */
static void left_to_db(const job *j, size_t i, uint64_t *out)
{
	const calx__mapper *m = j->m;
	const void *base = row_at(j, i);
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
static int start_run(job *j, size_t i, const uint64_t *omitted, size_t params)
{
	const calx__mapper *m = j->m;
	if (calx__grow((void **)&j->runs, &j->cap_runs, j->n_runs + 1, sizeof *j->runs) != 0)
		return calx__fail(j->s, CALX_ENOMEM, "insert many %s: out of memory", m->desc->name);
	run *r = &j->runs[j->n_runs++];
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
static int read_rows(job *j)
{
	const calx__mapper *m = j->m;
	const calx_field_desc *fields = m->desc->fields;
	uint64_t omitted[CALX__ROWS_MAX_WORDS];
	size_t at = 0;
	int rc;
	for (size_t i = 0; i < j->n; i++) {
		left_to_db(j, i, omitted);
		run *r = j->n_runs ? &j->runs[j->n_runs - 1] : NULL;
		if (!r || memcmp(r->omitted, omitted, m->field_words * sizeof *omitted) != 0) {
			if (r)
				r->end = i;
			if ((rc = start_run(j, i, omitted, at)) != CALX_OK)
				return rc;
			r = &j->runs[j->n_runs - 1];
		}
		const void *base = row_at(j, i);
		for (unsigned f = 0; f < m->desc->n_fields; f++) {
			if (!calx__bit(r->sent, f))
				continue;
			if (r->reserve && (int)f == m->autoinc) {
				j->params[at++] = calx_value_null();    /* the reserved key, before sending */
				continue;
			}
			if ((rc = calx__field_get(&fields[f], base, false, &j->params[at++], &j->s->err)) != CALX_OK)
				return fail_row(j, i, "the value of a column of");
		}
	}
	if (j->n_runs)
		j->runs[j->n_runs - 1].end = j->n;
	return CALX_OK;
}

/* A returned row's columns (ret, field order) into the struct at base, the field skip (-1: none) read past. */
static int store_returned(job *j, void *base, const uint64_t *ret, int skip, calx_stmt *raw)
{
	const calx_mapper_desc *d = j->m->desc;
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
		j->s->d->column(raw, col++, &v);
		if (calx__field_set(&d->fields[f], base, &v, &j->s->arena, &isnull, &j->s->err) != CALX_OK)
			return j->s->err.code;
	}
	return CALX_OK;
}

static int set_key(job *j, void *base, const calx_value *key)
{
	bool isnull;
	const calx_field_desc *f = &j->m->desc->fields[j->m->autoinc];
	return calx__field_set(f, base, key, &j->s->arena, &isnull, &j->s->err) == CALX_OK ? CALX_OK : j->s->err.code;
}

/* calx__reserve_keys' callback: key i of the current run, into its struct and its parameter. */
static int take_key(void *payload, size_t i, const calx_value *key)
{
	job *j = payload;
	const run *r = j->cur;
	unsigned slot = 0;
	for (unsigned f = 0; f < (unsigned)j->m->autoinc; f++)
		slot += calx__bit(r->sent, f);
	j->params[r->params + i * r->k + slot] = *key;
	return set_key(j, row_at(j, r->start + i), key);
}

static bool same_key(const job *j, size_t i, const calx_value *key)
{
	calx_value v;
	calx_error ignore;
	const calx_field_desc *f = &j->m->desc->fields[j->m->autoinc];
	return calx__field_get(f, row_at(j, i), false, &v, &ignore) == CALX_OK && v.kind == CALX_VALUE_INT &&
	       key->kind == CALX_VALUE_INT && v.u.i == key->u.i;
}

/* execute_batch's callback: the rows statement `stmt` of the current pieces returned, each to the row of its key. */
static int returned(void *payload, size_t stmt, calx_stmt *raw)
{
	job *j = payload;
	const run *r = j->cur;
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
		if ((rc = store_returned(j, row_at(j, r->start + at), r->ret, j->m->autoinc, raw)) != CALX_OK)
			return rc;
	} while ((rc = j->s->d->step(raw, &j->s->err)) == CALX_ROW);
	if (rc != CALX_DONE)
		return rc;
	return got == sent ? CALX_OK
	                   : calx_error_set(&j->s->err, CALX_ERROR, "the insert returned %zu rows of %zu", got, sent);
}

/* `count` statements of `per` rows each, from the run's row `base`. */
static int pieces(job *j, const run *r, size_t base, size_t per, size_t count)
{
	calx_session *s = j->s;
	calx__stmt *st = NULL;
	size_t failed = 0;
	int rc = calx__prepare_insert_rows(s->conn, j->m, r->sent, r->any_ret ? r->ret : NULL, per, &st, &s->err);
	if (rc != CALX_OK)
		return fail_row(j, r->start + base, "preparing the insert of");
	j->base = base;
	j->per = per;
	j->end = base + count * per;
	rc = s->d->execute_batch(st->st, count, (unsigned)(per * r->k), j->params + r->params + base * r->k,
	                         r->any_ret ? returned : NULL, j, &failed, &s->err);
	calx__stmt_release(st);
	return rc == CALX_OK ? CALX_OK : fail_row(j, r->start + base + failed * per, "a statement holding");
}

/*
 * The run as statements of up to ROWS_PER_STATEMENT rows, one array a
 * column each (sql/insert_arrays.h), pipelined; the arrays go after every
 * row's values in params.
 */
static int send_arrays(job *j, const run *r, calx__arrays *a, size_t n)
{
	calx_session *s = j->s;
	size_t per = ROWS_PER_STATEMENT, count = (n + per - 1) / per, failed = 0, bad = 0;
	calx_value *arrays = j->params + j->n * j->m->desc->n_fields;
	int rc = calx__arrays_make(a, j->params + r->params, n, r->k, per, arrays, &bad, &s->err);
	if (rc == CALX__NO_ARRAY_FORM)
		return rc;
	if (rc == CALX_ERANGE)
		return fail_row(j, r->start + bad, "the value of a column of");
	if (rc != CALX_OK)
		return calx__fail(s, rc, "insert many %s: out of memory for the arrays of %zu rows", j->m->desc->name, n);
	calx__stmt *st = NULL;
	if (calx__prepare_insert_arrays(s->conn, j->m, r->sent, r->any_ret ? r->ret : NULL, &st, &s->err) != CALX_OK)
		return fail_row(j, r->start, "preparing the insert of");
	j->per = per;
	j->end = n;
	size_t group = calx__arrays_group(per, r->k);
	for (size_t first = 0; first < count && rc == CALX_OK; first += group) {
		j->base = first * per;
		rc = s->d->execute_batch(st->st, count - first < group ? count - first : group, r->k, arrays + first * r->k,
		                         r->any_ret ? returned : NULL, j, &failed, &s->err);
		if (rc != CALX_OK)
			rc = fail_row(j, r->start + j->base + failed * per, "a statement holding");
	}
	calx__stmt_release(st);
	return rc;
}

/* Many rows a statement, pipelined (PostgreSQL). */
static int send_batched(job *j, const run *r)
{
	size_t n = r->end - r->start;
	int rc;
	j->cur = r;
	if (r->reserve && (rc = calx__reserve_keys(j->s->conn, j->m, n, take_key, j, &j->s->err)) != CALX_OK)
		return rc == CALX_ENOTFOUND
		               ? calx__fail(j->s, CALX_EINVAL, "insert many %s: its key has no sequence to reserve keys "
		                            "from (leave out the flag CALX_INSERT_RETURNING)", j->m->desc->name)
		               : fail_row(j, r->start, "reserving keys for");
	calx__arrays a = CALX__ARRAYS_INIT;
	if (calx__arrays_fit(&a, j->s->d, j->m, r->sent)) {
		rc = send_arrays(j, r, &a, n);
		calx__arrays_free(&a);
		if (rc != CALX__NO_ARRAY_FORM)
			return rc;
	}
	size_t max = j->s->d->max_params ? j->s->d->max_params / r->k : ROWS_PER_STATEMENT;
	size_t per = max < ROWS_PER_STATEMENT ? max : ROWS_PER_STATEMENT;
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
static int send_rows(job *j, const run *r)
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
		return fail_row(j, r->start, "preparing the insert of");
	for (size_t i = r->start; i < r->end && rc == CALX_OK; i++) {
		const calx_value *v = j->params + r->params + (i - r->start) * r->k;
		for (unsigned c = 0; c < r->k && rc == CALX_OK; c++)
			rc = s->d->bind(st->st, c, &v[c], &s->err);
		if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
			if ((rc = store_returned(j, row_at(j, i), r->ret, -1, st->st)) == CALX_OK)
				rc = s->d->step(st->st, &s->err);
		} else if (rc == CALX_DONE && by_last_id) {
			calx_value key = calx_value_int(s->d->last_insert_id(st->st));
			if ((rc = set_key(j, row_at(j, i), &key)) == CALX_OK)
				rc = CALX_DONE;
		}
		if (rc != CALX_DONE) {
			rc = fail_row(j, i, "inserting");
			break;
		}
		rc = CALX_OK;
		s->d->reset(st->st);
	}
	calx__stmt_release(st);
	return rc;
}

/* After a failure: the fields written back are zero again, as they were (every one was left to the database). */
static void undo_written(job *j)
{
	const calx_mapper_desc *d = j->m->desc;
	for (size_t x = 0; x < j->n_runs; x++) {
		const run *r = &j->runs[x];
		for (size_t i = r->start; i < r->end; i++)
			for (unsigned f = 0; f < d->n_fields; f++)
				if (calx__bit(r->omitted, f))
					memset((char *)row_at(j, i) + d->fields[f].offset, 0, d->fields[f].size);
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
	job j = { s, m, rows, n, md->size, (flags & CALX_INSERT_RETURNING) != 0,
		  s->d->execute_batch && s->d->identity_setval && s->d->version >= 2, NULL, NULL, 0, 0, NULL, 0, 0, 0 };
	/* every row's values, then room for a run's arrays: a column's a statement (send_arrays) */
	size_t arrays = j.batch ? (n + ROWS_PER_STATEMENT - 1) / ROWS_PER_STATEMENT * md->n_fields : 0;
	if (!(j.params = calx__malloc((n * md->n_fields + arrays) * sizeof *j.params)))
		return calx__fail(s, CALX_ENOMEM, "insert many %s: out of memory for %zu rows", md->name, n);
	/* everything checked before anything is sent */
	if ((rc = read_rows(&j)) != CALX_OK || (rc = calx__begin(s)) != CALX_OK ||
	    (rc = calx__savepoint(s->conn, CALX__SAVEPOINT, SAVEPOINT_NAME, &s->err)) != CALX_OK)
		goto done;
	bool explicit_key = false;
	for (size_t x = 0; x < j.n_runs && rc == CALX_OK; x++) {
		const run *r = &j.runs[x];
		explicit_key = explicit_key || (m->autoinc >= 0 && !calx__bit(r->omitted, (unsigned)m->autoinc));
		rc = r->batched ? send_batched(&j, r) : send_rows(&j, r);
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
