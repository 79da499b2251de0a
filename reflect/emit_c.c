/*
 * reflect/emit_c.c - the generated source: layout assertions, then for
 * each table its defaults, type variants, fields, key and constraint
 * arrays, table and mapper, then the schema. Everything is static const data built with offsetof and
 * sizeof; libclang's own layout numbers appear only in the _Static_asserts
 * of layout_guard.c, so that a descriptor generated for another layout, or
 * for fields of another kind, cannot compile.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const ctype_names[] = {
	[CALX_CTYPE_INT8] = "CALX_CTYPE_INT8", [CALX_CTYPE_INT16] = "CALX_CTYPE_INT16",
	[CALX_CTYPE_INT32] = "CALX_CTYPE_INT32", [CALX_CTYPE_INT64] = "CALX_CTYPE_INT64",
	[CALX_CTYPE_UINT8] = "CALX_CTYPE_UINT8", [CALX_CTYPE_UINT16] = "CALX_CTYPE_UINT16",
	[CALX_CTYPE_UINT32] = "CALX_CTYPE_UINT32", [CALX_CTYPE_UINT64] = "CALX_CTYPE_UINT64",
	[CALX_CTYPE_BOOL] = "CALX_CTYPE_BOOL", [CALX_CTYPE_FLOAT] = "CALX_CTYPE_FLOAT",
	[CALX_CTYPE_DOUBLE] = "CALX_CTYPE_DOUBLE", [CALX_CTYPE_STRING] = "CALX_CTYPE_STRING",
	[CALX_CTYPE_CHARARRAY] = "CALX_CTYPE_CHARARRAY", [CALX_CTYPE_BYTEARRAY] = "CALX_CTYPE_BYTEARRAY",
	[CALX_CTYPE_BYTES] = "CALX_CTYPE_BYTES", [CALX_CTYPE_CHAR] = "CALX_CTYPE_CHAR",
	[CALX_CTYPE_DECIMAL] = "CALX_CTYPE_DECIMAL",
	[CALX_CTYPE_USER] = "CALX_CTYPE_USER",
};

static const struct { uint32_t bit; const char *name; } flag_names[] = {
	{ CALX_FIELD_PRIMARY_KEY, "CALX_FIELD_PRIMARY_KEY" },
	{ CALX_FIELD_AUTOINCREMENT, "CALX_FIELD_AUTOINCREMENT" },
	{ CALX_FIELD_NOT_NULL, "CALX_FIELD_NOT_NULL" },
	{ CALX_FIELD_UNIQUE, "CALX_FIELD_UNIQUE" },
	{ CALX_FIELD_INDEX, "CALX_FIELD_INDEX" },
	{ CALX_FIELD_NO_INIT, "CALX_FIELD_NO_INIT" },
	{ CALX_FIELD_HAS_DEFAULT, "CALX_FIELD_HAS_DEFAULT" },
	{ CALX_FIELD_ENUM, "CALX_FIELD_ENUM" },
	{ CALX_FIELD_REQUIRED, "CALX_FIELD_REQUIRED" },
	{ CALX_FIELD_VERSION, "CALX_FIELD_VERSION" },
	{ CALX_FIELD_OPTIONAL, "CALX_FIELD_OPTIONAL" },
	{ CALX_FIELD_NO_REPR, "CALX_FIELD_NO_REPR" },
	{ CALX_FIELD_NO_COMPARE, "CALX_FIELD_NO_COMPARE" },
	{ CALX_FIELD_JSON, "CALX_FIELD_JSON" },
	{ CALX_FIELD_COMPUTED, "CALX_FIELD_COMPUTED" },
	{ CALX_FIELD_ENUM_TEXT, "CALX_FIELD_ENUM_TEXT" },
};

/* "ts.created_at" -> "ts_created_at", for the names of per-field arrays. */
static void index_array(calxr__buf *b, const calxr__table *t, const char *suffix, unsigned k,
			const unsigned *v, unsigned n)
{
	calxr__buf_printf(b, "static const unsigned %s__%s%u[] = { ", t->sym, suffix, k);
	for (unsigned i = 0; i < n; i++)
		calxr__buf_printf(b, "%s%u", i ? ", " : "", v[i]);
	calxr__buf_put(b, " };\n");
}

