/*
 * reflect/constraints.c - every table's unique constraints, indexes,
 * checks and foreign keys in one list: first those made from field options
 * (unique, index, check, foreign_key("t.c")), in field order, then those of
 * calx:table, in annotation order. Column names are resolved to indices,
 * foreign keys to a table of this schema, and what the database would
 * refuse later is refused here: unknown or repeated columns, a foreign key
 * whose column counts differ, whose C types cannot be compared, or whose
 * target columns are not the target's primary key or unique, constraints
 * declared twice and constraint names used twice.
 */
#define _GNU_SOURCE /* strcasestr */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void calxr__constraint_free(calxr__constraint *c)
{
	calxr__tcons_free(&c->c);
	free(c->cols);
	free(c->ref_cols);
	memset(c, 0, sizeof *c);
}

unsigned calxr__count_cons(const calxr__table *t, calxr__tcons_kind k)
{
	unsigned n = 0;
	for (unsigned i = 0; i < t->n_cons; i++)
		n += t->cons[i].ok && t->cons[i].c.kind == k;
	return n;
}

static calxr__constraint *add(calxr__ctx *cx, calxr__table *t, calxr__tcons_kind kind, int field)
{
	if (!calxr__push(cx, &t->cons, &t->n_cons, sizeof *t->cons))
		return NULL;
	calxr__constraint *c = &t->cons[t->n_cons - 1];
	memset(c, 0, sizeof *c);
	c->c.kind = kind;
	c->field = field;
	return c;
}

static void push_name(calxr__ctx *cx, calxr__strlist *l, const char *s)
{
	if (calxr__push(cx, &l->v, &l->n, sizeof *l->v))
		l->v[l->n - 1] = calxr__strdup(cx, s);
}

/* The field options as one-column constraints, then calx:table's. */
static void gather(calxr__ctx *cx, calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++) {
		calxr__column *col = &t->cols[i];
		calxr__constraint *c;
		if ((col->flags & CALX_FIELD_UNIQUE) && (c = add(cx, t, CALXR__TCONS_UNIQUE, (int)i)))
			push_name(cx, &c->c.cols, col->column);
		if ((col->flags & CALX_FIELD_INDEX) && (c = add(cx, t, CALXR__TCONS_INDEX, (int)i)))
			push_name(cx, &c->c.cols, col->column);
		if (col->check && (c = add(cx, t, CALXR__TCONS_CHECK, (int)i))) {
			c->c.sql = col->check;
			col->check = NULL;
		}
		if (col->fk_table && (c = add(cx, t, CALXR__TCONS_FOREIGN_KEY, (int)i))) {
			push_name(cx, &c->c.cols, col->column);
			push_name(cx, &c->c.ref_cols, col->fk_column);
			c->c.ref_table = calxr__strdup(cx, col->fk_table);
			c->c.ondelete = col->ondelete;
			c->c.onupdate = col->onupdate;
			col->ondelete = col->onupdate = NULL;
		}
	}
	for (unsigned i = 0; i < t->n_tcons; i++) {
		calxr__constraint *c = add(cx, t, t->tcons[i].kind, -1);
		if (!c)
			break;
		c->c = t->tcons[i];
		memset(&t->tcons[i], 0, sizeof t->tcons[i]);
	}
}

static void put_list(calxr__buf *b, const calxr__strlist *l)
{
	for (unsigned i = 0; i < l->n; i++)
		calxr__buf_printf(b, "%s%s", i ? ", " : "", l->v[i]);
}

/* How messages name a constraint: "foreign key 'users.id' on field 'user_id' of struct 'address'". */
static char *describe(calxr__ctx *cx, const calxr__table *t, const calxr__constraint *c)
{
	calxr__buf b = { NULL, 0, 0, false };
	const calxr__tcons *k = &c->c;
	char *s;

	if (c->field >= 0 && k->kind == CALXR__TCONS_FOREIGN_KEY)
		calxr__buf_printf(&b, "foreign key '%s.%s' on field '%s'", k->ref_table ? k->ref_table : "?",
				 k->ref_cols.n ? k->ref_cols.v[0] : "?", t->cols[c->field].path);
	else if (c->field >= 0)
		calxr__buf_printf(&b, "option '%s' on field '%s'", calxr__tcons_word(k->kind), t->cols[c->field].path);
	else if (k->kind == CALXR__TCONS_CHECK)
		calxr__buf_printf(&b, "check '%s'", k->name);
	else {
		calxr__buf_printf(&b, "%s (", k->kind == CALXR__TCONS_FOREIGN_KEY ? "foreign key" : calxr__tcons_word(k->kind));
		put_list(&b, &k->cols);
		calxr__buf_put(&b, ")");
		if (k->kind == CALXR__TCONS_FOREIGN_KEY) {
			calxr__buf_printf(&b, " -> %s(", k->ref_table);
			put_list(&b, &k->ref_cols);
			calxr__buf_put(&b, ")");
		}
	}
	calxr__buf_printf(&b, " %s struct '%s'", c->field >= 0 ? "of" : "on", t->tag);
	if (b.oom) {
		calxr__buf_free(&b);
		calxr__oom(cx);
		return NULL;
	}
	s = b.p;
	return s;
}

