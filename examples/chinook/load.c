/*
 * load.c - a small reader for the INSERT statements of the Chinook script.
 *
 * It understands exactly what the script uses, and says where and why when
 * the input is anything else:
 *
 *   INSERT INTO [Table] ([Col], ...) VALUES (v, ...), (v, ...);
 *
 * Names are [bracketed], "quoted" or bare; values are integers, decimals,
 * '...' or N'...' strings with '' for a quote, and NULL. Comments (-- and
 * C style) are skipped; every other statement is skipped up to its ';'.
 *
 * Each row is a calx_object_new() object whose members are set through the
 * field descriptors (offset, C type), so one loader serves every table that
 * models.h maps, and a column the script has but models.h lacks is an error
 * instead of a silently dropped value.
 *
 * A table with no struct of its own but a many-to-many's association
 * table (PlaylistTrack, the secondary of track.playlists) has no objects:
 * each of its rows names two objects by key, which are got through the
 * session (the identity map: they were added, and flushed by the first
 * get) and linked with calx_related_append, whose flush writes the row.
 */
#include "load.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More columns than any Chinook table; a longer list is reported, not cut. */
#define MAX_COLUMNS 64
#define MAX_NAME 128

struct lexer {
	const char *path;
	const char *start;       /* the whole script, NUL-terminated */
	const char *p;           /* next unread byte */
	const char *end;
	char *err;
	size_t errcap;
	char *scratch;           /* the last string literal, unescaped */
	size_t scratch_cap;
};

enum literal_kind { LIT_NULL, LIT_NUMBER, LIT_STRING };

struct literal {
	enum literal_kind kind;
	const char *text;        /* NUL-terminated for strings (scratch) */
	size_t len;
	const char *at;          /* where it starts in the script */
};

/* One INSERT statement: its table and the fields its columns land in. */
struct insert {
	calx_session *s;
	const calx_mapper_desc *mapper;
	const calx_field_desc *cols[MAX_COLUMNS];
	unsigned n_cols;
	chinook_load_stats *stats;
	/* the schema of the tables loaded so far: where an association table is looked up */
	const calx_schema_desc *schema;
	/* loading an association table: the many-to-many its rows link, held by owner */
	const calx_relationship_desc *link;
	const calx_mapper_desc *owner;
	unsigned link_cols[MAX_COLUMNS];   /* the association table's column of each listed column */
};

/* ---- errors ------------------------------------------------------------ */

static void where(const struct lexer *lx, const char *at, unsigned *line, unsigned *col)
{
	const char *bol = lx->start;
	*line = 1;
	for (const char *q = lx->start; q < at; q++) {
		if (*q == '\n') {
			(*line)++;
			bol = q + 1;
		}
	}
	*col = (unsigned)(at - bol) + 1;
}

