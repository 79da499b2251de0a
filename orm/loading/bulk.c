/*
 * UPDATE and DELETE by criteria (calx/bulk.h): one statement over the
 * rows a where clause matches, built from the select's expressions into
 * the syntax tree, then the session's objects synchronised as asked
 * (orm/session/bulk_sync.c): evaluated in C before the statement is sent,
 * or found by the keys it returns (RETURNING), or left alone.
 *
 * Everything that can be refused is refused before anything is sent: a
 * where that does not lower (a column of another table, a value of the
 * wrong kind), a value that does not fit its column, a where C cannot
 * evaluate for CALX_SYNC_EVALUATE.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "sql/statements.h"
#include "session/session.h"
#include "session/bulk_sync.h"
#include "loading/select_int.h"
#include "loading/polymorphic.h"

typedef struct calx_bulk calx_bulk;

struct calx_bulk {
	calx_session *s;
	const calx__mapper *m;
	bool is_delete;
	bool ran;
	calx_expr *where;
	calx__bulk_set *sets;
	size_t n_sets, cap_sets;
	calx_error err;                 /* a builder error, reported by the run */
};

static calx_bulk *bulk_new(calx_session *s, const calx_mapper_desc *md, bool is_delete)
{
	if (!s || !md)
		return NULL;
	const calx__mapper *m = calx__registry_find(s->reg, md, &s->err);
	if (!m)
		return NULL;
	calx_bulk *b = calx__calloc(1, sizeof *b);
	if (!b) {
		calx__fail(s, CALX_ENOMEM, "out of memory creating a bulk %s of %s", is_delete ? "delete" : "update",
		           md->name);
		return NULL;
	}
	b->s = s;
	b->m = m;
	b->is_delete = is_delete;
	return b;
}

calx_update *calx_update_new(calx_session *s, const calx_mapper_desc *m)
{
	return bulk_new(s, m, false);
}

calx_delete *calx_delete_new(calx_session *s, const calx_mapper_desc *m)
{
	return bulk_new(s, m, true);
}

static void builder_error(calx_bulk *b, int code, const char *msg)
{
	if (!b->err.code)
		calx_error_set(&b->err, code, "%s %s: %s", b->is_delete ? "delete" : "update", b->m->desc->name, msg);
}

static void bulk_where(calx_bulk *b, calx_expr *cond)
{
	if (!b) {
		calx_expr_free(cond);
		return;
	}
	if (!cond) {
		builder_error(b, CALX_ENOMEM, "out of memory building a where clause");
		return;
	}
	b->where = b->where ? calx_and(b->where, cond) : cond;
	if (!b->where)
		builder_error(b, CALX_ENOMEM, "out of memory building a where clause");
}

void calx_update_where(calx_update *u, calx_expr *cond)
{
	bulk_where(u, cond);
}

void calx_delete_where(calx_delete *d, calx_expr *cond)
{
	bulk_where(d, cond);
}

void (calx_update_set)(calx_update *u, const calx_field_desc *col, calx_expr *value)
{
	if (!u) {
		calx_expr_free(value);
		return;
	}
	const calx_mapper_desc *md = u->m->desc;
	const char *bad = u->is_delete ? "calx_update_set on a delete"
	                  : !value     ? NULL
	                  : !col || col->owner != md || col < md->fields || col >= md->fields + md->n_fields
	                          ? "calx_update_set of a column of another table (or NULL)"
	                          : NULL;
	for (size_t i = 0; !bad && value && i < u->n_sets; i++)
		if (u->sets[i].col == col)
			bad = "calx_update_set of one column twice";
	if (bad || !value) {
		calx_expr_free(value);
		builder_error(u, bad ? CALX_EINVAL : CALX_ENOMEM, bad ? bad : "out of memory building a value");
		return;
	}
	if (calx__grow((void **)&u->sets, &u->cap_sets, u->n_sets + 1, sizeof *u->sets) != 0) {
		calx_expr_free(value);
		builder_error(u, CALX_ENOMEM, "out of memory adding a value");
		return;
	}
	u->sets[u->n_sets++] = (calx__bulk_set){ col, value, false, { 0 } };
}

static void bulk_free(calx_bulk *b)
{
	if (!b)
		return;
	calx_expr_free(b->where);
	for (size_t i = 0; i < b->n_sets; i++)
		calx_expr_free(b->sets[i].value);
	calx__free(b->sets);
	calx__free(b);
}

void calx_update_free(calx_update *u)
{
	bulk_free(u);
}