/* The primary key and every constraint's column arrays, then one array per kind. */
static void constraints(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	static const char *const prefix[] = { "uq", "ix", "ck", "fk" };
	unsigned pk[64], n_pk = 0, n[4] = { 0, 0, 0, 0 };

	for (unsigned i = 0; i < t->n_cols && n_pk < 64; i++)
		if (t->cols[i].flags & CALX_FIELD_PRIMARY_KEY)
			pk[n_pk++] = i;
	calxr__buf_printf(b, "static const unsigned %s__pk[] = { ", t->sym);
	for (unsigned i = 0; i < n_pk; i++)
		calxr__buf_printf(b, "%s%u", i ? ", " : "", pk[i]);
	calxr__buf_put(b, n_pk ? " };\n" : "0 };\n");
	for (unsigned k = 0; k < t->n_cons; k++) {
		const calxr__constraint *c = &t->cons[k];
		if (!c->ok || c->c.kind == CALXR__TCONS_CHECK)
			continue;
		unsigned i = n[c->c.kind]++;
		index_array(b, t, prefix[c->c.kind], i, c->cols, c->c.cols.n);
		if (c->c.kind == CALXR__TCONS_FOREIGN_KEY) {
			calxr__buf_printf(b, "static const unsigned %s__fk%u_ref[] = { ", t->sym, i);
			for (unsigned j = 0; j < c->c.ref_cols.n; j++)
				calxr__buf_printf(b, "%s%u", j ? ", " : "", c->ref_cols[j]);
			calxr__buf_put(b, " };\n");
		}
	}
	static const char *const type[] = { "calx_unique_desc", "calx_index_desc", "calx_check_desc", "calx_fk_desc" };
	static const char *const array[] = { "uniques", "indexes", "checks", "fks" };
	for (unsigned kind = 0; kind < 4; kind++) {
		unsigned i = 0;
		if (!calxr__count_cons(t, (calxr__tcons_kind)kind))
			continue;
		calxr__buf_printf(b, "static const %s %s__%s[] = {\n", type[kind], t->sym, array[kind]);
		for (unsigned k = 0; k < t->n_cons; k++) {
			const calxr__constraint *c = &t->cons[k];
			if (!c->ok || c->c.kind != kind)
				continue;
			calxr__buf_put(b, "\t{ .name = ");
			calxr__buf_cstr(b, c->c.name);
			if (kind == CALXR__TCONS_CHECK) {
				calxr__buf_put(b, ", .sqltext = ");
				calxr__buf_cstr(b, c->c.sql);
				calxr__buf_printf(b, ", .column = %d },\n", c->field);
				continue;
			}
			if (kind == CALXR__TCONS_FOREIGN_KEY) {
				const calxr__table *r = &cx->tables[c->ref_mapper];
				calxr__buf_printf(b, ", .columns = %s__fk%u, .ref_table = &%s_table, .ref_columns = %s__fk%u_ref, .n_columns = %u, .ondelete = ",
						 t->sym, i, r->sym, t->sym, i, c->c.cols.n);
				calxr__buf_cstr(b, c->c.ondelete);
				calxr__buf_put(b, ", .onupdate = ");
				calxr__buf_cstr(b, c->c.onupdate);
				calxr__buf_printf(b, " }, /* -> %s%s", r->tag, c->c.ref_cols.n > 1 ? "(" : ".");
				for (unsigned j = 0; j < c->c.ref_cols.n; j++)
					calxr__buf_printf(b, "%s%s", j ? ", " : "", r->cols[c->ref_cols[j]].path);
				calxr__buf_put(b, c->c.ref_cols.n > 1 ? ") */\n" : " */\n");
			} else {
				calxr__buf_printf(b, ", .columns = %s__%s%u, .n_columns = %u", t->sym, prefix[kind], i, c->c.cols.n);
				if (kind == CALXR__TCONS_INDEX)
					calxr__buf_put(b, c->c.unique ? ", .flags = CALX_INDEX_UNIQUE" : ", .flags = 0");
				calxr__buf_put(b, " },\n");
			}
			i++;
		}
		calxr__buf_put(b, "};\n");
	}
}

/* ".fks = user__fks, .n_fks = 1, " or ".fks = NULL, .n_fks = 0, " */
static void array_ref(calxr__buf *b, const calxr__table *t, const char *name, unsigned n)
{
	if (n)
		calxr__buf_printf(b, ".%s = %s__%s, .n_%s = %u, ", name, t->sym, name, name, n);
	else
		calxr__buf_printf(b, ".%s = NULL, .n_%s = 0, ", name, name);
}

static void hierarchy_columns(calxr__ctx *cx, calxr__buf *b, const calxr__table *root);

