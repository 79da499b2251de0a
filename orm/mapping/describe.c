/*
 * calx_registry_describe and calx_registry_ddl_for (calx/describe.h): a
 * registry's mappings as text for people, what calx-inspect prints, and
 * the DDL of a dialect without a connection. The DDL is ddl.c's, the one
 * create_all runs; the constraint names are the registry's (tables.c).
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/describe.h"
#include "base/buf.h"
#include "mapping/registry.h"

static const calx_dialect *dialect_named(const char *name)
{
	if (!name)
		return NULL;
	if (!strcmp(name, "sqlite"))
		return &calx_sqlite_dialect;
	if (!strcmp(name, "postgresql"))
		return &calx_postgresql_dialect;
	return NULL;
}

int calx_registry_ddl_for(const calx_registry *reg, const char *dialect, char **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	const calx_dialect *d = dialect_named(dialect);
	if (!reg || !d || reg->err.code)
		return CALX_EINVAL;
	calx_error err = { 0 };
	return calx__registry_ddl_text(reg, d, out, &err);
}

/* The C type a field is declared with, as calx-reflect read it. */
static void c_type(char *buf, size_t cap, const calx_field_desc *f)
{
	static const char *const names[] = {
		[CALX_CTYPE_INT8] = "int8", [CALX_CTYPE_INT16] = "int16", [CALX_CTYPE_INT32] = "int32",
		[CALX_CTYPE_INT64] = "int64", [CALX_CTYPE_UINT8] = "uint8", [CALX_CTYPE_UINT16] = "uint16",
		[CALX_CTYPE_UINT32] = "uint32", [CALX_CTYPE_UINT64] = "uint64", [CALX_CTYPE_BOOL] = "bool",
		[CALX_CTYPE_FLOAT] = "float", [CALX_CTYPE_DOUBLE] = "double",
	};
	bool integer = f->ctype >= CALX_CTYPE_INT8 && f->ctype <= CALX_CTYPE_UINT64;
	if (f->user_type)
		snprintf(buf, cap, "%s (a user type)", f->user_type->name ? f->user_type->name : "?");
	else if (f->flags & CALX_FIELD_OPTIONAL && f->ctype <= CALX_CTYPE_DOUBLE)
		snprintf(buf, cap, "calx_opt_%s", names[f->ctype]);
	else if (f->flags & CALX_FIELD_ENUM)
		snprintf(buf, cap, "enum (%s_t)", names[f->ctype]);
	else if (integer)
		snprintf(buf, cap, "%s_t", names[f->ctype]);
	else if (f->ctype <= CALX_CTYPE_DOUBLE)
		snprintf(buf, cap, "%s", names[f->ctype]);
	else if (f->ctype == CALX_CTYPE_STRING)
		snprintf(buf, cap, "char *");
	else if (f->ctype == CALX_CTYPE_CHARARRAY)
		snprintf(buf, cap, "char[%zu]", f->size);
	else if (f->ctype == CALX_CTYPE_BYTEARRAY)
		snprintf(buf, cap, "uint8_t[%zu]", f->size);
	else if (f->ctype == CALX_CTYPE_BYTES)
		snprintf(buf, cap, "calx_bytes");
	else if (f->ctype == CALX_CTYPE_CHAR)
		snprintf(buf, cap, "char");
	else
		snprintf(buf, cap, "?");
}

/* "(a, b)": the columns at cols of table t. */
static void put_columns(calx__buf *b, const calx_table_desc *t, const unsigned *cols, unsigned n)
{
	calx__buf_putc(b, '(');
	for (unsigned i = 0; i < n; i++)
		calx__buf_printf(b, "%s%s", i ? ", " : "", cols[i] < t->n_columns ? t->columns[cols[i]].column : "?");
	calx__buf_putc(b, ')');
}

static void put_table(calx__buf *b, const calx_registry *reg, const calx_table_desc *t)
{
	const calx__table *rt = calx__registry_table(reg, t);
	if (!rt)
		return;
	calx__buf_printf(b, "  primary key %s ", rt->pk_name);
	put_columns(b, t, t->pk, t->n_pk);
	calx__buf_putc(b, '\n');
	for (unsigned k = 0; k < t->n_uniques; k++) {
		calx__buf_printf(b, "  unique %s ", rt->uq_names[k]);
		put_columns(b, t, t->uniques[k].columns, t->uniques[k].n_columns);
		calx__buf_putc(b, '\n');
	}
	for (unsigned k = 0; k < t->n_indexes; k++) {
		calx__buf_printf(b, "  %sindex %s ", t->indexes[k].flags & CALX_INDEX_UNIQUE ? "unique " : "", rt->ix_names[k]);
		put_columns(b, t, t->indexes[k].columns, t->indexes[k].n_columns);
		calx__buf_putc(b, '\n');
	}
	for (unsigned k = 0; k < t->n_checks; k++)
		calx__buf_printf(b, "  check %s (%s)\n", rt->ck_names[k], t->checks[k].sqltext);
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_fk_desc *fk = &t->fks[k];
		calx__buf_printf(b, "  foreign key %s ", rt->fk_names[k]);
		put_columns(b, t, fk->columns, fk->n_columns);
		calx__buf_printf(b, " -> %s ", fk->ref_table->name);
		put_columns(b, fk->ref_table, fk->ref_columns, fk->n_columns);
		if (fk->ondelete)
			calx__buf_printf(b, " on delete %s", fk->ondelete);
		if (fk->onupdate)
			calx__buf_printf(b, " on update %s", fk->onupdate);
		calx__buf_putc(b, '\n');
	}
}

