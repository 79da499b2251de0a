/*
 * reflect/joined.c - joined-table inheritance (SQLAlchemy's joined
 * inheritance): a subclass keeps its own columns in a table of its own,
 * whose primary key is the root's key columns and a foreign key to its
 * parent's table (ON DELETE CASCADE).
 *
 *   struct CALX_INHERIT(joined, table("engineer"), polymorphic_identity("engineer")) engineer {
 *       struct employee base;
 *       char primary_language[32];
 *   };
 *
 * What is checked here, at the struct: the hierarchy is joined
 * throughout (mixing single-table and joined subclasses is refused), the
 * own columns are plain columns (no key, unique, index, check, foreign
 * key or version of their own yet) and none takes the name of the key
 * column the table shares with its parent; the root has no version().
 * What is emitted here: the subclass's table and a "part", a mapper of
 * that table alone whose fields lie in the subclass's layout, so that the
 * runtime writes and reads every table of the hierarchy as a table of one
 * mapper; and the subclass mapper's tables, parts and wide-row positions
 * (descriptor.h).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The struct of t's hierarchy (t or an ancestor) that declares column f of t. */
static const calxr__table *declaring(const calxr__ctx *cx, const calxr__table *t, unsigned f)
{
	const calxr__table *a = t;
	while (a->parent >= 0 && f < a->n_inherited)
		a = &cx->tables[a->parent];
	return a;
}

void calxr__joined_subclass(calxr__ctx *cx, calxr__table *t)
{
	const calxr__table *p = &cx->tables[t->parent], *root = &cx->tables[t->root];
	if (calxr__is_subclass(p) && p->inherit != CALXR__INHERIT_JOINED) {
		calxr__error(cx, &t->loc, "joined-table subclass '%s' of %s-table subclass '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
			    t->tag, calxr__inherit_word(p->inherit), p->tag);
		return;
	}
	for (unsigned k = 0; k < cx->n_tables && &cx->tables[k] != t; k++) {
		const calxr__table *o = &cx->tables[k];
		if (o->root == t->root && calxr__is_subclass(o) && o->inherit != CALXR__INHERIT_JOINED) {
			calxr__error(cx, &t->loc, "joined-table subclass '%s' beside %s-table subclass '%s' of struct '%s': a hierarchy's subclasses are all of one kind (mixing them is not supported yet)",
				    t->tag, calxr__inherit_word(o->inherit), o->tag, root->tag);
			return;
		}
	}
	for (unsigned i = 0; i < root->n_cols; i++)
		if (root->cols[i].flags & CALX_FIELD_VERSION)
			calxr__error(cx, &root->cols[i].loc, "version field '%s' of struct '%s': optimistic locking in a joined-table hierarchy is not supported yet",
				    root->cols[i].path, root->tag);
	/* a subclass's UPDATE is one per table (joined_write.c), which neither calls onupdate(fn) nor reads back */
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		if (c->onupdate_sql || c->onupdate_variants.n || c->onupdate_fn)
			calxr__error(cx, &c->loc, "onupdate on field '%s' of joined-table subclass '%s' (or its parent): onupdate in a joined-table hierarchy is not supported yet",
				    c->path, t->tag);
	}
	for (unsigned i = t->n_inherited; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		if (c->flags & CALX_FIELD_PRIMARY_KEY) {
			calxr__error(cx, &c->loc, "field '%s' of struct '%s' is a primary key column, but joined-table subclass '%s' takes its key from struct '%s' (table '%s' has the same key, referring to its parent's): remove primary_key",
				    c->member, t->tag, t->tag, root->tag, t->table);
			continue;
		}
		if ((c->flags & (CALX_FIELD_UNIQUE | CALX_FIELD_INDEX | CALX_FIELD_VERSION)) || c->check || c->fk_table)
			calxr__error(cx, &c->loc, "column '%s' of joined-table subclass '%s': unique, index, check, foreign_key and version on a subclass's own column are not supported yet",
				    c->column, t->tag);
		for (unsigned k = 0; k < root->n_cols; k++)
			if ((root->cols[k].flags & CALX_FIELD_PRIMARY_KEY) && c->column && root->cols[k].column &&
			    !strcasecmp(c->column, root->cols[k].column))
				calxr__error(cx, &c->loc, "column '%s' of joined-table subclass '%s' has the name of the key column that table '%s' shares with table '%s': give the field name(\"...\")",
					    c->column, t->tag, t->table, root->table);
	}
	if (t->n_tcons)
		calxr__error(cx, &t->loc, "table-level constraints on joined-table subclass '%s' are not supported yet",
			    t->tag);
}

