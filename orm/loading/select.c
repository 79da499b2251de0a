/*
 * Selects: a mapped table's rows as objects through the identity map (or
 * as rows of values), where, order by, limit/offset, running and reading
 * them, and the relationships loaded for their objects. The statement is
 * built in select_build.c; the query language's clauses, joins and
 * streaming are in select_clauses.c, select_join.c and select_stream.c.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "sql/expr.h"
#include "sql/statements.h"
#include "session/session.h"
#include "loading/selectin.h"
#include "loading/joined.h"
#include "loading/select_int.h"
#include "loading/polymorphic.h"

calx_select *calx_select_new(calx_session *s, const calx_mapper_desc *md)
{
	if (!s)
		return NULL;
	const calx__mapper *m = calx__registry_find(s->reg, md, &s->err);
	if (!m)
		return NULL;
	calx_select *q = calx__calloc(1, sizeof *q);
	if (!q) {
		calx__fail(s, CALX_ENOMEM, "out of memory creating a select of %s", md->name);
		return NULL;
	}
	q->s = s;
	q->m = m;
	q->limit = -1;
	return q;
}

void calx_select_free(calx_select *q)
{
	if (!q)
		return;
	calx__release_free(q);
	calx__stream_close(q);
	calx__stmt_release(q->st);
	if (q->ast)
		calx__ast_free(q->ast);
	calx__free(q->ast);
	calx_expr_free(q->where);
	calx_select_free(q->set_left);
	calx_select_free(q->set_right);
	calx_select_free(q->derived);
	calx__free(q->cols);
	calx__select_free_clauses(q);
	calx__select_free_joins(q);
	calx__free(q->order);
	calx__free(q->items);
	calx__free(q->loads);
	calx__joined_free(q->joined);
	calx__poly_selectin_free(q);
	calx__free(q);
}

void calx__select_builder_error(calx_select *q, int code, const char *msg)
{
	if (!q->err.code)
		calx_error_set(&q->err, code, "select %s: %s", q->m->desc->name, msg);
}

void calx_where(calx_select *q, calx_expr *e)
{
	if (!q) {
		calx_expr_free(e);
		return;
	}
	if (!e) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a where clause");
		return;
	}
	if (q->started) {
		calx_expr_free(e);
		calx__select_builder_error(q, CALX_ESTATE, "calx_where after the select ran");
		return;
	}
	if (!q->where) {
		q->where = e;
		return;
	}
	q->where = calx_and(q->where, e);
	if (!q->where)
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory building a where clause");
}

void (calx_order_by)(calx_select *q, const calx_field_desc *col, calx_order dir)
{
	if (!q)
		return;
	if (!col) {
		calx__select_builder_error(q, CALX_EINVAL, "order_by a NULL column");
		return;
	}
	if (calx__grow((void **)&q->order, &q->cap_order, q->n_order + 1, sizeof *q->order) != 0) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory adding an order_by");
		return;
	}
	q->order[q->n_order].col = col;
	q->order[q->n_order].expr = NULL;
	q->order[q->n_order++].dir = dir;
}

void calx_limit(calx_select *q, int64_t n)
{
	if (!q)
		return;
	if (n < 0)
		calx__select_builder_error(q, CALX_EINVAL, "negative limit");
	else
		q->limit = n;
}

void calx_offset(calx_select *q, int64_t n)
{
	if (!q)
		return;
	if (n < 0)
		calx__select_builder_error(q, CALX_EINVAL, "negative offset");
	else
		q->offset = n;
}

/* The most rows a select's limit reserves identity-map room for (start): 8,192 slots, 64 KB. */
#define LIMIT_ROOM 4096

