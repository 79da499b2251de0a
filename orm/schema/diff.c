/*
 * calx_schema_diff: the registry's tables against an inspection of the
 * engine's default schema. Columns by name, types up to synonyms
 * (types.c), nullability, the primary key's columns; indexes and unique,
 * check and foreign-key constraints by the names the registry gives them
 * (orm/mapping/tables.c), since a name is what create_all wrote and what
 * a migration would drop; a foreign key found by its name is compared
 * whole (columns, referred table and columns, actions).
 *
 * A schema-qualified table ("billing.invoices", sql/qualified.c) is looked
 * for in that schema on PostgreSQL, which calx_schema_diff inspects as
 * well as the default one, and by its folded name (billing_invoices) on
 * SQLite.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/inspect.h"
#include "base/alloc.h"
#include "engine/engine.h"
#include "mapping/registry.h"
#include "schema/schema.h"
#include "sql/qualified.h"

struct calx_drift_list {
	calx__pool pool;
	calx_drift *entries;
	unsigned n;
};

typedef struct differ {
	calx_drift_list *diff;
	bool oom;
} differ;

static void add(differ *df, calx_drift_kind kind, const char *table, const char *column, const char *constraint,
                const char *expected, const char *found, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 8, 9)))
#endif
	;

static void add(differ *df, calx_drift_kind kind, const char *table, const char *column, const char *constraint,
                const char *expected, const char *found, const char *fmt, ...)
{
	calx__pool *p = &df->diff->pool;
	calx_drift *e = calx__pool_push(p, &df->diff->entries, &df->diff->n, sizeof *e);
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (!e || !(e->table = calx__pool_strdup(p, table)) || !(e->text = calx__pool_strdup(p, line))) {
		df->oom = true;
		return;
	}
	e->kind = kind;
	e->column = calx__pool_strdup(p, column);
	e->constraint = calx__pool_strdup(p, constraint);
	e->expected = calx__pool_strdup(p, expected);
	e->found = calx__pool_strdup(p, found);
	if ((column && !e->column) || (constraint && !e->constraint) || (expected && !e->expected) ||
	    (found && !e->found))
		df->oom = true;
}

static bool key_has(const calx_insp_key *keys, unsigned n, const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (keys[i].name && strcmp(keys[i].name, name) == 0)
			return true;
	return false;
}

/* "(a, b)" */
static void list_names(char *buf, size_t cap, const char *const *names, unsigned n)
{
	size_t at = (size_t)snprintf(buf, cap, "(");
	for (unsigned i = 0; i < n && at < cap; i++)
		at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", names[i]);
	if (at < cap)
		snprintf(buf + at, cap - at, ")");
}

static void diff_columns(differ *df, const calx_dialect *d, const calx_table_desc *t, const calx_insp_table *lt)
{
	for (unsigned f = 0; f < t->n_columns; f++) {
		const calx_field_desc *fd = &t->columns[f];
		const calx_insp_column *lc = calx_insp_table_column(lt, fd->column);
		if (!lc) {
			add(df, CALX_DRIFT_MISSING_COLUMN, t->name, fd->column, NULL, NULL, NULL,
			    "table %s: column %s missing", t->name, fd->column);
			continue;
		}
		/*
		 * A deferred table is the database's: its types and nullability
		 * are what calx_prepare checks the fields against, and the
		 * columns the struct leaves out are not drift.
		 */
		if (t->deferred)
			continue;
		char declared[256], want[256], have[256];
		calx__column_type(d, fd, declared, sizeof declared);
		calx__type_canonical(declared, want, sizeof want);
		calx__type_canonical(lc->type, have, sizeof have);
		if (strcmp(want, have) != 0)
			add(df, CALX_DRIFT_TYPE, t->name, fd->column, NULL, want, have,
			    "table %s: column %s: type %s, the database has %s", t->name, fd->column, want, have);
		/* a key's columns: NOT NULL on PostgreSQL by the key, not always said on SQLite; the key decides */
		bool in_pk = false;
		for (unsigned k = 0; k < t->n_pk; k++)
			in_pk |= t->pk[k] == f;
		bool want_null = !(fd->flags & CALX_FIELD_NOT_NULL);
		if (!in_pk && want_null != lc->nullable)
			add(df, CALX_DRIFT_NULLABLE, t->name, fd->column, NULL, want_null ? "NULL" : "NOT NULL",
			    lc->nullable ? "NULL" : "NOT NULL", "table %s: column %s: %s, the database has %s", t->name,
			    fd->column, want_null ? "NULL" : "NOT NULL", lc->nullable ? "NULL" : "NOT NULL");
	}
	for (unsigned i = 0; i < lt->n_columns && !t->deferred; i++) {
		bool known = false;
		for (unsigned f = 0; f < t->n_columns && !known; f++)
			known = strcmp(t->columns[f].column, lt->columns[i].name) == 0;
		if (!known)
			add(df, CALX_DRIFT_EXTRA_COLUMN, t->name, lt->columns[i].name, NULL, NULL, NULL,
			    "table %s: column %s not in the registry", t->name, lt->columns[i].name);
	}
}