/* The columns of the joined table of t (t joined): the root's key columns, then t's own. */
static void part_column(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, const calxr__column *c, unsigned index,
			bool key)
{
	calxr__column k = *c;
	if (key) {
		/* the parent's row makes the key: the child's column is a plain key, no default */
		k.flags &= ~(uint32_t)(CALX_FIELD_AUTOINCREMENT | CALX_FIELD_HAS_DEFAULT | CALX_FIELD_UNIQUE | CALX_FIELD_INDEX);
		k.flags |= CALX_FIELD_NOT_NULL;
		k.server_default = NULL;
		k.default_text = NULL;
	}
	char *owner = calxr__printf(cx, "%s__part_mapper", t->sym);
	calxr__emit_field(b, t, &k, index, owner, t);
	free(owner);
}

/* Where the emitted order puts the joined subclasses: their tables after the others', their parts after the mappers. */
static unsigned joined_before(const calxr__ctx *cx, const calxr__table *t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < cx->n_tables && &cx->tables[i] != t; i++)
		n += calxr__is_joined(&cx->tables[i]);
	return n;
}

unsigned calxr__count_mappers(const calxr__ctx *cx)
{
	unsigned n = 0;
	for (unsigned i = 0; i < cx->n_tables; i++)
		n += !cx->tables[i].table_only;
	return n;
}

/* The joined table of t and its part, a mapper of that table alone. */
void calxr__emit_joined_part(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, const char *source)
{
	const calxr__table *root = &cx->tables[t->root], *p = &cx->tables[t->parent];
	unsigned n = 0, n_pk = 0;

	calxr__buf_printf(b, "static const calx_mapper_desc %s__part_mapper;\n", t->sym);
	calxr__buf_printf(b, "static const calx_field_desc %s__part_fields[] = {\n", t->sym);
	for (unsigned i = 0; i < t->n_inherited && i < root->n_cols; i++)
		if (t->cols[i].flags & CALX_FIELD_PRIMARY_KEY) {
			part_column(cx, b, t, &t->cols[i], n++, true);
			n_pk++;
		}
	for (unsigned i = t->n_inherited; i < t->n_cols; i++)
		part_column(cx, b, t, &t->cols[i], n++, false);
	calxr__buf_put(b, "};\n");
	calxr__buf_printf(b, "static const unsigned %s__part_pk[] = { ", t->sym);
	for (unsigned i = 0; i < n_pk; i++)
		calxr__buf_printf(b, "%s%u", i ? ", " : "", i);
	calxr__buf_put(b, " };\n");
	/* the key refers to the parent's table: its key columns there (the root's first columns, or the parent part's first) */
	calxr__buf_printf(b, "static const unsigned %s__part_fk_ref[] = { ", t->sym);
	for (unsigned i = 0, k = 0; i < root->n_cols; i++)
		if (root->cols[i].flags & CALX_FIELD_PRIMARY_KEY) {
			calxr__buf_printf(b, "%s%u", k ? ", " : "", calxr__is_joined(p) ? k : i);
			k++;
		}
	calxr__buf_put(b, " };\n");
	calxr__buf_printf(b, "static const calx_fk_desc %s__part_fks[] = { { .name = NULL, .columns = %s__part_pk, .ref_table = &%s_table, .ref_columns = %s__part_fk_ref, .n_columns = %u, .ondelete = \"CASCADE\", .onupdate = NULL } };\n",
			 t->sym, t->sym, p->sym, t->sym, n_pk);
	calxr__buf_printf(b, "const calx_table_desc %s_table = { .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = ",
			 t->sym);
	calxr__buf_cstr(b, t->table);
	calxr__buf_printf(b, ", .columns = %s__part_fields, .n_columns = %u, .pk = %s__part_pk, .n_pk = %u, .fks = %s__part_fks, .n_fks = 1, .uniques = NULL, .n_uniques = 0, .indexes = NULL, .n_indexes = 0, .checks = NULL, .n_checks = 0, ",
			 t->sym, n, t->sym, n_pk, t->sym);
	calxr__buf_printf(b, ".index = %d, .schema = &%s_schema, .source = ", calxr__table_index(cx, t), cx->schema);
	calxr__buf_cstr(b, source);
	calxr__buf_put(b, " };\n");
	calxr__buf_printf(b, "static const calx_table_desc *const %s__part_tables[] = { &%s_table };\n", t->sym, t->sym);
	calxr__buf_printf(b, "static const calx_mapper_desc %s__part_mapper = { .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = ",
			 t->sym);
	calxr__buf_cstr(b, t->tag);
	calxr__buf_put(b, ", .table = ");
	calxr__buf_cstr(b, t->table);
	calxr__buf_printf(b, ", .size = sizeof(struct %s), .align = _Alignof(struct %s), .fields = %s__part_fields, .n_fields = %u, .tables = %s__part_tables, .n_tables = 1, ",
			 t->tag, t->tag, t->sym, n, t->sym);
	calxr__buf_printf(b, ".defaults = &%s__defaults, .index = %u, .schema = &%s_schema, .parent = NULL, .source = ", t->sym,
			 calxr__count_mappers(cx) + joined_before(cx, t), cx->schema);
	calxr__buf_cstr(b, source);
	calxr__buf_put(b, ", .discriminator = -1, .polymorphic_identity = NULL, .relationships = NULL, .n_relationships = 0 };\n");
}

