/*
 * reflect/inherit.c - class hierarchies: C's idiom, a struct whose first
 * member is a mapped struct, read as SQLAlchemy's inheritance.
 *
 *   struct CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person")) person { ... };
 *   struct CALX_INHERIT(single, polymorphic_identity("employee")) employee { struct person base; ... };
 *
 * A subclass starts with its parent's columns (their paths under the
 * first member: "base.name"), then its own. Single-table inheritance adds
 * the subclass's own columns to the root's table, so they must be
 * nullable (rows of the other structs have no value for them) and may
 * not collide with another column of that table. Joined-table
 * inheritance gives the subclass a table of its own (joined.c), concrete
 * inheritance a complete table of its own (concrete.c).
 */
#include "internal.h"

#include <errno.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

static void strlist_copy(calxr__ctx *cx, calxr__strlist *dst, const calxr__strlist *src)
{
	dst->v = NULL;
	dst->n = 0;
	if (!src->n)
		return;
	dst->v = calloc(src->n, sizeof *dst->v);
	if (!dst->v) {
		calxr__oom(cx);
		return;
	}
	dst->n = src->n;
	for (unsigned i = 0; i < src->n; i++)
		dst->v[i] = calxr__strdup(cx, src->v[i]);
}

/* The parent's column c as the subclass sees it: the same column, its path under member. */
static void copy_column(calxr__ctx *cx, calxr__column *d, const calxr__column *c, const char *member)
{
	*d = *c;
	d->path = calxr__printf(cx, "%s.%s", member, c->path);
	d->member = calxr__strdup(cx, c->member);
	d->owner = calxr__strdup(cx, c->owner);
	d->column = calxr__strdup(cx, c->column);
	d->loc.file = calxr__strdup(cx, c->loc.file);
	d->key_type = calxr__strdup(cx, c->key_type);
	strlist_copy(cx, &d->types, &c->types);
	d->server_default = calxr__strdup(cx, c->server_default);
	d->default_text = calxr__strdup(cx, c->default_text);
	d->default_factory = calxr__strdup(cx, c->default_factory);
	d->user_type = calxr__strdup(cx, c->user_type);
	strlist_copy(cx, &d->server_default_variants, &c->server_default_variants);
	d->onupdate_sql = calxr__strdup(cx, c->onupdate_sql);
	strlist_copy(cx, &d->onupdate_variants, &c->onupdate_variants);
	d->onupdate_fn = calxr__strdup(cx, c->onupdate_fn);
	d->check = calxr__strdup(cx, c->check);
	d->fk_table = calxr__strdup(cx, c->fk_table);
	d->fk_column = calxr__strdup(cx, c->fk_column);
	d->ondelete = calxr__strdup(cx, c->ondelete);
	d->onupdate = calxr__strdup(cx, c->onupdate);
	d->enum_names = calxr__enum_names_dup(cx, c->enum_names);
}

/* The table of record type ty among this header's, or -1. */
static int table_of_type(calxr__ctx *cx, CXType ty)
{
	CXCursor def = clang_getCursorDefinition(clang_getTypeDeclaration(ty));
	for (unsigned k = 0; k < cx->n_tables; k++)
		if (clang_equalCursors(cx->tables[k].cursor, def))
			return (int)k;
	return -1;
}

void calxr__inherit_fields(calxr__ctx *cx, calxr__table *t)
{
	unsigned n;
	CXCursor *f = calxr__fields(cx, t->cursor, &n);
	CXType ty = n ? clang_getCanonicalType(clang_getCursorType(f[0])) : clang_getCursorType(t->cursor);
	char *member = n ? calxr__cx_take(cx, clang_getCursorSpelling(f[0])) : NULL;
	int p;

	if (!n || clang_getCursorKind(f[0]) != CXCursor_FieldDecl || ty.kind != CXType_Record || !member) {
		calxr__error(cx, &t->loc, "CALX_INHERIT on struct '%s' needs its parent as the first member (struct person base;): that is how C inherits (C11 6.7.2.1p15)",
			    t->tag);
		t->option_errors++;     /* its other errors would follow from this one: walk.c maps nothing of it */
		goto out;
	}
	p = table_of_type(cx, ty);
	if (p < 0 || cx->tables[p].table_only) {
		char *sp = calxr__cx_take(cx, clang_getTypeSpelling(ty));
		calxr__error(cx, &t->loc, "struct '%s' inherits from '%s', which is not a mapped struct of this header: give it CALX_TABLE(\"...\", polymorphic_on(\"...\")) or CALX_INHERIT(...)",
			    t->tag, sp ? sp : "its first member's struct");
		free(sp);
		t->option_errors++;
		goto out;
	}
	t->parent = p;
	{
		const calxr__table *pt = &cx->tables[p];
		for (unsigned i = 0; i < pt->n_cols; i++) {
			if (!calxr__push(cx, &t->cols, &t->n_cols, sizeof *t->cols))
				break;
			copy_column(cx, &t->cols[t->n_cols - 1], &pt->cols[i], member);
		}
		t->n_inherited = t->n_cols;
		t->n_pk = pt->n_pk;
	}
out:
	free(member);
	free(f);
}

