/*
 * Phase A's statements for objects of joined-table subclasses: a row in
 * each table of the struct's chain, written through the tables' parts
 * (calx__joined_parts: the root's mapper, then a mapper of each joined
 * table alone, all over the same struct layout).
 *
 * - Insert: the root's row first, which may generate the key; the key is
 *   in the struct then, and each joined table's row sends it, in the same
 *   flush.
 * - Update: only the tables with a changed column, each matched on the
 *   key the snapshot has. A key column changed is refused.
 * - Delete: the deepest table's row first, the root's last.
 *
 * Listeners fire once per object, as for any other row. Only registries
 * with a joined-table subclass (reg->has_joined) come here: the others
 * take the paths of insert.c and execute.c unchanged.
 */
#include <string.h>
#include "calx/calx.h"
#include "session/session.h"
#include "mapping/value.h"
#include "sql/statements.h"
#include "unitofwork/insert.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static int failed(calx_session *s, const char *what, const calx__mapper *part, const calx__obj *h, size_t i, size_t n)
{
	calx_error keep = s->err;
	return calx__fail(s, keep.code, "flush: %s \"%s\" (a %s, row %zu of %zu): %.360s", what, part->desc->table,
	                  calx__obj_mapper(h)->desc->name, i + 1, n, keep.msg);
}

static void clear_bits(uint64_t *bits, unsigned words)
{
	memset(bits, 0, words * sizeof *bits);
}

/* The row of h in the table of part (level `level` of its chain); omitted: the fields left to the database. */
static int insert_part(calx_session *s, calx__plan *p, calx__obj *h, unsigned level, const calx__mapper *part,
                       const uint64_t *omitted)
{
	const calx_mapper_desc *pd = part->desc;
	uint64_t *sent = calx__plan_bits(s, CALX__BITS_SENT), *ret = calx__plan_bits(s, CALX__BITS_RETURNING);
	unsigned n_sent = 0, n_ret = 0;
	clear_bits(sent, part->field_words);
	clear_bits(ret, part->field_words);
	for (unsigned j = 0; j < pd->n_fields; j++) {
		unsigned f = calx__joined_field(calx__obj_mapper(h), level, part, j);
		/* a joined table's key is the root row's, known by now */
		bool db = (level == 0 || j >= part->n_pk) && calx__bit(omitted, f);
		calx__bit_set(db ? ret : sent, j, true);
		n_ret += db;
		n_sent += !db;
	}
	bool by_last_id = level == 0 && s->d->last_insert_id && part->autoinc >= 0 && n_ret == 1 &&
	                  calx__bit(ret, (unsigned)part->autoinc);
	if (level == 0 && part->autoinc >= 0 && !calx__bit(omitted, (unsigned)part->autoinc))
		p->explicit_keys[pd->index] = 1;        /* the sequence moves above it after the round */
	int rc = calx__plan_params(s, n_sent);
	calx__stmt *st = NULL;
	if (rc == CALX_OK)
		rc = calx__prepare_insert(s->conn, part, sent, by_last_id || !n_ret ? NULL : ret, &st, &s->err);
	if (rc != CALX_OK)
		return rc;
	void *obj = calx__obj_ptr(h);
	unsigned k = 0;
	for (unsigned j = 0; j < pd->n_fields && rc == CALX_OK; j++) {
		if (!calx__bit(sent, j))
			continue;
		unsigned f = calx__joined_field(calx__obj_mapper(h), level, part, j);
		rc = calx__field_get(&pd->fields[j], obj, calx__null_bit_normalized(h, f), &p->params[k], &s->err);
		if (rc == CALX_OK)
			rc = s->d->bind(st->st, k, &p->params[k], &s->err);
		k++;
	}
	if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
		unsigned col = 0;
		for (unsigned j = 0; j < pd->n_fields && rc == CALX_ROW; j++) {
			if (!calx__bit(ret, j))
				continue;
			calx_value v;
			bool isnull;
			s->d->column(st->st, col++, &v);
			if (calx__field_set(&pd->fields[j], obj, &v, &s->arena, &isnull, &s->err) != CALX_OK)
				rc = s->err.code;
			else
				calx__obj_mark_null(h, calx__joined_field(calx__obj_mapper(h), level, part, j), isnull);
		}
		if (rc == CALX_ROW)
			rc = s->d->step(st->st, &s->err);
	} else if (rc == CALX_DONE && by_last_id) {
		calx_value v = calx_value_int(s->d->last_insert_id(st->st));
		bool isnull;
		if (calx__field_set(&pd->fields[part->autoinc], obj, &v, &s->arena, &isnull, &s->err) != CALX_OK)
			rc = s->err.code;
	}
	calx__stmt_release(st);
	return rc == CALX_DONE ? CALX_OK : rc;
}

