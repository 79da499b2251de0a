/*
 * model.c - from inspected tables to structs: which tables are chosen and
 * mappable, a C type and member name for every column, association
 * tables, and the relationships that each foreign key gives both tables.
 *
 * Names within one struct (its fields first, then its relationships) are
 * unique case-insensitively, as calx-reflect compares columns; struct tags
 * are unique across the header the same way.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "codegen.h"

static bool listed(const char *name, char *const *list, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Is name taken in t (a field or a relationship), case-insensitively? */
static bool name_taken(const cg_table *t, const char *name, unsigned n_fields)
{
	for (unsigned i = 0; i < n_fields; i++)
		if (strcasecmp(t->fields[i].name, name) == 0)
			return true;
	for (unsigned i = 0; i < t->n_rels; i++)
		if (strcasecmp(t->rels[i].name, name) == 0)
			return true;
	return false;
}

/* base (base_ if a keyword: "for_id" gives "for"), or base_2, base_3...: the first that t does not use. */
static void unique_name(const cg_table *t, unsigned n_fields, const char *base, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", base, cg_is_c_keyword(base) ? "_" : "");
	for (unsigned k = 2; name_taken(t, out, n_fields); k++)
		snprintf(out, cap, "%.*s_%u", (int)(cap - 12), base, k);
}

static bool pg_system_column(const char *name)
{
	static const char *const sys[] = { "tableoid", "xmin", "cmin", "xmax", "cmax", "ctid" };
	for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++)
		if (strcasecmp(name, sys[i]) == 0)
			return true;
	return false;
}

static cg_table *find_table(cg_model *m, const char *name)
{
	for (unsigned i = 0; i < m->n_tables; i++)
		if (strcmp(m->tables[i].t->name, name) == 0)
			return &m->tables[i];
	return NULL;
}

static cg_field *find_field(cg_table *t, const char *column)
{
	for (unsigned i = 0; i < t->n_fields; i++)
		if (strcmp(t->fields[i].col->name, column) == 0)
			return &t->fields[i];
	return NULL;
}

/*
 * --char-arrays M: a text column of a declared length L <= M is char[L + 1].
 * L counts characters; a value of more bytes (non-ASCII text) is refused
 * at load with CALX_ERANGE, never cut. Text without a length, and text
 * that stands for something else (decimals, dates, enums), stays char *.
 */
static unsigned char_array_len(const cg_field *f, const cg_options *opt)
{
	if (!opt->char_arrays || f->type.family != CG_TEXT || f->type.note || f->type.later)
		return 0;
	const char *type = f->col->base_type ? f->col->base_type : f->col->type;
	const char *paren = strchr(type, '(');
	if (!paren)
		return 0;
	char *end;
	unsigned long len = strtoul(paren + 1, &end, 10);
	if (*end != ')' || len == 0 || len > opt->char_arrays)
		return 0;
	return (unsigned)len + 1;
}

static void fields_of(cg_model *m, cg_table *ct, const cg_options *opt, FILE *err)
{
	const calx_insp_table *t = ct->t;
	for (unsigned i = 0; i < t->n_columns; i++) {
		cg_field *f = &ct->fields[ct->n_fields];
		f->col = &t->columns[i];
		cg_column_type(m->dialect, f->col, &f->type);
		if (!cg_plain_sql_name(f->col->name)) {
			f->type.family = CG_UNMAPPABLE;
			snprintf(f->type.reason, sizeof f->type.reason,
			         "column name is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)");
		} else if (pg_system_column(f->col->name)) {
			f->type.family = CG_UNMAPPABLE;
			snprintf(f->type.reason, sizeof f->type.reason, "column name is a PostgreSQL system column's");
		}
		f->mapped = f->type.family != CG_UNMAPPABLE;
		f->array_len = char_array_len(f, opt);
		for (unsigned k = 0; k < t->pk.n_columns; k++)
			if (strcmp(t->pk.columns[k], f->col->name) == 0)
				f->pk = true;
		f->autoincrement = f->pk && t->pk.n_columns == 1 && f->col->autoincrement && f->type.family == CG_INT;
		char base[72];
		cg_identifier(base, sizeof base, f->col->name, opt->field_case);
		unique_name(ct, ct->n_fields, base, f->name, sizeof f->name);
		ct->n_fields++;
		if (!f->mapped) {
			fprintf(err, "calx-codegen: table %s: column %s (%s): %s\n", t->name, f->col->name, f->col->type,
			        f->type.reason);
			m->n_unmappable++;
			ct->n_unmapped++;
		}
	}
}

