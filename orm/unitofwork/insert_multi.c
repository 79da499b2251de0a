/*
 * Many rows a statement on dialects whose keys come from a sequence
 * (identity_setval: PostgreSQL): INSERT INTO t (...) SELECT * FROM
 * unnest(one array a column) (sql/insert_arrays.c), or, for a run with a
 * value no array here can carry, INSERT INTO t (...) VALUES (...), ....
 *
 * A statement a row costs the server a Bind and an Execute for every row,
 * which pipelining does not remove: 110,000 single-row inserts took the
 * server about 0.8 s, where a thousand rows a statement take a fraction of
 * that. The one difficulty is the generated key: the order in which a
 * multi-row INSERT ... RETURNING hands its rows back is not documented,
 * so matching returned keys to rows by position could give a row another
 * row's key without anyone noticing. Instead the keys are reserved first,
 * one statement for the whole run (nextval of the column's own sequence,
 * which is what its DEFAULT would have called), written into the objects,
 * and sent like any other column. Nothing is matched by position: when
 * the table has server defaults besides the key, RETURNING brings the key
 * back with them and each returned row goes to the object with that key.
 *
 * Runs shorter than MULTI_MIN rows keep a statement a row (pipelined): for
 * them the extra round trip of the reservation costs more than it saves,
 * and a session that writes one object at a time sends one statement.
 * An array statement holds ROWS_PER_STATEMENT rows, the last of a run
 * fewer: its shape is the same whatever its rows. A VALUES statement
 * holds ROWS_PER_STATEMENT rows (fewer when the parameter limit says so);
 * the rest of a run goes in statements of 512, 256, ... 1 rows, so a table
 * has a bounded number of prepared shapes (at most eleven).
 *
 * Why arrays: the server plans and runs a statement of three arrays for
 * less than one of 3,000 parameters (bench/RESULTS.md, "PostgreSQL's
 * insert: one array a column"). The arrays hold each value as the text a
 * row-at-a-time parameter has, so each is read by its column's input
 * function either way; bytes go as bytea's or a UUID's text, the only
 * binary parameters calx sends (a user type's bytes for another column
 * keep the VALUES form).
 *
 * Failure: the reserved keys are marked as generated (the object's omitted
 * bits) before any row is sent, so the flush's undo clears them as it
 * clears keys the database generated; the sequence does not give them
 * back, as it never does for a rolled-back insert.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/insert_arrays.h"
#include "sql/statements.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

#define MULTI_MIN 32
#define ROWS_PER_STATEMENT 1000

typedef struct multi {
	calx_session *s;
	calx__obj **rows;               /* the run's rows */
	const calx__mapper *m;
	const uint64_t *ret;            /* returned columns (the key and the server defaults), or NULL */
	size_t base, per, end;          /* the current statements: first row (in rows), rows a statement, row after the last */
} multi;


static int take_key(void *payload, size_t i, const calx_value *key)
{
	multi *x = payload;
	return calx__ins_store_key(x->s, x->rows[i], key);
}

static bool same_key(const calx__obj *h, const calx_value *key)
{
	const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[calx__obj_mapper(h)->autoinc];
	calx_value v;
	calx_error ignore;
	return calx__field_get(f, calx__obj_ptr(h), false, &v, &ignore) == CALX_OK && v.kind == CALX_VALUE_INT &&
	       key->kind == CALX_VALUE_INT && v.u.i == key->u.i;
}

/* Store one returned row's server defaults into the object whose key it names. */
static int returned_row(multi *x, calx__obj **rows, size_t n, size_t j, calx_stmt *raw)
{
	calx_session *s = x->s;
	const calx__mapper *m = x->m;
	unsigned key = (unsigned)m->autoinc, key_col = 0;
	for (unsigned f = 0; f < key; f++)
		key_col += calx__bit(x->ret, f);
	calx_value k;
	s->d->column(raw, key_col, &k);
	/* rows come back in order in practice: look there first, then everywhere */
	calx__obj *h = j < n && same_key(rows[j], &k) ? rows[j] : NULL;
	for (size_t r = 0; !h && r < n; r++)
		if (same_key(rows[r], &k))
			h = rows[r];
	if (!h)
		return calx_error_set(&s->err, CALX_ERROR, "the insert returned a key that none of its rows has");
	return calx__ins_store_columns(s, h, x->ret, (int)key, raw);
}

