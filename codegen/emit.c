/*
 * emit.c - the annotated header: one struct per chosen table, in the
 * inspection's order (by name), every struct declared first so that
 * relationships may point either way. Each column says its SQL type and
 * name as the database has them, so that create_all recreates the table
 * calx_schema_diff finds equal to the original; each constraint keeps the
 * database's name where the database has one.
 */
#include <stdlib.h>
#include <string.h>
#include "codegen.h"

/* s as the inside of a C string literal. */
static void put_cstring(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
}

/* s inside a comment: "*" "/" cannot end it early. */
static void put_comment_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (s[0] == '*' && s[1] == '/')
			fputs("* /", out), s++;
		else if (*s == '\n')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

/*
 * SQL text calx-reflect embeds in DDL may not hold what would end its
 * clause early: a semicolon or a comment (docs/reflect.md). The
 * databases' own catalog text rarely does; when it does, it is left out
 * with a comment rather than refused by the build.
 */
static bool embeddable_sql(const char *s)
{
	return !strchr(s, ';') && !strstr(s, "--") && !strstr(s, "/*");
}

static const cg_field *field_of(const cg_table *t, const char *column)
{
	for (unsigned i = 0; i < t->n_fields; i++)
		if (strcmp(t->fields[i].col->name, column) == 0)
			return &t->fields[i];
	return NULL;
}

static bool columns_mapped(const cg_table *t, const char *const *cols, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		const cg_field *f = cols[k] ? field_of(t, cols[k]) : NULL;
		if (!f || !f->mapped)
			return false;
	}
	return n > 0;
}

static void put_columns(FILE *out, const char *const *cols, unsigned n, bool one_string)
{
	for (unsigned k = 0; k < n; k++) {
		if (one_string)
			fprintf(out, "%s%s", k ? ", " : "", cols[k]);
		else
			fprintf(out, "%s\"%s\"", k ? ", " : "", cols[k]);
	}
}

/* Opens the next table-level argument: a comma after the name or the previous one, a new line. */
static void next_arg(FILE *out)
{
	fputs(",\n\t", out);
}

static void table_constraints(FILE *out, const cg_table *ct, FILE *notes)
{
	const calx_insp_table *t = ct->t;
	for (unsigned i = 0; i < t->n_uniques; i++) {
		const calx_insp_key *k = &t->uniques[i];
		if (!columns_mapped(ct, k->columns, k->n_columns)) {
			fprintf(notes, " * unique constraint %s left out: a column of it is not mapped\n",
			        k->name ? k->name : "(unnamed)");
			continue;
		}
		next_arg(out);
		fputs("unique(", out);
		put_columns(out, k->columns, k->n_columns, false);
		if (k->name && cg_plain_sql_name(k->name))
			fprintf(out, ", name=\"%s\"", k->name);
		fputc(')', out);
	}
	for (unsigned i = 0; i < t->n_indexes; i++) {
		const calx_insp_key *k = &t->indexes[i];
		if (!columns_mapped(ct, k->columns, k->n_columns) || !k->name || !cg_plain_sql_name(k->name)) {
			fprintf(notes, " * index %s left out: it is on an expression or a column that is not mapped\n",
			        k->name ? k->name : "(unnamed)");
			continue;
		}
		next_arg(out);
		fputs("index(", out);
		put_columns(out, k->columns, k->n_columns, false);
		fprintf(out, ", name=\"%s\"%s)", k->name, k->unique ? ", unique=true" : "");
	}
	for (unsigned i = 0; i < t->n_checks; i++) {
		const calx_insp_check *c = &t->checks[i];
		if (!embeddable_sql(c->sqltext)) {
			fprintf(notes, " * check %s left out: its text holds ';' or a comment: ",
			        c->name ? c->name : "(unnamed)");
			put_comment_text(notes, c->sqltext);
			fputc('\n', notes);
			continue;
		}
		next_arg(out);
		fputs("check(\"", out);
		put_cstring(out, c->sqltext);
		/* a table-level check needs a name; SQLite keeps none for an unnamed one */
		if (c->name && cg_plain_sql_name(c->name))
			fprintf(out, "\", name=\"%s\")", c->name);
		else
			fprintf(out, "\", name=\"ck_%.40s_%u\")", t->name, i + 1);
	}
	for (unsigned i = 0; i < t->n_fks; i++) {
		const calx_insp_fk *fk = &t->fks[i];
		if (!ct->fk_kept[i]) {
			fprintf(notes, " * foreign key %s -> %s left out: its target is not in this header or a column "
			               "of it is not mapped\n", fk->name ? fk->name : "(unnamed)", fk->ref_table);
			continue;
		}
		next_arg(out);
		fputs("foreign_key(\"", out);
		put_columns(out, fk->columns, fk->n_columns, true);
		fprintf(out, "\", \"%s(", fk->ref_table);
		put_columns(out, fk->ref_columns, fk->n_columns, true);
		fputs(")\"", out);
		if (fk->name && cg_plain_sql_name(fk->name))
			fprintf(out, ", name=\"%s\"", fk->name);
		fprintf(out, ", ondelete=\"%s\", onupdate=\"%s\")", fk->ondelete ? fk->ondelete : "NO ACTION",
		        fk->onupdate ? fk->onupdate : "NO ACTION");
	}
}