/* Why the table cannot be a struct at all, or NULL. */
static const char *table_problem(cg_table *ct, char *buf, size_t cap)
{
	const calx_insp_table *t = ct->t;
	if (!cg_plain_sql_name(t->name) || strncasecmp(t->name, "sqlite_", 7) == 0)
		return "its name is not a plain identifier calx accepts ([A-Za-z_][A-Za-z0-9_]*, at most 63 bytes, not sqlite_*)";
	if (t->pk.n_columns == 0)
		return "no primary key (calx finds rows by their key)";
	if (t->pk.n_columns > 8)
		return "a primary key of more than 8 columns";
	for (unsigned k = 0; k < t->pk.n_columns; k++) {
		cg_field *f = find_field(ct, t->pk.columns[k]);
		if (!f || !f->mapped) {
			snprintf(buf, cap, "its primary key column %s cannot be mapped", t->pk.columns[k]);
			return buf;
		}
	}
	return NULL;
}

static void struct_tag(cg_model *m, cg_table *ct, const cg_options *opt)
{
	char ident[72], base[72];
	cg_identifier(ident, sizeof ident, ct->t->name, CG_FIELD_SNAKE);
	if (opt->struct_naming == CG_STRUCT_SINGULAR)
		cg_singular(base, sizeof base, ident);
	else
		cg_identifier(base, sizeof base, ct->t->name, CG_FIELD_AS_IS);
	snprintf(ct->tag, sizeof ct->tag, "%.*s%s", (int)sizeof ct->tag - 2, base, cg_is_c_keyword(base) ? "_" : "");
	for (unsigned k = 2;; k++) {
		bool clash = false;
		for (unsigned i = 0; i < m->n_tables && !clash; i++)
			clash = &m->tables[i] != ct && m->tables[i].tag[0] && strcasecmp(m->tables[i].tag, ct->tag) == 0;
		if (!clash)
			break;
		snprintf(ct->tag, sizeof ct->tag, "%.60s%s_%u", base, cg_is_c_keyword(base) ? "_" : "", k);
	}
}

/* Every column of fk mapped, in this table and in the target's, and the target chosen. */
static bool fk_usable(cg_model *m, cg_table *ct, const calx_insp_fk *fk)
{
	cg_table *target = find_table(m, fk->ref_table);
	if (!target || !target->selected)
		return false;
	if (fk->ref_schema && strcmp(fk->ref_schema, ct->t->schema) != 0)
		return false;
	for (unsigned k = 0; k < fk->n_columns; k++) {
		cg_field *a = find_field(ct, fk->columns[k]), *b = find_field(target, fk->ref_columns[k]);
		if (!a || !a->mapped || !b || !b->mapped || a->type.family != b->type.family)
			return false;
	}
	return true;
}