static const calxr__loc *where(const calxr__table *t, const calxr__constraint *c)
{
	return c->field >= 0 ? &t->cols[c->field].loc : &t->loc;
}

static int find_column(const calxr__table *t, const char *name)
{
	for (unsigned i = 0; i < t->n_cols; i++)
		if (t->cols[i].column && !strcasecmp(t->cols[i].column, name))
			return (int)i;
	return -1;
}

/* names -> indices in t (the target of self's foreign key when ref); false after an error. */
static bool resolve(calxr__ctx *cx, const calxr__table *t, const calxr__strlist *names, unsigned **out,
		    const calxr__table *self, const calxr__constraint *c, const char *what, bool ref)
{
	*out = calloc(names->n ? names->n : 1, sizeof **out);
	if (!*out) {
		calxr__oom(cx);
		return false;
	}
	for (unsigned i = 0; i < names->n; i++) {
		int f = find_column(t, names->v[i]);
		if (f < 0) {
			if (!ref)
				calxr__error(cx, where(self, c), "%s names unknown column '%s' of table '%s'", what,
					    names->v[i], t->table);
			else
				calxr__error(cx, where(self, c), "%s refers to unknown column '%s' of table '%s'", what,
					    names->v[i], t->table);
			return false;
		}
		for (unsigned j = 0; j < i; j++)
			if ((*out)[j] == (unsigned)f) {
				calxr__error(cx, where(self, c), "%s names column '%s' twice", what, names->v[i]);
				return false;
			}
		(*out)[i] = (unsigned)f;
	}
	return true;
}

/* The table a foreign key refers to, or -1 after an error. */
static int target_table(calxr__ctx *cx, const calxr__table *t, const calxr__constraint *c, const char *what)
{
	const char *name = c->c.ref_table;
	for (unsigned m = 0; m < cx->n_tables; m++)
		if (!calxr__is_subclass(&cx->tables[m]) && cx->tables[m].table && !strcmp(cx->tables[m].table, name))
			return (int)m;
	for (unsigned k = 0; k < cx->n_other_tables; k++)
		if (cx->other_tables[k] && !strcmp(cx->other_tables[k], name)) {
			calxr__error(cx, where(t, c), "%s refers to table '%s' of an included header that is not an input (give that header to calx-reflect too: one schema from several headers)",
				    what, name);
			return -1;
		}
	calxr__error(cx, where(t, c), "%s refers to unknown table '%s'", what, name);
	return -1;
}

static const char *category(calx_ctype t)
{
	if (calxr__ctype_is_integer(t))
		return "integer";
	switch (t) {
	case CALX_CTYPE_BOOL:
		return "bool";
	case CALX_CTYPE_FLOAT:
	case CALX_CTYPE_DOUBLE:
		return "real";
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
		return "bytes";
	default:
		return "text";
	}
}

/*
 * The column's SQL type on a dialect as written (type(...), its
 * "dialect:TYPE" variant, CALX_TYPE), or NULL when calx derives it from
 * the C type.
 */
static const char *written_type(const calxr__column *c, const char *dialect)
{
	size_t n = strlen(dialect);
	for (unsigned i = 1; i < c->types.n; i++)
		if (!strncmp(c->types.v[i], dialect, n) && c->types.v[i][n] == ':')
			return c->types.v[i] + n + 1;
	return c->types.n ? c->types.v[0] : NULL;
}

/*
 * The family of a column's SQL type on a dialect, by SQLite's affinity
 * rules (datatype3.html 3.1): INT -> integer, CHAR/CLOB/TEXT -> text,
 * BLOB (and PostgreSQL's BYTEA) -> blob, REAL/FLOA/DOUB -> real, else numeric. PostgreSQL refuses a
 * foreign key between families (text and bigint). A type calx derives goes
 * by the kind of type the dialects derive (INTEGER/BIGINT, BOOLEAN, REAL,
 * TEXT/VARCHAR, BLOB/BYTEA).
 */
