/*
 * calx_map_imperatively (calx/imperative.h): descriptors built at run time
 * from a description of tables and the structs mapped onto them, checked
 * first as calx-reflect and the compiler check a header (every refusal
 * says which table and column), then opened as any generated schema. The
 * registry owns them: they live in one pool (schema/schema.h's), freed
 * with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/imperative.h"
#include "calx/bytes.h"
#include "mapping/registry.h"
#include "mapping/value.h"
#include "schema/schema.h"
#include "mapping/imperative_int.h"

typedef struct built {
	calx_table_desc *table;
	calx_mapper_desc *mapper;
	calx_field_desc *fields;
} built;

static int build_table(builder *b, calx_schema_desc *sc, const calx_imp_table *tables, unsigned n, unsigned i,
                       built *all)
{
	const calx_imp_table *t = &tables[i];
	calx_table_desc *td = all[i].table;
	calx_mapper_desc *md = all[i].mapper;
	unsigned *pk, n_pk;
	int rc = calx__imp_column_list(b, t, t->primary_key, "the primary key", &pk, &n_pk);
	if (rc != CALX_OK)
		return rc;
	calx_field_desc *fields = all[i].fields;
	unsigned n_uq = t->n_uniques, n_ix = t->n_indexes;
	for (unsigned c = 0; c < t->n_columns; c++) {
		n_uq += !!(t->columns[c].flags & CALX_FIELD_UNIQUE);
		n_ix += !!(t->columns[c].flags & CALX_FIELD_INDEX);
	}
	calx_unique_desc *uq = calx__imp_alloc(b, n_uq, sizeof *uq);
	calx_index_desc *ix = calx__imp_alloc(b, n_ix, sizeof *ix);
	calx_check_desc *ck = calx__imp_alloc(b, t->n_checks, sizeof *ck);
	calx_fk_desc *fks = calx__imp_alloc(b, t->n_fks, sizeof *fks);
	calx_relationship_desc *rels = calx__imp_alloc(b, t->n_relationships, sizeof *rels);
	const calx_table_desc **mt = calx__imp_alloc(b, 1, sizeof *mt);
	void *defaults = calx__imp_alloc(b, t->size, 1);
	if (b->oom)
		return CALX_ENOMEM;
	unsigned k_uq = 0, k_ix = 0;
	for (unsigned c = 0; c < t->n_columns; c++) {
		const calx_imp_column *ic = &t->columns[c];
		bool in_pk = false;
		for (unsigned k = 0; k < n_pk; k++)
			in_pk |= pk[k] == c;
		calx_field_desc *fd = &fields[c];
		fd->name = ic->name;
		fd->column = calx__imp_column_name(ic);
		fd->ctype = ic->ctype;
		fd->flags = calx__imp_field_flags(ic, in_pk);
		fd->offset = ic->offset;
		fd->size = ic->size;
		fd->sql_type = ic->sql_type;
		fd->server_default = ic->server_default;
		fd->index = c;
		fd->owner = md;
		fd->table = td;
		if (ic->flags & (CALX_FIELD_UNIQUE | CALX_FIELD_INDEX)) {
			unsigned *one = calx__imp_alloc(b, 1, sizeof *one);
			if (!one)
				return CALX_ENOMEM;
			*one = c;
			if (ic->flags & CALX_FIELD_UNIQUE)
				uq[k_uq++] = (calx_unique_desc){ .columns = one, .n_columns = 1 };
			if (ic->flags & CALX_FIELD_INDEX)
				ix[k_ix++] = (calx_index_desc){ .columns = one, .n_columns = 1 };
		}
	}
	for (unsigned k = 0; k < t->n_uniques; k++, k_uq++) {
		char what[64];
		snprintf(what, sizeof what, "unique constraint %u", k + 1);
		if ((rc = calx__imp_column_list(b, t, t->uniques[k].columns, what, (unsigned **)&uq[k_uq].columns, &uq[k_uq].n_columns)))
			return rc;
		uq[k_uq].name = t->uniques[k].name;
	}
	for (unsigned k = 0; k < t->n_indexes; k++, k_ix++) {
		char what[64];
		snprintf(what, sizeof what, "index %u", k + 1);
		if ((rc = calx__imp_column_list(b, t, t->indexes[k].columns, what, (unsigned **)&ix[k_ix].columns, &ix[k_ix].n_columns)))
			return rc;
		ix[k_ix].name = t->indexes[k].name;
		ix[k_ix].flags = t->indexes[k].unique_index ? CALX_INDEX_UNIQUE : 0;
	}
	for (unsigned k = 0; k < t->n_checks; k++) {
		if (!t->checks[k].sql || !t->checks[k].name)
			return calx__imp_fail(b, "table '%s': check %u needs its SQL and a name", t->table, k + 1);
		ck[k] = (calx_check_desc){ .name = t->checks[k].name, .sqltext = t->checks[k].sql, .column = -1 };
	}
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_imp_fk *f = &t->fks[k];
		char what[64];
		int ref = calx__imp_find_table(tables, n, f->ref_table);
		if (ref < 0)
			return calx__imp_fail(b, "table '%s': foreign key %u refers to table '%s', which is not one of the tables mapped",
			            t->table, k + 1, f->ref_table ? f->ref_table : "(none)");
		snprintf(what, sizeof what, "foreign key %u", k + 1);
		unsigned n_cols, n_refs;
		if ((rc = calx__imp_column_list(b, t, f->columns, what, (unsigned **)&fks[k].columns, &n_cols)) ||
		    (rc = calx__imp_column_list(b, &tables[ref], f->ref_columns, what, (unsigned **)&fks[k].ref_columns, &n_refs)))
			return rc;
		if (n_cols != n_refs)
			return calx__imp_fail(b, "table '%s': foreign key %u has %u columns and refers to %u", t->table, k + 1, n_cols,
			            n_refs);
		fks[k].n_columns = n_cols;
		fks[k].ref_table = all[ref].table;
		fks[k].name = f->name;
		fks[k].ondelete = f->ondelete;
		fks[k].onupdate = f->onupdate;
	}
	*td = (calx_table_desc){ .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION, .name = t->table,
	                         .columns = fields, .n_columns = t->n_columns, .pk = pk, .n_pk = n_pk,
	                         .fks = fks, .n_fks = t->n_fks, .uniques = uq, .n_uniques = n_uq, .indexes = ix,
	                         .n_indexes = n_ix, .checks = ck, .n_checks = t->n_checks, .index = i, .schema = sc,
	                         .source = "calx_map_imperatively" };
	*mt = td;
	*md = (calx_mapper_desc){ .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION,
	                          .name = t->struct_name, .table = t->table, .size = t->size, .align = t->align,
	                          .fields = fields, .n_fields = t->n_columns, .tables = mt, .n_tables = 1,
	                          .defaults = defaults, .index = i, .schema = sc, .source = "calx_map_imperatively",
	                          .discriminator = -1, .relationships = rels, .n_relationships = t->n_relationships };
	return CALX_OK;
}

/* The relationships, once every table is built: each joins by the first foreign key between the two tables. */
static int build_relationships(builder *b, const calx_imp_table *tables, unsigned n, unsigned i, built *all)
{
	const calx_imp_table *t = &tables[i];
	calx_relationship_desc *rels = (calx_relationship_desc *)all[i].mapper->relationships;
	for (unsigned k = 0; k < t->n_relationships; k++) {
		const calx_imp_relationship *r = &t->relationships[k];
		int target = calx__imp_find_table(tables, n, r->target);
		if (target < 0)
			return calx__imp_fail(b, "table '%s': relationship '%s' targets table '%s', which is not one of the tables mapped",
			            t->table, r->name, r->target ? r->target : "(none)");
		if (r->kind != CALX_REL_MANY_TO_ONE && r->kind != CALX_REL_ONE_TO_MANY)
			return calx__imp_fail(b, "table '%s': relationship '%s': only many-to-one and one-to-many are mapped imperatively",
			            t->table, r->name);
		bool m2o = r->kind == CALX_REL_MANY_TO_ONE;
		const calx_table_desc *child = m2o ? all[i].table : all[target].table;
		const calx_table_desc *parent = m2o ? all[target].table : all[i].table;
		unsigned fk = 0;
		while (fk < child->n_fks && child->fks[fk].ref_table != parent)
			fk++;
		if (fk == child->n_fks)
			return calx__imp_fail(b, "table '%s': relationship '%s': no foreign key of '%s' refers to '%s'", t->table, r->name,
			            child->name, parent->name);
		rels[k] = (calx_relationship_desc){ .kind = r->kind, .name = r->name, .offset = r->offset,
		                                    .target = all[target].mapper, .fk_table = child, .fk = fk,
		                                    .back_populates = r->back_populates,
		                                    .cascade = r->cascade ? r->cascade : CALX_CASCADE_DEFAULT,
		                                    .loading = CALX_LOAD_LAZY };
	}
	return CALX_OK;
}

