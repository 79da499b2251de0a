/*
 * Many-to-many in the flush: rows of the secondary (association) table,
 * SQLAlchemy's ManyToManyDP. The program changes lists (calx/related.h
 * keeps both sides in step); the flush compares each loaded list with
 * its snapshot, the members as last loaded or flushed:
 *   - a member that joined: INSERT a row (after this round's inserts, so
 *     both ends have their keys, generated ones included: the program
 *     never flushes to learn a key);
 *   - a member that left: DELETE its row;
 *   - a deleted end: DELETE every row that names it through the
 *     relationship's key, unless passive_deletes leaves that to the
 *     foreign key's ON DELETE CASCADE.
 * Both sides of a back_populates pair see the same link; each link is
 * oriented by the secondary's key order and written once.
 *
 * Order in the round: after the inserts and updates, before the deletes
 * (a row must go before the row it refers to). Rows go in batches: one
 * multi-row INSERT per secondary table and pair of keys, cut under the
 * dialect's parameter limit, and one DELETE ... WHERE (a AND b) OR ...
 * likewise; statements are built as trees and prepared through orm/sql.
 *
 * Failure: nothing in memory changes before the flush has worked. The
 * new snapshots are made while planning (in the session's arena) and set
 * only by calx__assoc_done, so a failed flush leaves the lists' history
 * as it was, and the next flush writes the same rows again. A rollback
 * of the transaction (a later flush of it failed, or the program's), or
 * of a savepoint, puts back the snapshots its flushes replaced: their
 * rows are gone again.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "session/related.h"
#include "mapping/value.h"
#include "sql/ast.h"
#include "sql/compile.h"
#include "sql/statements.h"
#include "unitofwork/plan.h"
#include "unitofwork/uow.h"

static int no_memory(calx_session *s)
{
	return calx__fail(s, CALX_ENOMEM, "out of memory planning the flush's many-to-many rows");
}

/* A row for link h-t of relationship x (t NULL: every row of h, a deleted end). */
static int push_row(calx_session *s, calx__plan *p, const calx__rel *x, calx__obj *h, calx__obj *t, int insert)
{
	calx__assoc_work *aw = p->assoc.work;
	const calx_relationship_desc *d = x->desc;
	if (aw->n_rows == aw->cap_rows &&
	    calx__grow((void **)&aw->rows, &aw->cap_rows, aw->n_rows + 1, sizeof *aw->rows) != 0)
		return no_memory(s);
	calx__assoc r = { d->secondary, d->fk, t ? d->secondary_fk : d->fk, h, t, insert };
	if (t && d->fk > d->secondary_fk)
		r = (calx__assoc){ d->secondary, d->secondary_fk, d->fk, t, h, insert };
	aw->rows[aw->n_rows++] = r;
	return CALX_OK;
}

static int by_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
	return x < y ? -1 : x > y;
}

/* A member that joined (insert) or left the list: its row, unless an end is on its way out. */
static int member(calx_session *s, calx__plan *p, calx__obj *h, unsigned i, void *ptr, int insert)
{
	calx__obj *t = insert ? calx__rel_target_of(s, h, i, ptr) : calx__rel_owned(s, ptr);
	if (!t)
		return insert ? s->err.code : CALX_OK;
	if (t->state == CALX__TRANSIENT && insert)
		return calx__fail(s, CALX_ESTATE,
		                  "flush: relationship '%s.%s' holds a struct %s that is not in the session (add it, or "
		                  "keep the save-update cascade)",
		                  calx__obj_mapper(h)->desc->name, calx__obj_mapper(h)->rels[i].desc->name, calx__obj_mapper(t)->desc->name);
	if (t->state != CALX__PENDING && t->state != CALX__PERSISTENT)
		return CALX_OK;         /* deleted: its own rows go with it (or with the database's cascade) */
	return push_row(s, p, &calx__obj_mapper(h)->rels[i], h, t, insert);
}