static int insert_one(calx_session *s, calx__plan *p, size_t i, size_t from)
{
	calx__obj *h = p->inserts.v[i];
	size_t n = p->inserts.n;
	int rc = CALX_OK;
	/* its parents' keys and its before_insert listeners: calx__ins_before_run */
	uint64_t *omitted = calx__plan_bits(s, CALX__BITS_ROW);
	calx__state_left_to_db(h, omitted);
	/* what the database generates is forgotten again if the flush fails (undo.c) */
	if ((rc = calx__obj_set_omitted(s, h, omitted)) != CALX_OK)
		return rc;
	p->n_inserted = i + 1;
	const calx__mapper *parts[CALX__MAX_LEVELS];
	unsigned levels = calx__joined_parts(calx__obj_mapper(h), parts);
	for (unsigned l = 0; l < levels; l++)
		if ((rc = insert_part(s, p, h, l, parts[l], omitted)) != CALX_OK)
			return failed(s, "insert into", parts[l], h, i - from, n - from);
	calx__state_snapshot(h);
	return CALX_OK;
}

int calx__joined_inserts(calx_session *s, calx__plan *p, size_t from,
                         int (*plain)(calx_session *s, calx__plan *p, size_t from))
{
	int rc = CALX_OK;
	size_t i = from, n = p->inserts.n;
	while (i < n && rc == CALX_OK) {
		if (calx__obj_mapper(p->inserts.v[i])->joined) {
			/* a listeners' run of one struct, as on the other paths (insert.c) */
			size_t end;
			if ((rc = calx__ins_before_run(s, p, i, &end)) != CALX_OK)
				break;
			for (size_t r = i; r < end && rc == CALX_OK; r++)
				rc = insert_one(s, p, r, from);
			if (rc == CALX_OK)
				rc = calx__ins_after_run(s, p, i, end);
			i = end;
			continue;
		}
		/* a run of other rows, sent by the usual paths as if the list ended after it */
		size_t end = i + 1;
		while (end < n && !calx__obj_mapper(p->inserts.v[end])->joined)
			end++;
		p->inserts.n = end;
		rc = plain(s, p, i);
		p->inserts.n = n;
		i = end;
	}
	return rc;
}

/* The key columns of part, as h's snapshot has them: the row as it was read. */
static int bind_key(calx_session *s, calx__stmt *st, const calx__obj *h, const calx__mapper *part, unsigned first)
{
	int rc = CALX_OK;
	for (unsigned i = 0; i < part->n_pk && rc == CALX_OK; i++) {
		calx_value v;
		rc = calx__field_get(&part->desc->fields[part->pk[i]], calx__obj_snap(h), false, &v, &s->err);
		if (rc == CALX_OK)
			rc = s->d->bind(st->st, first + i, &v, &s->err);
	}
	return rc;
}