/* execute_batch's callback: every row statement `stmt` of the current pieces returned. */
static int returned(void *payload, size_t stmt, calx_stmt *raw)
{
	multi *x = payload;
	size_t first = x->base + stmt * x->per, sent = x->end - first < x->per ? x->end - first : x->per;
	calx__obj **rows = x->rows + first;
	size_t j = 0;
	int rc;
	do {
		if (j == sent)
			return calx_error_set(&x->s->err, CALX_ERROR, "the insert returned more rows than it sent");
		if ((rc = returned_row(x, rows, sent, j++, raw)) != CALX_OK)
			return rc;
	} while ((rc = x->s->d->step(raw, &x->s->err)) == CALX_ROW);
	if (rc != CALX_DONE)
		return rc;
	return j == sent ? CALX_OK : calx_error_set(&x->s->err, CALX_ERROR, "the insert returned %zu rows of %zu", j, sent);
}

/* A failed batch's message: the rows of the statement at fault, counted in the flush's inserts. */
static int batch_failed(multi *x, calx__plan *p, size_t failed, size_t from)
{
	size_t first = (size_t)(x->rows - p->inserts.v), lo = x->base + failed * x->per;
	size_t hi = x->end - lo < x->per ? x->end : lo + x->per;
	calx_error keep = x->s->err;
	return calx__fail_wrap(x->s, "flush: insert into \"%s\" (one of rows %zu to %zu of %zu): %.380s", x->m->desc->table,
	                       first + lo - from + 1, first + hi - from, p->inserts.n - from, keep.msg);
}

/* `count` statements of `per` rows each, from the run's row `base`. */
static int pieces(multi *x, calx__plan *p, const uint64_t *sent, size_t base, size_t per, size_t count,
                  unsigned k, size_t from)
{
	calx_session *s = x->s;
	calx__stmt *st = NULL;
	size_t failed = 0, first = (size_t)(x->rows - p->inserts.v);
	int rc = calx__prepare_insert_rows(s->conn, x->m, sent, x->ret, per, &st, &s->err);
	if (rc != CALX_OK)
		return calx__exec_failed(s, "preparing insert into", x->rows[base], first + base - from,
		                         p->inserts.n - from);
	x->base = base;
	x->per = per;
	x->end = base + count * per;
	rc = s->d->execute_batch(st->st, count, (unsigned)(per * k), p->params + base * k, x->ret ? returned : NULL, x,
	                         &failed, &s->err);
	calx__stmt_release(st);
	return rc == CALX_OK ? CALX_OK : batch_failed(x, p, failed, from);
}

/*
 * The run as statements of up to ROWS_PER_STATEMENT rows, each one array a
 * column (sql/insert_arrays.c), in one batch. The rows' values are in
 * p->params, row after row; the arrays go after them.
 */
static int send_arrays(multi *x, calx__arrays *a, calx__plan *p, const uint64_t *sent, size_t n, unsigned k,
                       size_t from)
{
	calx_session *s = x->s;
	size_t per = ROWS_PER_STATEMENT, count = (n + per - 1) / per, failed = 0, bad = 0;
	size_t first = (size_t)(x->rows - p->inserts.v);
	calx_value *arrays = p->params + n * k;
	int rc = calx__arrays_make(a, p->params, n, k, per, arrays, &bad, &s->err);
	if (rc == CALX__NO_ARRAY_FORM)
		return rc;
	if (rc == CALX_ERANGE)
		return calx__exec_failed(s, "insert into", x->rows[bad], first + bad - from, p->inserts.n - from);
	if (rc != CALX_OK)
		return calx__fail(s, rc, "flush: insert into \"%s\": out of memory for the arrays of %zu rows",
		                  x->m->desc->table, n);
	calx__stmt *stmt = NULL;
	if ((rc = calx__prepare_insert_arrays(s->conn, x->m, sent, x->ret, &stmt, &s->err)) != CALX_OK)
		return calx__exec_failed(s, "preparing insert into", x->rows[0], first - from, p->inserts.n - from);
	x->per = per;
	x->end = n;
	size_t group = calx__arrays_group(per, k);
	for (size_t st = 0; st < count && rc == CALX_OK; st += group) {
		x->base = st * per;
		rc = s->d->execute_batch(stmt->st, count - st < group ? count - st : group, k, arrays + st * k,
		                         x->ret ? returned : NULL, x, &failed, &s->err);
		if (rc != CALX_OK)
			rc = batch_failed(x, p, failed, from);
	}
	calx__stmt_release(stmt);
	return rc;
}

