/*
 * reflect/check.c - checks across a table and across the schema: primary
 * keys, the default autoincrement, duplicate columns and tables, column
 * names and handle names, names the databases reserve; then constraints.c
 * for unique, index, check and foreign keys. Everything refused here would
 * otherwise fail later: at create_all, when the generated code compiles,
 * or at run time.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* PostgreSQL's system columns: every table has them, a column cannot take the name. */
static bool pg_system_column(const char *name)
{
	static const char *const names[] = { "tableoid", "xmin", "cmin", "xmax", "cmax", "ctid" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(name, names[i]))
			return true;
	return false;
}

bool calxr__sqlite_reserved(const char *name)
{
	/* SQLite refuses tables and indexes whose names begin with sqlite_ (any case). */
	return !strncasecmp(name, "sqlite_", 7);
}

/* The FieldDecl of a member path ("ts.created_at") in record rec, or a null cursor. */
static CXCursor member_cursor(calxr__ctx *cx, CXCursor rec, const char *path)
{
	CXCursor found = clang_getNullCursor();
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	unsigned n;
	CXCursor *f = calxr__fields(cx, rec, &n);

	for (unsigned i = 0; i < n && clang_Cursor_isNull(found); i++) {
		char *name = calxr__cx_take(cx, clang_getCursorSpelling(f[i]));
		if (name && strlen(name) == len && !strncmp(name, path, len))
			found = f[i];
		free(name);
	}
	free(f);
	if (dot && !clang_Cursor_isNull(found)) {
		CXType sub = clang_getCanonicalType(clang_getCursorType(found));
		found = member_cursor(cx, clang_getCursorDefinition(clang_getTypeDeclaration(sub)), dot + 1);
	}
	return found;
}

/* char[1] holds only "": the runtime's VARCHAR(N-1) would be VARCHAR(0), which PostgreSQL refuses. */
static void char_array_size(calxr__ctx *cx, const calxr__table *t, const calxr__column *c)
{
	if (c->ctype != CALX_CTYPE_CHARARRAY)
		return;
	CXCursor f = member_cursor(cx, t->cursor, c->path);
	if (clang_Cursor_isNull(f))
		return;
	long long n = clang_getArraySize(clang_getCanonicalType(clang_getCursorType(f)));
	if (n == 1)
		calxr__error(cx, &c->loc, "field '%s' of struct '%s' is char[1], which holds only the empty string (VARCHAR(0)): use char[N] with N >= 2, or char *",
			    c->member, c->owner);
}

/* What the database would refuse or silently change about a column's name. */
static void column_name(calxr__ctx *cx, const calxr__column *c)
{
	if (!c->column)
		return;
	if (!calxr__is_sql_ident(c->column) && c->prefixed)
		calxr__error(cx, &c->loc, "invalid column name '%s' of field '%s' of struct '%s' (the mixin's prefix and the field's name; expected [A-Za-z_][A-Za-z0-9_]*, at most %d bytes): shorten the prefix(...)",
			    c->column, c->member, c->owner, CALXR__IDENT_MAX);
	else if (!calxr__is_sql_ident(c->column))
		calxr__error(cx, &c->loc, "invalid column name '%s' of field '%s' of struct '%s' (expected [A-Za-z_][A-Za-z0-9_]*, at most %d bytes): rename the field or give it name(\"...\")",
			    c->column, c->member, c->owner, CALXR__IDENT_MAX);
	else if (pg_system_column(c->column))
		calxr__error(cx, &c->loc, "column name '%s' of field '%s' of struct '%s' is a PostgreSQL system column of every table: rename the field or give it name(\"...\")",
			    c->column, c->member, c->owner);
}