static void column_field(FILE *out, const cg_table *ct, const cg_field *f)
{
	const calx_insp_column *c = f->col;
	bool nullable = c->nullable && !f->pk;
	/* text, bytes, decimals and times hold their own NULL: NOT NULL is said; scalars and calx_uuid are NOT NULL */
	bool null_in_value = f->type.family == CG_TEXT || f->type.family == CG_BYTES || f->type.family == CG_DECIMAL ||
	                     f->type.family == CG_TIME;
	const char *ctype = nullable ? f->type.opt : f->type.plain;
	if (f->array_len)
		fprintf(out, "\tchar %s[%u] CALX(", f->name, f->array_len);
	else
		fprintf(out, "\t%s%s%s CALX(", ctype, ctype[strlen(ctype) - 1] == '*' ? "" : " ", f->name);
	const char *sep = "";
	if (f->pk) {
		fputs("primary_key", out);
		sep = ", ";
		if (f->type.family == CG_INT && !f->autoincrement && ct->t->pk.n_columns == 1)
			fprintf(out, "%sautoincrement(false)", sep);
	} else if (!nullable && null_in_value) {
		fputs("not_null", out);
		sep = ", ";
	}
	if (f->type.option) {
		fprintf(out, "%s%s", sep, f->type.option);
		sep = ", ";
	}
	if (strcmp(f->name, c->name) != 0) {
		fprintf(out, "%sname(\"%s\")", sep, c->name);
		sep = ", ";
	}
	if (!f->autoincrement && !f->type.option) {
		fprintf(out, "%stype(\"", sep);
		put_cstring(out, c->type);
		fputs("\")", out);
		sep = ", ";
	}
	bool server_default = c->default_sql && !f->autoincrement && embeddable_sql(c->default_sql) &&
	                      !strstr(c->default_sql, "nextval(");
	if (server_default) {
		fprintf(out, "%sserver_default(\"", sep);
		put_cstring(out, c->default_sql);
		fputs("\")", out);
	}
	fputs(");", out);
	if (f->type.note || (c->default_sql && !server_default && !f->autoincrement)) {
		fputs(" /* ", out);
		if (f->type.note)
			put_comment_text(out, f->type.note);
		if (c->default_sql && !server_default && !f->autoincrement) {
			fputs(f->type.note ? "; " : "", out);
			fputs("default left to the database: ", out);
			put_comment_text(out, c->default_sql);
		}
		fputs(" */", out);
	}
	fputc('\n', out);
}

static void left_out(FILE *out, const cg_field *f)
{
	fprintf(out, "\t/* column %s (", f->col->name);
	put_comment_text(out, f->col->type);
	fputs(") left out: ", out);
	put_comment_text(out, f->type.reason);
	if (!f->col->nullable && !f->col->default_sql)
		fputs("; it is NOT NULL without a default, so inserts through this struct fail", out);
	fputs(" */\n", out);
}

static void foreign_keys(FILE *out, const calx_insp_fk *fk, const char **sep)
{
	fprintf(out, "%sforeign_keys(", *sep);
	put_columns(out, fk->columns, fk->n_columns, false);
	fputc(')', out);
	*sep = ", ";
}

static void relationship_field(FILE *out, const cg_rel *r)
{
	const char *sep = "";
	switch (r->kind) {
	case CG_REL_MANY_TO_ONE:
		fprintf(out, "\tstruct %s *%s CALX(", r->target->tag, r->name);
		break;
	case CG_REL_ONE_TO_ONE_PARENT:
		fprintf(out, "\tstruct %s *%s CALX(uselist(false)", r->target->tag, r->name);
		sep = ", ";
		break;
	case CG_REL_ONE_TO_MANY:
		fprintf(out, "\tCALX_LIST(struct %s) %s CALX(", r->target->tag, r->name);
		break;
	case CG_REL_MANY_TO_MANY:
		fprintf(out, "\tCALX_LIST(struct %s) %s CALX(secondary(\"%s\")", r->target->tag, r->name,
		        r->secondary->t->name);
		sep = ", ";
		break;
	}
	fprintf(out, "%sback_populates(\"%s\")", sep, r->partner);
	sep = ", ";
	if (r->need_foreign_keys)
		foreign_keys(out, r->kind == CG_REL_MANY_TO_MANY ? r->secondary_fk : r->fk, &sep);
	fputs(");\n", out);
}

