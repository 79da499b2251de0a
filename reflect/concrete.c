/*
 * reflect/concrete.c - concrete-table inheritance (SQLAlchemy's concrete
 * inheritance with ConcreteBase): each struct of the hierarchy has a
 * complete table of its own, every column of its ancestors and its own,
 * with no foreign key between the tables.
 *
 *   struct CALX_TABLE("cti_person", polymorphic_on("kind"), polymorphic_identity("person")) cti_person { ... };
 *   struct CALX_INHERIT(concrete, table("cti_engineer"), polymorphic_identity("engineer")) cti_engineer {
 *       struct cti_employee base;
 *       char primary_language[24];
 *   };
 *
 * A concrete subclass starts with its parent's struct, so it has every
 * column of its parent by construction (C's idiom leaves no way to drop
 * one). The discriminator column is one of the root's, so every table
 * stores it: calx writes each struct's identity there, and a polymorphic
 * select reads it as a literal per table (SQLAlchemy's polymorphic_union).
 *
 * That select is a UNION ALL of the hierarchy's tables (the runtime's
 * orm/sql/concrete_union.c) whose columns are the root's, then each
 * subclass's own, in declaration order: the "wide row" that table_columns
 * positions each field in (descriptor.h). So what is checked here is what
 * the union cannot do:
 * - two structs of the hierarchy, neither an ancestor of the other, with
 *   an own column of the same name (the union has one column per name);
 * - a concrete subclass beside or below a single-table or joined-table
 *   subclass (mixing kinds in one hierarchy);
 * - a primary key of the subclass's own (the identity map is keyed by the
 *   root's key: every table has the root's key columns and no other);
 * - version() in a concrete hierarchy (not built: the counter would have
 *   to be checked in whichever table holds the row).
 */
#include "internal.h"

#include <strings.h>

static bool is_ancestor(const calxr__ctx *cx, const calxr__table *a, const calxr__table *t)
{
	for (int p = t->parent; p >= 0; p = cx->tables[p].parent)
		if (&cx->tables[p] == a)
			return true;
	return false;
}

/* A struct of t's hierarchy declared before t, not its ancestor, with an own column named `column` (its index in *j); or NULL. */
static const calxr__table *union_clash(const calxr__ctx *cx, const calxr__table *t, const char *column, unsigned *j)
{
	for (unsigned k = 0; k < cx->n_tables && &cx->tables[k] != t; k++) {
		const calxr__table *o = &cx->tables[k];
		if (o->root != t->root || o == &cx->tables[t->root] || is_ancestor(cx, o, t))
			continue;
		for (*j = o->n_inherited; *j < o->n_cols; (*j)++)
			if (column && o->cols[*j].column && !strcasecmp(o->cols[*j].column, column))
				return o;
	}
	return NULL;
}