/* List i of h against its snapshot: rows for the difference, and the snapshot to set after. */
static int diff(calx_session *s, calx__plan *p, calx__obj *h, unsigned i)
{
	calx__assoc_work *aw = p->assoc.work;
	calx_list l = calx__rel_get_list(h, i);
	const calx__m2m_snap *old = calx__m2m_snap_of(h, i);
	size_t n_old = old ? old->n : 0;
	if (l.n == n_old && (!n_old || !memcmp(l.items, old->items, n_old * sizeof(void *))))
		return CALX_OK;
	if (l.n + n_old > aw->cap_scratch &&
	    calx__grow((void **)&aw->scratch, &aw->cap_scratch, l.n + n_old, sizeof *aw->scratch) != 0)
		return no_memory(s);
	void **cur = aw->scratch, **was = aw->scratch + l.n;
	if (l.n)
		memcpy(cur, l.items, l.n * sizeof *cur);
	if (n_old)
		memcpy(was, old->items, n_old * sizeof *was);
	qsort(cur, l.n, sizeof *cur, by_ptr);
	qsort(was, n_old, sizeof *was, by_ptr);
	int rc = CALX_OK;
	size_t a = 0, b = 0;
	while (rc == CALX_OK && (a < l.n || b < n_old)) {
		if (a < l.n && b < n_old && cur[a] == was[b]) {
			a++;
			b++;
		} else if (b == n_old || (a < l.n && (uintptr_t)cur[a] < (uintptr_t)was[b])) {
			rc = member(s, p, h, i, cur[a++], 1);
		} else {
			rc = member(s, p, h, i, was[b++], 0);
		}
	}
	if (rc != CALX_OK)
		return rc;
	if (aw->n_snaps == aw->cap_snaps &&
	    calx__grow((void **)&aw->snaps, &aw->cap_snaps, aw->n_snaps + 1, sizeof *aw->snaps) != 0)
		return no_memory(s);
	calx__m2m_snap *sn = calx__m2m_snap_new(s, l.items, l.n, calx__obj_mapper(h)->rels[i].desc->name);
	if (!sn)
		return s->err.code;
	aw->snaps[aw->n_snaps++] = (calx__assoc_snap){ h, i, sn };
	return CALX_OK;
}

static int lists_of(calx_session *s, calx__plan *p, calx__obj *h)
{
	int rc = CALX_OK;
	for (unsigned i = 0; i < calx__obj_mapper(h)->n_rels && rc == CALX_OK; i++)
		if (calx__obj_mapper(h)->rels[i].desc->kind == CALX_REL_MANY_TO_MANY && calx__rel_is_loaded(h, i))
			rc = diff(s, p, h, i);
	return rc;
}

/* Deleted (first) or inserted, then table, keys and ends: runs of one statement shape, duplicates adjacent. */
static int row_cmp(const void *pa, const void *pb)
{
	const calx__assoc *x = pa, *y = pb;
	uintptr_t u[5] = { (uintptr_t)x->insert, (uintptr_t)x->sec, x->fa, x->fb, (uintptr_t)x->a };
	uintptr_t v[5] = { (uintptr_t)y->insert, (uintptr_t)y->sec, y->fa, y->fb, (uintptr_t)y->a };
	for (int k = 0; k < 5; k++)
		if (u[k] != v[k])
			return u[k] < v[k] ? -1 : 1;
	return (uintptr_t)x->b < (uintptr_t)y->b ? -1 : (uintptr_t)x->b > (uintptr_t)y->b;
}

static bool same_row(const calx__assoc *x, const calx__assoc *y)
{
	return x->insert == y->insert && x->sec == y->sec && x->fa == y->fa && x->fb == y->fb && x->a == y->a &&
	       x->b == y->b;
}