static void table_struct(FILE *out, const cg_table *ct)
{
	/* what is left out of the table's constraints, said in the comment above it */
	char *notes_text = NULL;
	size_t notes_len = 0;
	FILE *notes = open_memstream(&notes_text, &notes_len);
	char *args_text = NULL;
	size_t args_len = 0;
	FILE *args = open_memstream(&args_text, &args_len);
	if (!notes || !args) {
		if (notes)
			fclose(notes);
		if (args)
			fclose(args);
		free(notes_text);
		free(args_text);
		fputs("#error calx-codegen: out of memory\n", out);
		return;
	}
	table_constraints(args, ct, notes);
	fclose(notes);
	fclose(args);

	fprintf(out, "/* table %s", ct->t->name);
	if (ct->association)
		fputs(": an association table (two foreign keys and nothing else), the secondary of a many-to-many", out);
	if (notes_len)
		fprintf(out, "\n%s ", notes_text);     /* its lines are "\t * ...\n" */
	fputs(notes_len ? "*/\n" : " */\n", out);
	fprintf(out, "struct CALX_TABLE(\"%s\"%s%s) %s {\n", ct->t->name, ct->association ? ", table_only" : "",
	        args_text, ct->tag);
	free(notes_text);
	free(args_text);
	for (unsigned i = 0; i < ct->n_fields; i++) {
		if (ct->fields[i].mapped)
			column_field(out, ct, &ct->fields[i]);
		else
			left_out(out, &ct->fields[i]);
	}
	for (unsigned i = 0; i < ct->n_rels; i++)
		relationship_field(out, &ct->rels[i]);
	fputs("};\n\n", out);
}

/* The headers of the calx value types the mapped columns use, each once, in a fixed order. */
static void value_type_includes(FILE *out, const cg_model *m)
{
	static const char *const headers[] = { "calx/decimal.h", "calx/time.h", "calx/uuid.h" };
	for (size_t h = 0; h < sizeof headers / sizeof headers[0]; h++) {
		bool used = false;
		for (unsigned i = 0; i < m->n_tables && !used; i++) {
			const cg_table *t = &m->tables[i];
			for (unsigned k = 0; t->selected && k < t->n_fields && !used; k++)
				used = t->fields[k].mapped && t->fields[k].type.include &&
				       strcmp(t->fields[k].type.include, headers[h]) == 0;
		}
		if (used)
			fprintf(out, "#include <%s>\n", headers[h]);
	}
}

static void guard_name(char *out, size_t cap, const cg_options *opt)
{
	if (opt->guard) {
		snprintf(out, cap, "%s", opt->guard);
		return;
	}
	const char *base = opt->output ? strrchr(opt->output, '/') : NULL;
	base = base ? base + 1 : opt->output ? opt->output : "calx_models.h";
	char ident[120];
	cg_identifier(ident, sizeof ident, base, CG_FIELD_LOWER);
	size_t n = 0;
	for (const char *p = ident; *p && n + 2 < cap; p++)
		out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	out[n] = '\0';
	if (!opt->output)
		snprintf(out, cap, "CALX_MODELS_H");
}

int cg_emit(FILE *out, const cg_model *m, const cg_options *opt, FILE *progress)
{
	char guard[128];
	guard_name(guard, sizeof guard, opt);
	unsigned n = 0;
	for (unsigned i = 0; i < m->n_tables; i++)
		n += m->tables[i].selected;
	fprintf(out, "/*\n * Generated by calx-codegen from a %s database: %u table%s.\n", m->dialect, n, n == 1 ? "" : "s");
	fputs(" * Regenerate it rather than edit it (calx-codegen(1)). Each column keeps its\n"
	      " * SQL name and type, each constraint its name where the database has one.\n", out);
	for (unsigned i = 0; i < m->n_tables; i++) {
		const cg_table *ct = &m->tables[i];
		if (ct->skip_reason[0]) {
			fprintf(out, " * Table %s is not mapped: ", ct->t->name);
			put_comment_text(out, ct->skip_reason);
			fputs(".\n", out);
		}
	}
	fprintf(out, " */\n#ifndef %s\n#define %s\n\n", guard, guard);
	fputs("#include <stdbool.h>\n#include <stdint.h>\n#include <calx/annotate.h>\n#include <calx/bytes.h>\n"
	      "#include <calx/list.h>\n#include <calx/nullable.h>\n", out);
	value_type_includes(out, m);
	fputc('\n', out);
	for (unsigned i = 0; i < m->n_tables; i++)
		if (m->tables[i].selected)
			fprintf(out, "struct %s;\n", m->tables[i].tag);
	fputc('\n', out);
	unsigned done = 0, step = n >= 50 ? (n + 9) / 10 : 0;
	for (unsigned i = 0; i < m->n_tables; i++) {
		if (!m->tables[i].selected)
			continue;
		table_struct(out, &m->tables[i]);
		if (progress && step && (++done % step == 0 || done == n))
			fprintf(progress, "calx-codegen: [%u/%u] struct %s\n", done, n, m->tables[i].tag);
	}
	fprintf(out, "#endif /* %s */\n", guard);
	return ferror(out) ? -1 : 0;
}