static void table(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, unsigned index, const char *source)
{
	constraints(cx, b, t);
	if (t->has_subclasses)
		hierarchy_columns(cx, b, t);
	calxr__buf_printf(b, "const calx_table_desc %s_table = { .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = ",
			 t->sym);
	calxr__buf_cstr(b, t->table);
	/* a hierarchy's table holds its subclasses' columns too; otherwise the columns are the struct's fields */
	const char *cols = t->has_subclasses ? "columns" : "fields";
	calxr__buf_printf(b, ", .columns = %s__%s, .n_columns = sizeof %s__%s / sizeof %s__%s[0], .pk = %s__pk, .n_pk = %u, ",
			 t->sym, cols, t->sym, cols, t->sym, cols, t->sym, t->n_pk);
	array_ref(b, t, "fks", calxr__count_cons(t, CALXR__TCONS_FOREIGN_KEY));
	array_ref(b, t, "uniques", calxr__count_cons(t, CALXR__TCONS_UNIQUE));
	array_ref(b, t, "indexes", calxr__count_cons(t, CALXR__TCONS_INDEX));
	array_ref(b, t, "checks", calxr__count_cons(t, CALXR__TCONS_CHECK));
	calxr__buf_printf(b, ".index = %u, %s.schema = &%s_schema, .source = ", index,
			 t->deferred ? ".deferred = true, " : "", cx->schema);
	calxr__buf_cstr(b, source);
	calxr__buf_put(b, " };\n");
	if (!t->table_only)
		calxr__buf_printf(b, "static const calx_table_desc *const %s__mapper_tables[] = { &%s_table };\n", t->sym,
				 t->sym);
}

/*
 * Column c of struct t as a field descriptor at position `index`, in the
 * table of struct `tab` (t itself, or a single-table subclass's root, or
 * the joined level that declares it), owned by mapper `owner` (NULL: t's).
 */
void calxr__emit_field(calxr__buf *b, const calxr__table *t, const calxr__column *c, unsigned index,
		       const char *owner, const calxr__table *tab)
{
	bool any = false;

	calxr__buf_put(b, "\t{ .name = ");
	calxr__buf_cstr(b, c->path);
	calxr__buf_put(b, ", .column = ");
	calxr__buf_cstr(b, c->column);
	calxr__buf_printf(b, ", .ctype = %s, .flags = ", ctype_names[c->ctype]);
	for (size_t k = 0; k < sizeof flag_names / sizeof flag_names[0]; k++)
		if (c->flags & flag_names[k].bit) {
			calxr__buf_printf(b, "%s%s", any ? " | " : "", flag_names[k].name);
			any = true;
		}
	if (!any)
		calxr__buf_put(b, "0");
	calxr__buf_printf(b, ", .offset = offsetof(struct %s, %s), .size = sizeof(((struct %s *)0)->%s), .sql_type = ",
			 t->tag, c->path, t->tag, c->path);
	calxr__buf_cstr(b, c->types.n ? c->types.v[0] : NULL);
	calxr__buf_put(b, ", .sql_type_variants = ");
	if (c->types.n > 1) {
		calxr__buf_printf(b, "%s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_variants");
	} else {
		calxr__buf_put(b, "NULL");
	}
	calxr__buf_put(b, ", .server_default = ");
	calxr__buf_cstr(b, c->server_default);
	calxr__buf_put(b, ", .default_text = ");
	calxr__buf_cstr(b, c->default_text);
	if (c->default_factory && !t->table_only) {
		calxr__buf_printf(b, ", .default_factory = %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_factory");
	}
	if (c->enum_names && c->enum_names->names.n) {
		calxr__buf_printf(b, ", .enum_names = &%s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_enum");
	}
	/* a table_only table's columns belong to no mapper */
	if (t->table_only)
		calxr__buf_printf(b, ", .index = %u, .owner = NULL, .table = &%s_table", index, tab->sym);
	else if (owner)
		calxr__buf_printf(b, ", .index = %u, .owner = &%s, .table = &%s_table", index, owner, tab->sym);
	else
		calxr__buf_printf(b, ", .index = %u, .owner = &%s_mapper, .table = &%s_table", index, t->sym, tab->sym);
	if (c->user_type)
		calxr__buf_printf(b, ", .user_type = &%s", c->user_type);
	else
		calxr__buf_put(b, ", .user_type = NULL");
	if (calxr__column_has_gen(c)) {
		calxr__buf_printf(b, ", .gen = &%s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_gen");
	}
	calxr__buf_put(b, " },\n");
}

static void field(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, unsigned i)
{
	const calxr__table *tab = t;
	if (calxr__is_joined(t))
		tab = calxr__joined_field_table(cx, t, i);
	else if (calxr__is_subclass(t) && t->root >= 0 && !calxr__is_concrete(t))
		tab = &cx->tables[t->root];
	calxr__emit_field(b, t, &t->cols[i], i, NULL, tab);
}

