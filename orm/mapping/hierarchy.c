/*
 * Class hierarchies, derived once when a registry opens: each mapper's
 * root, parent and the chain of its hierarchy's mappers, the identity
 * map's mapper number (the root's), and each struct's polymorphic
 * identity as the discriminator column holds it.
 *
 * Single-table inheritance (the one kind built so far) is checked here as
 * the descriptor says it (descriptor.h): a subclass's fields begin with
 * its parent's, index for index, its table is its root's, and table_columns
 * says where each of its fields is among that table's columns. A
 * joined-table subclass maps its parent's tables and one of its own
 * (n_tables > 1), each table through a part (check_joined). A
 * concrete-table subclass maps a complete table of its own (check_concrete),
 * and its hierarchy's selects read the tables' UNION ALL (wide_row).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/registry.h"

static bool in_schema(const calx_registry *reg, const calx_mapper_desc *d)
{
	return d && d->schema == reg->schema && d->index < reg->n_mappers && reg->mappers[d->index].desc == d;
}

static bool text_ctype(calx_ctype c)
{
	return c == CALX_CTYPE_CHARARRAY || c == CALX_CTYPE_STRING;
}

static bool int_ctype(calx_ctype c)
{
	return c >= CALX_CTYPE_INT8 && c <= CALX_CTYPE_UINT64;
}

static int bad(calx_registry *reg, const calx_mapper_desc *d, const char *why)
{
	return calx_error_set(&reg->err, CALX_EINVAL, "schema '%s': struct '%s' has an inconsistent inheritance descriptor: %s",
	                      reg->schema->name, d->name, why);
}

/* The subclass's fields against its parent's and its table's columns. */
static int check_subclass(calx_registry *reg, const calx_mapper_desc *d, const calx_mapper_desc *p)
{
	const calx_table_desc *t = d->tables[0];
	if (d->n_tables != 1 || t != p->tables[0])
		return bad(reg, d, "a single-table subclass maps its parent's table");
	if (d->n_fields < p->n_fields || d->size < p->size || !d->table_columns)
		return bad(reg, d, "its fields must begin with its parent's");
	for (unsigned f = 0; f < d->n_fields; f++) {
		const calx_field_desc *fd = &d->fields[f];
		unsigned c = d->table_columns[f];
		if (c >= t->n_columns || strcmp(t->columns[c].column, fd->column) != 0)
			return bad(reg, d, "table_columns does not match its table's columns");
		if (f < p->n_fields && (fd->offset != p->fields[f].offset || fd->ctype != p->fields[f].ctype ||
		                        strcmp(fd->column, p->fields[f].column) != 0))
			return bad(reg, d, "its fields must begin with its parent's");
	}
	if (d->discriminator != p->discriminator)
		return bad(reg, d, "the discriminator is its root's");
	return CALX_OK;
}

static bool same_column(const calx_field_desc *a, const calx_field_desc *b)
{
	return a->offset == b->offset && a->ctype == b->ctype && a->size == b->size && strcmp(a->column, b->column) == 0;
}

/*
 * A joined-table subclass: its parent's tables and one of its own, whose
 * part maps that table alone: the root's key columns, then the
 * subclass's own fields, at the same offsets.
 */
static int check_joined(calx_registry *reg, const calx_mapper_desc *d, const calx_mapper_desc *p)
{
	unsigned pn = p->parts ? p->n_tables : 1, n = d->n_tables;
	if (n != pn + 1 || n > CALX__MAX_LEVELS || (p->parts == NULL && p->parent))
		return bad(reg, d, "a joined-table subclass maps its parent's tables and one of its own");
	for (unsigned i = 0; i < pn; i++)
		if (d->tables[i] != p->tables[i] || d->parts[i] != (p->parts ? p->parts[i] : p))
			return bad(reg, d, "a joined-table subclass maps its parent's tables and one of its own");
	const calx_mapper_desc *own = d->parts[n - 1];
	if (!in_schema(reg, own) || own->parent || own->parts || own->discriminator >= 0 || own->n_tables != 1 ||
	    own->tables[0] != d->tables[n - 1] || !calx__registry_table(reg, own->tables[0]))
		return bad(reg, d, "its own table's part is not a mapper of that table alone");
	if (d->n_fields < p->n_fields || d->size < p->size || !d->table_columns || d->discriminator != p->discriminator)
		return bad(reg, d, "its fields must begin with its parent's");
	for (unsigned f = 0; f < p->n_fields; f++)
		if (!same_column(&d->fields[f], &p->fields[f]))
			return bad(reg, d, "its fields must begin with its parent's");
	const calx__mapper *root = &reg->mappers[d->parts[0]->index], *part = &reg->mappers[own->index];
	if (part->n_pk != root->n_pk || own->n_fields != part->n_pk + (d->n_fields - p->n_fields))
		return bad(reg, d, "its own table must have its root's key and its own fields");
	for (unsigned j = 0; j < own->n_fields; j++) {
		const calx_field_desc *a = &own->fields[j];
		const calx_field_desc *b = j < part->n_pk ? &d->fields[root->pk[j]] : &d->fields[p->n_fields + j - part->n_pk];
		if (a->offset != b->offset || a->ctype != b->ctype || a->size != b->size ||
		    (j >= part->n_pk && (b->table != own->tables[0] || strcmp(a->column, b->column) != 0)))
			return bad(reg, d, "its own table must have its root's key and its own fields");
	}
	return CALX_OK;
}