/* A table of two foreign keys and nothing else, which nothing refers to. */
static bool is_association(cg_model *m, cg_table *ct)
{
	const calx_insp_table *t = ct->t;
	if (t->n_fks != 2 || !ct->fk_kept[0] || !ct->fk_kept[1] || ct->n_unmapped)
		return false;
	if (t->fks[0].n_columns + t->fks[1].n_columns != t->n_columns)
		return false;
	for (unsigned i = 0; i < t->n_columns; i++) {
		unsigned hits = 0;
		for (unsigned f = 0; f < 2; f++)
			for (unsigned k = 0; k < t->fks[f].n_columns; k++)
				hits += strcmp(t->fks[f].columns[k], t->columns[i].name) == 0;
		if (hits != 1)
			return false;
	}
	for (unsigned i = 0; i < m->n_tables; i++) {
		const cg_table *o = &m->tables[i];
		if (!o->selected)
			continue;
		for (unsigned f = 0; f < o->t->n_fks; f++)
			if (strcmp(o->t->fks[f].ref_table, t->name) == 0)
				return false;
	}
	return true;
}

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
	unique_name(child, child->n_fields, base, down->name, sizeof down->name);
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
	unique_name(parent, parent->n_fields, base, up->name, sizeof up->name);
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
	cg_table *left = find_table(m, a->t->fks[0].ref_table), *right = find_table(m, a->t->fks[1].ref_table);
	char base[80], plural[80];
	cg_rel *l = add_rel(left);
	if (!l)
		return -1;
	cg_plural(base, sizeof base, right->tag);
	if (left == right) {
		fk_columns_name(a, &a->t->fks[1], plural, sizeof plural);
		snprintf(base, sizeof base, "%.40s_by_%.30s", right->tag, plural);
	}
	unique_name(left, left->n_fields, base, l->name, sizeof l->name);
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
	unique_name(right, right->n_fields, base, r->name, sizeof r->name);
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

int cg_model_build(cg_model *m, const calx_inspection *in, const char *dialect, const cg_options *opt, FILE *err)
{
	memset(m, 0, sizeof *m);
	m->dialect = dialect;
	m->n_tables = calx_inspection_count(in);
	m->tables = calloc(m->n_tables ? m->n_tables : 1, sizeof *m->tables);
	if (!m->tables)
		return -1;
	for (unsigned i = 0; i < m->n_tables; i++) {
		cg_table *ct = &m->tables[i];
		ct->t = calx_inspection_table(in, i);
		ct->selected = (!opt->tables || listed(ct->t->name, opt->tables, opt->n_tables)) &&
		               !listed(ct->t->name, opt->exclude, opt->n_exclude);
		if (!ct->selected)
			continue;
		ct->fields = calloc(ct->t->n_columns ? ct->t->n_columns : 1, sizeof *ct->fields);
		ct->fk_kept = calloc(ct->t->n_fks ? ct->t->n_fks : 1, sizeof *ct->fk_kept);
		if (!ct->fields || !ct->fk_kept)
			return -1;
		fields_of(m, ct, opt, err);
		char buf[160];
		const char *why = table_problem(ct, buf, sizeof buf);
		if (why) {
			snprintf(ct->skip_reason, sizeof ct->skip_reason, "%s", why);
			fprintf(err, "calx-codegen: table %s: %s\n", ct->t->name, why);
			ct->selected = false;
			m->n_skipped_tables++;
			continue;
		}
		struct_tag(m, ct, opt);
	}
	for (unsigned i = 0; i < m->n_tables; i++) {
		cg_table *ct = &m->tables[i];
		for (unsigned f = 0; ct->selected && f < ct->t->n_fks; f++)
			ct->fk_kept[f] = fk_usable(m, ct, &ct->t->fks[f]);
	}
	for (unsigned i = 0; i < m->n_tables; i++)
		if (m->tables[i].selected)
			m->tables[i].association = is_association(m, &m->tables[i]);
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
			cg_table *parent = find_table(m, ct->t->fks[f].ref_table);
			if (parent->association)
				continue;       /* an association table is no relationship's target */
			if (relate(ct, &ct->t->fks[f], parent) != 0)
				return -1;
		}
	}
	return 0;
}

void cg_model_free(cg_model *m)
{
	for (unsigned i = 0; i < m->n_tables; i++) {
		free(m->tables[i].fields);
		free(m->tables[i].rels);
		free(m->tables[i].fk_kept);
	}
	free(m->tables);
	memset(m, 0, sizeof *m);
}