static int start(calx_select *q)
{
	calx_session *s = q->s;
	int rc;
	if (q->err.code) {
		s->err = q->err;
		return q->err.code;
	}
	if ((rc = calx__check_usable(s)) != CALX_OK)
		return rc;
	if (s->autoflush && (rc = calx__flush(s)) != CALX_OK)
		return rc;
	if ((rc = calx__begin(s)) != CALX_OK)
		return rc;
	/* the tree lives as long as the select: PostgreSQL reads bound text at the first step */
	calx__node *sel = NULL;
	if (!calx__select_width(q) && !q->joined)
		rc = calx__joined_plan(s, q->m, q->loads, q->n_loads, &q->joined);
	if (rc == CALX_OK && q->joined && q->n_joins)
		rc = calx__fail(s, CALX_EINVAL, "select %s: relationships loading joined and calx_join in one select: "
		                "load them select-in", q->m->desc->name);
	if (rc == CALX_OK && !q->ast && !(q->ast = calx__malloc(sizeof *q->ast)))
		rc = calx__fail(s, CALX_ENOMEM, "out of memory building a select of %s", q->m->desc->name);
	if (rc == CALX_OK) {
		calx__ast_init(q->ast);
		rc = calx__select_build(q, q->ast, &sel);
	}
	if (rc == CALX_OK)
		rc = calx__stream_wanted(q) ? calx__stream_open(q, sel) : calx__sql_prepare(s->conn, q->ast, sel, &q->st, &s->err);
	/*
	 * A select of objects with a limit says how many rows at most: room
	 * for them in the identity map now, where growing as they came
	 * re-placed every entry at each doubling (a page of 1,000 rows in a
	 * session of its own grew the map seven times: 5% of its
	 * instructions). Up to LIMIT_ROOM, what a small result wastes.
	 */
	if (rc == CALX_OK && !calx__select_width(q) && q->limit > 1) {
		int64_t room = q->batch && (int64_t)q->batch < q->limit ? (int64_t)q->batch : q->limit;
		rc = calx__idmap_reserve(s, (size_t)(room < LIMIT_ROOM ? room : LIMIT_ROOM));
	}
	q->started = true;
	if (rc != CALX_OK) {
		q->st = NULL;
		q->done = true;
	}
	return rc;
}

int calx_select_columns(calx_select *q, const calx_field_desc *const *cols, size_t n)
{
	if (!q)
		return CALX_EINVAL;
	if (q->started || !cols || !n || q->exprs) {
		calx__select_builder_error(q, CALX_EINVAL,
		                           "calx_select_columns needs columns, before the select runs, without calx_select_exprs");
		return CALX_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!cols[i] || cols[i]->owner != q->m->desc) {
			calx__select_builder_error(q, CALX_EINVAL, "calx_select_columns: a column of another table (or NULL)");
			return CALX_EINVAL;
		}
	}
	const calx_field_desc **copy = calx__malloc(n * sizeof *copy);
	if (!copy) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory in calx_select_columns");
		return CALX_ENOMEM;
	}
	memcpy(copy, cols, n * sizeof *copy);
	calx__free(q->cols);
	q->cols = copy;
	q->n_cols = n;
	return CALX_OK;
}

/* Step the statement; CALX_ROW, or CALX_DONE / an error with the statement released. */
static int step(calx_select *q)
{
	int rc;
	if (!q->started && (rc = start(q)) != CALX_OK)
		return rc;
	if (q->done)
		return CALX_DONE;
	calx_session *s = q->s;
	if (s->failed) {
		calx__stmt_release(q->st);
		q->st = NULL;
		q->done = true;
		return calx__check_usable(s);
	}
	rc = q->cursor ? calx__stream_step(q) : s->d->step(q->st->st, &s->err);
	if (rc != CALX_ROW) {
		calx__stmt_release(q->st);
		q->st = NULL;
		q->done = true;
	}
	return rc;
}

