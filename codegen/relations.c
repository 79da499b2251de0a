/*
 * relations.c - the relationships each kept foreign key gives its two
 * tables: a many-to-one pointer on the referencing struct and a list (or,
 * when the key's columns are unique, a one-to-one pointer) on the other,
 * paired by back_populates; through an association table, a many-to-many
 * list on each side. Names come from the key's columns ("artist" for
 * ArtistId) or the other struct, numbered where they would clash
 * (cg_unique_name), with the key's columns added where two keys join the
 * same tables or a table refers to itself.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "codegen.h"

static cg_rel *add_rel(cg_table *t)
{
	if (t->n_rels == t->cap_rels) {
		unsigned cap = t->cap_rels ? t->cap_rels * 2 : 4;
		cg_rel *r = realloc(t->rels, cap * sizeof *r);
		if (!r)
			return NULL;
		t->rels = r;
		t->cap_rels = cap;
	}
	cg_rel *r = &t->rels[t->n_rels];
	memset(r, 0, sizeof *r);
	return r;
}

/* The columns of fk are exactly a unique key of t: its primary key, a unique constraint or a unique index. */
static bool fk_is_unique(const calx_insp_table *t, const calx_insp_fk *fk)
{
	const calx_insp_key *keys[64];
	unsigned n = 0;
	keys[n++] = &t->pk;
	for (unsigned i = 0; i < t->n_uniques && n < 64; i++)
		keys[n++] = &t->uniques[i];
	for (unsigned i = 0; i < t->n_indexes && n < 64; i++)
		if (t->indexes[i].unique)
			keys[n++] = &t->indexes[i];
	for (unsigned i = 0; i < n; i++) {
		if (keys[i]->n_columns != fk->n_columns)
			continue;
		unsigned hits = 0;
		for (unsigned a = 0; a < fk->n_columns; a++)
			for (unsigned b = 0; b < fk->n_columns; b++)
				hits += strcmp(fk->columns[a], keys[i]->columns[b]) == 0;
		if (hits == fk->n_columns)
			return true;
	}
	return false;
}

/* Kept foreign keys of child to parent. */
static unsigned fks_between(const cg_table *child, const char *parent)
{
	unsigned n = 0;
	for (unsigned f = 0; f < child->t->n_fks; f++)
		n += child->fk_kept[f] && strcmp(child->t->fks[f].ref_table, parent) == 0;
	return n;
}

/* The member of ct that holds fk's first column, without an id suffix: "artist" for ArtistId. */
static bool id_stripped(const cg_table *ct, const calx_insp_fk *fk, char *out, size_t cap)
{
	if (fk->n_columns != 1)
		return false;
	for (unsigned i = 0; i < ct->n_fields; i++)
		if (strcmp(ct->fields[i].col->name, fk->columns[0]) == 0) {
			const char *name = ct->fields[i].name;
			size_t n = strlen(name);
			if (n > 3 && strcasecmp(name + n - 3, "_id") == 0) {
				snprintf(out, cap, "%.*s", (int)(n - 3), name);
				return true;
			}
			if (n > 2 && strcmp(name + n - 2, "Id") == 0) {
				snprintf(out, cap, "%.*s", (int)(n - 2), name);
				return true;
			}
			return false;
		}
	return false;
}

static void fk_columns_name(const cg_table *ct, const calx_insp_fk *fk, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (unsigned k = 0; k < fk->n_columns && n + 1 < cap; k++) {
		const cg_field *f = NULL;
		for (unsigned i = 0; i < ct->n_fields && !f; i++)
			if (strcmp(ct->fields[i].col->name, fk->columns[k]) == 0)
				f = &ct->fields[i];
		n += (size_t)snprintf(out + n, cap - n, "%s%s", k ? "_" : "", f ? f->name : "key");
		if (n >= cap)
			n = cap - 1;
	}
}