/*
 * A concrete-table subclass: one table of its own, complete: its fields
 * are its table's columns, index for index, beginning with its parent's
 * fields (same offsets, types and columns); table_columns places each in
 * the hierarchy's wide row (checked against the root in wide_row).
 */
static int check_concrete(calx_registry *reg, const calx_mapper_desc *d, const calx_mapper_desc *p)
{
	const calx_table_desc *t = d->tables[0];
	if (d->n_tables != 1 || !calx__registry_table(reg, t) || t->n_columns != d->n_fields)
		return bad(reg, d, "a concrete-table subclass maps one complete table of its own");
	if (d->n_fields < p->n_fields || d->size < p->size || !d->table_columns || d->discriminator != p->discriminator)
		return bad(reg, d, "its fields must begin with its parent's");
	for (unsigned f = 0; f < d->n_fields; f++) {
		if (strcmp(t->columns[f].column, d->fields[f].column) != 0 || t->columns[f].offset != d->fields[f].offset)
			return bad(reg, d, "its fields must be its table's columns");
		if (f < p->n_fields && (!same_column(&d->fields[f], &p->fields[f]) || d->table_columns[f] != (p->table_columns ? p->table_columns[f] : f)))
			return bad(reg, d, "its fields must begin with its parent's");
	}
	return CALX_OK;
}

/* A subclass with a table of its own and no parts: concrete (its parent's table is another). */
static bool is_concrete(const calx_mapper_desc *d)
{
	return d->parent && !d->parts && d->n_tables == 1 && d->parent->n_tables >= 1 && d->tables[0] != d->parent->tables[0];
}

/*
 * The wide row of a concrete hierarchy rooted at root: the root's fields,
 * then each subclass's own, in the chain's (schema) order, a column name
 * taken once (siblings' columns of one name share a place); each
 * subclass's table_columns must say so.
 */
static int wide_row(calx_registry *reg, calx__mapper *root)
{
	unsigned n = root->desc->n_fields;
	for (const calx__mapper *x = root->next_poly; x; x = x->next_poly) {
		const calx_mapper_desc *d = x->desc;
		if (!is_concrete(d))
			return bad(reg, d, "a concrete-table hierarchy's subclasses are all concrete");
		for (unsigned f = d->parent->n_fields; f < d->n_fields; f++) {
			unsigned at = d->table_columns[f];
			if (at < root->desc->n_fields || at > n)
				return bad(reg, d, "table_columns does not place its own fields after the hierarchy's earlier ones");
			n += at == n;
		}
	}
	for (const calx__mapper *x = root; x; x = x->next_poly) {
		calx__mapper *w = &reg->mappers[x->desc->index];   /* the chain is read-only; the registry's mappers are not */
		w->concrete = true;
		w->wide_n = n;
	}
	reg->has_concrete = true;
	return CALX_OK;
}

/* The identity as the discriminator column's values come from the database. */
static int parse_identity(calx_registry *reg, calx__mapper *rm)
{
	const calx_mapper_desc *d = rm->desc;
	const calx_field_desc *fd = &d->fields[d->discriminator];
	if (!d->polymorphic_identity && !d->parent) {
		/* an abstract root (AbstractConcreteBase): wide_row checks that its subclasses are concrete */
		rm->abstract = true;
		rm->identity = calx_value_null();
		return CALX_OK;
	}
	if (!d->polymorphic_identity)
		return bad(reg, d, "no polymorphic_identity");
	if (text_ctype(fd->ctype)) {
		rm->identity = calx_value_text(d->polymorphic_identity);
		return CALX_OK;
	}
	char *end;
	errno = 0;
	long long v = strtoll(d->polymorphic_identity, &end, 10);
	if (errno || *end || end == d->polymorphic_identity)
		return bad(reg, d, "an integer discriminator needs an integer polymorphic_identity");
	rm->identity = calx_value_int(v);
	return CALX_OK;
}