int calx__assoc_prepare(calx_session *s, calx__plan *p)
{
	calx__assoc_plan *ap = &p->assoc;
	calx__assoc_work *aw = ap->work;
	calx__assoc_reset(p);
	int rc = CALX_OK;
	for (size_t i = 0; i < s->pending.n && rc == CALX_OK; i++)
		if (s->pending.v[i]->state == CALX__PENDING && calx__obj_mapper(s->pending.v[i])->n_rels)
			rc = lists_of(s, p, s->pending.v[i]);
	const calx__objvec none = { NULL, 0, 0, false };
	/* a session that never held an object with relationships: none to walk (a loaded session may hold many) */
	const calx__objvec *held = s->tracking == CALX_TRACK_MARKED ? &s->marked : s->rel_objs ? &s->objs : &none;
	for (size_t i = 0; i < held->n && rc == CALX_OK; i++) {
		calx__obj *h = held->v[i];
		if (h && h->state == CALX__PERSISTENT && calx__obj_mapper(h)->n_rels)
			rc = lists_of(s, p, h);
	}
	for (size_t i = 0; i < s->deleted.n && rc == CALX_OK; i++) {
		calx__obj *h = s->deleted.v[i];
		for (unsigned k = 0; h->state == CALX__DELETED && k < calx__obj_mapper(h)->n_rels && rc == CALX_OK; k++) {
			const calx_relationship_desc *d = calx__obj_mapper(h)->rels[k].desc;
			if (d->kind == CALX_REL_MANY_TO_MANY && !d->passive_deletes)
				rc = push_row(s, p, &calx__obj_mapper(h)->rels[k], h, NULL, 0);
		}
	}
	if (rc != CALX_OK) {
		calx__assoc_reset(p);
		return rc;
	}
	/* room to keep the snapshots replaced, for a rollback of the transaction (phase B cannot fail) */
	if (aw->n_snaps && calx__grow((void **)&ap->kept, &ap->cap_kept, ap->n_kept + aw->n_snaps, sizeof *ap->kept) != 0) {
		calx__assoc_reset(p);
		return no_memory(s);
	}
	if (aw->n_rows > 1) {
		qsort(aw->rows, aw->n_rows, sizeof *aw->rows, row_cmp);
		size_t w = 1;
		for (size_t r = 1; r < aw->n_rows; r++)
			if (!same_row(&aw->rows[r], &aw->rows[w - 1]))
				aw->rows[w++] = aw->rows[r];
		aw->n_rows = w;
	}
	return CALX_OK;
}

/* "c1 = ? AND c2 = ?": key k of the secondary bound to the referenced columns of h. */
static calx__node *key_match(calx_session *s, calx__ast *a, const calx_table_desc *sec, const calx_fk_desc *k,
                             const calx__obj *h, int *rc)
{
	calx__node *all = NULL;
	for (unsigned c = 0; c < k->n_columns && *rc == CALX_OK; c++) {
		const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[k->ref_columns[c]];
		calx_value v;
		if ((*rc = calx__field_get(f, calx__obj_ptr(h), calx__field_null(h, f), &v, &s->err)) != CALX_OK)
			return NULL;
		calx__node *eq = calx__ast_binary(a, CALX__OP_EQ, calx__ast_field(a, NULL, &sec->columns[k->columns[c]]),
		                                  calx__ast_bind(a, v));
		all = all ? calx__ast_binary(a, CALX__OP_AND, all, eq) : eq;
	}
	return all;
}

static calx__node *row_match(calx_session *s, calx__ast *a, const calx__assoc *r, int *rc)
{
	const calx_table_desc *sec = r->sec;
	calx__node *m = key_match(s, a, sec, &sec->fks[r->fa], r->a, rc);
	if (r->b && *rc == CALX_OK)
		m = calx__ast_binary(a, CALX__OP_AND, m, key_match(s, a, sec, &sec->fks[r->fb], r->b, rc));
	return m;
}

/* A balanced OR over rows lo..hi: no deep nesting for the compiler. */
static calx__node *any_row(calx_session *s, calx__ast *a, const calx__assoc *rows, size_t lo, size_t hi, int *rc)
{
	if (hi - lo == 1)
		return row_match(s, a, &rows[lo], rc);
	size_t mid = lo + (hi - lo) / 2;
	calx__node *l = any_row(s, a, rows, lo, mid, rc);
	return *rc == CALX_OK ? calx__ast_binary(a, CALX__OP_OR, l, any_row(s, a, rows, mid, hi, rc)) : NULL;
}