static void diff_pk(differ *df, const calx_table_desc *t, const calx_insp_table *lt)
{
	const char *cols[CALX__MAX_PK];
	unsigned n = t->n_pk < CALX__MAX_PK ? t->n_pk : CALX__MAX_PK;
	bool same = n == lt->pk.n_columns;
	for (unsigned k = 0; k < n; k++) {
		cols[k] = t->columns[t->pk[k]].column;
		same = same && strcmp(cols[k], lt->pk.columns[k]) == 0;
	}
	if (same)
		return;
	char want[256], have[256];
	list_names(want, sizeof want, cols, n);
	list_names(have, sizeof have, lt->pk.columns, lt->pk.n_columns);
	add(df, CALX_DRIFT_PRIMARY_KEY, t->name, NULL, NULL, want, have, "table %s: primary key %s, the database has %s",
	    t->name, want, have);
}

/*
 * Does the live table (schema, name) stand for the registry's table
 * `want` ("invoices" or "billing.invoices")? On PostgreSQL a qualified
 * name is its schema and table; an unqualified one any schema's table of
 * that name (the default schema's, as inspected). Elsewhere the schema is
 * folded into the name.
 */
static bool live_name_is(const calx_dialect *d, const char *want, const char *schema, const char *name)
{
	const char *dot = calx__table_schema_end(want);
	if (!dot)
		return strcmp(want, name) == 0;
	if (calx__sql_has_schemas(d))
		return schema && strlen(schema) == (size_t)(dot - want) && !strncmp(want, schema, (size_t)(dot - want)) &&
		       strcmp(dot + 1, name) == 0;
	char folded[2 * 64 + 2];
	return calx__table_folded(want, folded, sizeof folded) && strcmp(folded, name) == 0;
}

/* "(a, b) -> parent (x, y), on delete CASCADE, on update NO ACTION" */
static void fk_text(char *buf, size_t cap, const char *const *cols, const char *ref_table, const char *const *ref_cols,
                    unsigned n, const char *ondelete, const char *onupdate)
{
	char a[256], b[256];
	list_names(a, sizeof a, cols, n);
	list_names(b, sizeof b, ref_cols, n);
	snprintf(buf, cap, "%s -> %s %s, on delete %s, on update %s", a, ref_table, b, ondelete, onupdate);
}