static void put_field(calx__buf *b, const calx_dialect *d, const calx_mapper_desc *m, const calx_field_desc *f)
{
	char ct[64], st[160];
	c_type(ct, sizeof ct, f);
	calx__column_type(d, f, st, sizeof st);
	calx__buf_printf(b, "    %-20s %-16s %-20s %-18s %s", f->name, ct, f->column, st,
	                 f->flags & CALX_FIELD_NOT_NULL ? "NOT NULL" : "NULL");
	if (f->flags & CALX_FIELD_PRIMARY_KEY)
		calx__buf_puts(b, ", primary key");
	if (f->flags & CALX_FIELD_AUTOINCREMENT)
		calx__buf_puts(b, ", autoincrement");
	if (f->flags & CALX_FIELD_VERSION)
		calx__buf_puts(b, ", version");
	if (f->default_text)
		calx__buf_printf(b, ", default %s", f->default_text);
	if (f->default_factory)
		calx__buf_puts(b, ", default factory");
	if (f->server_default)
		calx__buf_printf(b, ", server default %s", f->server_default);
	if (m->n_tables > 1 && f->table)
		calx__buf_printf(b, ", in %s", f->table->name);
	calx__buf_putc(b, '\n');
}

static void put_cascade(calx__buf *b, uint32_t c)
{
	static const struct { uint32_t bit; const char *word; } words[] = {
		{ CALX_CASCADE_SAVE_UPDATE, "save-update" }, { CALX_CASCADE_MERGE, "merge" },
		{ CALX_CASCADE_EXPUNGE, "expunge" }, { CALX_CASCADE_DELETE, "delete" },
		{ CALX_CASCADE_DELETE_ORPHAN, "delete-orphan" }, { CALX_CASCADE_REFRESH_EXPIRE, "refresh-expire" },
	};
	bool first = true;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (c & words[i].bit) {
			calx__buf_printf(b, "%s%s", first ? "" : ", ", words[i].word);
			first = false;
		}
	if (first)
		calx__buf_puts(b, "none");
}

static void put_relationship(calx__buf *b, const calx_registry *reg, const calx_relationship_desc *r)
{
	static const char *const kinds[] = { [CALX_REL_MANY_TO_ONE] = "many-to-one", [CALX_REL_ONE_TO_MANY] = "one-to-many",
	                                     [CALX_REL_MANY_TO_MANY] = "many-to-many", [CALX_REL_ONE_TO_ONE] = "one-to-one" };
	static const char *const loads[] = { [CALX_LOAD_LAZY] = "select", [CALX_LOAD_SELECTIN] = "selectin",
	                                     [CALX_LOAD_JOINED] = "joined", [CALX_LOAD_RAISE] = "raise",
	                                     [CALX_LOAD_NOLOAD] = "noload" };
	const calx__table *ft = r->fk_table ? calx__registry_table(reg, r->fk_table) : NULL;
	calx__buf_printf(b, "    %s: %s -> %s", r->name,
	                 r->kind >= CALX_REL_MANY_TO_ONE && r->kind <= CALX_REL_ONE_TO_ONE ? kinds[r->kind] : "?",
	                 r->target ? r->target->name : "?");
	if (r->secondary)
		calx__buf_printf(b, " through %s", r->secondary->name);
	if (ft && r->fk < r->fk_table->n_fks)
		calx__buf_printf(b, " by %s", ft->fk_names[r->fk]);
	if (r->back_populates)
		calx__buf_printf(b, ", back_populates %s", r->back_populates);
	calx__buf_puts(b, ", cascade ");
	put_cascade(b, r->cascade);
	calx__buf_printf(b, ", lazy %s", r->loading >= CALX_LOAD_LAZY && r->loading <= CALX_LOAD_NOLOAD
	                                         ? loads[r->loading] : "select");
	if (r->passive_deletes)
		calx__buf_puts(b, ", passive_deletes");
	if (r->post_update)
		calx__buf_puts(b, ", post_update");
	calx__buf_putc(b, '\n');
}