/* Prepare and run one statement of the tree (its window set), which returns no rows. */
static int run(calx_session *s, calx__ast *a, calx__node *stmt)
{
	calx__stmt *st = NULL;
	int rc = calx__sql_prepare(s->conn, a, stmt, &st, &s->err);
	if (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_DONE)
		rc = CALX_OK;
	calx__stmt_release(st);
	return rc;
}

static unsigned row_params(const calx__assoc *r)
{
	return r->sec->fks[r->fa].n_columns + (r->b ? r->sec->fks[r->fb].n_columns : 0);
}

/* DELETE FROM sec WHERE (row) OR (row) ...: as few statements as the parameter limit allows. */
static int delete_rows(calx_session *s, const calx__assoc *rows, size_t n)
{
	unsigned max = s->d->max_params ? s->d->max_params : 32766;
	size_t per = max / row_params(rows);
	int rc = CALX_OK;
	for (size_t lo = 0; lo < n && rc == CALX_OK; lo += per) {
		size_t hi = n - lo < per ? n : lo + per;
		calx__ast a;
		calx__ast_init(&a);
		calx__node *del = calx__ast_delete(&a, calx__ast_table(&a, rows->sec->name, NULL));
		calx__node *where = del ? any_row(s, &a, rows, lo, hi, &rc) : NULL;
		if (rc == CALX_OK && (a.oom || !where))
			rc = calx__fail(s, CALX_ENOMEM, "out of memory building a delete from \"%s\"", rows->sec->name);
		if (rc == CALX_OK) {
			del->kid[CALX__DEL_WHERE] = where;
			rc = run(s, &a, del);
		}
		calx__ast_free(&a);
	}
	return rc;
}

/* One multi-row INSERT INTO sec (fa's columns, fb's) VALUES ..., windowed under the parameter limit. */
static int insert_rows(calx_session *s, const calx__assoc *rows, size_t n)
{
	const calx_table_desc *sec = rows->sec;
	const calx_fk_desc *ka = &sec->fks[rows->fa], *kb = &sec->fks[rows->fb];
	calx__ast a;
	calx__ast_init(&a);
	calx__node *ins = calx__ast_insert(&a, calx__ast_table(&a, sec->name, NULL));
	int rc = CALX_OK;
	for (unsigned c = 0; ins && c < ka->n_columns + kb->n_columns; c++) {
		unsigned col = c < ka->n_columns ? ka->columns[c] : kb->columns[c - ka->n_columns];
		calx__ast_append(&ins->kid[CALX__INS_COLS], calx__ast_field(&a, NULL, &sec->columns[col]));
	}
	for (size_t r = 0; ins && r < n && rc == CALX_OK; r++) {
		calx__node *vals = NULL;
		for (unsigned c = 0; c < ka->n_columns + kb->n_columns && rc == CALX_OK; c++) {
			const calx__obj *h = c < ka->n_columns ? rows[r].a : rows[r].b;
			const calx_fk_desc *k = c < ka->n_columns ? ka : kb;
			const calx_field_desc *f = &calx__obj_mapper(h)->desc->fields[k->ref_columns[c < ka->n_columns ? c : c - ka->n_columns]];
			calx_value v;
			if ((rc = calx__field_get(f, calx__obj_ptr(h), calx__field_null(h, f), &v, &s->err)) == CALX_OK)
				calx__ast_append(&vals, calx__ast_bind(&a, v));
		}
		if (rc == CALX_OK)
			calx__ast_insert_row(&a, ins, vals);
	}
	if (rc == CALX_OK && (a.oom || !ins))
		rc = calx__fail(s, CALX_ENOMEM, "out of memory building an insert into \"%s\"", sec->name);
	calx__chunks ch;
	unsigned max = s->d->max_params ? s->d->max_params : 32766;
	if (rc == CALX_OK && (rc = calx__chunks_init(&ch, ins, ins, max, &s->err)) == CALX_OK)
		while (rc == CALX_OK && calx__chunks_next(&ch))
			rc = run(s, &a, ins);
	calx__ast_free(&a);
	return rc;
}