int calx_select_next_values(calx_select *q, calx_value *vals)
{
	if (!q || !vals)
		return CALX_EINVAL;
	size_t n = calx__select_width(q);
	if (!n && !q->set_left)         /* a union's error (a select of objects in it) comes when it runs */
		return calx__fail(q->s, CALX_EINVAL, "select %s: call calx_select_columns or calx_select_exprs first",
		                  q->m->desc->name);
	int rc = step(q);
	if (rc != CALX_ROW)
		return rc;
	for (size_t i = 0; i < n; i++)
		q->s->d->column(q->st->st, (unsigned)i, &vals[i]);
	return CALX_ROW;
}

int calx_select_load_path(calx_select *q, const calx_relationship_desc *const *path, size_t n, calx_loading how)
{
	if (!q)
		return CALX_EINVAL;
	const char *bad = q->started ? "calx_select_load after the select ran"
	                  : !path || !n ? "calx_select_load needs a relationship"
	                  : n > CALX__LOAD_PATH_MAX ? "calx_select_load_path: a path longer than 8 relationships"
	                  : how != CALX_LOAD_SELECTIN && how != CALX_LOAD_JOINED && how != CALX_LOAD_LAZY
	                          ? "calx_select_load: only CALX_LOAD_SELECTIN, CALX_LOAD_JOINED and CALX_LOAD_LAZY are "
	                            "chosen per select"
	                          : NULL;
	/* each relationship must belong to the struct the one before it leads to */
	const calx__mapper *m = q->m;
	for (size_t k = 0; !bad && k < n; k++) {
		const calx_mapper_desc *d = m->desc;
		const calx_relationship_desc *r = path[k];
		if (!r || !d->n_relationships || r < d->relationships || r >= d->relationships + d->n_relationships)
			bad = k ? "calx_select_load_path: a relationship that is not of the struct the one before leads to"
			        : "calx_select_load: a relationship of another struct (or NULL)";
		else
			m = m->rels[r - d->relationships].target;
	}
	if (bad) {
		calx__select_builder_error(q, CALX_EINVAL, bad);
		return CALX_EINVAL;
	}
	if (calx__grow((void **)&q->loads, &q->cap_loads, q->n_loads + 1, sizeof *q->loads) != 0) {
		calx__select_builder_error(q, CALX_ENOMEM, "out of memory adding a loading option");
		return CALX_ENOMEM;
	}
	calx__load_opt *o = &q->loads[q->n_loads++];
	memset(o, 0, sizeof *o);
	memcpy(o->path, path, n * sizeof *path);
	o->n = (unsigned)n;
	o->how = how;
	return CALX_OK;
}

int calx_select_load(calx_select *q, const calx_relationship_desc *rel, calx_loading how)
{
	return calx_select_load_path(q, &rel, 1, how);
}

/* Does the select read every row before handing out the first (select-in, joined)? */
static bool wants_buffer(const calx_select *q)
{
	/* asked at every row: the first test ends it after the first */
	return !q->started && !q->buffered && !calx__select_width(q) &&
	       (calx__selectin_wanted(q->m, q->loads, q->n_loads) || calx__joined_wanted(q->m, q->loads, q->n_loads) ||
	        (q->s->reg->has_joined && calx__poly_selectin_wanted(q)));
}

/*
 * Read every row into q->items (each object once: joined rows repeat it),
 * set what the joins loaded, then load the select-in relationships for all.
 */
static int buffer_all(calx_select *q)
{
	int rc;
	q->buffered = true;
	q->whole = true;
	while ((rc = step(q)) == CALX_ROW) {
		calx__obj *h;
		bool first = true;
		if ((rc = q->joined ? calx__joined_row(q->s, q->joined, q->st, &h, &first)
		                    : (q->wide ? calx__poly_select_row(q, &h) : calx__load_row(q->s, q->m, q->st, &h))) != CALX_OK)
			break;
		if (!first)
			continue;
		if (calx__grow((void **)&q->items, &q->cap_items, q->n_items + 1, sizeof *q->items) != 0) {
			rc = calx__fail(q->s, CALX_ENOMEM, "out of memory collecting rows of %s", q->m->desc->name);
			break;
		}
		q->items[q->n_items++] = h ? calx__obj_ptr(h) : NULL;  /* NULL: a subclass row read select-in below */
	}
	if (rc != CALX_DONE) {
		calx__stmt_release(q->st);
		q->st = NULL;
		q->done = true;
		q->n_items = 0;
		return rc;
	}
	rc = q->joined ? calx__joined_finish(q->s, q->joined) : CALX_OK;
	if (rc == CALX_OK && q->n_poly_wait)
		rc = calx__poly_selectin_finish(q);
	if (rc == CALX_OK)
		rc = calx__selectin_load(q->s, q->m, q->items, q->n_items, q->loads, q->n_loads);
	if (rc != CALX_OK)
		q->n_items = 0;
	return rc;
}

