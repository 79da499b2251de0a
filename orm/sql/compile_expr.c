/*
 * The compiler's expressions: columns, binds, functions, operators with the
 * parentheses precedence needs, IN, subqueries; and identifier quoting.
 */
#include <stdio.h>
#include <string.h>
#include "calx/errors.h"
#include "base/alloc.h"
#include "sql/compile_int.h"
#include "mapping/generation.h"
#include "sql/qualified.h"
#include "mapping/registry.h"

static char quote_open(const calx_dialect *d)
{
	return d->version >= 2 && d->ident_quote && d->ident_quote[0] ? d->ident_quote[0] : '"';
}

static char quote_close(const calx_dialect *d)
{
	return d->version >= 2 && d->ident_quote && d->ident_quote[0] && d->ident_quote[1] ? d->ident_quote[1]
	                                                                                      : quote_open(d);
}

int calx__cc_fail(calx__cc *c, int rc, const char *what)
{
	if (c->rc == CALX_OK) {
		c->rc = rc;
		calx_error_set(c->err, rc, "compiling SQL for %s: %s", c->d->name, what);
	}
	return rc;
}

size_t calx__quote_ident(const calx_dialect *d, const char *name, char *buf, size_t cap)
{
	char open = quote_open(d), close = quote_close(d);
	size_t n = 0;
	if (n < cap)
		buf[n] = open;
	n++;
	for (const char *p = name; *p; p++) {
		if (*p == close) {
			if (n < cap)
				buf[n] = close;
			n++;
		}
		if (n < cap)
			buf[n] = *p;
		n++;
	}
	if (n < cap)
		buf[n] = close;
	n++;
	if (n >= cap) {
		if (cap)
			buf[0] = '\0';
		return 0;
	}
	buf[n] = '\0';
	return n;
}

void calx__cc_ident(calx__cc *c, const char *name)
{
	char close = quote_close(c->d);
	calx__buf_putc(&c->b, quote_open(c->d));
	for (;;) {
		/* runs without a closing quote go in whole; the quote is doubled */
		const char *q = strchr(name, close);
		if (!q) {
			calx__buf_puts(&c->b, name);
			break;
		}
		calx__buf_putn(&c->b, name, (size_t)(q - name) + 1);
		calx__buf_putc(&c->b, close);
		name = q + 1;
	}
	calx__buf_putc(&c->b, close);
}

/* A placeholder for bind number ordinal (canonical order). */
static void placeholder_of(calx__cc *c, unsigned ordinal)
{
	if (calx__grow((void **)&c->map, &c->map_cap, c->n_params + 1, sizeof *c->map) != 0) {
		calx__cc_fail(c, CALX_ENOMEM, "out of memory");
		return;
	}
	c->map[c->n_params++] = ordinal;
	if (c->d->numbered_params) {
		/* not printf: an IN list of 10,000 keys writes 10,000 of these */
		calx__buf_putc(&c->b, '$');
		calx__buf_put_uint(&c->b, c->n_params);
	} else
		calx__buf_putc(&c->b, '?');
}

static void placeholder(calx__cc *c, const calx__node *bind)
{
	placeholder_of(c, bind->ordinal);
}

/* A bind array's values in the window: numbered from its ordinal on (sql/shape.c). */
static size_t bind_array(calx__cc *c, const calx__node *x, size_t skip, size_t take)
{
	size_t k = 0;
	for (size_t j = skip; j < x->vals.n && k < take; j++, k++) {
		if (k)
			calx__buf_puts(&c->b, ", ");
		placeholder_of(c, x->ordinal + (unsigned)k);
	}
	return k;
}