int calx__assoc_exec(calx_session *s, calx__plan *p)
{
	calx__assoc_work *aw = p->assoc.work;
	int rc = CALX_OK;
	aw->written = true;
	for (size_t lo = 0, hi; lo < aw->n_rows && rc == CALX_OK; lo = hi) {
		const calx__assoc *r = &aw->rows[lo];
		for (hi = lo + 1; hi < aw->n_rows && aw->rows[hi].insert == r->insert && aw->rows[hi].sec == r->sec &&
		                  aw->rows[hi].fa == r->fa && aw->rows[hi].fb == r->fb && !aw->rows[hi].b == !r->b;
		     hi++)
			;
		rc = r->insert ? insert_rows(s, r, hi - lo) : delete_rows(s, r, hi - lo);
		if (rc != CALX_OK) {
			calx_error keep = s->err;
			rc = calx__fail_wrap(s, "flush: %s rows of secondary table \"%s\": %.380s",
			                r->insert ? "inserting" : "deleting", r->sec->name, keep.msg);
		}
	}
	return rc;
}

void calx__assoc_done(calx__plan *p)
{
	calx__assoc_plan *ap = &p->assoc;
	calx__assoc_work *aw = ap->work;
	for (size_t i = 0; i < aw->n_snaps; i++) {
		void **slot = calx__obj_rel_snap(aw->snaps[i].h, aw->snaps[i].rel);
		ap->kept[ap->n_kept++] = (calx__assoc_snap){ aw->snaps[i].h, aw->snaps[i].rel, *slot };   /* room made */
		*slot = aw->snaps[i].snap;
	}
	calx__assoc_reset(p);
}

void calx__assoc_undo_transaction(calx__plan *p)
{
	calx__assoc_plan *ap = &p->assoc;
	/* newest first, so a list changed by several flushes ends with the oldest */
	while (ap->n_kept) {
		const calx__assoc_snap *k = &ap->kept[--ap->n_kept];
		*calx__obj_rel_snap(k->h, k->rel) = k->snap;
	}
}

void calx__assoc_forget_transaction(calx__plan *p)
{
	p->assoc.n_kept = 0;
}

int calx__assoc_savepoint_reserve(calx_session *s, size_t depth)
{
	calx__assoc_plan *ap = &s->plan->assoc;
	if (depth > ap->cap_sp_kept && calx__grow((void **)&ap->sp_kept, &ap->cap_sp_kept, depth, sizeof *ap->sp_kept) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory opening a savepoint");
	return CALX_OK;
}

void calx__assoc_savepoint_begin(calx__plan *p, size_t depth)
{
	p->assoc.sp_kept[depth - 1] = p->assoc.n_kept;       /* reserved */
}

void calx__assoc_savepoint_rollback(calx__plan *p, size_t depth)
{
	calx__assoc_plan *ap = &p->assoc;
	size_t mark = ap->sp_kept[depth - 1];
	while (ap->n_kept > mark) {
		const calx__assoc_snap *k = &ap->kept[--ap->n_kept];
		*calx__obj_rel_snap(k->h, k->rel) = k->snap;
	}
}

void calx__assoc_reset(calx__plan *p)
{
	calx__assoc_work *aw = p->assoc.work;
	if (!aw)
		return;         /* no many-to-many in the registry: nothing was planned */
	aw->n_rows = aw->n_snaps = 0;
	aw->written = false;
}

void calx__assoc_free(calx__plan *p)
{
	calx__assoc_plan *ap = &p->assoc;
	calx__assoc_work *aw = ap->work;
	if (aw && (aw->rows || aw->snaps || aw->scratch)) {
		calx__free(aw->rows);
		calx__free(aw->snaps);
		calx__free(aw->scratch);
		memset(aw, 0, sizeof *aw);
	}
	if (ap->kept || ap->sp_kept) {  /* a session that wrote no association row allocated none of these */
		calx__free(ap->kept);
		calx__free(ap->sp_kept);
		ap->kept = NULL;
		ap->sp_kept = NULL;
		ap->n_kept = ap->cap_kept = ap->cap_sp_kept = 0;
	}
}