static const char *sql_family(const calxr__column *c, const char *dialect)
{
	const char *t = written_type(c, dialect);
	if (!t)
		t = calxr__ctype_is_integer(c->ctype) ? "INTEGER"
		    : c->ctype == CALX_CTYPE_BOOL ? "BOOLEAN"
		    : c->ctype == CALX_CTYPE_FLOAT || c->ctype == CALX_CTYPE_DOUBLE ? "REAL"
		    : c->ctype == CALX_CTYPE_BYTEARRAY || c->ctype == CALX_CTYPE_BYTES ? "BLOB" : "TEXT";
	if (strcasestr(t, "INT"))
		return "integer";
	if (strcasestr(t, "CHAR") || strcasestr(t, "CLOB") || strcasestr(t, "TEXT"))
		return "text";
	if (strcasestr(t, "BLOB") || strcasestr(t, "BYTEA"))
		return "blob";
	if (strcasestr(t, "REAL") || strcasestr(t, "FLOA") || strcasestr(t, "DOUB"))
		return "real";
	return "numeric";
}

/* Same columns, in any order. */
static bool same_set(const unsigned *a, unsigned na, const unsigned *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++) {
		bool found = false;
		for (unsigned j = 0; j < nb && !found; j++)
			found = a[i] == b[j];
		if (!found)
			return false;
	}
	return true;
}

/* Are cols of table r its primary key, a unique constraint or a unique index? */
static bool is_key(const calxr__table *r, const unsigned *cols, unsigned n)
{
	unsigned pk[64], npk = 0;
	for (unsigned i = 0; i < r->n_cols && npk < 64; i++)
		if (r->cols[i].flags & CALX_FIELD_PRIMARY_KEY)
			pk[npk++] = i;
	if (npk && same_set(pk, npk, cols, n))
		return true;
	for (unsigned i = 0; i < r->n_cons; i++) {
		const calxr__constraint *u = &r->cons[i];
		if (u->cols && (u->c.kind == CALXR__TCONS_UNIQUE || (u->c.kind == CALXR__TCONS_INDEX && u->c.unique)) &&
		    same_set(u->cols, u->c.cols.n, cols, n))
			return true;
	}
	return false;
}

static bool foreign_key(calxr__ctx *cx, calxr__table *t, calxr__constraint *c, const char *what)
{
	int m = target_table(cx, t, c, what);
	if (m < 0)
		return false;
	const calxr__table *r = &cx->tables[m];
	if (!resolve(cx, r, &c->c.ref_cols, &c->ref_cols, t, c, what, true))
		return false;
	c->ref_mapper = (unsigned)m;
	if (c->c.cols.n != c->c.ref_cols.n) {
		calxr__error(cx, where(t, c), "%s has %u column%s but refers to %u", what, c->c.cols.n,
			    c->c.cols.n == 1 ? "" : "s", c->c.ref_cols.n);
		return false;
	}
	for (unsigned i = 0; i < c->c.cols.n; i++) {
		const calxr__column *a = &t->cols[c->cols[i]], *b = &r->cols[c->ref_cols[i]];
		if (strcmp(category(a->ctype), category(b->ctype))) {
			calxr__error(cx, where(t, c), "%s joins column '%s' (%s) to column '%s' (%s) of table '%s': incompatible types",
				    what, a->column, category(a->ctype), b->column, category(b->ctype), r->table);
			return false;
		}
	}
	static const char *const dialects[] = { "sqlite", "postgresql" };
	for (unsigned i = 0; i < c->c.cols.n; i++)
		for (unsigned d = 0; d < 2; d++) {
			const calxr__column *a = &t->cols[c->cols[i]], *b = &r->cols[c->ref_cols[i]];
			const char *fa = sql_family(a, dialects[d]), *fb = sql_family(b, dialects[d]);
			if (strcmp(fa, fb)) {
				const char *ta = written_type(a, dialects[d]), *tb = written_type(b, dialects[d]);
				calxr__error(cx, where(t, c), "%s joins column '%s' (%s) to column '%s' (%s) of table '%s' on %s: incompatible SQL types; give both columns the same type(...)",
					    what, a->column, ta ? ta : calxr__ctype_c_name(a->ctype), b->column,
					    tb ? tb : calxr__ctype_c_name(b->ctype), r->table, dialects[d]);
				return false;
			}
		}
	if (!is_key(r, c->ref_cols, c->c.ref_cols.n)) {
		calxr__buf b = { NULL, 0, 0, false };
		put_list(&b, &c->c.ref_cols);
		calxr__error(cx, where(t, c), "%s refers to (%s) of table '%s', which is neither its primary key nor unique",
			    what, b.p ? b.p : "", r->table);
		calxr__buf_free(&b);
		return false;
	}
	return true;
}