static const calx_mapper_desc *root_of(const calx_mapper_desc *m)
{
	while (m->parent)
		m = m->parent;
	return m;
}

static void put_inheritance(calx__buf *b, const calx_mapper_desc *m)
{
	const calx_mapper_desc *root = root_of(m);
	bool root_with_subs = false;
	for (unsigned i = 0; !m->parent && i < m->schema->n_mappers; i++)
		root_with_subs |= m->schema->mappers[i]->parent == m;
	if (!m->parent && !root_with_subs)
		return;
	if (!m->parent) {
		calx__buf_printf(b, "  inheritance: the root of a hierarchy");
	} else {
		const char *kind = m->parts ? "joined-table" : m->tables[0] == root->tables[0] ? "single-table" : "concrete-table";
		calx__buf_printf(b, "  inheritance: %s subclass of %s", kind, m->parent->name);
	}
	if (m->discriminator >= 0 && (unsigned)m->discriminator < m->n_fields)
		calx__buf_printf(b, ", discriminator %s", m->fields[m->discriminator].column);
	if (m->polymorphic_identity)
		calx__buf_printf(b, ", identity '%s'", m->polymorphic_identity);
	else if (!m->parent && root_with_subs)
		calx__buf_puts(b, ", abstract (no rows of its own)");
	if (m->polymorphic_load)
		calx__buf_printf(b, ", polymorphic_load %s", m->polymorphic_load);
	calx__buf_putc(b, '\n');
}

/* Is m a joined level's part (a mapper of the schema no struct declares)? */
static bool is_part(const calx_schema_desc *sc, const calx_mapper_desc *m)
{
	for (unsigned i = 0; i < sc->n_mappers; i++) {
		const calx_mapper_desc *o = sc->mappers[i];
		for (unsigned k = 1; o->parts && k < o->n_tables; k++)
			if (o->parts[k] == m && o != m)
				return true;
	}
	return false;
}

int calx_registry_describe(const calx_registry *reg, const char *dialect, char **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	const calx_dialect *d = dialect_named(dialect);
	if (!reg || !d || reg->err.code)
		return CALX_EINVAL;
	const calx_schema_desc *sc = reg->schema;
	calx__buf b = CALX__BUF_INIT;
	calx__buf_printf(&b, "schema %s (%s), %s\n", sc->name, sc->generator ? sc->generator : "?", d->name);
	for (unsigned i = 0; i < sc->n_mappers; i++) {
		const calx_mapper_desc *m = sc->mappers[i];
		if (is_part(sc, m))
			continue;
		calx__buf_printf(&b, "\nmapper %s (struct %s, %s) -> table %s", m->name, m->name,
		                 m->source ? m->source : "?", m->table);
		for (unsigned k = 1; k < m->n_tables; k++)
			calx__buf_printf(&b, ", %s", m->tables[k]->name);
		calx__buf_puts(&b, "\n");
		put_inheritance(&b, m);
		calx__buf_puts(&b, "  columns:\n");
		for (unsigned f = 0; f < m->n_fields; f++)
			put_field(&b, d, m, &m->fields[f]);
		/* a table's constraints under the mapper that owns it; a subclass on its root's table says so */
		const calx__table *own = calx__registry_table(reg, m->tables[m->n_tables - 1]);
		const calx_mapper_desc *owner = own && own->mapper >= 0 ? reg->mappers[own->mapper].desc : NULL;
		/* a joined level's table is its part's */
		if (owner && (owner == m || (m->parts && owner == m->parts[m->n_tables - 1])))
			put_table(&b, reg, m->tables[m->n_tables - 1]);
		else
			calx__buf_printf(&b, "  (its columns are in %s, described under its root)\n", m->table);
		if (m->n_relationships)
			calx__buf_puts(&b, "  relationships:\n");
		for (unsigned r = 0; r < m->n_relationships; r++)
			put_relationship(&b, reg, &m->relationships[r]);
	}
	/* tables no struct maps alone: association tables (table_only) */
	for (unsigned i = 0; i < reg->n_tables; i++)
		if (reg->tables[i].mapper < 0 && !reg->tables[i].abstract) {
			calx__buf_printf(&b, "\ntable %s (%s)\n", reg->tables[i].desc->name,
			                 reg->tables[i].desc->source ? reg->tables[i].desc->source : "?");
			put_table(&b, reg, reg->tables[i].desc);
		}
	char *ddl;
	int rc = calx_registry_ddl_for(reg, dialect, &ddl);
	if (rc != CALX_OK) {
		calx__buf_free(&b);
		return rc;
	}
	calx__buf_printf(&b, "\n-- DDL for %s: what calx_create_all runs\n", d->name);
	calx__buf_puts(&b, ddl);
	calx_free(ddl);
	*out = calx__buf_detach(&b);
	return *out ? CALX_OK : CALX_ENOMEM;
}