static bool is_text(calx_ctype c)
{
	return c == CALX_CTYPE_CHARARRAY || c == CALX_CTYPE_STRING;
}

/* The root's polymorphic_on column, checked: its index, or -1 after an error. */
static int discriminator(calxr__ctx *cx, calxr__table *t)
{
	int found = -1;
	for (unsigned i = 0; i < t->n_cols && found < 0; i++)
		if (t->cols[i].column && !strcasecmp(t->cols[i].column, t->polymorphic_on))
			found = (int)i;
	if (found < 0) {
		calxr__error(cx, &t->loc, "polymorphic_on(\"%s\") on struct '%s' names no column of table '%s'",
			    t->polymorphic_on, t->tag, t->table);
		return -1;
	}
	const calxr__column *c = &t->cols[found];
	bool integer = calxr__ctype_is_integer(c->ctype) && !(c->flags & CALX_FIELD_OPTIONAL);
	if (!is_text(c->ctype) && !integer) {
		calxr__error(cx, &c->loc, "polymorphic_on column '%s' of struct '%s' must be text (char[N], char *) or a plain integer, to hold each struct's polymorphic_identity",
			    c->column, t->tag);
		return -1;
	}
	if (c->flags & CALX_FIELD_PRIMARY_KEY) {
		calxr__error(cx, &c->loc, "polymorphic_on column '%s' of struct '%s' is in the primary key: a row's key must not depend on its struct",
			    c->column, t->tag);
		return -1;
	}
	if (c->default_text || c->server_default) {
		calxr__error(cx, &c->loc, "polymorphic_on column '%s' of struct '%s' takes each struct's polymorphic_identity: remove its default(...) / server_default(...)",
			    c->column, t->tag);
		return -1;
	}
	return found;
}

/* Does the identity fit the discriminator column? Its C initializer into *init (NULL after an error). */
static void identity_literal(calxr__ctx *cx, calxr__table *t, const calxr__column *c, char **init)
{
	*init = NULL;
	if (is_text(c->ctype)) {
		if (c->ctype == CALX_CTYPE_CHARARRAY && strlen(t->identity) >= (size_t)c->size) {
			calxr__error(cx, &t->loc, "polymorphic_identity(\"%s\") of struct '%s' does not fit column '%s' (char[%lld]) with its terminating NUL",
				    t->identity, t->tag, c->column, c->size);
			return;
		}
		calxr__buf b = { 0 };
		calxr__buf_cstr(&b, t->identity);
		if (b.oom)
			calxr__oom(cx);
		*init = b.p;
		return;
	}
	char *end;
	errno = 0;
	long long v = strtoll(t->identity, &end, 10);
	if (errno || *end || end == t->identity) {
		calxr__error(cx, &t->loc, "polymorphic_identity(\"%s\") of struct '%s' is not an integer, which column '%s' holds",
			    t->identity, t->tag, c->column);
		return;
	}
	*init = calxr__printf(cx, "%lld", v);
}

/* Two identities of one hierarchy are the same value (as text, or as integers). */
static bool same_identity(const calxr__column *c, const char *a, const char *b)
{
	if (is_text(c->ctype))
		return !strcmp(a, b);
	return strtoll(a, NULL, 10) == strtoll(b, NULL, 10);
}

static bool is_ancestor(const calxr__ctx *cx, const calxr__table *a, const calxr__table *t)
{
	for (int p = t->parent; p >= 0; p = cx->tables[p].parent)
		if (&cx->tables[p] == a)
			return true;
	return false;
}

/*
 * A struct declared before t in t's hierarchy, not an ancestor (check.c
 * reports a column mapped twice by one struct), whose own columns include
 * `column`; or NULL.
 */