/*
 * The columns of a single-table hierarchy's table: the root's, then each
 * subclass's own, in declaration order; each struct's columns keep its
 * own offsets and owner. The root's fields are the table's first columns,
 * index for index, so keys and foreign keys (all on the root) have one
 * index in every struct of the hierarchy.
 */
static void hierarchy_columns(calxr__ctx *cx, calxr__buf *b, const calxr__table *root)
{
	unsigned n = 0;
	calxr__buf_printf(b, "static const calx_field_desc %s__columns[] = {\n", root->sym);
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *t = &cx->tables[i];
		if (t != root && (!calxr__is_subclass(t) || &cx->tables[t->root] != root))
			continue;
		for (unsigned j = t == root ? 0 : t->n_inherited; j < t->n_cols; j++)
			calxr__emit_field(b, t, &t->cols[j], n++, NULL, root);
	}
	calxr__buf_put(b, "};\n");
}

/* Where each field of subclass t is among its root's table's columns (descriptor.h: table_columns). */
static void table_columns(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const calxr__table *root = &cx->tables[t->root];
	calxr__buf_printf(b, "static const unsigned %s__table_columns[] = { ", t->sym);
	for (unsigned f = 0; f < t->n_cols; f++) {
		unsigned n = 0, at = 0;
		bool found = false;
		for (unsigned i = 0; i < cx->n_tables && !found; i++) {
			const calxr__table *o = &cx->tables[i];
			if (o != root && (!calxr__is_subclass(o) || o->root != t->root))
				continue;
			for (unsigned j = o == root ? 0 : o->n_inherited; j < o->n_cols && !found; j++, n++)
				if (o->cols[j].column && t->cols[f].column && !strcasecmp(o->cols[j].column, t->cols[f].column)) {
					at = n;
					found = true;
				}
		}
		calxr__buf_printf(b, "%s%u", f ? ", " : "", at);
	}
	calxr__buf_put(b, " };\n");
}

static void mapper(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	char *source = calxr__printf(cx, "%s:%u", t->loc.file, t->loc.line);

	bool sub = calxr__is_subclass(t) && t->root >= 0, joined = calxr__is_joined(t), concrete = calxr__is_concrete(t);
	const calxr__table *root = sub ? &cx->tables[t->root] : t;

	calxr__buf_printf(b, "static const calx_field_desc %s__fields[] = {\n", t->sym);
	for (unsigned i = 0; i < t->n_cols; i++)
		field(cx, b, t, i);
	calxr__buf_put(b, "};\n");
	if (joined) {
		calxr__emit_joined_part(cx, b, t, source ? source : "");
		calxr__emit_joined_maps(cx, b, t);
	} else if (concrete) {
		/* a complete table of its own, and its fields' places in the hierarchy's UNION ALL */
		table(cx, b, t, (unsigned)calxr__table_index(cx, t), source ? source : "");
		calxr__emit_concrete_maps(cx, b, t);
	} else if (sub)
		table_columns(cx, b, t);        /* no table of its own: its root's holds its columns */
	else
		table(cx, b, t, (unsigned)calxr__table_index(cx, t), source ? source : "");
	if (t->table_only) {        /* the table alone: created by calx_create_all, written by many-to-many lists */
		free(source);
		return;
	}
	calxr__emit_relationships(cx, b, t);
	calxr__buf_printf(b, "const calx_mapper_desc %s_mapper = { .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = ",
			 t->sym);
	calxr__buf_cstr(b, t->tag);
	calxr__buf_put(b, ", .table = ");
	calxr__buf_cstr(b, joined ? root->table : t->table);   /* tables[0]'s name */
	calxr__buf_printf(b, ", .size = sizeof(struct %s), .align = _Alignof(struct %s), .fields = %s__fields, .n_fields = sizeof %s__fields / sizeof %s__fields[0], ",
			 t->tag, t->tag, t->sym, t->sym, t->sym);
	if (joined)
		calxr__buf_printf(b, ".tables = %s__mapper_tables, .n_tables = sizeof %s__mapper_tables / sizeof %s__mapper_tables[0], .parts = %s__parts, ",
				 t->sym, t->sym, t->sym, t->sym);
	else
		calxr__buf_printf(b, ".tables = %s__mapper_tables, .n_tables = 1, ", concrete ? t->sym : root->sym);
	calxr__buf_printf(b, ".defaults = &%s__defaults, .index = %d, .schema = &%s_schema, ", t->sym,
			 calxr__mapper_index(cx, t), cx->schema);
	if (sub)
		calxr__buf_printf(b, ".parent = &%s_mapper, ", cx->tables[t->parent].sym);
	else
		calxr__buf_put(b, ".parent = NULL, ");
	calxr__buf_put(b, ".source = ");
	calxr__buf_cstr(b, source ? source : "");
	calxr__buf_printf(b, ", .discriminator = %d, .polymorphic_identity = ", t->root >= 0 ? t->disc : -1);
	calxr__buf_cstr(b, t->root >= 0 ? t->identity : NULL);
	calxr__buf_put(b, ", ");
	if (sub)
		calxr__buf_printf(b, ".table_columns = %s__table_columns, ", t->sym);
	if (t->polymorphic_load) {
		calxr__buf_put(b, ".polymorphic_load = ");
		calxr__buf_cstr(b, t->polymorphic_load);
		calxr__buf_put(b, ", ");
	}
	if (calxr__count_rels(t))
		calxr__buf_printf(b, ".relationships = %s__relationships, .n_relationships = %u };\n", t->sym,
				 calxr__count_rels(t));
	else
		calxr__buf_put(b, ".relationships = NULL, .n_relationships = 0 };\n");
	free(source);
}