/* The levels of t's chain, root first: out[0] is the root, out[depth - 1] is t. */
static unsigned chain(const calxr__ctx *cx, const calxr__table *t, const calxr__table **out, unsigned cap)
{
	unsigned n = 0;
	for (const calxr__table *a = t; n < cap; a = &cx->tables[a->parent]) {
		out[n++] = a;
		if (a->parent < 0)
			break;
	}
	for (unsigned i = 0; i < n / 2; i++) {
		const calxr__table *x = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = x;
	}
	return n;
}

#define MAX_DEPTH 64

/* The subclass mapper's tables (root's first), parts, and each field's position in the hierarchy's wide row. */
void calxr__emit_joined_maps(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const calxr__table *lv[MAX_DEPTH], *root = &cx->tables[t->root];
	unsigned depth = chain(cx, t, lv, MAX_DEPTH);

	calxr__buf_printf(b, "static const calx_table_desc *const %s__mapper_tables[] = { ", t->sym);
	for (unsigned i = 0; i < depth; i++)
		calxr__buf_printf(b, "%s&%s_table", i ? ", " : "", lv[i]->sym);
	calxr__buf_put(b, " };\n");
	calxr__buf_printf(b, "static const calx_mapper_desc *const %s__parts[] = { &%s_mapper", t->sym, root->sym);
	for (unsigned i = 1; i < depth; i++)
		calxr__buf_printf(b, ", &%s__part_mapper", lv[i]->sym);
	calxr__buf_put(b, " };\n");
	calxr__buf_printf(b, "static const unsigned %s__table_columns[] = { ", t->sym);
	for (unsigned f = 0; f < t->n_cols; f++) {
		const calxr__table *d = declaring(cx, t, f);
		unsigned at = f;
		if (d != root) {
			at = root->n_cols;
			for (unsigned i = 0; i < cx->n_tables && &cx->tables[i] != d; i++) {
				const calxr__table *o = &cx->tables[i];
				if (calxr__is_joined(o) && o->root == t->root)
					at += o->n_cols - o->n_inherited;
			}
			at += f - d->n_inherited;
		}
		calxr__buf_printf(b, "%s%u", f ? ", " : "", at);
	}
	calxr__buf_put(b, " };\n");
}

const calxr__table *calxr__joined_field_table(const calxr__ctx *cx, const calxr__table *t, unsigned f)
{
	return declaring(cx, t, f);
}

void calxr__emit_joined_schema_parts(const calxr__ctx *cx, calxr__buf *b, unsigned k)
{
	for (unsigned i = 0; i < cx->n_tables; i++)
		if (calxr__is_joined(&cx->tables[i]))
			calxr__buf_printf(b, "%s&%s__part_mapper", k++ ? ", " : "", cx->tables[i].sym);
}