int calx_select_next(calx_select *q, void **out)
{
	if (!q || !out)
		return CALX_EINVAL;
	*out = NULL;
	if (calx__select_width(q))
		return calx__fail(q->s, CALX_EINVAL, "select %s returns rows of values: use calx_select_next_values",
		                  q->m->desc->name);
	int rc;
	if (wants_buffer(q) && (rc = buffer_all(q)) != CALX_OK)
		return rc;
	if (q->buffered) {
		if (q->pos == q->n_items)
			return CALX_DONE;
		*out = q->items[q->pos++];
		return CALX_ROW;
	}
	rc = step(q);
	bool release = q->release && !q->whole;        /* a whole read keeps what it hands out */
	if (rc == CALX_DONE && release)
		calx__release_batch(q);         /* the loop moved past the last batch */
	if (rc != CALX_ROW)
		return rc;
	calx__obj *h;
	if (release)
		rc = calx__release_load(q, &h);
	else
		rc = q->wide ? calx__poly_load_row(q->s, q->m, q->st, 0, true, &h) : calx__load_row(q->s, q->m, q->st, &h);
	if (rc != CALX_OK)
		return rc;
	*out = calx__obj_ptr(h);
	return CALX_ROW;
}

int calx_select_one(calx_select *q, void **out)
{
	if (!q || !out)
		return CALX_EINVAL;
	q->whole = true;
	void *first = NULL, *second = NULL;
	int rc = calx_select_next(q, &first);
	*out = NULL;
	if (rc == CALX_DONE)
		return calx__fail(q->s, CALX_ENOTFOUND, "select %s: no row found", q->m->desc->name);
	if (rc != CALX_ROW)
		return rc;
	rc = calx_select_next(q, &second);
	if (rc == CALX_ROW)
		return calx__fail(q->s, CALX_EMULTIPLE, "select %s: more than one row found", q->m->desc->name);
	if (rc != CALX_DONE)
		return rc;
	*out = first;
	return CALX_OK;
}

int calx_select_all(calx_select *q, void ***items_out, size_t *n_out)
{
	if (!q || !items_out || !n_out)
		return CALX_EINVAL;
	q->whole = true;
	*items_out = NULL;
	*n_out = 0;
	void *obj;
	int rc;
	if (wants_buffer(q)) {
		/* the rows are in q->items already */
		if ((rc = buffer_all(q)) != CALX_OK)
			return rc;
		q->pos = q->n_items;
		*items_out = q->items;
		*n_out = q->n_items;
		return CALX_OK;
	}
	if (q->buffered) {
		/* what calx_select_next has not handed out yet */
		*items_out = q->items + q->pos;
		*n_out = q->n_items - q->pos;
		q->pos = q->n_items;
		return CALX_OK;
	}
	while ((rc = calx_select_next(q, &obj)) == CALX_ROW) {
		if (calx__grow((void **)&q->items, &q->cap_items, q->n_items + 1, sizeof *q->items) != 0)
			return calx__fail(q->s, CALX_ENOMEM, "out of memory collecting rows of %s", q->m->desc->name);
		q->items[q->n_items++] = obj;
	}
	if (rc != CALX_DONE)
		return rc;
	*items_out = q->items;
	*n_out = q->n_items;
	return CALX_OK;
}