/* The action as the catalogs name it: NULL (none given) is NO ACTION; upper case. */
static void action_name(char *buf, size_t cap, const char *action)
{
	size_t n = 0;
	for (const char *p = action && *action ? action : "NO ACTION"; *p && n + 1 < cap; p++)
		buf[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	buf[n] = '\0';
}

/*
 * A foreign key the database has by the registry's name: the same columns,
 * referred table and columns and actions? On SQLite a key that names the
 * parent's primary key implicitly has "" for a referred column: taken as
 * the same.
 */
static void diff_fk(differ *df, const calx_dialect *d, const calx_table_desc *t, const calx_fk_desc *fk,
                    const char *name, const calx_insp_fk *lf)
{
	const char *cols[CALX__MAX_PK * 4], *refs[CALX__MAX_PK * 4];
	unsigned n = fk->n_columns < CALX__MAX_PK * 4 ? fk->n_columns : CALX__MAX_PK * 4;
	char del[32], upd[32], want[1024], have[1024], live_ref[2 * 64 + 2];
	bool same = n == lf->n_columns && live_name_is(d, fk->ref_table->name, lf->ref_schema, lf->ref_table);
	for (unsigned i = 0; i < n; i++) {
		cols[i] = t->columns[fk->columns[i]].column;
		refs[i] = fk->ref_table->columns[fk->ref_columns[i]].column;
		same = same && strcmp(cols[i], lf->columns[i]) == 0 &&
		       (!lf->ref_columns[i][0] || strcmp(refs[i], lf->ref_columns[i]) == 0);
	}
	action_name(del, sizeof del, fk->ondelete);
	action_name(upd, sizeof upd, fk->onupdate);
	if (same && strcmp(del, lf->ondelete) == 0 && strcmp(upd, lf->onupdate) == 0)
		return;
	fk_text(want, sizeof want, cols, fk->ref_table->name, refs, n, del, upd);
	/* a qualified table's key says the live schema too */
	if (calx__table_schema_end(fk->ref_table->name) && lf->ref_schema)
		snprintf(live_ref, sizeof live_ref, "%s.%s", lf->ref_schema, lf->ref_table);
	else
		snprintf(live_ref, sizeof live_ref, "%s", lf->ref_table);
	fk_text(have, sizeof have, lf->columns, live_ref, lf->ref_columns, lf->n_columns, lf->ondelete,
	        lf->onupdate);
	add(df, CALX_DRIFT_FK, t->name, NULL, name, want, have, "table %s: foreign key %s: %s, the database has %s",
	    t->name, name, want, have);
}

static bool unnamed_fk_matches(const calx_table_desc *t, const calx_fk_desc *fk, const calx_insp_fk *lf)
{
	if (lf->n_columns != fk->n_columns || strcmp(lf->ref_table, fk->ref_table->name) != 0)
		return false;
	for (unsigned i = 0; i < fk->n_columns; i++)
		if (strcmp(lf->columns[i], t->columns[fk->columns[i]].column) != 0)
			return false;
	return true;
}

static void diff_constraints(differ *df, const calx_dialect *d, const calx__table *rt, const calx_insp_table *lt)
{
	const calx_table_desc *t = rt->desc;
	for (unsigned k = 0; k < t->n_indexes; k++)
		if (!key_has(lt->indexes, lt->n_indexes, rt->ix_names[k]))
			add(df, CALX_DRIFT_MISSING_INDEX, t->name, NULL, rt->ix_names[k], NULL, NULL, "table %s: index %s missing",
			    t->name, rt->ix_names[k]);
	for (unsigned k = 0; k < t->n_uniques; k++)
		if (!key_has(lt->uniques, lt->n_uniques, rt->uq_names[k]))
			add(df, CALX_DRIFT_MISSING_UNIQUE, t->name, NULL, rt->uq_names[k], NULL, NULL,
			    "table %s: unique constraint %s missing", t->name, rt->uq_names[k]);
	for (unsigned k = 0; k < t->n_checks; k++) {
		bool found = false;
		for (unsigned i = 0; i < lt->n_checks && !found; i++)
			found = lt->checks[i].name && strcmp(lt->checks[i].name, rt->ck_names[k]) == 0;
		if (!found)
			add(df, CALX_DRIFT_MISSING_CHECK, t->name, NULL, rt->ck_names[k], NULL, NULL,
			    "table %s: check constraint %s missing", t->name, rt->ck_names[k]);
	}
	for (unsigned k = 0; k < t->n_fks; k++) {
		const calx_insp_fk *found = NULL;
		for (unsigned i = 0; i < lt->n_fks && !found; i++)
			if (lt->fks[i].name && strcmp(lt->fks[i].name, rt->fk_names[k]) == 0)
				found = &lt->fks[i];
		/*
		 * A key the database keeps no name for (SQLite's
		 * FOREIGN KEY without CONSTRAINT name) has none to match:
		 * it is the registry's key when its columns and referred
		 * table are; the rest is compared as for a named one.
		 */
		for (unsigned i = 0; i < lt->n_fks && !found; i++)
			if (!lt->fks[i].name && unnamed_fk_matches(t, &t->fks[k], &lt->fks[i]))
				found = &lt->fks[i];
		if (!found)
			add(df, CALX_DRIFT_MISSING_FK, t->name, NULL, rt->fk_names[k], NULL, NULL,
			    "table %s: foreign key %s missing", t->name, rt->fk_names[k]);
		else
			diff_fk(df, d, t, &t->fks[k], rt->fk_names[k], found);
	}
}

/* Is the registry's table `want` looked for among the appended schemas' tables (PostgreSQL, qualified)? */
static bool in_other_schema(const calx_dialect *d, const char *want)
{
	return calx__table_schema_end(want) && calx__sql_has_schemas(d);
}

/* The live table that stands for the registry's table `want`, or NULL. */
static const calx_insp_table *live_table(const calx_dialect *d, const calx_inspection *in, const char *want)
{
	bool other = in_other_schema(d, want);
	for (unsigned i = other ? in->n_first : 0; i < (other ? in->n_tables : in->n_first); i++)
		if (live_name_is(d, want, in->tables[i].schema, in->tables[i].name))
			return &in->tables[i];
	return NULL;
}

int calx__schema_diff_of(const calx_registry *reg, const calx_dialect *d, const calx_inspection *in,
                         calx_drift_list **out, calx_error *err)
{
	*out = NULL;
	calx_drift_list *diff = calx__calloc(1, sizeof *diff);
	if (!diff)
		return calx_error_set(err, CALX_ENOMEM, "schema diff: out of memory");
	differ df = { diff, false };
	for (unsigned i = 0; i < reg->n_tables && !df.oom; i++) {
		const calx__table *rt = &reg->tables[reg->table_order[i]];
		const calx_table_desc *t = rt->desc;
		if (rt->abstract)
			continue;       /* an abstract concrete root's table is described, never created */
		const calx_insp_table *lt = live_table(d, in, t->name);
		if (!lt) {
			add(&df, CALX_DRIFT_MISSING_TABLE, t->name, NULL, NULL, NULL, NULL, "table %s missing", t->name);
			continue;
		}
		diff_columns(&df, d, t, lt);
		diff_pk(&df, t, lt);
		diff_constraints(&df, d, rt, lt);
	}
	for (unsigned i = 0; i < calx_inspection_count(in) && !df.oom; i++) {
		const calx_insp_table *lt = calx_inspection_table(in, i);
		bool known = false;
		for (unsigned k = 0; k < reg->n_tables && !known; k++) {
			const char *want = reg->tables[k].desc->name;
			known = (i >= in->n_first) == in_other_schema(d, want) && live_name_is(d, want, lt->schema, lt->name);
		}
		char shown[2 * 64 + 2];
		snprintf(shown, sizeof shown, "%s%s%s", i >= in->n_first ? lt->schema : "", i >= in->n_first ? "." : "",
		         lt->name);
		if (!known)
			add(&df, CALX_DRIFT_EXTRA_TABLE, shown, NULL, NULL, NULL, NULL, "table %s not in the registry", shown);
	}
	if (df.oom) {
		calx_drift_list_free(diff);
		return calx_error_set(err, CALX_ENOMEM, "schema diff: out of memory");
	}
	*out = diff;
	return CALX_OK;
}

int calx_schema_diff(const calx_registry *reg, calx_engine *eng, calx_drift_list **out)
{
	if (!out)
		return CALX_EINVAL;
	*out = NULL;
	if (!reg || !eng || !eng->d)
		return CALX_EINVAL;
	calx_error *err = calx__engine_err(eng);
	if (reg->err.code)
		return calx_error_set(err, CALX_EINVAL, "registry failed to open: %s", reg->err.msg);
	calx__conn *c;
	int rc = calx__engine_acquire(eng, &c, err);
	if (rc != CALX_OK)
		return rc;
	calx_inspection *in;
	rc = calx__inspect_conn(eng, c, NULL, &in, err);
	/* and every other schema a qualified table names, once each (PostgreSQL) */
	for (unsigned i = 0; rc == CALX_OK && i < reg->n_tables; i++) {
		const char *name = reg->tables[i].desc->name, *dot = calx__table_schema_end(name);
		bool seen = !in_other_schema(eng->d, name);
		for (unsigned k = 0; k < i && !seen; k++) {
			const char *other = reg->tables[k].desc->name, *odot = calx__table_schema_end(other);
			seen = odot && odot - other == dot - name && !strncmp(other, name, (size_t)(dot - name));
		}
		if (seen || (size_t)(dot - name) >= 64)
			continue;
		char schema[64];
		memcpy(schema, name, (size_t)(dot - name));
		schema[dot - name] = '\0';
		rc = calx__inspect_more(c, schema, in, err);
		if (rc == CALX_ENOTFOUND)
			rc = CALX_OK;   /* no such schema yet: its tables are missing */
	}
	calx__engine_release(eng, c, rc == CALX_ECONNECT);
	if (rc == CALX_OK)
		rc = calx__schema_diff_of(reg, eng->d, in, out, err);
	calx_inspection_free(in);
	return rc;
}

void calx_drift_list_free(calx_drift_list *diff)
{
	if (!diff)
		return;
	calx__pool_free(&diff->pool);
	calx__free(diff);
}

unsigned calx_drift_list_count(const calx_drift_list *diff)
{
	return diff ? diff->n : 0;
}

const calx_drift *calx_drift_list_entry(const calx_drift_list *diff, unsigned i)
{
	return diff && i < diff->n ? &diff->entries[i] : NULL;
}

const char *calx_drift_kind_name(calx_drift_kind kind)
{
	switch (kind) {
	case CALX_DRIFT_MISSING_TABLE: return "missing table";
	case CALX_DRIFT_EXTRA_TABLE: return "extra table";
	case CALX_DRIFT_MISSING_COLUMN: return "missing column";
	case CALX_DRIFT_EXTRA_COLUMN: return "extra column";
	case CALX_DRIFT_TYPE: return "type";
	case CALX_DRIFT_NULLABLE: return "nullability";
	case CALX_DRIFT_PRIMARY_KEY: return "primary key";
	case CALX_DRIFT_MISSING_INDEX: return "missing index";
	case CALX_DRIFT_MISSING_UNIQUE: return "missing unique constraint";
	case CALX_DRIFT_MISSING_CHECK: return "missing check constraint";
	case CALX_DRIFT_MISSING_FK: return "missing foreign key";
	case CALX_DRIFT_FK: return "foreign key";
	}
	return "unknown";
}
