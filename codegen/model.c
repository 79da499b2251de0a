/*
 * model.c - from inspected tables to structs: which tables are chosen and
 * mappable, a C type and member name for every column, association
 * tables; then relations.c gives each foreign key's two tables their
 * relationships.
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
void cg_unique_name(const cg_table *t, unsigned n_fields, const char *base, char *out, size_t cap)
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

cg_table *cg_find_table(cg_model *m, const char *name)
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
 * --times-as-text: a date or time column stays char *. The time types
 * write their canonical text ("2009-01-01 00:00:00.000000"); text that
 * another program wrote on SQLite in another form ("2009-01-01 00:00:00")
 * loads as the same time but would be rewritten in calx's form by a copy.
 */
static void keep_time_text(cg_type *t)
{
	t->family = CG_TEXT;
	t->plain = t->opt = "char *";
	t->include = NULL;
	t->calx_kind = NULL;
	t->kept_as_text = "time (--times-as-text)";
	t->note = t->note ? t->note : "date/time text as the database holds it (--times-as-text)";
}

/*
 * A key column of a time or decimal type: calx's time types have a NULL of
 * their own, which a key may not, and a calx_decimal is no key. It keeps
 * what the database gives: text, or on SQLite a NUMERIC's double.
 */
static void key_keeps_old_type(const char *dialect, cg_type *t)
{
	bool real = t->family == CG_DECIMAL && strcmp(dialect, "sqlite") == 0;
	t->kept_as_text = t->family == CG_TIME ? "time in a key" : "decimal in a key";
	t->family = real ? CG_REAL : CG_TEXT;
	t->plain = t->opt = real ? "double" : "char *";
	t->include = NULL;
	t->calx_kind = NULL;
	if (!t->note)
		t->note = real ? "a key: SQLite holds NUMERIC values as REAL or INTEGER"
		               : "a key: text as the database writes it (calx's value types are no keys)";
}

/*
 * --char-arrays M: a text column of a declared length L <= M is char[L + 1].
 * L counts characters; a value of more bytes (non-ASCII text) is refused
 * at load with CALX_ERANGE, never cut. Text without a length, and text
 * that stands for something else (decimals, dates, enums), stays char *.
 */
static unsigned char_array_len(const cg_field *f, const cg_options *opt)
{
	if (!opt->char_arrays || f->type.family != CG_TEXT || f->type.note || f->type.kept_as_text || f->type.option)
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
		if (opt->times_as_text && f->type.family == CG_TIME)
			keep_time_text(&f->type);
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
		if (f->pk && (f->type.family == CG_TIME || f->type.family == CG_DECIMAL))
			key_keeps_old_type(m->dialect, &f->type);
		f->autoincrement = f->pk && t->pk.n_columns == 1 && f->col->autoincrement && f->type.family == CG_INT;
		char base[72];
		cg_identifier(base, sizeof base, f->col->name, opt->field_case);
		cg_unique_name(ct, ct->n_fields, base, f->name, sizeof f->name);
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

/*
 * A column that refers to a key kept as text (key_keeps_old_type) keeps
 * text too, so that the foreign key joins fields of one C type.
 */
static void keys_agree(cg_model *m, cg_table *ct)
{
	for (unsigned f = 0; f < ct->t->n_fks; f++) {
		const calx_insp_fk *fk = &ct->t->fks[f];
		cg_table *target = cg_find_table(m, fk->ref_table);
		for (unsigned k = 0; target && target->selected && k < fk->n_columns; k++) {
			cg_field *a = find_field(ct, fk->columns[k]), *b = find_field(target, fk->ref_columns[k]);
			if (!a || !b || !b->pk || (a->type.family != CG_TIME && a->type.family != CG_DECIMAL) ||
			    (b->type.family == CG_TIME || b->type.family == CG_DECIMAL))
				continue;
			key_keeps_old_type(m->dialect, &a->type);
			a->type.note = "refers to a key kept as the database writes it (calx's value types are no keys)";
		}
	}
}

/* Every column of fk mapped, in this table and in the target's, and the target chosen. */
static bool fk_usable(cg_model *m, cg_table *ct, const calx_insp_fk *fk)
{
	cg_table *target = cg_find_table(m, fk->ref_table);
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
	for (unsigned i = 0; i < m->n_tables; i++)
		if (m->tables[i].selected)
			keys_agree(m, &m->tables[i]);
	for (unsigned i = 0; i < m->n_tables; i++) {
		cg_table *ct = &m->tables[i];
		for (unsigned f = 0; ct->selected && f < ct->t->n_fks; f++)
			ct->fk_kept[f] = fk_usable(m, ct, &ct->t->fks[f]);
	}
	for (unsigned i = 0; i < m->n_tables; i++)
		if (m->tables[i].selected)
			m->tables[i].association = is_association(m, &m->tables[i]);
	return cg_relate_all(m);
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