static bool same_identity(const calx_value *a, const calx_value *b)
{
	if (a->kind != b->kind || a->kind == CALX_VALUE_NULL)
		return false;
	if (a->kind == CALX_VALUE_INT)
		return a->u.i == b->u.i;
	return a->u.s.n == b->u.s.n && memcmp(a->u.s.p, b->u.s.p, a->u.s.n) == 0;
}

static int derive_one(calx_registry *reg, calx__mapper *rm)
{
	const calx_mapper_desc *d = rm->desc;
	if (d->parent) {
		if (!in_schema(reg, d->parent))
			return bad(reg, d, "its parent is not a mapper of this schema");
		rm->parent = &reg->mappers[d->parent->index];
		int rc = d->parts ? check_joined(reg, d, d->parent)
		       : is_concrete(d) ? check_concrete(reg, d, d->parent) : check_subclass(reg, d, d->parent);
		if (rc != CALX_OK)
			return rc;
	} else if (d->discriminator < 0) {
		return CALX_OK;         /* no hierarchy */
	} else {
		/* the root: its fields are its table's first columns, which its subclasses' columns follow */
		const calx_table_desc *t = d->tables[0];
		if (d->n_fields > t->n_columns)
			return bad(reg, d, "its table has fewer columns than it has fields");
		for (unsigned f = 0; f < d->n_fields; f++)
			if (strcmp(t->columns[f].column, d->fields[f].column) != 0 || t->columns[f].offset != d->fields[f].offset)
				return bad(reg, d, "its fields must be its table's first columns");
	}
	if (d->discriminator < 0 || (unsigned)d->discriminator >= d->n_fields)
		return bad(reg, d, "discriminator out of range");
	const calx_field_desc *fd = &d->fields[d->discriminator];
	if (!text_ctype(fd->ctype) && !(int_ctype(fd->ctype) && !(fd->flags & CALX_FIELD_OPTIONAL)))
		return bad(reg, d, "the discriminator column must be text or a plain integer");
	rm->poly = true;
	reg->has_poly = true;
	return parse_identity(reg, rm);
}

int calx__hierarchy_derive(calx_registry *reg)
{
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		calx__mapper *rm = &reg->mappers[i];
		rm->key_index = i;
		rm->root = rm;
		int rc = derive_one(reg, rm);
		if (rc != CALX_OK)
			return rc;
	}
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		calx__mapper *rm = &reg->mappers[i];
		if (!rm->poly)
			continue;
		/* a parent chain longer than the schema has mappers is a cycle */
		const calx__mapper *r = rm;
		for (unsigned depth = 0; r->parent; r = r->parent)
			if (++depth > reg->n_mappers)
				return bad(reg, rm->desc, "its parents form a cycle");
		rm->root = r;
		rm->key_index = r->desc->index;
		if (rm->desc->parts) {
			const calx_mapper_desc *d = rm->desc;
			rm->joined = true;
			rm->depth = d->n_tables - 1;
			rm->own_part = &reg->mappers[d->parts[d->n_tables - 1]->index];
			reg->has_joined = true;
		}
	}
	/* each hierarchy's chain, root first, then its subclasses in schema order; identities unique */
	for (unsigned i = 0; i < reg->n_mappers; i++) {
		calx__mapper *rm = &reg->mappers[i];
		if (!rm->poly || rm->root != rm)
			continue;
		calx__mapper *tail = rm;
		for (unsigned j = 0; j < reg->n_mappers; j++) {
			calx__mapper *x = &reg->mappers[j];
			if (x == rm || !x->poly || x->root != rm)
				continue;
			tail->next_poly = x;
			tail = x;
		}
		for (const calx__mapper *a = rm; a; a = a->next_poly)
			for (const calx__mapper *b = a->next_poly; b; b = b->next_poly)
				if (same_identity(&a->identity, &b->identity))
					return calx_error_set(&reg->err, CALX_EINVAL,
					                      "schema '%s': struct '%s' and struct '%s' have the same polymorphic_identity '%s'",
					                      reg->schema->name, a->desc->name, b->desc->name,
					                      a->desc->polymorphic_identity);
		if (rm->next_poly && is_concrete(rm->next_poly->desc)) {
			int rc = wide_row(reg, rm);
			if (rc != CALX_OK)
				return rc;
		} else if (rm->abstract) {
			return bad(reg, rm->desc, "a root without polymorphic_identity is an abstract concrete-table root, which needs concrete subclasses");
		}
		if (rm->abstract)
			reg->tables[rm->desc->tables[0]->index].abstract = true;  /* described for its fields, never created */
	}
	return CALX_OK;
}