int calx__ins_multi(calx_session *s, calx__plan *p, size_t i, size_t end, size_t from, bool *taken)
{
	*taken = false;
	calx__obj **rows = p->inserts.v + i;
	const calx__mapper *m = calx__obj_mapper(rows[0]);
	size_t n = end - i;
	if (!s->d->execute_batch || !s->d->identity_setval || s->d->version < 2 || n < MULTI_MIN ||
	    m->field_words > CALX__ROWS_MAX_WORDS)
		return CALX_OK;
	const uint64_t *omitted = calx__plan_bits(s, CALX__BITS_RUN);
	uint64_t *unsent = calx__plan_bits(s, CALX__BITS_ROW), *sent = calx__plan_bits(s, CALX__BITS_SENT),
	         *ret = calx__plan_bits(s, CALX__BITS_RETURNING);
	bool reserve = m->autoinc >= 0 && calx__bit(omitted, (unsigned)m->autoinc), rest = false;
	unsigned k = 0;
	for (unsigned w = 0; w < m->field_words; w++) {
		unsigned left = m->desc->n_fields - w * 64;
		uint64_t all = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
		uint64_t keybit = m->autoinc >= 0 && (unsigned)m->autoinc / 64 == w ? (uint64_t)1 << (m->autoinc % 64) : 0;
		unsent[w] = reserve ? omitted[w] & ~keybit : omitted[w];
		sent[w] = all & ~unsent[w];
		ret[w] = unsent[w] ? unsent[w] | keybit : 0;
		rest = rest || unsent[w];
		k += (unsigned)__builtin_popcountll(sent[w]);
	}
	/* server defaults come back matched by key: without an integer key there is nothing to match by */
	if (k == 0 || (rest && m->autoinc < 0))
		return CALX_OK;
	int rc;
	multi x = { .s = s, .rows = rows, .m = m, .ret = rest ? ret : NULL };
	/* generated, for the undo, before anything is sent */
	for (size_t r = 0; r < n; r++) {
		if ((rc = calx__obj_set_omitted(s, rows[r], omitted)) != CALX_OK) {
			while (r--)
				calx__state_clear_generated(s, rows[r]);
			return rc;
		}
	}
	p->n_inserted = end;
	if (reserve && (rc = calx__reserve_keys(s->conn, m, n, take_key, &x, &s->err)) != CALX_OK) {
		for (size_t r = 0; r < n; r++)
			calx__state_clear_generated(s, rows[r]);
		if (rc == CALX_ENOTFOUND)
			return CALX_OK;         /* a key default of another kind: a statement a row */
		return calx__exec_failed(s, "reserving keys for", rows[0], i - from, p->inserts.n - from);
	}
	if (!reserve && m->autoinc >= 0)
		p->explicit_keys[m->desc->index] = 1;
	*taken = true;
	calx__arrays a = CALX__ARRAYS_INIT;
	bool arrays = calx__arrays_fit(&a, s->d, m, sent);
	size_t statements = (n + ROWS_PER_STATEMENT - 1) / ROWS_PER_STATEMENT;
	if ((rc = calx__plan_params(s, n * k + (arrays ? statements * k : 0))) != CALX_OK)
		return rc;
	for (size_t r = 0; r < n; r++)
		if (calx__ins_values(s, rows[r], unsent, p->params + r * k) != CALX_OK)
			return calx__exec_failed(s, "insert into", rows[r], i + r - from, p->inserts.n - from);
	if (arrays) {
		rc = send_arrays(&x, &a, p, sent, n, k, from);
		calx__arrays_free(&a);
		if (rc != CALX__NO_ARRAY_FORM)
			return rc;
	}
	rc = CALX_OK;
	size_t per = s->d->max_params && s->d->max_params / k < ROWS_PER_STATEMENT ? s->d->max_params / k
	                                                                          : ROWS_PER_STATEMENT;
	size_t done = n / per * per;
	if (done && (rc = pieces(&x, p, sent, 0, per, n / per, k, from)) != CALX_OK)
		return rc;
	for (size_t piece = (size_t)1 << 9; piece && rc == CALX_OK; piece >>= 1)
		if (n - done >= piece) {
			rc = pieces(&x, p, sent, done, piece, 1, k, from);
			done += piece;
		}
	return rc;
}