/* "path:line:col: message" into lx->err; returns code. */
static int fail_code(struct lexer *lx, int code, const char *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int fail_code(struct lexer *lx, int code, const char *at, const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;
	int n;

	if (!lx->err || lx->errcap == 0)
		return code;
	where(lx, at, &line, &col);
	n = snprintf(lx->err, lx->errcap, "%s:%u:%u: ", lx->path, line, col);
	if (n >= 0 && (size_t)n < lx->errcap) {
		va_start(ap, fmt);
		vsnprintf(lx->err + n, lx->errcap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

#define fail(lx, at, ...) fail_code((lx), CALX_EINVAL, (at), __VA_ARGS__)

/* A calx call failed: keep the script position and the session's message. */
static int fail_calx(struct lexer *lx, const struct insert *ins, int rc, const char *at,
                     const char *doing)
{
	return fail_code(lx, rc, at, "%s [%s]: %s (%s)", doing, ins->mapper->table,
	                 calx_session_errmsg(ins->s), calx_status_name(rc));
}

/* What the lexer sees at p, for "expected X but found Y". */
static const char *found(const struct lexer *lx, char *buf, size_t cap)
{
	size_t n = 0;

	if (lx->p >= lx->end)
		return "end of file";
	while (lx->p + n < lx->end && n < 16 && lx->p[n] != '\n' && lx->p[n] != '\r')
		n++;
	snprintf(buf, cap, "'%.*s'", (int)n, lx->p);
	return buf;
}

/* ---- tokens ------------------------------------------------------------ */

static int skip_space(struct lexer *lx)
{
	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p))
			lx->p++;
		/* The buffer ends in a NUL, so looking one byte ahead is safe. */
		if (lx->p[0] == '-' && lx->p[1] == '-') {
			const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = nl ? nl + 1 : lx->end;
		} else if (lx->p[0] == '/' && lx->p[1] == '*') {
			const char *close = strstr(lx->p + 2, "*/");
			if (!close)
				return fail(lx, lx->p, "unterminated /* comment");
			lx->p = close + 2;
		} else {
			return CALX_OK;
		}
	}
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static bool same_name(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen != blen)
		return false;
	/* SQL names are case-insensitive (in ASCII), so [trackid] is TrackId. */
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* Consume the keyword word (any case) if it comes next, as a whole word. */
static bool accept_word(struct lexer *lx, const char *word)
{
	size_t n = strlen(word);

	if (skip_space(lx) != CALX_OK)
		return false;
	if ((size_t)(lx->end - lx->p) < n || !same_name(lx->p, n, word) ||
	    is_ident_char(lx->p[n]))
		return false;
	lx->p += n;
	return true;
}

static int expect(struct lexer *lx, char c, const char *context)
{
	char buf[40];
	int rc = skip_space(lx);

	if (rc != CALX_OK)
		return rc;
	if (lx->p < lx->end && *lx->p == c) {
		lx->p++;
		return CALX_OK;
	}
	return fail(lx, lx->p, "expected '%c' %s, found %s", c, context,
	            found(lx, buf, sizeof buf));
}

/* [Name], "Name" or Name: *name points into the script, not terminated. */
static int read_name(struct lexer *lx, const char **name, size_t *len, const char *what)
{
	const char *close;
	char buf[40];
	int rc = skip_space(lx);

	if (rc != CALX_OK)
		return rc;
	if (lx->p < lx->end && (*lx->p == '[' || *lx->p == '"')) {
		char quote = *lx->p == '[' ? ']' : '"';
		close = memchr(lx->p + 1, quote, (size_t)(lx->end - lx->p - 1));
		if (!close)
			return fail(lx, lx->p, "unterminated %s name", what);
		*name = lx->p + 1;
		*len = (size_t)(close - *name);
		lx->p = close + 1;
	} else if (lx->p < lx->end && (isalpha((unsigned char)*lx->p) || *lx->p == '_')) {
		*name = lx->p;
		while (lx->p < lx->end && is_ident_char(*lx->p))
			lx->p++;
		*len = (size_t)(lx->p - *name);
	} else {
		return fail(lx, lx->p, "expected a %s name, found %s", what,
		            found(lx, buf, sizeof buf));
	}
	if (*len == 0 || *len >= MAX_NAME)
		return fail(lx, *name, "%s name of %zu characters", what, *len);
	return CALX_OK;
}

static int scratch_append(struct lexer *lx, const char *p, size_t n, size_t *used)
{
	if (*used + n + 1 > lx->scratch_cap) {
		size_t cap = lx->scratch_cap ? lx->scratch_cap : 256;
		char *grown;
		while (cap < *used + n + 1)
			cap *= 2;
		grown = realloc(lx->scratch, cap);
		if (!grown)
			return fail_code(lx, CALX_ENOMEM, p, "out of memory reading a string");
		lx->scratch = grown;
		lx->scratch_cap = cap;
	}
	memcpy(lx->scratch + *used, p, n);
	*used += n;
	lx->scratch[*used] = '\0';
	return CALX_OK;
}

/* 'text' or N'text', where '' stands for one quote. */
static int read_string(struct lexer *lx, struct literal *lit)
{
	size_t used = 0;
	int rc = scratch_append(lx, "", 0, &used);

	if (*lx->p == 'N' || *lx->p == 'n')
		lx->p++;
	lx->p++; /* the opening quote */
	while (rc == CALX_OK) {
		const char *q = memchr(lx->p, '\'', (size_t)(lx->end - lx->p));
		bool doubled;
		if (!q)
			return fail(lx, lit->at, "unterminated string");
		/* The buffer ends in a NUL, so q[1] is always readable. */
		doubled = q[1] == '\'';
		rc = scratch_append(lx, lx->p, (size_t)(q - lx->p) + doubled, &used);
		lx->p = q + 1 + doubled;
		if (!doubled)
			break;
	}
	if (rc != CALX_OK)
		return rc;
	lit->kind = LIT_STRING;
	lit->text = lx->scratch;
	lit->len = used;
	return CALX_OK;
}

static void skip_digits(struct lexer *lx, bool *any)
{
	while (lx->p < lx->end && isdigit((unsigned char)*lx->p)) {
		lx->p++;
		*any = true;
	}
}

/* [+-] digits [. digits] [e [+-] digits]; converted later, by column type. */
static int read_number(struct lexer *lx, struct literal *lit)
{
	bool any = false;

	if (*lx->p == '-' || *lx->p == '+')
		lx->p++;
	skip_digits(lx, &any);
	if (*lx->p == '.') {
		lx->p++;
		skip_digits(lx, &any);
	}
	if (any && (*lx->p == 'e' || *lx->p == 'E')) {
		bool exp_digits = false;
		lx->p++;
		if (*lx->p == '-' || *lx->p == '+')
			lx->p++;
		skip_digits(lx, &exp_digits);
		any = exp_digits;
	}
	if (!any)
		return fail(lx, lit->at, "malformed number");
	lit->kind = LIT_NUMBER;
	lit->text = lit->at;
	lit->len = (size_t)(lx->p - lit->at);
	return CALX_OK;
}

static int read_literal(struct lexer *lx, struct literal *lit)
{
	char buf[40];
	int rc = skip_space(lx);
	char c;

	if (rc != CALX_OK)
		return rc;
	c = *lx->p;
	lit->at = lx->p;
	if (c == '\'' || ((c == 'N' || c == 'n') && lx->p[1] == '\''))
		return read_string(lx, lit);
	if (accept_word(lx, "NULL")) {
		lit->kind = LIT_NULL;
		lit->text = NULL;
		lit->len = 0;
		return CALX_OK;
	}
	if (isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.')
		return read_number(lx, lit);
	return fail(lx, lx->p, "expected a value (number, 'text' or NULL), found %s",
	            found(lx, buf, sizeof buf));
}

/* ---- values into fields -------------------------------------------------- */

static bool is_text_field(const calx_field_desc *f)
{
	return f->ctype == CALX_CTYPE_STRING || f->ctype == CALX_CTYPE_CHARARRAY;
}

/* Integer literal into an integer member of the width the descriptor says. */
static int store_integer(struct lexer *lx, const struct literal *lit,
                         const calx_field_desc *f, char *dst)
{
	/* size: the plain member; opt_size: its calx_opt_* wrapper, whose value comes first */
	static const struct { calx_ctype t; size_t size, opt_size; long long lo, hi; } ranges[] = {
		{ CALX_CTYPE_BOOL, sizeof(bool), sizeof(calx_opt_bool), 0, 1 },
		{ CALX_CTYPE_INT8, 1, sizeof(calx_opt_int8), INT8_MIN, INT8_MAX },
		{ CALX_CTYPE_INT16, 2, sizeof(calx_opt_int16), INT16_MIN, INT16_MAX },
		{ CALX_CTYPE_INT32, 4, sizeof(calx_opt_int32), INT32_MIN, INT32_MAX },
		{ CALX_CTYPE_INT64, 8, sizeof(calx_opt_int64), INT64_MIN, INT64_MAX },
		{ CALX_CTYPE_UINT8, 1, sizeof(calx_opt_uint8), 0, UINT8_MAX },
		{ CALX_CTYPE_UINT16, 2, sizeof(calx_opt_uint16), 0, UINT16_MAX },
		{ CALX_CTYPE_UINT32, 4, sizeof(calx_opt_uint32), 0, UINT32_MAX },
		/* Values above INT64_MAX cannot be stored by calx at all. */
		{ CALX_CTYPE_UINT64, 8, sizeof(calx_opt_uint64), 0, INT64_MAX },
	};
	char *endp;
	long long v;
	size_t i;

	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (ranges[i].t == f->ctype)
			break;
	if (i == sizeof ranges / sizeof ranges[0] ||
	    f->size != ((f->flags & CALX_FIELD_OPTIONAL) ? ranges[i].opt_size : ranges[i].size))
		return fail(lx, lit->at, "column [%s]: unexpected C type %d of size %zu",
		            f->column, (int)f->ctype, f->size);
	errno = 0;
	v = strtoll(lit->text, &endp, 10);
	if (endp != lit->text + lit->len)
		return fail(lx, lit->at, "column [%s] is an integer, not %.*s", f->column,
		            (int)lit->len, lit->text);
	if (errno == ERANGE || v < ranges[i].lo || v > ranges[i].hi)
		return fail_code(lx, CALX_ERANGE, lit->at, "%.*s does not fit column [%s]",
		                 (int)lit->len, lit->text, f->column);
	/*
	 * v is in the member's range, so the unsigned conversion (modulo 2^n,
	 * well defined) leaves the bytes the signed or unsigned member needs.
	 */
	if (f->ctype == CALX_CTYPE_BOOL) {
		bool b = v != 0;
		memcpy(dst, &b, sizeof b);
	} else if (ranges[i].size == 1) {
		uint8_t x = (uint8_t)v;
		memcpy(dst, &x, sizeof x);
	} else if (ranges[i].size == 2) {
		uint16_t x = (uint16_t)v;
		memcpy(dst, &x, sizeof x);
	} else if (ranges[i].size == 4) {
		uint32_t x = (uint32_t)v;
		memcpy(dst, &x, sizeof x);
	} else {
		uint64_t x = (uint64_t)v;
		memcpy(dst, &x, sizeof x);
	}
	return CALX_OK;
}

static int store_real(struct lexer *lx, const struct literal *lit,
                      const calx_field_desc *f, char *dst)
{
	char *endp;
	double d;

	errno = 0;
	d = strtod(lit->text, &endp);
	if (endp != lit->text + lit->len)
		return fail(lx, lit->at, "column [%s]: malformed number %.*s", f->column,
		            (int)lit->len, lit->text);
	if (errno == ERANGE && (d > 1.0 || d < -1.0))
		return fail_code(lx, CALX_ERANGE, lit->at, "%.*s overflows column [%s]",
		                 (int)lit->len, lit->text, f->column);
	if (f->ctype == CALX_CTYPE_FLOAT) {
		float x = (float)d;
		if (d > FLT_MAX || d < -FLT_MAX)
			return fail_code(lx, CALX_ERANGE, lit->at, "%.*s overflows column [%s]",
			                 (int)lit->len, lit->text, f->column);
		memcpy(dst, &x, sizeof x);
	} else {
		memcpy(dst, &d, sizeof d);
	}
	return CALX_OK;
}

static int store_null(struct lexer *lx, const struct insert *ins, void *obj,
                      const calx_field_desc *f, const struct literal *lit)
{
	int rc;

	if (f->flags & (CALX_FIELD_NOT_NULL | CALX_FIELD_PRIMARY_KEY))
		return fail_code(lx, CALX_ENOTNULL, lit->at, "NULL for NOT NULL column [%s].[%s]",
		                 ins->mapper->table, f->column);
	if (f->ctype == CALX_CTYPE_STRING) {
		char *none = NULL; /* a NULL pointer is SQL NULL */
		memcpy((char *)obj + f->offset, &none, sizeof none);
		return CALX_OK;
	}
	rc = calx_field_set_null(ins->s, obj, f, true);
	return rc == CALX_OK ? rc : fail_calx(lx, ins, rc, lit->at, "setting NULL in");
}

static int store_value(struct lexer *lx, const struct insert *ins, void *obj,
                       const calx_field_desc *f, const struct literal *lit)
{
	char *dst = (char *)obj + f->offset;
	int rc;

	if (lit->kind == LIT_NULL)
		return store_null(lx, ins, obj, f, lit);
	if (lit->kind == LIT_STRING) {
		if (!is_text_field(f))
			return fail_code(lx, CALX_ETYPE, lit->at, "column [%s] takes a number, not text",
			                 f->column);
		/* The session copies the text: the scratch buffer is reused. */
		rc = calx_field_set_text(ins->s, obj, f, lit->text);
		return rc == CALX_OK ? rc : fail_calx(lx, ins, rc, lit->at, "setting text in");
	}
	if (is_text_field(f))
		return fail_code(lx, CALX_ETYPE, lit->at, "column [%s] takes text, not a number",
		                 f->column);
	if (f->ctype == CALX_CTYPE_FLOAT || f->ctype == CALX_CTYPE_DOUBLE)
		rc = store_real(lx, lit, f, dst);
	else
		rc = store_integer(lx, lit, f, dst);
	/* A calx_opt_* wrapper: the value is in place, say it has one. */
	if (rc == CALX_OK && (f->flags & CALX_FIELD_OPTIONAL) &&
	    (rc = calx_field_set_null(ins->s, obj, f, false)) != CALX_OK)
		return fail_calx(lx, ins, rc, lit->at, "setting a value in");
	return rc;
}

/* ---- statements ---------------------------------------------------------- */

/*
 * By SQL column name; failing that, by C member name, which is how the
 * snake_case PostgreSQL edition of the script names its columns (its table
 * names are the struct tags, which calx_registry_mapper also knows).
 */
static const calx_field_desc *find_field(const calx_mapper_desc *m, const char *name, size_t len)
{
	for (unsigned i = 0; i < m->n_fields; i++)
		if (same_name(name, len, m->fields[i].column))
			return &m->fields[i];
	for (unsigned i = 0; i < m->n_fields; i++)
		if (same_name(name, len, m->fields[i].name))
			return &m->fields[i];
	return NULL;
}

/* An association table's column, by SQL name or else by C member name; -1 if none. */
static int find_column(const calx_table_desc *t, const char *name, size_t len)
{
	for (unsigned i = 0; i < t->n_columns; i++)
		if (same_name(name, len, t->columns[i].column) || same_name(name, len, t->columns[i].name))
			return (int)i;
	return -1;
}

static int read_link_columns(struct lexer *lx, struct insert *ins)
{
	const calx_table_desc *t = ins->link->secondary;
	const char *name;
	size_t len;
	int rc = expect(lx, '(', "before the column list");

	ins->n_cols = 0;
	while (rc == CALX_OK) {
		int c;
		if ((rc = read_name(lx, &name, &len, "column")) != CALX_OK)
			break;
		if ((c = find_column(t, name, len)) < 0)
			return fail(lx, name, "column [%.*s] of [%s] is not in models.h", (int)len, name, t->name);
		if (ins->n_cols == MAX_COLUMNS)
			return fail(lx, name, "more than %d columns", MAX_COLUMNS);
		ins->link_cols[ins->n_cols++] = (unsigned)c;
		if ((rc = skip_space(lx)) != CALX_OK || *lx->p != ',')
			break;
		lx->p++;
	}
	return rc == CALX_OK ? expect(lx, ')', "after the column list") : rc;
}

/*
 * The object of m whose primary key is the association row's fk columns
 * (vals and given are by the association table's column).
 */
static int link_end(struct lexer *lx, struct insert *ins, const char *row_at, const calx_fk_desc *fk,
                    const calx_mapper_desc *m, const calx_value *vals, const bool *given, void **out)
{
	const calx_table_desc *t = ins->link->secondary, *mt = m->tables[0];
	calx_value key[MAX_COLUMNS];
	int rc;

	if (fk->n_columns != mt->n_pk || fk->n_columns > MAX_COLUMNS)
		return fail(lx, row_at, "[%s] refers to [%s] by other columns than its primary key", t->name, mt->name);
	for (unsigned k = 0; k < fk->n_columns; k++) {
		if (fk->ref_columns[k] != mt->pk[k])
			return fail(lx, row_at, "[%s] refers to [%s] by other columns than its primary key", t->name,
			            mt->name);
		if (!given[fk->columns[k]])
			return fail(lx, row_at, "row of [%s] without its [%s]", t->name, t->columns[fk->columns[k]].column);
		key[k] = vals[fk->columns[k]];
	}
	rc = calx_session_get_key(ins->s, m, key, fk->n_columns, out);
	if (rc == CALX_ENOTFOUND)
		return fail_code(lx, rc, row_at, "row of [%s] names a [%s] that is not there", t->name, mt->name);
	if (rc != CALX_OK)
		return fail_code(lx, rc, row_at, "finding the [%s] of a row of [%s]: %s (%s)", mt->name, t->name,
		                 calx_session_errmsg(ins->s), calx_status_name(rc));
	return CALX_OK;
}

/* One (v, v) row of an association table: both objects got by key, then linked. */
static int read_link_row(struct lexer *lx, struct insert *ins)
{
	const calx_table_desc *t = ins->link->secondary;
	calx_value vals[MAX_COLUMNS];
	bool given[MAX_COLUMNS] = { false };
	struct literal lit = { LIT_NULL, NULL, 0, NULL };
	const char *row_at;
	void *holder, *target;
	int rc;

	if (t->n_columns > MAX_COLUMNS)
		return fail(lx, lx->p, "[%s] has more than %d columns", t->name, MAX_COLUMNS);
	if ((rc = expect(lx, '(', "before a row of values")) != CALX_OK)
		return rc;
	row_at = lx->p - 1;
	for (unsigned i = 0; i < ins->n_cols; i++) {
		char *endp = NULL;
		long long v = 0;
		if (i > 0 && (rc = expect(lx, ',', "between values")) != CALX_OK)
			return rc;
		if ((rc = skip_space(lx)) != CALX_OK || (rc = read_literal(lx, &lit)) != CALX_OK)
			return rc;
		errno = 0;
		if (lit.kind == LIT_NUMBER)
			v = strtoll(lit.text, &endp, 10);
		if (lit.kind != LIT_NUMBER || endp != lit.text + lit.len || errno == ERANGE)
			return fail(lx, lit.at, "column [%s] of [%s] is an integer key, not %.*s",
			            t->columns[ins->link_cols[i]].column, t->name, (int)lit.len, lit.at);
		vals[ins->link_cols[i]] = calx_value_int(v);
		given[ins->link_cols[i]] = true;
	}
	if ((rc = skip_space(lx)) != CALX_OK || (rc = expect(lx, ')', "after a row of values")) != CALX_OK)
		return rc;
	if ((rc = link_end(lx, ins, row_at, &t->fks[ins->link->fk], ins->owner, vals, given, &holder)) != CALX_OK ||
	    (rc = link_end(lx, ins, row_at, &t->fks[ins->link->secondary_fk], ins->link->target, vals, given,
	                   &target)) != CALX_OK)
		return rc;
	if ((rc = calx_related_append(ins->s, holder, ins->link, target)) != CALX_OK)
		return fail_code(lx, rc, row_at, "linking a row of [%s]: %s (%s)", t->name,
		                 calx_session_errmsg(ins->s), calx_status_name(rc));
	ins->stats->links++;
	ins->stats->total++;
	return CALX_OK;
}

/*
 * The many-to-many whose association table is named table, from the side
 * its last foreign key refers to (PlaylistTrack's TrackId:
 * track.playlists). An append walks the holder's list (the save-update
 * cascade), and a track is on a few playlists where a playlist has up to
 * 3,290 tracks: linked from the playlists' side, the load took about
 * three times as long. The other side's list, loaded, is kept in step.
 */
static const calx_relationship_desc *find_link(const calx_schema_desc *schema, const char *table,
                                               const calx_mapper_desc **owner)
{
	for (unsigned i = 0; schema && i < schema->n_mappers; i++) {
		const calx_mapper_desc *m = schema->mappers[i];
		for (unsigned r = 0; r < m->n_relationships; r++) {
			const calx_relationship_desc *d = &m->relationships[r];
			if (d->kind == CALX_REL_MANY_TO_MANY && d->secondary && d->fk + 1 == d->secondary->n_fks &&
			    strcmp(d->secondary->name, table) == 0) {
				*owner = m;
				return d;
			}
		}
	}
	return NULL;
}

/* ([Col], [Col], ...) after INSERT INTO [Table]. */
static int read_columns(struct lexer *lx, struct insert *ins)
{
	const char *name;
	size_t len;
	int rc = expect(lx, '(', "before the column list");

	ins->n_cols = 0;
	while (rc == CALX_OK) {
		const calx_field_desc *f;
		if ((rc = read_name(lx, &name, &len, "column")) != CALX_OK)
			break;
		if (!(f = find_field(ins->mapper, name, len)))
			return fail(lx, name, "column [%.*s] of [%s] is not mapped in models.h",
			            (int)len, name, ins->mapper->table);
		for (unsigned i = 0; i < ins->n_cols; i++)
			if (ins->cols[i] == f)
				return fail(lx, name, "column [%.*s] listed twice", (int)len, name);
		if (ins->n_cols == MAX_COLUMNS)
			return fail(lx, name, "more than %d columns", MAX_COLUMNS);
		ins->cols[ins->n_cols++] = f;
		if ((rc = skip_space(lx)) != CALX_OK || *lx->p != ',')
			break;
		lx->p++;
	}
	return rc == CALX_OK ? expect(lx, ')', "after the column list") : rc;
}

/* One (v, v, ...) row: a new object, its members set, added to the session. */
static int read_row(struct lexer *lx, struct insert *ins)
{
	const char *row_at;
	struct literal lit = { LIT_NULL, NULL, 0, NULL };
	void *obj;
	int rc;

	if ((rc = expect(lx, '(', "before a row of values")) != CALX_OK)
		return rc;
	row_at = lx->p - 1;
	if (!(obj = calx_object_new(ins->s, ins->mapper)))
		return fail_calx(lx, ins, calx_session_errcode(ins->s), row_at, "creating a row of");
	for (unsigned i = 0; i < ins->n_cols; i++) {
		if ((rc = skip_space(lx)) != CALX_OK)
			return rc;
		if (i > 0 && *lx->p == ')')
			return fail(lx, row_at, "row has %u values for the %u columns listed", i,
			            ins->n_cols);
		if (i > 0 && (rc = expect(lx, ',', "between values")) != CALX_OK)
			return rc;
		if ((rc = read_literal(lx, &lit)) != CALX_OK ||
		    (rc = store_value(lx, ins, obj, ins->cols[i], &lit)) != CALX_OK)
			return rc;
	}
	if ((rc = skip_space(lx)) != CALX_OK)
		return rc;
	if (*lx->p != ')')
		return fail(lx, row_at, "row has more values than the %u columns listed", ins->n_cols);
	lx->p++;
	if ((rc = calx_session_add(ins->s, obj)) != CALX_OK)
		return fail_calx(lx, ins, rc, row_at, "adding a row of");
	ins->stats->rows[ins->mapper->index]++;
	ins->stats->total++;
	return CALX_OK;
}

/* After the INSERT keyword: INTO [Table] (columns) VALUES row, row ... ; */
static int read_insert(struct lexer *lx, struct insert *ins, const calx_registry *reg)
{
	char table[MAX_NAME];
	const char *name;
	size_t len;
	int rc;

	if (!accept_word(lx, "INTO"))
		return fail(lx, lx->p, "expected INTO after INSERT");
	if ((rc = read_name(lx, &name, &len, "table")) != CALX_OK)
		return rc;
	memcpy(table, name, len);
	table[len] = '\0';
	ins->mapper = calx_registry_mapper(reg, table);
	ins->link = ins->mapper ? NULL : find_link(ins->schema, table, &ins->owner);
	if (!ins->mapper && !ins->link)
		return fail(lx, name, "table [%s] is not mapped in models.h", table);
	if (ins->mapper && ins->mapper->index >= CHINOOK_LOAD_MAX_TABLES)
		return fail(lx, name, "table [%s] is mapper %u; the loader counts %d", table,
		            ins->mapper->index, CHINOOK_LOAD_MAX_TABLES);
	if (ins->mapper)
		ins->schema = ins->mapper->tables[0]->schema;
	if ((rc = ins->link ? read_link_columns(lx, ins) : read_columns(lx, ins)) != CALX_OK)
		return rc;
	if (!accept_word(lx, "VALUES"))
		return fail(lx, lx->p, "expected VALUES after the column list");
	for (;;) {
		char buf[40];
		if ((rc = ins->link ? read_link_row(lx, ins) : read_row(lx, ins)) != CALX_OK ||
		    (rc = skip_space(lx)) != CALX_OK)
			return rc;
		if (*lx->p == ';' || *lx->p == ',') {
			if (*lx->p++ == ';')
				return CALX_OK;
			continue;
		}
		return fail(lx, lx->p, "expected ',' or ';' after a row, found %s",
		            found(lx, buf, sizeof buf));
	}
}

/* Any other statement: up to its ';', minding quotes, names and comments. */
static int skip_statement(struct lexer *lx)
{
	const char *stmt = lx->p;

	while (lx->p < lx->end && *lx->p != ';') {
		char c = *lx->p;
		if (c == '\'' || c == '"' || c == '[') {
			char close = c == '[' ? ']' : c;
			const char *q = memchr(lx->p + 1, close, (size_t)(lx->end - lx->p - 1));
			if (!q)
				return fail(lx, lx->p, "unterminated %s", c == '\'' ? "string" : "name");
			lx->p = q + 1;
		} else if ((c == '-' && lx->p[1] == '-') || (c == '/' && lx->p[1] == '*')) {
			int rc = skip_space(lx);
			if (rc != CALX_OK)
				return rc;
		} else {
			lx->p++;
		}
	}
	if (lx->p == lx->end)
		return fail(lx, stmt, "statement without a closing ';'");
	lx->p++;
	return CALX_OK;
}

static int read_script(struct lexer *lx, struct insert *ins, const calx_registry *reg)
{
	int rc;

	while ((rc = skip_space(lx)) == CALX_OK && lx->p < lx->end) {
		if (accept_word(lx, "INSERT")) {
			rc = read_insert(lx, ins, reg);
			ins->stats->statements++;
		} else {
			rc = skip_statement(lx);
		}
		if (rc != CALX_OK)
			break;
	}
	return rc;
}

/* ---- files --------------------------------------------------------------- */

/* The whole file, NUL-terminated; the caller frees *out. */
static int read_file(const char *path, char **out, size_t *len_out, char *err, size_t errcap)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap), *grown;
	FILE *f = fopen(path, "rb");
	int rc = CALX_OK;

	if (!f || !buf) {
		rc = buf ? CALX_EIO : CALX_ENOMEM;
		snprintf(err, errcap, "%s: %s", path, buf ? strerror(errno) : "out of memory");
		goto done;
	}
	for (;;) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		if (!(grown = realloc(buf, cap * 2))) {
			rc = CALX_ENOMEM;
			snprintf(err, errcap, "%s: out of memory", path);
			goto done;
		}
		buf = grown;
		cap *= 2;
	}
	if (ferror(f)) {
		rc = CALX_EIO;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
	}
done:
	if (f)
		fclose(f);
	if (rc != CALX_OK) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	*len_out = len;
	return CALX_OK;
}