static bool same_constraint(const calxr__constraint *a, const calxr__constraint *b)
{
	if (a->c.kind != b->c.kind || !a->ok || !b->ok)
		return false;
	switch (a->c.kind) {
	case CALXR__TCONS_UNIQUE:
		return same_set(a->cols, a->c.cols.n, b->cols, b->c.cols.n);
	case CALXR__TCONS_INDEX:
		return a->c.cols.n == b->c.cols.n && !memcmp(a->cols, b->cols, a->c.cols.n * sizeof *a->cols);
	case CALXR__TCONS_CHECK: /* two checks differ by name, checked below */
		return false;
	case CALXR__TCONS_FOREIGN_KEY:
		return a->ref_mapper == b->ref_mapper && a->c.cols.n == b->c.cols.n &&
		       !memcmp(a->cols, b->cols, a->c.cols.n * sizeof *a->cols) &&
		       !memcmp(a->ref_cols, b->ref_cols, a->c.cols.n * sizeof *a->cols);
	}
	return false;
}

/* Explicit names: unique in the schema (indexes share PostgreSQL's namespace with tables). */
static void duplicates(calxr__ctx *cx, unsigned ti, calxr__constraint *c, const char *what)
{
	calxr__table *t = &cx->tables[ti];
	for (calxr__constraint *d = t->cons; d < c; d++)
		if (same_constraint(c, d)) {
			calxr__error(cx, where(t, c), "%s is declared twice", what);
			c->ok = false;
			return;
		}
	if (!c->c.name)
		return;
	if (calxr__sqlite_reserved(c->c.name)) {
		calxr__error(cx, where(t, c), "%s is named '%s', which SQLite reserves (names beginning with sqlite_): choose another name=",
			    what, c->c.name);
		c->ok = false;
		return;
	}
	for (unsigned tj = 0; tj <= ti; tj++)
		for (unsigned j = 0; j < cx->tables[tj].n_cons; j++) {
			const calxr__constraint *d = &cx->tables[tj].cons[j];
			if (tj == ti && d >= c)
				break;
			if (d->c.name && !strcasecmp(d->c.name, c->c.name)) {
				calxr__error(cx, where(t, c), "%s reuses the constraint name '%s' of table '%s'", what,
					    d->c.name, cx->tables[tj].table);
				c->ok = false;
				return;
			}
		}
}

void calxr__constraints(calxr__ctx *cx)
{
	for (unsigned i = 0; i < cx->n_tables; i++)
		if (!calxr__is_subclass(&cx->tables[i]) || cx->tables[i].inherit == CALXR__INHERIT_CONCRETE)
			gather(cx, &cx->tables[i]);     /* a subclass's table is its root's, or has its own columns only (none yet: inherit.c); a concrete one is complete */
	/* Local columns everywhere first: a foreign key looks at its target's unique constraints. */
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		for (unsigned k = 0; k < t->n_cons; k++) {
			calxr__constraint *c = &t->cons[k];
			char *what = describe(cx, t, c);
			c->ok = what && resolve(cx, t, &c->c.cols, &c->cols, t, c, what, false);
			if (!c->ok) {
				free(c->cols);
				c->cols = NULL;
			}
			free(what);
		}
	}
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		for (unsigned k = 0; k < t->n_cons; k++) {
			calxr__constraint *c = &t->cons[k];
			char *what = describe(cx, t, c);
			if (!what)
				continue;
			if (c->ok && c->c.kind == CALXR__TCONS_FOREIGN_KEY)
				c->ok = foreign_key(cx, t, c, what);
			if (c->ok)
				duplicates(cx, i, c, what);
			free(what);
		}
	}
	/* The flags say what one column has alone. */
	for (unsigned i = 0; i < cx->n_tables; i++) {
		calxr__table *t = &cx->tables[i];
		for (unsigned k = 0; k < t->n_cons; k++) {
			const calxr__constraint *c = &t->cons[k];
			if (!c->ok || c->c.cols.n != 1)
				continue;
			if (c->c.kind == CALXR__TCONS_UNIQUE || (c->c.kind == CALXR__TCONS_INDEX && c->c.unique))
				t->cols[c->cols[0]].flags |= CALX_FIELD_UNIQUE;
			if (c->c.kind == CALXR__TCONS_INDEX)
				t->cols[c->cols[0]].flags |= CALX_FIELD_INDEX;
		}
	}
}