void calxr__emit_source(calxr__ctx *cx, calxr__buf *b)
{
	calxr__buf_put(b, "/* Generated by calx-reflect " CALX_REFLECT_VERSION " from ");
	for (unsigned i = 0; i < calxr__n_inputs(cx); i++) {
		calxr__buf_put(b, i ? ", " : "");
		calxr__buf_comment(b, calxr__input(cx, i));
	}
	calxr__buf_put(b, ". Do not edit. */\n");
	calxr__buf_printf(b, "#include \"%s\"\n#include <stddef.h>\n", cx->h_base);
	calxr__buf_put(b, "/* A stale descriptor must not compile: libclang's layout, checked by the application's compiler. */\n");
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__emit_layout_guard(cx, b, &cx->tables[i]);
		calxr__emit_relation_asserts(cx, b, &cx->tables[i]);
	}
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *t = &cx->tables[i];
		calxr__buf_printf(b, "\n/* struct %s: table %s, ", t->tag, t->table);
		calxr__buf_comment(b, t->loc.file);
		calxr__buf_printf(b, ":%u */\n", t->loc.line);
		calxr__emit_column_arrays(b, t);  /* emit_columns.c */
		mapper(cx, b, t);
	}
	calxr__buf_put(b, "\n");
	unsigned n_mappers = 0;
	for (unsigned i = 0; i < cx->n_tables; i++)
		n_mappers += !cx->tables[i].table_only + calxr__is_joined(&cx->tables[i]);
	if (n_mappers) {
		unsigned k = 0;
		calxr__buf_printf(b, "static const calx_mapper_desc *const %s__mappers[] = { ", cx->schema);
		for (unsigned i = 0; i < cx->n_tables; i++)
			if (!cx->tables[i].table_only)
				calxr__buf_printf(b, "%s&%s_mapper", k++ ? ", " : "", cx->tables[i].sym);
		calxr__emit_joined_schema_parts(cx, b, k);      /* joined levels' parts, after the structs' mappers */
		calxr__buf_put(b, " };\n");
	}
	unsigned n_tables = 0;
	for (unsigned i = 0; i < cx->n_tables; i++)
		n_tables += calxr__has_own_table(&cx->tables[i]);
	if (n_tables) {
		calxr__buf_printf(b, "static const calx_table_desc *const %s__tables[] = { ", cx->schema);
		for (unsigned i = 0, k = 0; i < cx->n_tables; i++)
			if (calxr__has_own_table(&cx->tables[i]))
				calxr__buf_printf(b, "%s&%s_table", k++ ? ", " : "", cx->tables[i].sym);
		calxr__buf_put(b, " };\n");
	}
	calxr__buf_printf(b, "const calx_schema_desc %s_schema = { .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = ",
			 cx->schema);
	calxr__buf_cstr(b, cx->schema);
	calxr__buf_put(b, ", .generator = \"calx-reflect " CALX_REFLECT_VERSION "\", ");
	if (n_mappers)
		calxr__buf_printf(b, ".mappers = %s__mappers, .n_mappers = %u, ", cx->schema, n_mappers);
	else if (cx->n_tables)
		calxr__buf_put(b, ".mappers = NULL, .n_mappers = 0, ");
	if (cx->n_tables)
		calxr__buf_printf(b, ".tables = %s__tables, .n_tables = %u };\n", cx->schema, n_tables);
	else
		calxr__buf_put(b, ".mappers = NULL, .n_mappers = 0, .tables = NULL, .n_tables = 0 };\n");
}