void calxr__concrete_subclass(calxr__ctx *cx, calxr__table *t)
{
	const calxr__table *p = &cx->tables[t->parent], *root = &cx->tables[t->root];
	if (calxr__is_subclass(p) && p->inherit != CALXR__INHERIT_CONCRETE) {
		calxr__error(cx, &t->loc, "concrete-table subclass '%s' of %s-table subclass '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
			    t->tag, calxr__inherit_word(p->inherit), p->tag);
		return;
	}
	for (unsigned k = 0; k < cx->n_tables && &cx->tables[k] != t; k++) {
		const calxr__table *o = &cx->tables[k];
		if (o->root == t->root && calxr__is_subclass(o) && o->inherit != CALXR__INHERIT_CONCRETE) {
			calxr__error(cx, &t->loc, "concrete-table subclass '%s' beside %s-table subclass '%s' of struct '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
				    t->tag, calxr__inherit_word(o->inherit), o->tag, root->tag);
			return;
		}
	}
	if (!t->identity)
		calxr__error(cx, &t->loc, "CALX_INHERIT on struct '%s' needs polymorphic_identity(\"...\"): the value of column '%s' for its rows",
			    t->tag, root->polymorphic_on);
	for (unsigned i = 0; i < root->n_cols; i++)
		if (root->cols[i].flags & CALX_FIELD_VERSION)
			calxr__error(cx, &root->cols[i].loc, "version field '%s' of struct '%s': optimistic locking in a concrete-table hierarchy is not supported yet",
				    root->cols[i].path, root->tag);
	for (unsigned i = t->n_inherited; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		if (c->flags & CALX_FIELD_PRIMARY_KEY) {
			calxr__error(cx, &c->loc, "field '%s' of struct '%s' is a primary key column, but concrete-table subclass '%s' keeps the key of struct '%s' (the identity map is the root's): remove primary_key",
				    c->member, t->tag, t->tag, root->tag);
			continue;
		}
		if (c->flags & CALX_FIELD_VERSION)
			calxr__error(cx, &c->loc, "version field '%s' of concrete-table subclass '%s' is not supported yet",
				    c->member, t->tag);
		/* siblings' columns of one name are one column of the union (SQLAlchemy's polymorphic_union): one C type */
		unsigned j;
		const calxr__table *o = union_clash(cx, t, c->column, &j);
		if (o && (o->cols[j].ctype != c->ctype || o->cols[j].size != c->size ||
			  (o->cols[j].flags & CALX_FIELD_OPTIONAL) != (c->flags & CALX_FIELD_OPTIONAL)))
			calxr__error(cx, &c->loc, "column '%s' of struct '%s' is also a column of struct '%s' with another C type: the polymorphic select of concrete hierarchy '%s' reads both as one column of its UNION ALL; give them one type or give one of them name(\"...\")",
				    c->column, t->tag, o->tag, root->tag);
	}
}

void calxr__concrete_abstract_check(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *t = &cx->tables[i];
		if (!t->abstract)
			continue;
		if (calxr__is_subclass(t) || !t->polymorphic_on || t->table_only) {
			calxr__error(cx, &t->loc, "abstract on struct '%s': it applies to the root of a concrete-table hierarchy (CALX_TABLE(\"...\", polymorphic_on(\"column\"), abstract)), whose subclasses have the tables",
				    t->tag);
			continue;
		}
		if (t->identity)
			calxr__error(cx, &t->loc, "abstract struct '%s' has no rows of its own: remove polymorphic_identity(\"%s\")",
				    t->tag, t->identity);
		unsigned n = 0;
		for (unsigned k = 0; k < cx->n_tables; k++) {
			const calxr__table *o = &cx->tables[k];
			if (o->root != (int)i || o == t)
				continue;
			n++;
			if (o->inherit != CALXR__INHERIT_CONCRETE) {
				calxr__error(cx, &o->loc, "struct '%s' inherits from abstract struct '%s', which has no table: its subclasses are CALX_INHERIT(concrete, ...)",
					    o->tag, t->tag);
				break;
			}
		}
		if (!n)
			calxr__error(cx, &t->loc, "abstract struct '%s' has no concrete subclass: nothing would hold its rows",
				    t->tag);
	}
}

/* The place of own column name `column` among the wide row's columns after the root's: a name's first subclass gives it. */
static unsigned wide_place(const calxr__ctx *cx, const calxr__table *t, const char *column)
{
	unsigned n = 0;
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *o = &cx->tables[i];
		if (!calxr__is_concrete(o) || o->root != t->root)
			continue;
		for (unsigned j = o->n_inherited; j < o->n_cols; j++) {
			if (column && o->cols[j].column && !strcasecmp(o->cols[j].column, column))
				return n;
			/* a name an earlier subclass took has its place already */
			unsigned jj;
			if (!union_clash(cx, o, o->cols[j].column, &jj))
				n++;
		}
	}
	return n;
}

/*
 * Each field's position in the hierarchy's wide row (the union's
 * columns): the root's columns, then each concrete subclass's own, in
 * declaration order, a name taken once.
 */
void calxr__emit_concrete_maps(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const calxr__table *root = &cx->tables[t->root];
	calxr__buf_printf(b, "static const unsigned %s__table_columns[] = { ", t->sym);
	for (unsigned f = 0; f < t->n_cols; f++) {
		unsigned at = f < root->n_cols ? f : root->n_cols + wide_place(cx, t, t->cols[f].column);
		calxr__buf_printf(b, "%s%u", f ? ", " : "", at);
	}
	calxr__buf_put(b, " };\n");
}
