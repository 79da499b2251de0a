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

typedef struct builder {
	calx__pool pool;
	calx_error err;
	bool oom;
} builder;

static int fail(builder *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int fail(builder *b, const char *fmt, ...)
{
	char msg[sizeof b->err.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return calx_error_set(&b->err, CALX_EINVAL, "map_imperatively: %s", msg);
}

static void *alloc(builder *b, size_t n, size_t size)
{
	void *p = calx__pool_alloc(&b->pool, (n ? n : 1) * size);
	if (!p)
		b->oom = true;
	return p;
}

/* [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes, as calx-reflect takes a name. */
static bool ident_n(const char *s, size_t n)
{
	if (!n || n > 63 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

static bool table_name_ok(const char *s)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	if (!s)
		return false;
	if (!dot)
		return ident_n(s, strlen(s));
	return ident_n(s, (size_t)(dot - s)) && ident_n(dot + 1, strlen(dot + 1));
}

static const char *column_name(const calx_imp_column *c)
{
	return c->column ? c->column : c->name;
}

/* The size a member of ctype has (OPTIONAL: its calx_opt_* wrapper), or 0 where any size > 0 fits. */
static size_t ctype_size(calx_ctype t, uint32_t flags)
{
	if (flags & CALX_FIELD_OPTIONAL)
		return calx__opt_size(t);
	switch (t) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_UINT8: return 1;
	case CALX_CTYPE_INT16: case CALX_CTYPE_UINT16: return 2;
	case CALX_CTYPE_INT32: case CALX_CTYPE_UINT32: return 4;
	case CALX_CTYPE_INT64: case CALX_CTYPE_UINT64: return 8;
	case CALX_CTYPE_BOOL: return sizeof(bool);
	case CALX_CTYPE_FLOAT: return sizeof(float);
	case CALX_CTYPE_DOUBLE: return sizeof(double);
	case CALX_CTYPE_STRING: return sizeof(char *);
	case CALX_CTYPE_BYTES: return sizeof(calx_bytes);
	case CALX_CTYPE_CHAR: return 1;
	default: return 0;      /* char[N], uint8_t[N] */
	}
}

/* The index of the column named name[0..n) of t, or -1. */
static int find_column(const calx_imp_table *t, const char *name, size_t n)
{
	for (unsigned i = 0; i < t->n_columns; i++) {
		const char *c = column_name(&t->columns[i]);
		if (strlen(c) == n && !strncmp(c, name, n))
			return (int)i;
	}
	return -1;
}

static int find_table(const calx_imp_table *tables, unsigned n, const char *name)
{
	for (unsigned i = 0; name && i < n; i++)
		if (!strcmp(tables[i].table, name))
			return (int)i;
	return -1;
}

/*
 * "a, b" as column indices of t into *out (pool memory), their count in
 * *n_out; what names the list ("primary key", "foreign key 2") for a
 * refusal. CALX_OK or an error set.
 */
static int column_list(builder *b, const calx_imp_table *t, const char *list, const char *what, unsigned **out,
                       unsigned *n_out)
{
	unsigned n = 0, cap = 1;
	*out = NULL;
	*n_out = 0;
	if (!list || !*list)
		return fail(b, "table '%s': %s names no column", t->table, what);
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	unsigned *v = alloc(b, cap, sizeof *v);
	if (!v)
		return CALX_ENOMEM;
	for (const char *p = list; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if (e == p)
			break;
		int c = find_column(t, p, (size_t)(e - p));
		if (c < 0)
			return fail(b, "table '%s': %s names '%.*s', which is not a column of the table", t->table, what,
			            (int)(e - p), p);
		for (unsigned k = 0; k < n; k++)
			if (v[k] == (unsigned)c)
				return fail(b, "table '%s': %s names column '%.*s' twice", t->table, what, (int)(e - p), p);
		v[n++] = (unsigned)c;
		p = e;
	}
	if (!n)
		return fail(b, "table '%s': %s names no column", t->table, what);
	*out = v;
	*n_out = n;
	return CALX_OK;
}

/* The bytes a relationship field holds: a pointer, or a CALX_LIST. */
static size_t rel_size(const calx_imp_relationship *r)
{
	return r->kind == CALX_REL_MANY_TO_ONE || r->kind == CALX_REL_ONE_TO_ONE ? sizeof(void *) : sizeof(calx_list);
}

/* Every column and relationship field inside the struct, of its type's size, none overlapping another. */
static int check_layout(builder *b, const calx_imp_table *t)
{
	if (!t->struct_name || !t->size || !t->align || (t->align & (t->align - 1)))
		return fail(b, "table '%s': the struct's name, size and alignment are required (sizeof, _Alignof)",
		            t->table);
	if (!t->columns || !t->n_columns)
		return fail(b, "table '%s' has no columns", t->table);
	unsigned n = t->n_columns + t->n_relationships;
	for (unsigned i = 0; i < n; i++) {
		bool col = i < t->n_columns;
		const calx_imp_column *c = col ? &t->columns[i] : NULL;
		const calx_imp_relationship *r = col ? NULL : &t->relationships[i - t->n_columns];
		const char *name = col ? c->name : r->name;
		size_t off = col ? c->offset : r->offset, size = col ? c->size : rel_size(r);
		if (!name)
			return fail(b, "table '%s': a %s without a name", t->table, col ? "column" : "relationship");
		if (col && (c->ctype < CALX_CTYPE_INT8 || c->ctype > CALX_CTYPE_LAST))
			return fail(b, "table '%s': column '%s' has no C type (ctype %d)", t->table, name, (int)c->ctype);
		if (col && !ident_n(column_name(c), strlen(column_name(c))))
			return fail(b, "table '%s': invalid column name '%s' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)",
			            t->table, column_name(c));
		if (col) {
			size_t want = ctype_size(c->ctype, c->flags);
			if ((want && size != want) || !size)
				return fail(b, "table '%s': column '%s' is %zu bytes, its C type %s is %zu", t->table, name, size,
				            c->flags & CALX_FIELD_OPTIONAL ? "(a calx_opt_* wrapper)" : calx__ctype_name(c->ctype),
				            want);
		}
		if (off > t->size || size > t->size - off)
			return fail(b, "table '%s': %s '%s' (bytes %zu..%zu) lies beyond struct '%s' (%zu bytes)", t->table,
			            col ? "column" : "relationship", name, off, off + size, t->struct_name, t->size);
		for (unsigned k = 0; k < i; k++) {
			bool kcol = k < t->n_columns;
			size_t ko = kcol ? t->columns[k].offset : t->relationships[k - t->n_columns].offset;
			size_t ks = kcol ? t->columns[k].size : rel_size(&t->relationships[k - t->n_columns]);
			const char *kname = kcol ? t->columns[k].name : t->relationships[k - t->n_columns].name;
			if (off < ko + ks && ko < off + size)
				return fail(b, "table '%s': '%s' (bytes %zu..%zu) and '%s' (bytes %zu..%zu) overlap in struct '%s'",
				            t->table, kname, ko, ko + ks, name, off, off + size, t->struct_name);
			if (kcol && col && !strcmp(column_name(&t->columns[k]), column_name(c)))
				return fail(b, "table '%s': column '%s' is mapped by both '%s' and '%s'", t->table,
				            column_name(c), t->columns[k].name, name);
		}
	}
	return CALX_OK;
}

/* What a declarative field of this description gets: a plain scalar is NOT NULL, as calx-reflect says. */
static uint32_t field_flags(const calx_imp_column *c, bool in_pk)
{
	uint32_t f = c->flags;
	bool text = c->ctype == CALX_CTYPE_STRING || c->ctype == CALX_CTYPE_CHARARRAY || c->ctype == CALX_CTYPE_BYTES;
	if (in_pk)
		f |= CALX_FIELD_PRIMARY_KEY | CALX_FIELD_NOT_NULL;
	else if (!text && !(f & CALX_FIELD_OPTIONAL))
		f |= CALX_FIELD_NOT_NULL;
	return f;
}

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
	int rc = column_list(b, t, t->primary_key, "the primary key", &pk, &n_pk);
	if (rc != CALX_OK)
		return rc;
	calx_field_desc *fields = all[i].fields;
	unsigned n_uq = t->n_uniques, n_ix = t->n_indexes;
	for (unsigned c = 0; c < t->n_columns; c++) {
		n_uq += !!(t->columns[c].flags & CALX_FIELD_UNIQUE);
		n_ix += !!(t->columns[c].flags & CALX_FIELD_INDEX);
	}
	calx_unique_desc *uq = alloc(b, n_uq, sizeof *uq);
	calx_index_desc *ix = alloc(b, n_ix, sizeof *ix);
	calx_check_desc *ck = alloc(b, t->n_checks, sizeof *ck);
	calx_fk_desc *fks = alloc(b, t->n_fks, sizeof *fks);
	calx_relationship_desc *rels = alloc(b, t->n_relationships, sizeof *rels);
	const calx_table_desc **mt = alloc(b, 1, sizeof *mt);
	void *defaults = alloc(b, t->size, 1);
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
		fd->column = column_name(ic);
		fd->ctype = ic->ctype;
		fd->flags = field_flags(ic, in_pk);
		fd->offset = ic->offset;
		fd->size = ic->size;
		fd->sql_type = ic->sql_type;
		fd->server_default = ic->server_default;
		fd->index = c;
		fd->owner = md;
		fd->table = td;
		if (ic->flags & (CALX_FIELD_UNIQUE | CALX_FIELD_INDEX)) {
			unsigned *one = alloc(b, 1, sizeof *one);
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
		if ((rc = column_list(b, t, t->uniques[k].columns, what, (unsigned **)&uq[k_uq].columns, &uq[k_uq].n_columns)))
			return rc;
		uq[k_uq].name = t->uniques[k].name;
	}
	for (unsigned k = 0; k < t->n_indexes; k++, k_ix++) {
		char what[64];
		snprintf(what, sizeof what, "index %u", k + 1);
		if ((rc = column_list(b, t, t->indexes[k].columns, what, (unsigned **)&ix[k_ix].columns, &ix[k_ix].n_columns)))
			return rc;
		ix[k_ix].name = t->indexes[k].name;
		ix[k_ix].flags = t->indexes[k].unique_index ? CALX_INDEX_UNIQUE : 0;
	}
	for (unsigned k = 0; k < t->n_checks; k++) {
		if (!t->checks[k].sql || !t->checks[k].name)
			return fail(b, "table '%s': check %u needs its SQL and a name", t->table, k + 1);
		ck[k] = (calx_check_desc){ .name = t->checks[k].name, .sqltext = t->checks[k].sql, .column = -1 };
	}
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_imp_fk *f = &t->fks[k];
		char what[64];
		int ref = find_table(tables, n, f->ref_table);
		if (ref < 0)
			return fail(b, "table '%s': foreign key %u refers to table '%s', which is not one of the tables mapped",
			            t->table, k + 1, f->ref_table ? f->ref_table : "(none)");
		snprintf(what, sizeof what, "foreign key %u", k + 1);
		unsigned n_cols, n_refs;
		if ((rc = column_list(b, t, f->columns, what, (unsigned **)&fks[k].columns, &n_cols)) ||
		    (rc = column_list(b, &tables[ref], f->ref_columns, what, (unsigned **)&fks[k].ref_columns, &n_refs)))
			return rc;
		if (n_cols != n_refs)
			return fail(b, "table '%s': foreign key %u has %u columns and refers to %u", t->table, k + 1, n_cols,
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
		int target = find_table(tables, n, r->target);
		if (target < 0)
			return fail(b, "table '%s': relationship '%s' targets table '%s', which is not one of the tables mapped",
			            t->table, r->name, r->target ? r->target : "(none)");
		if (r->kind != CALX_REL_MANY_TO_ONE && r->kind != CALX_REL_ONE_TO_MANY)
			return fail(b, "table '%s': relationship '%s': only many-to-one and one-to-many are mapped imperatively",
			            t->table, r->name);
		bool m2o = r->kind == CALX_REL_MANY_TO_ONE;
		const calx_table_desc *child = m2o ? all[i].table : all[target].table;
		const calx_table_desc *parent = m2o ? all[target].table : all[i].table;
		unsigned fk = 0;
		while (fk < child->n_fks && child->fks[fk].ref_table != parent)
			fk++;
		if (fk == child->n_fks)
			return fail(b, "table '%s': relationship '%s': no foreign key of '%s' refers to '%s'", t->table, r->name,
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
		return fail(b, "the schema needs a name");
	if (!tables || !n)
		return fail(b, "schema '%s' maps no table", schema_name);
	for (unsigned i = 0; i < n; i++) {
		if (!table_name_ok(tables[i].table))
			return fail(b, "invalid table name '%s' (expected [schema.]name, each [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)",
			            tables[i].table ? tables[i].table : "(none)");
		for (unsigned k = 0; k < i; k++)
			if (!strcmp(tables[k].table, tables[i].table))
				return fail(b, "table '%s' is described twice", tables[i].table);
		int rc = check_layout(b, &tables[i]);
		if (rc != CALX_OK)
			return rc;
	}
	calx_schema_desc *sc = alloc(b, 1, sizeof *sc);
	built *all = alloc(b, n, sizeof *all);
	const calx_mapper_desc **mappers = alloc(b, n, sizeof *mappers);
	const calx_table_desc **tds = alloc(b, n, sizeof *tds);
	for (unsigned i = 0; all && i < n; i++) {
		all[i].table = alloc(b, 1, sizeof *all[i].table);
		all[i].mapper = alloc(b, 1, sizeof *all[i].mapper);
		all[i].fields = alloc(b, tables[i].n_columns, sizeof *all[i].fields);
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