static int build(builder *b, const char *schema_name, const calx_imp_table *tables, unsigned n,
                 const calx_schema_desc **out)
{
	if (!schema_name || !*schema_name)
		return calx__imp_fail(b, "the schema needs a name");
	if (!tables || !n)
		return calx__imp_fail(b, "schema '%s' maps no table", schema_name);
	for (unsigned i = 0; i < n; i++) {
		if (!calx__imp_table_name_ok(tables[i].table))
			return calx__imp_fail(b, "invalid table name '%s' (expected [schema.]name, each [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)",
			            tables[i].table ? tables[i].table : "(none)");
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(tables[k].table, tables[i].table))
				return calx__imp_fail(b, "table '%s' is described twice", tables[i].table);
		int rc = calx__imp_check_layout(b, &tables[i]);
		if (rc != CALX_OK)
			return rc;
	}
	calx_schema_desc *sc = calx__imp_alloc(b, 1, sizeof *sc);
	built *all = calx__imp_alloc(b, n, sizeof *all);
	const calx_mapper_desc **mappers = calx__imp_alloc(b, n, sizeof *mappers);
	const calx_table_desc **tds = calx__imp_alloc(b, n, sizeof *tds);
	for (unsigned i = 0; all && i < n; i++) {
		all[i].table = calx__imp_alloc(b, 1, sizeof *all[i].table);
		all[i].mapper = calx__imp_alloc(b, 1, sizeof *all[i].mapper);
		all[i].fields = calx__imp_alloc(b, tables[i].n_columns, sizeof *all[i].fields);
	}
	if (b->oom)
		return CALX_ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		int rc = build_table(b, sc, tables, n, i, all);
		if (rc != CALX_OK)
			return b->oom ? CALX_ENOMEM : rc;
		mappers[i] = all[i].mapper;
		tds[i] = all[i].table;
	}
	for (unsigned i = 0; i < n; i++) {
		int rc = build_relationships(b, tables, n, i, all);
		if (rc != CALX_OK)
			return rc;
	}
	*sc = (calx_schema_desc){ .magic = CALX_DESCRIPTOR_MAGIC, .version = CALX_DESCRIPTOR_VERSION,
	                          .name = schema_name, .generator = "calx_map_imperatively", .mappers = mappers,
	                          .n_mappers = n, .tables = tds, .n_tables = n };
	*out = sc;
	return CALX_OK;
}

