/*
 * Polymorphic loading: the discriminator of a row picks the struct, and
 * the object is allocated at that struct's size after it is read.
 *
 * A select of a hierarchy's struct reads every column of the table (its
 * own statement: select.c asks for it "wide"), so each row fills its
 * struct at once, whatever subclass it is. Other statements (a get, a
 * relationship's lazy, select-in or joined load) read the fields of the
 * struct they ask for; a row of a subclass with more columns is then read
 * whole by one get of that subclass, unless the identity map has it: right
 * for every statement the loader runs, at a statement per such row, which
 * the wide select spares a select's own rows.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "loading/polymorphic.h"

static bool same(const calx_value *identity, const calx_value *v)
{
	if (identity->kind == CALX_VALUE_NULL)
		return false;   /* an abstract root: no row is one */
	if (identity->kind == CALX_VALUE_INT)
		return v->kind == CALX_VALUE_INT && v->u.i == identity->u.i;
	return v->kind == CALX_VALUE_TEXT && v->u.s.n == identity->u.s.n &&
	       memcmp(v->u.s.p, identity->u.s.p, v->u.s.n) == 0;
}

/* The struct of m's hierarchy whose identity v is, or NULL. */
static const calx__mapper *by_identity(const calx__mapper *m, const calx_value *v)
{
	for (const calx__mapper *x = m->root; x; x = x->next_poly)
		if (same(&x->identity, v))
			return x;
	return NULL;
}

/* An unknown discriminator is an error, never a silently wrong struct. */
static int unknown(calx_session *s, const calx__mapper *m, const calx_value *v)
{
	const calx_mapper_desc *d = m->desc;
	const char *col = d->fields[d->discriminator].column;
	char known[256] = "";
	size_t n = 0;
	for (const calx__mapper *x = m->root; x && n < sizeof known; x = x->next_poly) {
		if (!x->desc->polymorphic_identity)
			continue;       /* an abstract root */
		int k = snprintf(known + n, sizeof known - n, "%s%s", n ? ", " : "", x->desc->polymorphic_identity);
		n += k > 0 ? (size_t)k : 0;
	}
	if (v->kind == CALX_VALUE_NULL)
		return calx__fail(s, CALX_ETYPE, "loading %s from \"%s\": a row's discriminator \"%s\" is NULL, which names no struct of the hierarchy of %s (its identities: %s)",
		                  d->name, d->table, col, m->root->desc->name, known);
	if (v->kind == CALX_VALUE_INT)
		return calx__fail(s, CALX_ETYPE, "loading %s from \"%s\": a row's discriminator \"%s\" is %lld, the polymorphic_identity of no struct of the hierarchy of %s (its identities: %s)",
		                  d->name, d->table, col, (long long)v->u.i, m->root->desc->name, known);
	bool text = v->kind == CALX_VALUE_TEXT && v->u.s.n <= 64;
	return calx__fail(s, CALX_ETYPE, "loading %s from \"%s\": a row's discriminator \"%s\" is '%.*s', the polymorphic_identity of no struct of the hierarchy of %s (its identities: %s)",
	                  d->name, d->table, col, text ? (int)v->u.s.n : 3, text ? v->u.s.p : "...", m->root->desc->name,
	                  known);
}

/* Struct x has columns this statement of m did not read: the object from the identity map, or its get. */
static int load_by_key(calx_session *s, const calx__mapper *m, const calx__mapper *x, calx__stmt *st,
                       unsigned first, calx__obj **out)
{
	calx_value key[CALX__MAX_PK];
	bool canonical = true;  /* integer and text keys are as the identity map hashes them */
	for (unsigned i = 0; i < m->n_pk; i++) {
		s->d->column(st->st, first + m->pk[i], &key[i]);
		canonical = canonical && (key[i].kind == CALX_VALUE_INT || key[i].kind == CALX_VALUE_TEXT);
	}
	calx__obj *h = canonical ? calx__idmap_find(s, x, key, calx__key_hash(x, key)) : NULL;
	if (h && !calx__reload_expired(s, h)) {
		*out = h;
		return CALX_OK;
	}
	calx__stmt *kst;
	int rc = calx__get_step(s, x, key, &kst);
	if (rc == CALX_ROW)
		rc = calx__load_row_exact(s, x, kst, 0, NULL, out);
	else if (rc == CALX_DONE)
		rc = calx__fail(s, CALX_ENOTFOUND, "loading %s from \"%s\": the row of a %s went away before its own columns were read",
		                m->desc->name, m->desc->table, x->desc->name);
	if (kst)
		calx__stmt_release(kst);
	return rc;
}

int calx__poly_struct_of(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first,
                         const calx__mapper **x)
{
	calx_value v;
	/* the discriminator has one index in every struct of the hierarchy, and in the table */
	s->d->column(st->st, first + (unsigned)m->desc->discriminator, &v);
	*x = by_identity(m, &v);
	return *x ? CALX_OK : unknown(s, m, &v);
}

int calx__poly_load_row(calx_session *s, const calx__mapper *m, calx__stmt *st, unsigned first, bool wide,
                        calx__obj **out)
{
	const calx__mapper *x;
	int rc = calx__poly_struct_of(s, m, st, first, &x);
	if (rc != CALX_OK)
		return rc;
	/* every column of the table: x's fields where the table puts them (the root's are its first columns) */
	if (wide && !m->concrete)
		return calx__load_row_exact(s, x, st, first, x->desc->table_columns, out);
	/* a concrete hierarchy's statements all read its union's wide row (orm/sql/concrete_union.c) */
	if (m->concrete)
		return calx__poly_concrete_row(s, x, st, first, out);
	/* m itself, or a parent of m: its fields are the first of the row's */
	if (calx__mapper_is_a(m, x))
		return calx__load_row_exact(s, x, st, first, NULL, out);
	return load_by_key(s, m, x, st, first, out);
}

void calx__poly_where(const calx__mapper *m, calx__ast *a, calx__node *t, calx__node **where)
{
	if (!m->parent || m->concrete)
		return;         /* the root's select reads every row of its table; a concrete union only its struct's tables */
	const calx_mapper_desc *d = m->desc;
	calx__node *items = NULL;
	for (const calx__mapper *x = m->root; x; x = x->next_poly)
		if (calx__mapper_is_a(x, m))
			calx__ast_append(&items, calx__ast_bind(a, x->identity));
	calx__node *in = calx__ast_in_list(a, calx__ast_field(a, t, &d->fields[d->discriminator]), items, false);
	*where = *where ? calx__ast_binary(a, CALX__OP_AND, *where, in) : in;
}

int calx__poly_not_a(calx_session *s, const calx__obj *h, const calx__mapper *m)
{
	return calx__fail(s, CALX_ENOTFOUND, "get %s: the row with that key in \"%s\" is a struct %s, not a struct %s",
	                  m->desc->name, m->desc->table, calx__obj_mapper(h)->desc->name, m->desc->name);
}