void calx_delete_free(calx_delete *d)
{
	bulk_free(d);
}

/* A select inside the where (calx_exists, calx_in_select, calx_subquery), correlated with the statement's table. */
static int build_sub(calx_select *sub, calx__ast *a, const calx__scope *outer, calx__node **out, calx_error *err)
{
	if (err != &sub->s->err)
		return calx_error_set(err, CALX_EINVAL, "%s: a subquery of another session", outer->m->name);
	if (sub->err.code) {
		*err = sub->err;
		return err->code;
	}
	if (sub->started || sub->n_loads)
		return calx_error_set(err, CALX_EINVAL, "%s: a subquery that ran already, or loads relationships",
		                      outer->m->name);
	return calx__select_build_in(sub, a, outer, outer->aliases, out);
}

/* The values checked and lowered: a bound value checked against its column, or an expression of columns. */
static int lower_sets(calx_bulk *b, calx__ast *a, const calx__scope *sc, calx__node *stmt, const char *what)
{
	calx_session *s = b->s;
	for (size_t i = 0; i < b->n_sets; i++) {
		calx__bulk_set *set = &b->sets[i];
		calx__node *x = NULL;
		int rc;
		if (b->m->joined && set->col->table != b->m->desc->tables[0])
			return calx__fail(s, CALX_EINVAL, "%s: %s is a column of \"%s\", a joined-table subclass's own table: a bulk update of those is not supported yet (it sets columns of \"%s\")",
			                  what, set->col->name, set->col->table->name, b->m->desc->table);
		set->literal = set->value->op == CALX_OP_VALUE && !set->value->bad;
		if (set->literal) {
			if (set->value->v.kind == CALX_VALUE_NULL)
				set->bind = set->value->v;
			else if ((rc = calx__expr_check_value(set->col, &set->value->v, &set->bind, &s->err)) != CALX_OK)
				return calx__fail(s, rc, "%s: the value of %s: %.200s", what, set->col->name, s->err.msg);
			x = calx__ast_bind(a, set->bind);
		} else {
			bool agg;
			if ((rc = calx__expr_lower_value(set->value, a, sc, 0, &x, &agg, &s->err)) != CALX_OK)
				return rc;
		}
		calx__ast_update_set(a, stmt, calx__ast_field(a, NULL, set->col), x);
	}
	return CALX_OK;
}

/* UPDATE / DELETE of b's table WHERE ... [RETURNING the key] into a. */
static int build(calx_bulk *b, calx__ast *a, bool returning, const char *what, calx__node **out)
{
	calx_session *s = b->s;
	const calx__mapper *m = b->m;
	unsigned aliases = 0;
	calx__node *t = calx__ast_mapper_table(a, m->desc, NULL);
	calx__node *stmt = b->is_delete ? calx__ast_delete(a, t) : calx__ast_update(a, t);
	if (!stmt)
		return calx__fail(s, CALX_ENOMEM, "%s: out of memory building the statement", what);
	calx__scope_entry self = { m->desc, t, NULL };
	calx__scope sc = { m->desc, &self, 1, NULL, build_sub, &aliases };
	int rc;
	calx__node **where = &stmt->kid[b->is_delete ? CALX__DEL_WHERE : CALX__UPD_WHERE];
	if (b->where && (rc = calx__expr_lower(b->where, a, &sc, where, &s->err)) != CALX_OK)
		return rc;
	if (!b->is_delete && (rc = lower_sets(b, a, &sc, stmt, what)) != CALX_OK)
		return rc;
	if (m->poly)
		calx__poly_where(m, a, t, where);       /* a subclass's rows only */
	if (returning) {
		calx__node **tail = &stmt->kid[b->is_delete ? CALX__DEL_RETURNING : CALX__UPD_RETURNING];
		for (unsigned i = 0; i < m->n_pk; i++) {
			calx__node *col = calx__ast_field(a, NULL, &m->desc->fields[m->pk[i]]);
			if (!col)
				break;
			*tail = col;
			tail = &col->next;
		}
	}
	if (a->oom)
		return calx__fail(s, CALX_ENOMEM, "%s: out of memory building the statement", what);
	*out = stmt;
	return CALX_OK;
}