static void primary_key(calxr__ctx *cx, calxr__table *t)
{
	/* A misspelt primary_key was already reported: do not report it again as missing. */
	if (t->n_pk == 0 && t->option_errors)
		return;
	if (t->n_pk == 0) {
		calxr__error(cx, &t->loc, "table '%s' of struct '%s' has no primary key", t->table, t->tag);
		return;
	}
	if (t->n_pk > CALXR__MAX_PK)
		calxr__error(cx, &t->loc, "table '%s' of struct '%s' has a primary key of %u columns, more than the %d calx supports: use a surrogate key (int64_t id CALX(primary_key)) and unique(...) on these columns",
			    t->table, t->tag, t->n_pk, CALXR__MAX_PK);
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		if (!(c->flags & CALX_FIELD_PRIMARY_KEY))
			continue;
		if (c->autoinc_explicit && t->n_pk > 1)
			calxr__error(cx, &c->loc, "option 'autoincrement' needs a single-column integer primary key on field '%s' of struct '%s'",
				    c->member, c->owner);
		/* SQLAlchemy's autoincrement="auto": a lone integer key is generated. */
		if (t->n_pk == 1 && calxr__ctype_is_integer(c->ctype) && !(c->flags & CALX_FIELD_ENUM) &&
		    !c->autoinc_off)
			c->flags |= CALX_FIELD_AUTOINCREMENT;
		/*
		 * The database generates a key only with calx's own column type:
		 * SQLite's rowid needs exactly INTEGER PRIMARY KEY, PostgreSQL an
		 * identity column. Another type makes every insert fail NOT NULL.
		 */
		if ((c->flags & CALX_FIELD_AUTOINCREMENT) && c->types.n)
			calxr__error(cx, &c->loc, "SQL type '%s' on autoincrement key '%s' of struct '%s': the database generates a key only with calx's own type (SQLite INTEGER PRIMARY KEY, PostgreSQL GENERATED BY DEFAULT AS IDENTITY); give the key no SQL type of its own (no type(...), no CALX_TYPE typedef), or add autoincrement(false) and set the key yourself",
				    c->types.v[0], c->member, c->owner);
	}
}

static void columns(calxr__ctx *cx, calxr__table *t)
{
	char **handles = calloc(t->n_cols ? t->n_cols : 1, sizeof *handles);

	if (!handles) {
		calxr__oom(cx);
		return;
	}
	const calxr__column *version = NULL;
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *c = &t->cols[i];
		if (c->flags & CALX_FIELD_VERSION) {
			if (version)
				calxr__error(cx, &c->loc, "table '%s' of struct '%s' has two version fields, '%s' and '%s'",
					    t->table, t->tag, version->path, c->path);
			version = c;
		}
		column_name(cx, c);
		char_array_size(cx, t, c);
		handles[i] = calxr__handle_name(cx, t->sym, c->path);
		for (unsigned j = 0; j < i; j++) {
			/* SQLite folds column names' case: "Name" and "name" are one column. */
			if (c->column && t->cols[j].column && !strcasecmp(c->column, t->cols[j].column)) {
				calxr__error(cx, &c->loc, "column '%s' of table '%s' is mapped by both field '%s' and field '%s' of struct '%s'",
					    c->column, t->table, t->cols[j].path, c->path, t->tag);
				break;
			}
			if (handles[i] && handles[j] && !strcmp(handles[i], handles[j])) {
				calxr__error(cx, &c->loc, "column handle '%s' of field '%s' collides with field '%s' of struct '%s'",
					    handles[i], c->path, t->cols[j].path, t->tag);
				break;
			}
		}
	}
	calxr__strv_free(handles, t->n_cols);
}

/* One column handle of the schema, for finding equal ones by sorting. */
typedef struct handle_entry {
	char *name;
	unsigned table, col;
} handle_entry;

