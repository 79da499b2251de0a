/*
 * reflect/emit_columns.c - the per-column arrays of the generated source,
 * written before each table's fields point at them: defaults, SQL-type
 * variants per dialect, an enum's names (enum_as(text)), generated values
 * (per-dialect server defaults, onupdate) and default factories.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void calxr__put_flat(calxr__buf *b, const char *path)
{
	for (; *path; path++)
		calxr__buf_putn(b, *path == '.' ? "_" : path, 1);
}

static void defaults(calxr__buf *b, const calxr__table *t)
{
	bool any = false;
	calxr__buf_printf(b, "static const struct %s %s__defaults = { ", t->tag, t->sym);
	for (unsigned i = 0; i < t->n_cols; i++)
		if (t->cols[i].default_text) {
			calxr__buf_printf(b, "%s.%s = %s", any ? ", " : "", t->cols[i].path, t->cols[i].default_text);
			any = true;
		}
	calxr__buf_put(b, any ? " };\n" : "0 };\n");
}

/*
 * default_factory(fn): a function that sets the field from fn(), so that
 * the compiler checks fn's type against the field's.
 */
static void factories(calxr__buf *b, const calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols && !t->table_only; i++) {
		const calxr__column *c = &t->cols[i];
		if (!c->default_factory)
			continue;
		calxr__buf_printf(b, "static void %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_printf(b, "_factory(void *obj) { ((struct %s *)obj)->%s = %s(); }\n", t->tag, c->path,
				 c->default_factory);
	}
}

bool calxr__column_has_gen(const calxr__column *c)
{
	return c->server_default_variants.n || c->onupdate_sql || c->onupdate_variants.n || c->onupdate_fn;
}

static void strlist_array(calxr__buf *b, const calxr__table *t, const calxr__column *c, const char *suffix,
			  const calxr__strlist *l)
{
	if (!l->n)
		return;
	calxr__buf_printf(b, "static const char *const %s__", t->sym);
	calxr__put_flat(b, c->path);
	calxr__buf_printf(b, "_%s[] = { ", suffix);
	for (unsigned j = 0; j < l->n; j++) {
		calxr__buf_cstr(b, l->v[j]);
		calxr__buf_put(b, ", ");
	}
	calxr__buf_put(b, "NULL };\n");
}

/*
 * Per column with per-dialect server defaults or onupdate: its
 * calx_field_gen, and onupdate(fn)'s setter, which lets the compiler
 * check fn's type against the field's (as default_factory's).
 */
static void gens(calxr__buf *b, const calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		if (!calxr__column_has_gen(c))
			continue;
		strlist_array(b, t, c, "sd_variants", &c->server_default_variants);
		strlist_array(b, t, c, "ou_variants", &c->onupdate_variants);
		bool fn = c->onupdate_fn && !t->table_only;
		if (fn) {
			calxr__buf_printf(b, "static void %s__", t->sym);
			calxr__put_flat(b, c->path);
			calxr__buf_printf(b, "_onupdate(void *obj) { ((struct %s *)obj)->%s = %s(); }\n", t->tag, c->path,
					 c->onupdate_fn);
		}
		calxr__buf_printf(b, "static const calx_field_gen %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_gen = { .server_default_variants = ");
		if (c->server_default_variants.n) {
			calxr__buf_printf(b, "%s__", t->sym);
			calxr__put_flat(b, c->path);
			calxr__buf_put(b, "_sd_variants");
		} else {
			calxr__buf_put(b, "NULL");
		}
		calxr__buf_put(b, ", .onupdate_sql = ");
		calxr__buf_cstr(b, c->onupdate_sql);
		calxr__buf_put(b, ", .onupdate_variants = ");
		if (c->onupdate_variants.n) {
			calxr__buf_printf(b, "%s__", t->sym);
			calxr__put_flat(b, c->path);
			calxr__buf_put(b, "_ou_variants");
		} else {
			calxr__buf_put(b, "NULL");
		}
		calxr__buf_put(b, ", .onupdate_fn = ");
		if (fn) {
			calxr__buf_printf(b, "%s__", t->sym);
			calxr__put_flat(b, c->path);
			calxr__buf_put(b, "_onupdate");
		} else {
			calxr__buf_put(b, "NULL");
		}
		calxr__buf_put(b, " };\n");
	}
}

static void variants(calxr__buf *b, const calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		if (c->types.n < 2)
			continue;
		calxr__buf_printf(b, "static const char *const %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_variants[] = { ");
		for (unsigned j = 1; j < c->types.n; j++) {
			calxr__buf_cstr(b, c->types.v[j]);
			calxr__buf_put(b, ", ");
		}
		calxr__buf_put(b, "NULL };\n");
	}
}

/* enum_as(text): each such column's constants and names (calx_enum_desc). */
static void enum_tables(calxr__buf *b, const calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		const calxr__enum_names *en = c->enum_names;
		if (!en || !en->names.n)
			continue;
		calxr__buf_printf(b, "static const int64_t %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_enum_values[] = { ");
		for (unsigned j = 0; j < en->names.n; j++)
			calxr__buf_printf(b, "%s%lldLL", j ? ", " : "", en->values[j]);
		calxr__buf_printf(b, " };\nstatic const char *const %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_enum_names[] = { ");
		for (unsigned j = 0; j < en->names.n; j++) {
			calxr__buf_put(b, j ? ", " : "");
			calxr__buf_cstr(b, en->names.v[j]);
		}
		calxr__buf_printf(b, " };\nstatic const calx_enum_desc %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_put(b, "_enum = { ");
		calxr__buf_cstr(b, en->c_name);
		calxr__buf_printf(b, ", %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_printf(b, "_enum_values, %s__", t->sym);
		calxr__put_flat(b, c->path);
		calxr__buf_printf(b, "_enum_names, %u, { NULL, NULL } };\n", en->names.n);
	}
}

void calxr__emit_column_arrays(calxr__buf *b, const calxr__table *t)
{
	if (!t->table_only)
		defaults(b, t);
	variants(b, t);
	enum_tables(b, t);
	gens(b, t);
	factories(b, t);
}