int calx_map_imperatively(calx_registry **out, const char *schema_name, const calx_imp_table *tables, unsigned n,
                          const calx_registry_options *opts)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	builder b = { { NULL }, { 0 }, false };
	const calx_schema_desc *sc = NULL;
	int rc = build(&b, schema_name, tables, n, &sc);
	if (rc != CALX_OK || b.oom) {
		/* a registry that says why, as calx_registry_open's does */
		calx__pool_free(&b.pool);
		if (b.oom || rc == CALX_ENOMEM)
			return CALX_ENOMEM;
		calx_registry_open(out, NULL, NULL);
		if (!*out)
			return CALX_ENOMEM;
		(*out)->err = b.err;
		return rc;
	}
	rc = calx_registry_open(out, sc, opts);
	if (!*out) {
		calx__pool_free(&b.pool);
		return CALX_ENOMEM;
	}
	/* the registry owns the descriptors, opened or not: its message may name them */
	calx__pool *owned = calx__pool_alloc(&b.pool, sizeof *owned);
	if (!owned) {
		calx_registry_free(*out);       /* first: it reads the descriptors as it frees */
		*out = NULL;
		calx__pool_free(&b.pool);
		return CALX_ENOMEM;
	}
	*owned = b.pool;        /* the pool holds the block it lives in: freeing a copy frees it all */
	(*out)->owned = owned;
	return rc;
}

void calx__registry_owned_free(calx_registry *reg)
{
	if (reg->owned) {
		calx__pool p = *(calx__pool *)reg->owned;
		calx__pool_free(&p);
		reg->owned = NULL;
	}
}