/* By name, then in declaration order (table, column). */
static int handle_cmp(const void *pa, const void *pb)
{
	const handle_entry *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/*
 * Column handles are macros of one header: ORDER_LINE_ID from order.line_id
 * and order_line.id is one name. A handle that an earlier table's column
 * also spells is reported at the later column, against the first such
 * column in declaration order, in declaration order. Sorted, not compared
 * pairwise: a schema of 2,000 tables has 14,000 handles.
 */
static void handles_across_tables(calxr__ctx *cx)
{
	unsigned n = 0, at = 0;
	handle_entry *e, **first;

	for (unsigned i = 0; i < cx->n_tables; i++)
		n += cx->tables[i].n_cols;
	e = calloc(n ? n : 1, sizeof *e);
	first = calloc(n ? n : 1, sizeof *first);  /* by declaration order: the earlier table's column it clashes with */
	if (!e || !first) {
		free(e);
		free(first);
		calxr__oom(cx);
		return;
	}
	for (unsigned i = 0; i < cx->n_tables; i++)
		for (unsigned k = 0; k < cx->tables[i].n_cols; k++, at++) {
			e[at].name = calxr__handle_name(cx, cx->tables[i].sym, cx->tables[i].cols[k].path);
			e[at].table = i;
			e[at].col = k;
			if (!e[at].name)
				goto done; /* out of memory, reported */
		}
	{
		/* the declaration-order index of each entry survives the sort through (table, col) */
		unsigned *base = calloc(cx->n_tables ? cx->n_tables : 1, sizeof *base);
		handle_entry *sorted = malloc((n ? n : 1) * sizeof *sorted);
		if (!base || !sorted) {
			free(base);
			free(sorted);
			calxr__oom(cx);
			goto done;
		}
		for (unsigned i = 1; i < cx->n_tables; i++)
			base[i] = base[i - 1] + cx->tables[i - 1].n_cols;
		memcpy(sorted, e, n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, handle_cmp);
		for (unsigned g = 0; g < n;) {
			unsigned end = g + 1;
			while (end < n && sorted[g].name && sorted[end].name && !strcmp(sorted[g].name, sorted[end].name))
				end++;
			/* sorted[g] is the group's first column in declaration order; the others of later tables clash with it */
			for (unsigned m = g + 1; sorted[g].name && m < end; m++)
				if (sorted[m].table > sorted[g].table)
					first[base[sorted[m].table] + sorted[m].col] = &e[base[sorted[g].table] + sorted[g].col];
			g = end;
		}
		free(base);
		free(sorted);
	}
	for (unsigned x = 0; x < n; x++) {
		const calxr__table *t = &cx->tables[e[x].table], *u;
		if (!first[x])
			continue;
		u = &cx->tables[first[x]->table];
		calxr__error(cx, &t->cols[e[x].col].loc, "column handle '%s' of field '%s' of struct '%s' collides with field '%s' of struct '%s': rename one of the fields or structs",
			    e[x].name, t->cols[e[x].col].path, t->tag, u->cols[first[x]->col].path, u->tag);
	}
done:
	for (unsigned x = 0; x < n; x++)
		free(e[x].name);
	free(e);
	free(first);
}

/* Generated names go by the struct tag: calx's own namespace is not the program's. */
static void tag_namespace(calxr__ctx *cx, const calxr__table *t)
{
	if (t->sym && (!strcasecmp(t->sym, "calx") || !strncasecmp(t->sym, "calx_", 5)))
		calxr__error(cx, &t->loc, "struct '%s' would get generated names in calx's own namespace (%s_new, %s_eq, column handles CALX_...): rename the struct, or give calx-reflect --prefix",
			    t->tag, t->sym, t->sym);
}

/* Does the program's name u clash with a name generated for table t? */
static bool clashes(calxr__ctx *cx, const calxr__table *t, const char *u)
{
	static const char *const suffixes[] = { "_mapper", "_table", "_new", "_get", "_repr", "_eq", "_copy" };
	size_t n = strlen(t->sym);

	if (!strncmp(u, t->sym, n)) {
		for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
			if (!strcmp(u + n, suffixes[i]))
				return true;
		if (!strncmp(u + n, "__", 2)) /* the generated source's own statics */
			return true;
	}
	if (!strncmp(u, "CALX__NEW_", 10) && !strcmp(u + 10, t->sym))
		return true;
	/* a handle is the tag in capitals, '_' and the path: spell them only for a name that begins so */
	if (strncasecmp(u, t->sym, n) != 0 || u[n] != '_')
		return false;
	for (unsigned i = 0; i < t->n_cols; i++) {
		char *h = calxr__handle_name(cx, t->sym, t->cols[i].path);
		bool same = h && !strcmp(h, u);
		free(h);
		if (same)
			return true;
	}
	/* relationship helpers: sym_F, sym_set_F, sym_F_append, sym_F_remove, and the handle SYM_REL_F */
	for (unsigned i = 0; i < t->n_rels; i++) {
		const char *f = t->rels[i].name;
		char *names[5] = {
			calxr__printf(cx, "%s_%s", t->sym, f), calxr__printf(cx, "%s_set_%s", t->sym, f),
			calxr__printf(cx, "%s_%s_append", t->sym, f), calxr__printf(cx, "%s_%s_remove", t->sym, f),
			calxr__handle_name(cx, t->sym, f),
		};
		bool same = false;
		if (names[4]) {     /* SYM_F -> SYM_REL_F */
			char *h = calxr__printf(cx, "%.*sREL_%s", (int)strlen(t->sym) + 1, names[4], names[4] + strlen(t->sym) + 1);
			free(names[4]);
			names[4] = h;
		}
		for (int k = 0; k < 5; k++) {
			same = same || (names[k] && !strcmp(names[k], u));
			free(names[k]);
		}
		if (same)
			return true;
	}
	return false;
}

/* A function, global, typedef or enumerator of the program named like a generated name. */
static void program_names(calxr__ctx *cx)
{
	size_t ns = cx->schema ? strlen(cx->schema) : 0;
	for (unsigned k = 0; k < cx->n_user_names; k++) {
		const calxr__user_name *u = &cx->user_names[k];
		if (!u->name)
			continue;
		for (unsigned i = 0; i < cx->n_tables; i++)
			if (cx->tables[i].sym && clashes(cx, &cx->tables[i], u->name)) {
				calxr__error(cx, &u->loc, "'%s' is also a name calx-reflect generates for struct '%s': rename it, or give calx-reflect --prefix",
					    u->name, cx->tables[i].tag);
				break;
			}
		if (ns && !strncmp(u->name, cx->schema, ns) &&
		    (!strcmp(u->name + ns, "_schema") || !strncmp(u->name + ns, "__", 2)))
			calxr__error(cx, &u->loc, "'%s' is also a name calx-reflect generates for the schema '%s': rename it, or give calx-reflect --name",
				    u->name, cx->schema);
	}
}

/* Are a and b the same name once a schema's '.' is folded into '_' (case-insensitively, as SQLite compares)? */
static bool folded_equal(const char *a, const char *b)
{
	if (!strchr(a, '.') && !strchr(b, '.'))
		return false;   /* compared as they are */
	for (; *a && *b; a++, b++) {
		char x = *a == '.' ? '_' : (char)tolower((unsigned char)*a);
		char y = *b == '.' ? '_' : (char)tolower((unsigned char)*b);
		if (x != y)
			return false;
	}
	return !*a && !*b;
}

void calxr__check(calxr__ctx *cx)
{
	/* first: a single-table subclass takes its root's table name */
	calxr__inherit_check(cx);
	calxr__deferred_check(cx);
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		for (unsigned j = 0; j < i && calxr__has_own_table(t); j++)
			if (calxr__has_own_table(&cx->tables[j]) && t->table && cx->tables[j].table &&
			    !strcasecmp(t->table, cx->tables[j].table)) {
				calxr__error(cx, &t->loc, "table '%s' is mapped by both struct '%s' and struct '%s'",
					    t->table, cx->tables[j].tag, t->tag);
				break;
			} else if (calxr__has_own_table(&cx->tables[j]) && t->table && cx->tables[j].table &&
				   folded_equal(t->table, cx->tables[j].table)) {
				/* SQLite folds a schema into the name (orm/sql/qualified.c): billing.invoices is billing_invoices */
				calxr__error(cx, &t->loc, "tables '%s' of struct '%s' and '%s' of struct '%s' are one table on SQLite, which folds a schema into the name ('%s.%s' is '%s_%s'): rename one",
					    cx->tables[j].table, cx->tables[j].tag, t->table, t->tag, "schema", "table",
					    "schema", "table");
				break;
			}
		if (t->table && calxr__sqlite_reserved(t->table))
			calxr__error(cx, &t->loc, "table name '%s' of struct '%s' is reserved by SQLite (names beginning with sqlite_): choose another with CALX_TABLE(\"...\")",
				    t->table, t->tag);
		tag_namespace(cx, t);
		primary_key(cx, t);
		columns(cx, t);
	}
	handles_across_tables(cx);
	program_names(cx);
	/* After every table's columns are known: keys may point forward. */
	calxr__constraints(cx);
	calxr__relations(cx);
	/* Last: it reparses the translation unit, which invalidates the cursors. */
	if (!cx->errors)
		calxr__check_defaults(cx);
}