/* A many-to-one on child and its other side on parent, for the foreign key fk of child. */
static int relate(cg_table *child, const calx_insp_fk *fk, cg_table *parent)
{
	bool self = child == parent;
	bool several = fks_between(child, parent->t->name) > 1;
	bool unique = fk_is_unique(child->t, fk);
	if (self && unique)
		return 0;       /* a row that is its own parent by key: no relationship worth writing */
	char base[80], cols[64], plural[80];
	cg_rel *down = add_rel(child);
	if (!down)
		return -1;
	/* the many-to-one: the key's member without its id suffix, else the parent's name */
	if (!id_stripped(child, fk, base, sizeof base)) {
		fk_columns_name(child, fk, cols, sizeof cols);
		if (!several && !self)
			snprintf(base, sizeof base, "%s", parent->tag);
		else
			snprintf(base, sizeof base, "%.40s_%.30s", cols, parent->tag);
	}
	cg_unique_name(child, child->n_fields, base, down->name, sizeof down->name);
	down->kind = CG_REL_MANY_TO_ONE;
	down->target = parent;
	down->fk = fk;
	down->need_foreign_keys = several;
	child->n_rels++;

	cg_rel *up = add_rel(parent);
	if (!up)
		return -1;
	down = &child->rels[child->n_rels - 1];         /* parent may be child: its rels moved */
	if (unique)
		snprintf(base, sizeof base, "%s", child->tag);
	else
		cg_plural(base, sizeof base, child->tag);
	if (several || self) {
		fk_columns_name(child, fk, cols, sizeof cols);
		snprintf(plural, sizeof plural, "%.40s_by_%.30s", base, cols);
		snprintf(base, sizeof base, "%s", plural);
	}
	cg_unique_name(parent, parent->n_fields, base, up->name, sizeof up->name);
	up->kind = unique ? CG_REL_ONE_TO_ONE_PARENT : CG_REL_ONE_TO_MANY;
	up->target = child;
	up->fk = fk;
	up->need_foreign_keys = several;
	snprintf(up->partner, sizeof up->partner, "%s", down->name);
	parent->n_rels++;
	snprintf(child->rels[child->n_rels - (self ? 2 : 1)].partner, sizeof up->partner, "%s", parent->rels[parent->n_rels - 1].name);
	return 0;
}

/* The two lists of a many-to-many through association table a. */
static int relate_through(cg_model *m, cg_table *a)
{
	cg_table *left = cg_find_table(m, a->t->fks[0].ref_table), *right = cg_find_table(m, a->t->fks[1].ref_table);
	char base[80], plural[80];
	cg_rel *l = add_rel(left);
	if (!l)
		return -1;
	cg_plural(base, sizeof base, right->tag);
	if (left == right) {
		fk_columns_name(a, &a->t->fks[1], plural, sizeof plural);
		snprintf(base, sizeof base, "%.40s_by_%.30s", right->tag, plural);
	}
	cg_unique_name(left, left->n_fields, base, l->name, sizeof l->name);
	l->kind = CG_REL_MANY_TO_MANY;
	l->target = right;
	l->secondary = a;
	l->secondary_fk = &a->t->fks[0];
	l->need_foreign_keys = left == right;
	left->n_rels++;
	cg_rel *r = add_rel(right);
	if (!r)
		return -1;
	l = &left->rels[left->n_rels - 1];
	cg_plural(base, sizeof base, left->tag);
	if (left == right) {
		fk_columns_name(a, &a->t->fks[0], plural, sizeof plural);
		snprintf(base, sizeof base, "%.40s_by_%.30s", left->tag, plural);
	}
	cg_unique_name(right, right->n_fields, base, r->name, sizeof r->name);
	r->kind = CG_REL_MANY_TO_MANY;
	r->target = left;
	r->secondary = a;
	r->secondary_fk = &a->t->fks[1];
	r->need_foreign_keys = left == right;
	snprintf(r->partner, sizeof r->partner, "%s", l->name);
	right->n_rels++;
	snprintf(left->rels[left->n_rels - (left == right ? 2 : 1)].partner, sizeof r->partner, "%s", right->rels[right->n_rels - 1].name);
	return 0;
}

int cg_relate_all(cg_model *m)
{
	for (unsigned i = 0; i < m->n_tables; i++) {
		cg_table *ct = &m->tables[i];
		if (!ct->selected)
			continue;
		if (ct->association) {
			if (relate_through(m, ct) != 0)
				return -1;
			continue;
		}
		for (unsigned f = 0; f < ct->t->n_fks; f++) {
			if (!ct->fk_kept[f])
				continue;
			cg_table *parent = cg_find_table(m, ct->t->fks[f].ref_table);
			if (parent->association)
				continue;       /* an association table is no relationship's target */
			if (relate(ct, &ct->t->fks[f], parent) != 0)
				return -1;
		}
	}
	return 0;
}
