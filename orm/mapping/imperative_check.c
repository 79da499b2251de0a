/*
 * The checks calx_map_imperatively runs on a description before it builds
 * anything, as calx-reflect and the compiler check a header: names, column
 * lists, the C types' sizes against the structs' layout. Every refusal
 * says which table and column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "calx/bytes.h"
#include "mapping/imperative_int.h"
#include "mapping/registry.h"
#include "mapping/value.h"

int calx__imp_fail(builder *b, const char *fmt, ...)
{
	char msg[sizeof b->err.msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return calx_error_set(&b->err, CALX_EINVAL, "map_imperatively: %s", msg);
}

void *calx__imp_alloc(builder *b, size_t n, size_t size)
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

bool calx__imp_table_name_ok(const char *s)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	if (!s)
		return false;
	if (!dot)
		return ident_n(s, strlen(s));
	return ident_n(s, (size_t)(dot - s)) && ident_n(dot + 1, strlen(dot + 1));
}

const char *calx__imp_column_name(const calx_imp_column *c)
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
		const char *c = calx__imp_column_name(&t->columns[i]);
		if (strlen(c) == n && !strncmp(c, name, n))
			return (int)i;
	}
	return -1;
}

int calx__imp_find_table(const calx_imp_table *tables, unsigned n, const char *name)
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
int calx__imp_column_list(builder *b, const calx_imp_table *t, const char *list, const char *what, unsigned **out,
                       unsigned *n_out)
{
	unsigned n = 0, cap = 1;
	*out = NULL;
	*n_out = 0;
	if (!list || !*list)
		return calx__imp_fail(b, "table '%s': %s names no column", t->table, what);
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	unsigned *v = calx__imp_alloc(b, cap, sizeof *v);
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
			return calx__imp_fail(b, "table '%s': %s names '%.*s', which is not a column of the table", t->table, what,
			            (int)(e - p), p);
		for (unsigned k = 0; k < n; k++)
			if (v[k] == (unsigned)c)
				return calx__imp_fail(b, "table '%s': %s names column '%.*s' twice", t->table, what, (int)(e - p), p);
		v[n++] = (unsigned)c;
		p = e;
	}
	if (!n)
		return calx__imp_fail(b, "table '%s': %s names no column", t->table, what);
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
int calx__imp_check_layout(builder *b, const calx_imp_table *t)
{
	if (!t->struct_name || !t->size || !t->align || (t->align & (t->align - 1)))
		return calx__imp_fail(b, "table '%s': the struct's name, size and alignment are required (sizeof, _Alignof)",
		            t->table);
	if (!t->columns || !t->n_columns)
		return calx__imp_fail(b, "table '%s' has no columns", t->table);
	unsigned n = t->n_columns + t->n_relationships;
	for (unsigned i = 0; i < n; i++) {
		bool col = i < t->n_columns;
		const calx_imp_column *c = col ? &t->columns[i] : NULL;
		const calx_imp_relationship *r = col ? NULL : &t->relationships[i - t->n_columns];
		const char *name = col ? c->name : r->name;
		size_t off = col ? c->offset : r->offset, size = col ? c->size : rel_size(r);
		if (!name)
			return calx__imp_fail(b, "table '%s': a %s without a name", t->table, col ? "column" : "relationship");
		if (col && (c->ctype < CALX_CTYPE_INT8 || c->ctype > CALX_CTYPE_LAST))
			return calx__imp_fail(b, "table '%s': column '%s' has no C type (ctype %d)", t->table, name, (int)c->ctype);
		if (col && !ident_n(calx__imp_column_name(c), strlen(calx__imp_column_name(c))))
			return calx__imp_fail(b, "table '%s': invalid column name '%s' (expected [A-Za-z_][A-Za-z0-9_]*, at most 63 bytes)",
			            t->table, calx__imp_column_name(c));
		if (col) {
			size_t want = ctype_size(c->ctype, c->flags);
			if ((want && size != want) || !size)
				return calx__imp_fail(b, "table '%s': column '%s' is %zu bytes, its C type %s is %zu", t->table, name, size,
				            c->flags & CALX_FIELD_OPTIONAL ? "(a calx_opt_* wrapper)" : calx__ctype_name(c->ctype),
				            want);
		}
		if (off > t->size || size > t->size - off)
			return calx__imp_fail(b, "table '%s': %s '%s' (bytes %zu..%zu) lies beyond struct '%s' (%zu bytes)", t->table,
			            col ? "column" : "relationship", name, off, off + size, t->struct_name, t->size);
		for (unsigned k = 0; k < i; k++) {
			bool kcol = k < t->n_columns;
			size_t ko = kcol ? t->columns[k].offset : t->relationships[k - t->n_columns].offset;
			size_t ks = kcol ? t->columns[k].size : rel_size(&t->relationships[k - t->n_columns]);
			const char *kname = kcol ? t->columns[k].name : t->relationships[k - t->n_columns].name;
			if (off < ko + ks && ko < off + size)
				return calx__imp_fail(b, "table '%s': '%s' (bytes %zu..%zu) and '%s' (bytes %zu..%zu) overlap in struct '%s'",
				            t->table, kname, ko, ko + ks, name, off, off + size, t->struct_name);
			if (kcol && col && !strcmp(calx__imp_column_name(&t->columns[k]), calx__imp_column_name(c)))
				return calx__imp_fail(b, "table '%s': column '%s' is mapped by both '%s' and '%s'", t->table,
				            calx__imp_column_name(c), t->columns[k].name, name);
		}
	}
	return CALX_OK;
}

/* What a declarative field of this description gets: a plain scalar is NOT NULL, as calx-reflect says. */
uint32_t calx__imp_field_flags(const calx_imp_column *c, bool in_pk)
{
	uint32_t f = c->flags;
	bool text = c->ctype == CALX_CTYPE_STRING || c->ctype == CALX_CTYPE_CHARARRAY || c->ctype == CALX_CTYPE_BYTES;
	if (in_pk)
		f |= CALX_FIELD_PRIMARY_KEY | CALX_FIELD_NOT_NULL;
	else if (!text && !(f & CALX_FIELD_OPTIONAL))
		f |= CALX_FIELD_NOT_NULL;
	return f;
}