static const calxr__table *clash(const calxr__ctx *cx, const calxr__table *t, const char *column)
{
	for (unsigned k = 0; k < cx->n_tables && &cx->tables[k] != t; k++) {
		const calxr__table *o = &cx->tables[k];
		if (o->root != t->root || is_ancestor(cx, o, t))
			continue;
		for (unsigned j = calxr__is_subclass(o) ? o->n_inherited : 0; j < o->n_cols; j++)
			if (column && o->cols[j].column && !strcasecmp(o->cols[j].column, column))
				return o;
	}
	return NULL;
}

/* A single-table subclass's own columns: nullable, no key, no constraint of their own yet, no clash. */
static void own_columns(calxr__ctx *cx, calxr__table *t)
{
	const calxr__table *root = &cx->tables[t->root];
	for (unsigned i = t->n_inherited; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		if (c->flags & CALX_FIELD_PRIMARY_KEY) {
			calxr__error(cx, &c->loc, "field '%s' of struct '%s' is a primary key column, but single-table subclass '%s' keeps the key of table '%s': remove primary_key",
				    c->member, t->tag, t->tag, root->table);
			continue;
		}
		if ((c->flags & CALX_FIELD_NOT_NULL) && !c->server_default) {
			calxr__error(cx, &c->loc, "column '%s' of single-table subclass '%s' is NOT NULL without a server default, but rows of the other structs in table '%s' have no value for it: declare it nullable (calx_opt_*, char *, char[N]) or give it server_default(...)",
				    c->column, t->tag, root->table);
			continue;
		}
		if ((c->flags & (CALX_FIELD_UNIQUE | CALX_FIELD_INDEX | CALX_FIELD_VERSION)) || c->check || c->fk_table)
			calxr__error(cx, &c->loc, "column '%s' of single-table subclass '%s': unique, index, check, foreign_key and version on a subclass's own column are not supported yet: declare the column on struct '%s'",
				    c->column, t->tag, root->tag);
		/* the table holds the columns of every struct of the hierarchy: one name, one column */
		const calxr__table *o = clash(cx, t, c->column);
		if (o)
			calxr__error(cx, &c->loc, "column '%s' of struct '%s' is also a column of struct '%s' in table '%s' (single-table inheritance keeps both in one table): give one of them name(\"...\")",
				    c->column, t->tag, o->tag, root->table);
	}
}

/* The discriminator initializer of t's own struct, given as the column's default (constructors set it). */
static void set_identity_default(calxr__ctx *cx, calxr__table *t)
{
	calxr__column *c = &t->cols[t->disc];
	char *init;
	identity_literal(cx, t, c, &init);
	if (!init)
		return;
	free(c->default_text);
	c->default_text = init;
	c->flags |= CALX_FIELD_HAS_DEFAULT;
	c->flags &= ~(uint32_t)CALX_FIELD_REQUIRED;
}

static void subclass(calxr__ctx *cx, calxr__table *t)
{
	calxr__table *p = &cx->tables[t->parent];
	if (t->inherit == CALXR__INHERIT_SINGLE && t->own_table_named) {
		calxr__error(cx, &t->loc, "CALX_INHERIT(single, table(\"%s\"), ...) on struct '%s': a single-table subclass maps its root's table; table(...) is for CALX_INHERIT(joined, ...)",
			    t->table, t->tag);
		return;
	}
	if (t->inherit == CALXR__INHERIT_SINGLE && calxr__is_subclass(p) && p->inherit != CALXR__INHERIT_SINGLE) {
		calxr__error(cx, &t->loc, "single-table subclass '%s' of %s-table subclass '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
			    t->tag, calxr__inherit_word(p->inherit), p->tag);
		return;
	}
	if (p->root < 0) {
		calxr__error(cx, &t->loc, "struct '%s' inherits from struct '%s', which names no discriminator: give it CALX_TABLE(\"%s\", polymorphic_on(\"column\"), polymorphic_identity(\"%s\"))",
			    t->tag, p->tag, p->table ? p->table : p->tag, p->tag);
		return;
	}
	t->root = p->root;
	t->disc = p->disc;
	if (t->inherit == CALXR__INHERIT_CONCRETE) {
		/* a complete table of its own (table("...") or the struct's tag), concrete.c */
		calxr__concrete_subclass(cx, t);
		return;
	}
	if (t->inherit == CALXR__INHERIT_JOINED) {
		/* a table of its own (table("...") or the struct's tag), its key the root's */
		if (!t->identity)
			calxr__error(cx, &t->loc, "CALX_INHERIT on struct '%s' needs polymorphic_identity(\"...\"): the value of column '%s' for its rows",
				    t->tag, cx->tables[t->root].polymorphic_on);
		calxr__joined_subclass(cx, t);
		return;
	}
	for (unsigned k = 0; k < cx->n_tables && &cx->tables[k] != t; k++)
		if (cx->tables[k].root == t->root && calxr__is_subclass(&cx->tables[k]) && cx->tables[k].inherit != CALXR__INHERIT_SINGLE) {
			calxr__error(cx, &t->loc, "single-table subclass '%s' beside %s-table subclass '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
				    t->tag, calxr__inherit_word(cx->tables[k].inherit), cx->tables[k].tag);
			return;
		}
	cx->tables[t->root].has_subclasses = true;
	free(t->table);
	t->table = calxr__strdup(cx, cx->tables[t->root].table);
	if (!t->identity) {
		calxr__error(cx, &t->loc, "CALX_INHERIT on struct '%s' needs polymorphic_identity(\"...\"): the value of column '%s' for its rows",
			    t->tag, cx->tables[t->root].polymorphic_on);
		return;
	}
	own_columns(cx, t);
}