/* Function names are written as they are: only plain words. */
static bool plain_word(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static const char *binary_sql(int op)
{
	switch (op) {
	case CALX__OP_EQ: return " = ";
	case CALX__OP_NE: return " <> ";
	case CALX__OP_LT: return " < ";
	case CALX__OP_LE: return " <= ";
	case CALX__OP_GT: return " > ";
	case CALX__OP_GE: return " >= ";
	case CALX__OP_LIKE: return " LIKE ";
	case CALX__OP_AND: return " AND ";
	case CALX__OP_OR: return " OR ";
	case CALX__OP_ADD: return " + ";
	case CALX__OP_SUB: return " - ";
	case CALX__OP_MUL: return " * ";
	case CALX__OP_DIV: return " / ";
	case CALX__OP_CONCAT: return " || ";
	default: return NULL;
	}
}

/* A from-element's name before the dot of its columns. */
static const char *qualifier(const calx__node *from)
{
	return from->alias ? from->alias : from->kind == CALX__N_TABLE ? from->name : NULL;
}

/*
 * An operand of an operator, in parentheses when precedence could bind it
 * otherwise: nothing needs them under AND/OR but a junction of the other
 * kind (which brings its own); under anything else, nested operators do.
 * A junction under the same operator goes without them on the left only
 * (left: x is the left operand): "a AND b AND c" parses left-deep, as
 * ((a AND b) AND c), so the SQL's tree is the AST's and a balanced AST
 * stays shallow (SQLite counts a flat chain of n ANDs n levels deep).
 */
static void operand(calx__cc *c, const calx__node *x, int parent_op, bool left, unsigned depth)
{
	bool junction = x->kind == CALX__N_BINARY && (x->op == CALX__OP_AND || x->op == CALX__OP_OR);
	bool under_junction = parent_op == CALX__OP_AND || parent_op == CALX__OP_OR;
	if (junction) {
		calx__cc_expr(c, x, left && x->op == parent_op, depth);
		return;
	}
	/* IN too: "a = b IN (c)" would read as "(a = b) IN (c)", and "a LIKE b IN (c) ESCAPE d" not at all */
	bool wrap = !under_junction && (x->kind == CALX__N_BINARY || x->kind == CALX__N_IN ||
	                                (x->kind == CALX__N_UNARY && x->op != CALX__OP_EXISTS));
	if (wrap)
		calx__buf_putc(&c->b, '(');
	calx__cc_expr(c, x, false, depth);
	if (wrap)
		calx__buf_putc(&c->b, ')');
}

void calx__cc_subquery(calx__cc *c, const calx__node *q, unsigned depth)
{
	if (q->kind != CALX__N_SELECT && q->kind != CALX__N_SETOP) {
		calx__cc_fail(c, CALX_EINVAL, "a subquery must be a select");
		return;
	}
	calx__buf_putc(&c->b, '(');
	calx__cc_query(c, q, depth);
	calx__buf_putc(&c->b, ')');
}

/*
 * A date part as an integer. The spellings are the library's own
 * constants, never a program's text: SQLite's strftime format, PostgreSQL's
 * EXTRACT field. Seconds are whole on both (strftime's %S; EXTRACT's
 * fraction truncated by trunc()).
 */
static void extract(calx__cc *c, const calx__node *n, unsigned depth)
{
	static const char *const formats[] = { NULL, "'%Y'", "'%m'", "'%d'", "'%H'", "'%M'", "'%S'" };
	static const char *const fields[] = { NULL, "YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND" };
	if (n->op < 1 || n->op > 6) {
		calx__cc_fail(c, CALX_EINVAL, "a date part that is not one of year ... second");
		return;
	}
	bool pg = calx__cc_postgresql(c);
	calx__buf_puts(&c->b, pg ? "CAST(trunc(EXTRACT(" : "CAST(strftime(");
	calx__buf_puts(&c->b, pg ? fields[n->op] : formats[n->op]);
	calx__buf_puts(&c->b, pg ? " FROM " : ", ");
	calx__cc_expr(c, n->kid[0], true, depth + 1);
	calx__buf_puts(&c->b, pg ? ")) AS bigint)" : ") AS bigint)");
}

/*
 * The list of an IN as one JSON array parameter (sql/in_json.c), unpacked
 * by the server: SQLite reads json_each's values with the column's
 * affinity; PostgreSQL's elements come as text, cast to the column's type
 * as a bound text value would be.
 */
static void json_list(calx__cc *c, const calx__node *n)
{
	const calx__node *x = n->kid[CALX__IN_EXPR], *bind = n->kid[CALX__IN_LIST];
	unsigned how = c->d->version >= 2 ? c->d->json_in : CALX_JSON_IN_NONE;
	if (how == CALX_JSON_IN_EACH) {
		calx__buf_puts(&c->b, "(SELECT value FROM json_each(");
		placeholder(c, bind);
		calx__buf_puts(&c->b, "))");
		return;
	}
	if (how != CALX_JSON_IN_ELEMENTS || x->kind != CALX__N_COLUMN || !x->desc) {
		calx__cc_fail(c, CALX_ERANGE, "an IN list this long on a database without JSON arrays");
		return;
	}
	calx_field_desc f = *(const calx_field_desc *)x->desc;
	char type[128];
	f.flags &= ~(uint32_t)CALX_FIELD_AUTOINCREMENT;    /* the type alone, no identity clause */
	calx__column_type(c->d, &f, type, sizeof type);
	calx__buf_puts(&c->b, "(SELECT CAST(value AS ");
	calx__buf_puts(&c->b, type);
	calx__buf_puts(&c->b, ") FROM json_array_elements_text(CAST(");
	placeholder(c, bind);
	calx__buf_puts(&c->b, " AS json)))");
}

void calx__cc_expr(calx__cc *c, const calx__node *n, bool top, unsigned depth)
{
	if (depth > CALX__MAX_DEPTH) {
		calx__cc_fail(c, CALX_EINVAL, "statement nested too deeply");
		return;
	}
	switch (n->kind) {
	case CALX__N_COLUMN:
		if (n->from) {
			const char *q = qualifier(n->from);
			if (!q) {
				calx__cc_fail(c, CALX_EINVAL, "a column of a subquery without an alias");
				return;
			}
			calx__cc_table(c, q);      /* an alias, or a table's name: "billing"."invoices"."id" */
			calx__buf_putc(&c->b, '.');
		}
		calx__cc_ident(c, n->name);
		return;
	case CALX__N_BIND:
		placeholder(c, n);
		return;
	case CALX__N_SCHEMA_SQL: {
		/* a field's server default or onupdate: the text of this dialect */
		const char *sql = n->desc && n->op ? calx__gen_sql(n->desc, n->op, c->d->name) : n->name;
		if (!sql) {
			calx__cc_fail(c, CALX_EINVAL, "a generated column value has no SQL for this dialect");
			return;
		}
		calx__buf_putc(&c->b, '(');
		calx__buf_puts(&c->b, sql);
		calx__buf_putc(&c->b, ')');
		return;
	}
	case CALX__N_FUNC:
		if (!plain_word(n->name)) {
			calx__cc_fail(c, CALX_EINVAL, "a function name that is not a plain word");
			return;
		}
		calx__buf_puts(&c->b, n->name);
		calx__buf_putc(&c->b, '(');
		if (n->flags & CALX__F_STAR)
			calx__buf_putc(&c->b, '*');
		else
			calx__cc_list(c, n->kid[0], depth + 1);
		calx__buf_putc(&c->b, ')');
		return;
	case CALX__N_POSITION: {
		/* a reference to a select-list item, not a value: PostgreSQL matches GROUP BY items by text */
		char num[8];
		snprintf(num, sizeof num, "%u", (unsigned)n->flags);
		calx__buf_puts(&c->b, num);
		return;
	}
	case CALX__N_CAST:
		if (n->op == CALX__CAST_COLUMN_ARRAY) {
			const calx_field_desc *f = n->desc;
			if (!calx__cc_postgresql(c) || !f) {
				calx__cc_fail(c, CALX_EINVAL, "an array of a table column's type, on PostgreSQL only");
				return;
			}
			calx__buf_puts(&c->b, "ARRAY[(CAST(NULL AS ");
			calx__cc_table(c, n->name);
			calx__buf_puts(&c->b, ")).");
			calx__cc_ident(c, f->column);
			calx__buf_putc(&c->b, ']');
			return;
		}
		if (n->op == CALX__CAST_NULL_ROW) {
			/* a table's row type: its name quoted (and qualified) as a table's */
			calx__buf_puts(&c->b, "CAST(NULL AS ");
			calx__cc_table(c, n->name);
			calx__buf_putc(&c->b, ')');
			return;
		}
		if (!plain_word(n->name)) {
			calx__cc_fail(c, CALX_EINVAL, "a type name in CAST that is not a plain word");
			return;
		}
		calx__buf_puts(&c->b, "CAST(");
		/* PostgreSQL rounds a fraction cast to an integer; SQLite truncates: trunc() makes both truncate */
		if (n->op == CALX__CAST_TRUNC && calx__cc_postgresql(c)) {
			calx__buf_puts(&c->b, "trunc(");
			calx__cc_expr(c, n->kid[0], true, depth + 1);
			calx__buf_putc(&c->b, ')');
		} else {
			calx__cc_expr(c, n->kid[0], true, depth + 1);
		}
		calx__buf_puts(&c->b, " AS ");
		calx__buf_puts(&c->b, n->name);
		calx__buf_putc(&c->b, ')');
		return;
	case CALX__N_CASE:
		calx__buf_puts(&c->b, "CASE");
		for (const calx__node *w = n->kid[0]; w; w = w->next) {
			calx__buf_puts(&c->b, " WHEN ");
			calx__cc_expr(c, w->kid[0], true, depth + 1);
			calx__buf_puts(&c->b, " THEN ");
			calx__cc_expr(c, w->kid[1], true, depth + 1);
		}
		if (n->kid[1]) {
			calx__buf_puts(&c->b, " ELSE ");
			calx__cc_expr(c, n->kid[1], true, depth + 1);
		}
		calx__buf_puts(&c->b, " END");
		return;
	case CALX__N_EXTRACT:
		extract(c, n, depth);
		return;
	case CALX__N_UNARY:
		switch (n->op) {
		case CALX__OP_NOT:
			calx__buf_puts(&c->b, "NOT (");
			calx__cc_expr(c, n->kid[0], true, depth + 1);
			calx__buf_putc(&c->b, ')');
			return;
		case CALX__OP_NEG:
			calx__buf_putc(&c->b, '-');
			operand(c, n->kid[0], n->op, true, depth + 1);
			return;
		case CALX__OP_IS_NULL:
		case CALX__OP_IS_NOT_NULL:
			operand(c, n->kid[0], n->op, true, depth + 1);
			calx__buf_puts(&c->b, n->op == CALX__OP_IS_NULL ? " IS NULL" : " IS NOT NULL");
			return;
		case CALX__OP_EXISTS:
			calx__buf_puts(&c->b, "EXISTS ");
			calx__cc_subquery(c, n->kid[0], depth + 1);
			return;
		}
		break;
	case CALX__N_BINARY: {
		const char *sql = binary_sql(n->op);
		if (!sql)
			break;
		bool paren = !top && (n->op == CALX__OP_AND || n->op == CALX__OP_OR);
		if (paren)
			calx__buf_putc(&c->b, '(');
		operand(c, n->kid[0], n->op, true, depth + 1);
		calx__buf_puts(&c->b, sql);
		operand(c, n->kid[1], n->op, false, depth + 1);
		if (n->op == CALX__OP_LIKE && n->kid[2]) {
			calx__buf_puts(&c->b, " ESCAPE ");
			operand(c, n->kid[2], n->op, false, depth + 1);
		}
		if (paren)
			calx__buf_putc(&c->b, ')');
		return;
	}
	case CALX__N_IN:
		operand(c, n->kid[CALX__IN_EXPR], CALX__OP_EQ, true, depth + 1);
		calx__buf_puts(&c->b, n->flags & CALX__F_NOT ? " NOT IN " : " IN ");
		if (n->kid[CALX__IN_SELECT]) {
			calx__cc_subquery(c, n->kid[CALX__IN_SELECT], depth + 1);
			return;
		}
		if (n->flags & CALX__F_JSON) {
			json_list(c, n);
			return;
		}
		{
			const calx__node *x = n->kid[CALX__IN_LIST];
			size_t k = 0;
			calx__buf_putc(&c->b, '(');
			if (x && x->kind == CALX__N_BINDS) {
				k = bind_array(c, x, n->first, n->count);
			} else {
				for (size_t skip = n->first; x && skip; skip--)
					x = x->next;
				for (; x && k < n->count; x = x->next, k++) {
					if (k)
						calx__buf_puts(&c->b, ", ");
					calx__cc_expr(c, x, false, depth + 1);
				}
			}
			calx__buf_putc(&c->b, ')');
			if (!k)
				calx__cc_fail(c, CALX_EINVAL, "IN with an empty list");
		}
		return;
	case CALX__N_SUBQUERY:
		calx__cc_subquery(c, n->kid[0], depth + 1);
		return;
	default:
		break;
	}
	calx__cc_fail(c, CALX_EINVAL, "a node that is not an expression where one was expected");
}

void calx__cc_list(calx__cc *c, const calx__node *head, unsigned depth)
{
	for (const calx__node *x = head; x; x = x->next) {
		if (x != head)
			calx__buf_puts(&c->b, ", ");
		calx__cc_expr(c, x, false, depth);
	}
}