static int step_one_row(calx_session *s, calx__stmt *st)
{
	int rc = s->d->step(st->st, &s->err);
	if (rc != CALX_DONE)
		return rc;
	if (s->d->rows_affected(st->st) == 1)
		return CALX_OK;
	return calx_error_set(&s->err, CALX_ENOTFOUND,
	                      "the row was not found (deleted or its key changed outside this session)");
}

/* UPDATE part's table SET the changed columns of h (set: over h's fields); nothing when none changed. */
static int update_part(calx_session *s, calx__obj *h, unsigned level, const calx__mapper *part, const uint64_t *set)
{
	const calx_mapper_desc *pd = part->desc;
	uint64_t *pset = calx__plan_bits(s, CALX__BITS_SENT);
	bool any = false;
	clear_bits(pset, part->field_words);
	for (unsigned j = level ? part->n_pk : 0; j < pd->n_fields; j++)
		if (calx__bit(set, calx__joined_field(calx__obj_mapper(h), level, part, j))) {
			calx__bit_set(pset, j, true);
			any = true;
		}
	if (!any)
		return CALX_OK;
	calx__stmt *st = NULL;
	int rc = calx__prepare_update(s->conn, part, pset, &st, &s->err);
	unsigned k = 0;
	for (unsigned j = 0; j < pd->n_fields && rc == CALX_OK; j++) {
		if (!calx__bit(pset, j))
			continue;
		calx_value v;
		unsigned f = calx__joined_field(calx__obj_mapper(h), level, part, j);
		if ((rc = calx__field_get(&pd->fields[j], calx__obj_ptr(h), calx__null_bit_normalized(h, f), &v, &s->err)) ==
		    CALX_OK)
			rc = s->d->bind(st->st, k++, &v, &s->err);
	}
	if (rc == CALX_OK && (rc = bind_key(s, st, h, part, k)) == CALX_OK)
		rc = step_one_row(s, st);
	calx__stmt_release(st);
	return rc;
}

int calx__joined_update(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	const calx__mapper *m = calx__obj_mapper(h);
	uint64_t *set = calx__plan_bits(s, CALX__BITS_SET);
	int rc = CALX_OK;
	calx__state_normalize_nulls(h);
	if (!calx__state_dirty_set(h, set)) {
		calx__state_snapshot(h);        /* a listener took the change back */
		h->flags |= CALX__UNSENT;
		return CALX_OK;
	}
	for (unsigned k = 0; k < m->n_pk; k++)
		if (calx__bit(set, m->pk[k]))
			return calx__fail(s, CALX_EINVAL,
			                  "flush: update of a %s (row %zu of %zu): its key changed, but a joined-table object's key is in every table of its struct (%u of them); changing it is not supported: delete the object and add a new one",
			                  m->desc->name, i + 1, total, m->desc->n_tables);
	const calx__mapper *parts[CALX__MAX_LEVELS];
	unsigned levels = calx__joined_parts(m, parts);
	for (unsigned l = 0; l < levels; l++)
		if ((rc = update_part(s, h, l, parts[l], set)) != CALX_OK)
			return failed(s, "update of", parts[l], h, i, total);
	calx__state_snapshot(h);
	return CALX_OK;
}

int calx__joined_delete(calx_session *s, calx__obj *h, size_t i, size_t total)
{
	int rc = CALX_OK;
	const calx__mapper *parts[CALX__MAX_LEVELS];
	unsigned levels = calx__joined_parts(calx__obj_mapper(h), parts);
	/* the deepest table's row first: each refers to its parent table's */
	for (unsigned l = levels; l-- > 0;) {
		calx__stmt *st = NULL;
		if ((rc = calx__prepare_delete(s->conn, parts[l], &st, &s->err)) == CALX_OK &&
		    (rc = bind_key(s, st, h, parts[l], 0)) == CALX_OK)
			rc = step_one_row(s, st);
		calx__stmt_release(st);
		if (rc != CALX_OK)
			return failed(s, "delete from", parts[l], h, i, total);
	}
	return CALX_OK;
}