static int refuse_before_sending(calx_bulk *b, calx_sync sync, const char *what)
{
	calx_session *s = b->s;
	if (b->err.code) {
		s->err = b->err;
		return b->err.code;
	}
	if (b->ran)
		return calx__fail(s, CALX_ESTATE, "%s: the statement ran already", what);
	if (sync != CALX_SYNC_NONE && sync != CALX_SYNC_EVALUATE && sync != CALX_SYNC_FETCH)
		return calx__fail(s, CALX_EINVAL, "%s: synchronisation %d is none of CALX_SYNC_NONE, _EVALUATE, _FETCH", what,
		                  (int)sync);
	if (!b->is_delete && !b->n_sets)
		return calx__fail(s, CALX_EINVAL, "%s: it sets nothing (calx_update_set)", what);
	for (size_t i = 0; sync != CALX_SYNC_NONE && i < b->n_sets; i++)
		for (unsigned k = 0; k < b->m->n_pk; k++)
			if (b->sets[i].col == &b->m->desc->fields[b->m->pk[k]])
				return calx__fail(s, CALX_EINVAL,
				                  "%s: a new primary key (%s) for the session's objects: use CALX_SYNC_NONE", what,
				                  b->sets[i].col->name);
	if (sync == CALX_SYNC_EVALUATE)
		return calx__bulk_check_evaluable(s, b->m, b->where, what);
	return CALX_OK;
}

/* The object of the returned key in the current row, if the session holds it. */
static calx__obj *returned_object(calx_session *s, const calx__mapper *m, calx__stmt *st)
{
	calx_value key[CALX__MAX_PK];
	for (unsigned i = 0; i < m->n_pk; i++)
		s->d->column(st->st, i, &key[i]);
	calx__obj *h = calx__idmap_find(s, m, key, calx__key_hash(m, key));
	return h && calx__mapper_is_a(calx__obj_mapper(h), m) ? h : NULL;
}

static int run(calx_bulk *b, calx_sync sync, uint64_t *rows)
{
	if (rows)
		*rows = 0;
	if (!b)
		return CALX_EINVAL;
	calx_session *s = b->s;
	char what[96];
	snprintf(what, sizeof what, "%s %s", b->is_delete ? "delete" : "update", b->m->desc->name);
	int rc = refuse_before_sending(b, sync, what);
	b->ran = true;
	if (rc != CALX_OK || (rc = calx__check_usable(s)) != CALX_OK ||
	    (rc = calx__check_not_flushing(s, b->is_delete ? "calx_delete_run" : "calx_update_run")) != CALX_OK)
		return rc;
	if (s->autoflush && (rc = calx__flush(s)) != CALX_OK)
		return rc;
	if ((rc = calx__begin(s)) != CALX_OK)
		return rc;
	calx__ast *a = calx__malloc(sizeof *a);
	if (!a)
		return calx__fail(s, CALX_ENOMEM, "%s: out of memory building the statement", what);
	calx__ast_init(a);
	calx__objvec matched = { NULL, 0, 0, false };
	calx__node *stmt = NULL;
	calx__stmt *st = NULL;
	uint64_t n = 0;
	rc = build(b, a, sync == CALX_SYNC_FETCH, what, &stmt);
	/* evaluated before the statement changes the rows the objects are compared as */
	if (rc == CALX_OK && sync == CALX_SYNC_EVALUATE)
		rc = calx__bulk_evaluate(s, b->m, b->where, &matched);
	if (rc == CALX_OK)
		rc = calx__sql_prepare(s->conn, a, stmt, &st, &s->err);
	if (rc == CALX_OK)
		while ((rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
			n++;
			calx__obj *h = returned_object(s, b->m, st);
			if (h && calx__objvec_push(&matched, h) != CALX_OK) {
				rc = calx__fail(s, CALX_ENOMEM, "%s: out of memory collecting the objects of the keys returned",
				                what);
				break;
			}
		}
	if (rc == CALX_DONE) {
		rc = CALX_OK;
		if (sync != CALX_SYNC_FETCH) {
			int64_t changed = s->d->rows_affected(st->st);
			n = changed > 0 ? (uint64_t)changed : 0;
		}
	}
	calx__stmt_release(st);
	for (size_t i = 0; rc == CALX_OK && i < matched.n; i++)
		rc = b->is_delete ? calx__bulk_sync_delete(s, matched.v[i])
		                  : calx__bulk_sync_update(s, matched.v[i], b->sets, b->n_sets);
	calx__free(matched.v);
	calx__ast_free(a);
	calx__free(a);
	if (rc == CALX_OK && rows)
		*rows = n;
	return rc;
}

int calx_update_run(calx_update *u, calx_sync sync, uint64_t *rows)
{
	return run(u, sync, rows);
}

int calx_delete_run(calx_delete *d, calx_sync sync, uint64_t *rows)
{
	return run(d, sync, rows);
}