int chinook_load(calx_session *s, const calx_registry *reg, const char *path,
                 chinook_load_stats *stats, char *err, size_t errcap)
{
	struct lexer lx = { 0 };
	struct insert ins = { 0 };
	const char *nul;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (err && errcap)
		err[0] = '\0';
	if ((rc = read_file(path, &buf, &len, err, errcap)) != CALX_OK)
		return rc;
	lx = (struct lexer){ .path = path, .start = buf, .p = buf, .end = buf + len,
	                     .err = err, .errcap = errcap };
	ins = (struct insert){ .s = s, .stats = stats };
	/* A NUL inside would end strings early without anyone noticing. */
	if ((nul = memchr(buf, '\0', len)) != NULL)
		rc = fail(&lx, nul, "NUL byte in the script");
	else
		rc = read_script(&lx, &ins, reg);
	if (rc == CALX_OK && stats->statements == 0)
		rc = fail(&lx, lx.start, "no INSERT statements: is this the Chinook script?");
	if (rc == CALX_OK && (rc = calx_session_commit(s)) != CALX_OK)
		snprintf(err, errcap, "%s: committing %zu rows: %s (%s)", path, stats->total,
		         calx_session_errmsg(s), calx_status_name(rc));
	free(lx.scratch);
	free(buf);
	return rc;
}