void calxr__inherit_check(calxr__ctx *cx)
{
	/* parents come first (C declares a struct before a member of its type) */
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		if (calxr__is_subclass(t)) {
			if (t->parent >= 0)
				subclass(cx, t);
		} else if (t->polymorphic_on) {
			if (t->table_only) {
				calxr__error(cx, &t->loc, "polymorphic_on on struct '%s' does not apply to a table_only struct (it has no mapper)", t->tag);
				continue;
			}
			if ((t->disc = discriminator(cx, t)) < 0)
				continue;
			t->root = (int)i;
			if (t->polymorphic_load && strcmp(t->polymorphic_load, "selectin") && strcmp(t->polymorphic_load, "joined"))
				calxr__error(cx, &t->loc, "polymorphic_load(\"%s\") on struct '%s': expected \"joined\" (the subclasses' tables joined into a select of the hierarchy) or \"selectin\" (a statement per subclass, by key)",
					    t->polymorphic_load, t->tag);
			if (!t->identity && !t->abstract)
				calxr__error(cx, &t->loc, "polymorphic_on on struct '%s' needs polymorphic_identity(\"...\") too: the value of column '%s' for its own rows",
					    t->tag, t->polymorphic_on);
		} else if (t->identity) {
			calxr__error(cx, &t->loc, "polymorphic_identity on struct '%s' needs polymorphic_on(\"column\"): the discriminator column that holds it",
				    t->tag);
		}
		if (t->polymorphic_load && !t->polymorphic_on)
			calxr__error(cx, &t->loc, "polymorphic_load on struct '%s' applies to a hierarchy's root (with polymorphic_on(\"column\"))",
				    t->tag);
		if (t->root < 0 || !t->identity || t->disc < 0)
			continue;
		/* a discriminator value names one struct */
		for (unsigned k = 0; k < i; k++) {
			const calxr__table *o = &cx->tables[k];
			if (o->root == t->root && o->identity && same_identity(&t->cols[t->disc], o->identity, t->identity)) {
				calxr__error(cx, &t->loc, "polymorphic_identity(\"%s\") of struct '%s' is already the identity of struct '%s' in the hierarchy of struct '%s': each struct needs its own",
					    t->identity, t->tag, o->tag, cx->tables[t->root].tag);
				break;
			}
		}
		set_identity_default(cx, t);
	}
	calxr__concrete_abstract_check(cx);
	/* relationships of the hierarchy's own structs: not supported yet */
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		if (t->root < 0 && !calxr__is_subclass(t))
			continue;
		for (unsigned k = 0; k < t->n_rels; k++)
			calxr__error(cx, &t->rels[k].loc, "relationship '%s' of struct '%s': relationship fields of a struct in an inheritance hierarchy are not supported yet (a relationship whose target is the hierarchy's root is)",
				    t->rels[k].name, t->tag);
	}
}

int calxr__table_index(const calxr__ctx *cx, const calxr__table *t)
{
	int k = 0;
	for (unsigned i = 0; i < cx->n_tables; i++) {
		if (&cx->tables[i] == t)
			return calxr__has_own_table(t) ? k : -1;
		k += calxr__has_own_table(&cx->tables[i]);
	}
	return -1;
}
