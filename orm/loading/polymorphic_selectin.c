/*
 * Select-in polymorphic loading of a joined-table hierarchy (SQLAlchemy's
 * polymorphic_load="selectin"): a select of a struct reads its own
 * chain's tables only, its fields in field order (select_build.c through
 * polymorphic_joined.c). A row of the struct or of a parent of it is an
 * object at once; a row of a subclass with tables of its own waits, its
 * place in the result kept, and after the last row each such subclass's
 * rows are read by one statement, WHERE the key IN (...) over its chain's
 * tables (up to WINDOW keys a statement): no statement per row. The
 * select is buffered for it, as for a select-in relationship load.
 *
 * Chosen by the root's polymorphic_load("selectin") or by
 * calx_select_polymorphic(q, CALX_LOAD_SELECTIN); a root whose key is not
 * one integer column (NOT NULL) loads joined instead.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "loading/select_int.h"
#include "loading/polymorphic.h"
#include "sql/joined_inherit.h"
#include "sql/statements.h"

/* Keys a statement: well under every dialect's parameter limit. */
#define WINDOW 500

struct calx__poly_wait {
	size_t item;                    /* its place in q->items */
	const calx__mapper *x;          /* the row's struct */
	calx_value key;                 /* the root's key (an integer) */
	bool read;                      /* its struct's statement ran */
};

int calx_select_polymorphic(calx_select *q, calx_loading how)
{
	if (!q)
		return CALX_EINVAL;
	if (how != CALX_LOAD_JOINED && how != CALX_LOAD_SELECTIN)
		return calx__fail(q->s, CALX_EINVAL, "select %s: polymorphic loading is CALX_LOAD_JOINED or CALX_LOAD_SELECTIN",
		                  q->m->desc->name);
	if (q->started || q->buffered)
		return calx__fail(q->s, CALX_ESTATE, "select %s: calx_select_polymorphic after the select ran",
		                  q->m->desc->name);
	q->poly_how = how;
	return CALX_OK;
}

static bool plain_key(const calx__mapper *root)
{
	if (root->n_pk != 1)
		return false;
	const calx_field_desc *f = &root->desc->fields[root->pk[0]];
	return f->ctype >= CALX_CTYPE_INT8 && f->ctype <= CALX_CTYPE_UINT64 && !(f->flags & CALX_FIELD_OPTIONAL);
}

bool calx__poly_selectin_wanted(const calx_select *q)
{
	const calx__mapper *m = q->m;
	if (!m->poly || q->cols || q->exprs || q->set_left || calx__joined_wanted(m, q->loads, q->n_loads))
		return false;
	calx_loading how = q->poly_how;
	if (!how) {
		const char *d = m->root->desc->polymorphic_load;
		how = d && !strcmp(d, "selectin") ? CALX_LOAD_SELECTIN : CALX_LOAD_JOINED;
	}
	if (how != CALX_LOAD_SELECTIN || !plain_key(m->root))
		return false;
	for (const calx__mapper *x = m->root; x; x = x->next_poly)
		if (x != m && x->joined && calx__mapper_is_a(x, m))
			return true;
	return false;
}

/* The row's integer key, as the identity map hashes it. */
static int row_key(calx_session *s, const calx__mapper *m, calx__stmt *st, calx_value *key)
{
	s->d->column(st->st, m->pk[0], key);
	if (key->kind == CALX_VALUE_INT)
		return CALX_OK;
	return calx__fail(s, CALX_ETYPE, "loading %s from \"%s\": a row's key \"%s\" is not an integer",
	                  m->desc->name, m->desc->table, m->desc->fields[m->pk[0]].column);
}

int calx__poly_select_row(calx_select *q, calx__obj **out)
{
	calx_session *s = q->s;
	const calx__mapper *m = q->m, *x;
	if (!q->poly_selectin)
		return calx__poly_load_row(s, m, q->st, 0, true, out);
	*out = NULL;
	int rc = calx__poly_struct_of(s, m, q->st, 0, &x);
	if (rc != CALX_OK)
		return rc;
	/* its fields are the row's (m's, or a parent's: the first of m's) */
	if (calx__mapper_is_a(m, x))
		return calx__load_row_exact(s, x, q->st, 0, NULL, out);
	if (calx__grow((void **)&q->poly_wait, &q->cap_poly_wait, q->n_poly_wait + 1, sizeof *q->poly_wait) != 0)
		return calx__fail(s, CALX_ENOMEM, "out of memory collecting rows of %s", m->desc->name);
	struct calx__poly_wait *w = &q->poly_wait[q->n_poly_wait];
	w->item = q->n_items;
	w->x = x;
	w->read = false;
	if ((rc = row_key(s, m, q->st, &w->key)) != CALX_OK)
		return rc;
	q->n_poly_wait++;
	return CALX_OK;
}

/* Rows of struct x for keys[0..n), by one statement over x's chain: each into the identity map. */
static int read_window(calx_session *s, const calx__mapper *x, const calx_value *keys, size_t n)
{
	calx__ast a;
	calx__ast_init(&a);
	calx__node *sel = calx__joined_get_in(&a, x, keys, n);
	calx__stmt *st = NULL;
	int rc = !sel || a.oom ? calx__fail(s, CALX_ENOMEM, "out of memory building a select of %s", x->desc->name)
	                       : calx__sql_prepare(s->conn, &a, sel, &st, &s->err);
	while (rc == CALX_OK && (rc = s->d->step(st->st, &s->err)) == CALX_ROW) {
		calx__obj *h;
		rc = calx__load_row_exact(s, x, st, 0, NULL, &h);
	}
	calx__stmt_release(st);
	calx__ast_free(&a);
	return rc == CALX_DONE ? CALX_OK : rc;
}

/* Every waiting row of struct x (from wait i on), WINDOW keys a statement. */
static int read_struct(calx_select *q, size_t i)
{
	const calx__mapper *x = q->poly_wait[i].x;
	calx_value keys[WINDOW];
	size_t n = 0;
	int rc = CALX_OK;
	for (size_t j = i; j < q->n_poly_wait && rc == CALX_OK; j++) {
		struct calx__poly_wait *w = &q->poly_wait[j];
		if (w->x != x)
			continue;
		w->read = true;
		keys[n++] = w->key;
		if (n == WINDOW) {
			rc = read_window(q->s, x, keys, n);
			n = 0;
		}
	}
	return rc == CALX_OK && n ? read_window(q->s, x, keys, n) : rc;
}

int calx__poly_selectin_finish(calx_select *q)
{
	calx_session *s = q->s;
	int rc = CALX_OK;
	for (size_t i = 0; i < q->n_poly_wait && rc == CALX_OK; i++)
		if (!q->poly_wait[i].read)
			rc = read_struct(q, i);
	/* each waiting row's object, from the identity map the statements filled */
	for (size_t i = 0; i < q->n_poly_wait && rc == CALX_OK; i++) {
		const struct calx__poly_wait *w = &q->poly_wait[i];
		calx__obj *h = calx__idmap_find(s, w->x, &w->key, calx__key_hash(w->x, &w->key));
		if (!h)
			rc = calx__fail(s, CALX_ENOTFOUND, "select %s: the row of a %s went away before its own columns were read",
			                q->m->desc->name, w->x->desc->name);
		else
			q->items[w->item] = calx__obj_ptr(h);
	}
	q->n_poly_wait = 0;
	return rc;
}

void calx__poly_selectin_free(calx_select *q)
{
	calx__free(q->poly_wait);
	q->poly_wait = NULL;
	q->n_poly_wait = q->cap_poly_wait = 0;
}
