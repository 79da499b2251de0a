/*
 * reflect/annot_table.c - calx:table(...): the table name, then the
 * table-level constraints, SQLAlchemy's __table_args__:
 *
 *   CALX_TABLE("order_lines", unique("order_id", "line_no"),
 *              index("sku", "created"), index("code", unique=true),
 *              check("qty > 0", name="qty_positive"),
 *              foreign_key("order_id, line_no", "orders(id, no)", ondelete="CASCADE"))
 *
 * Column names are checked as SQL identifiers here; whether they exist,
 * and what a foreign key refers to, is checked in constraints.c.
 */
#include "annot_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
	[CALXR__TCONS_UNIQUE] = "unique",
	[CALXR__TCONS_INDEX] = "index",
	[CALXR__TCONS_CHECK] = "check",
	[CALXR__TCONS_FOREIGN_KEY] = "foreign_key",
};

/* The keyword arguments each option takes, as bits of kw_names. */
enum { KW_NAME = 1u << 0, KW_UNIQUE = 1u << 1, KW_ONDELETE = 1u << 2, KW_ONUPDATE = 1u << 3 };
static const char *const kw_names[] = { "name", "unique", "ondelete", "onupdate" };
static const unsigned kw_allowed[] = {
	[CALXR__TCONS_UNIQUE] = KW_NAME,
	[CALXR__TCONS_INDEX] = KW_NAME | KW_UNIQUE,
	[CALXR__TCONS_CHECK] = KW_NAME,
	[CALXR__TCONS_FOREIGN_KEY] = KW_NAME | KW_ONDELETE | KW_ONUPDATE,
};

const char *calxr__tcons_word(calxr__tcons_kind k)
{
	return k <= CALXR__TCONS_FOREIGN_KEY ? words[k] : "?";
}

void calxr__tcons_free(calxr__tcons *c)
{
	free(c->name);
	calxr__strlist_free(&c->cols);
	free(c->sql);
	free(c->ref_table);
	calxr__strlist_free(&c->ref_cols);
	free(c->ondelete);
	free(c->onupdate);
	memset(c, 0, sizeof *c);
}

void calxr__table_opts_free(calxr__table_opts *o)
{
	free(o->name);
	free(o->polymorphic_on);
	free(o->polymorphic_identity);
	free(o->polymorphic_load);
	for (unsigned i = 0; i < o->n_cons; i++)
		calxr__tcons_free(&o->cons[i]);
	free(o->cons);
	memset(o, 0, sizeof *o);
}

/* "a, b, c" into names; false when a piece is not a column name. */
static bool column_list(parser *p, const char *s, calxr__strlist *out)
{
	calxr__span *pieces = NULL;
	unsigned n = 0;
	const char *msg;
	bool ok = true;

	if (calxr__lex_split(calxr__span_of(s), &pieces, &n, &msg) < 0) {
		if (!msg)
			p->oom = true;
		n = 0;
		ok = false;
	}
	for (unsigned i = 0; i < n && ok; i++) {
		calxr__span c = calxr__span_trim(pieces[i]);
		char *name = strndup(c.p, c.n);
		if (!name) {
			p->oom = true;
			ok = false;
			break;
		}
		if (!calxr__is_sql_ident(name)) {
			free(name);
			ok = false;
			break;
		}
		calxr__ap_strlist_push(p, out, name);
	}
	free(pieces);
	return ok && n > 0;
}

/* "orders(id, no)" or "orders.id". */
static void fk_target(parser *p, calxr__tcons *c, calxr__span arg)
{
	char shown[SHOW_MAX + 4];
	char *s = calxr__ap_string_arg(p, "option 'foreign_key'", arg);
	if (!s)
		return;
	size_t tl = calxr__lex_ident(calxr__span_of(s));
	/* "billing.invoices(id)": a schema-qualified table before its columns */
	if (tl && s[tl] == '.' && strchr(s, '(')) {
		size_t t2 = calxr__lex_ident(calxr__span_of(s + tl + 1));
		if (t2 && s[tl + 1 + t2] == '(')
			tl += 1 + t2;
	}
	/* "billing.invoices.id": the last '.' starts the column */
	if (tl && s[tl] == '.' && !strchr(s, '(') && strchr(s + tl + 1, '.'))
		tl = (size_t)(strrchr(s, '.') - s);
	const char *rest = s + tl;
	char table_part[2 * CALXR__IDENT_MAX + 2];
	bool ok = tl > 0 && tl < sizeof table_part;
	if (ok) {
		memcpy(table_part, s, tl);
		table_part[tl] = '\0';
		ok = calxr__is_sql_table_name(table_part);
	}
	if (ok && *rest == '.') {
		ok = calxr__is_sql_ident(rest + 1);
		if (ok) {
			char *col = strdup(rest + 1);
			if (!col)
				p->oom = true;
			else
				calxr__ap_strlist_push(p, &c->ref_cols, col);
		}
	} else if (ok && *rest == '(' && rest[strlen(rest) - 1] == ')') {
		char *inner = strndup(rest + 1, strlen(rest) - 2);
		if (!inner)
			p->oom = true;
		ok = inner && column_list(p, inner, &c->ref_cols);
		free(inner);
	} else {
		ok = false;
	}
	if (ok) {
		c->ref_table = strndup(s, tl);
		if (!c->ref_table)
			p->oom = true;
	} else if (!p->oom) {
		calxr__strlist_free(&c->ref_cols);
		calxr__ap_fail(p, "invalid foreign key target '%s' (expected \"table(column, ...)\" or \"table.column\")",
			      calxr__ap_show(calxr__span_of(s), shown));
	}
	free(s);
}

/* The positional arguments of one option; false after an error. */
static bool positional(parser *p, calxr__tcons *c, calxr__span *args, unsigned n)
{
	const char *word = words[c->kind];
	char what[64], shown[SHOW_MAX + 4];
	unsigned before = p->errors;

	snprintf(what, sizeof what, "option '%s'", word);
	switch (c->kind) {
	case CALXR__TCONS_UNIQUE:
	case CALXR__TCONS_INDEX:
		if (n == 0) {
			calxr__ap_fail(p, "option '%s' expects at least 1 column, got 0", word);
			return false;
		}
		for (unsigned i = 0; i < n; i++) {
			char *s = calxr__ap_string_arg(p, what, args[i]);
			if (s && calxr__ap_check_ident(p, "column name", s))
				calxr__ap_strlist_push(p, &c->cols, s);
			else
				free(s);
		}
		break;
	case CALXR__TCONS_CHECK:
		if (n != 1) {
			calxr__ap_fail(p, "option 'check' expects 1 SQL expression before its keywords, got %u", n);
			return false;
		}
		c->sql = calxr__ap_string_arg(p, what, args[0]);
		if (c->sql && !*c->sql)
			calxr__ap_fail(p, "option 'check' expects a non-empty string");
		else if (c->sql && !calxr__ap_check_sql_text(p, "option 'check'", c->sql)) {
			free(c->sql);
			c->sql = NULL;
		}
		break;
	case CALXR__TCONS_FOREIGN_KEY: {
		if (n != 2) {
			calxr__ap_fail(p, "option 'foreign_key' expects 2 arguments before its keywords (\"columns\", \"table(columns)\"), got %u",
				      n);
			return false;
		}
		char *s = calxr__ap_string_arg(p, what, args[0]);
		if (s && !column_list(p, s, &c->cols) && !p->oom)
			calxr__ap_fail(p, "invalid column list '%s' of option 'foreign_key' (expected \"column, ...\")",
				      calxr__ap_show(calxr__span_of(s), shown));
		free(s);
		fk_target(p, c, args[1]);
		break;
	}
	}
	return p->errors == before;
}

/* name=, unique=, ondelete=, onupdate=; false after an error. */
static bool keyword(parser *p, calxr__tcons *c, calxr__span arg, unsigned *seen)
{
	const char *word = words[c->kind];
	char shown[SHOW_MAX + 4], what[64];
	calxr__span k, v;
	unsigned kw = 0;

	if (!calxr__ap_keyword(arg, &k, &v)) {
		calxr__ap_fail(p, "option '%s' expects keyword arguments after its %s, found '%s'", word,
			      c->kind == CALXR__TCONS_CHECK ? "expression" : "columns", calxr__ap_show(arg, shown));
		return false;
	}
	for (unsigned i = 0; i < sizeof kw_names / sizeof kw_names[0]; i++)
		if (strlen(kw_names[i]) == k.n && !memcmp(kw_names[i], k.p, k.n))
			kw = 1u << i;
	if (!(kw & kw_allowed[c->kind])) {
		calxr__ap_fail(p, "unknown argument '%s' of option '%s'", calxr__ap_show(k, shown), word);
		return false;
	}
	if (*seen & kw) {
		calxr__ap_fail(p, "duplicate argument '%.*s' of option '%s'", (int)k.n, k.p, word);
		return false;
	}
	*seen |= kw;
	snprintf(what, sizeof what, "argument '%.*s' of option '%s'", (int)k.n, k.p, word);
	switch (kw) {
	case KW_NAME:
		c->name = calxr__ap_string_arg(p, what, v);
		if (c->name && !calxr__ap_check_ident(p, "constraint name", c->name)) {
			free(c->name);
			c->name = NULL;
		}
		return c->name != NULL;
	case KW_UNIQUE:
		if (v.n == 4 && !memcmp(v.p, "true", 4))
			c->unique = true;
		else if (!(v.n == 5 && !memcmp(v.p, "false", 5))) {
			calxr__ap_fail(p, "%s expects true or false, found '%s'", what, calxr__ap_show(v, shown));
			return false;
		}
		return true;
	default: {
		char **slot = kw == KW_ONDELETE ? &c->ondelete : &c->onupdate;
		*slot = calxr__ap_fk_action(p, word, kw == KW_ONDELETE ? "ondelete" : "onupdate", v);
		return *slot != NULL;
	}
	}
}

/*
 * table_only, a bare word: the struct declares a table without a mapper
 * (annot.h says why the name). true when name is that word.
 */
static bool table_only_word(parser *p, calxr__table_opts *o, calxr__span name)
{
	if (name.n != 10 || memcmp(name.p, "table_only", 10))
		return false;
	if (o->table_only)
		calxr__ap_fail(p, "duplicate table option 'table_only'");
	o->table_only = true;
	return true;
}

/* abstract, a bare word: a concrete hierarchy's root with no table of its own (annot.h). */
static bool abstract_word(parser *p, calxr__table_opts *o, calxr__span name)
{
	if (name.n != 8 || memcmp(name.p, "abstract", 8))
		return false;
	if (o->abstract)
		calxr__ap_fail(p, "duplicate table option 'abstract'");
	o->abstract = true;
	return true;
}

/* deferred, a bare word: a table the database has, mapped in part and checked by calx_prepare (annot.h). */
static bool deferred_word(parser *p, calxr__table_opts *o, calxr__span name)
{
	if (name.n != 8 || memcmp(name.p, "deferred", 8))
		return false;
	if (o->deferred)
		calxr__ap_fail(p, "duplicate table option 'deferred'");
	o->deferred = true;
	return true;
}

/* One "word(args)" item after the table name. */
static void constraint(parser *p, calxr__table_opts *o, calxr__span item, bool first)
{
	char shown[SHOW_MAX + 4], shown2[SHOW_MAX + 4];
	calxr__span it = calxr__span_trim(item), name, rest, inner = { NULL, 0 }, *args = NULL;
	size_t nl = calxr__lex_ident(it);
	bool parens = false, ok = true;
	unsigned n = 0, kind, npos, seen = 0;
	calxr__tcons c;

	if (!it.n) {
		calxr__ap_fail(p, "empty option in list");
		return;
	}
	name.p = it.p;
	name.n = nl;
	rest.p = it.p + nl;
	rest.n = it.n - nl;
	rest = calxr__span_trim(rest);
	if (nl && rest.n && rest.p[0] == '(') {
		size_t close = calxr__ap_match_paren(rest);
		parens = true;
		inner.p = rest.p + 1;
		inner.n = close - 1;
		rest.p += close + 1;
		rest.n -= close + 1;
		rest = calxr__span_trim(rest);
	}
	for (kind = 0; nl && kind <= CALXR__TCONS_FOREIGN_KEY; kind++)
		if (strlen(words[kind]) == nl && !memcmp(words[kind], name.p, nl))
			break;
	if (nl && !parens && !rest.n && (table_only_word(p, o, name) || abstract_word(p, o, name) ||
	                                 deferred_word(p, o, name)))
		return;
	if (nl && parens && !rest.n && calxr__ap_inherit_table_option(p, o, name, inner))
		return;
	if (first && (!nl || (!parens && kind > CALXR__TCONS_FOREIGN_KEY))) {
		/* CALX_TABLE(users): a name that is not a string */
		calxr__ap_fail(p, "annotation 'calx:table' expects a string literal, found '%s'", calxr__ap_show(it, shown));
		return;
	}
	if (!nl || it.p[0] == '"') {
		calxr__ap_fail(p, "expected a table option (unique, index, check or foreign_key), found '%s'",
			      calxr__ap_show(it, shown));
		return;
	}
	if (rest.n) {
		calxr__ap_fail(p, "unexpected '%s' after option '%s'", calxr__ap_show(rest, shown),
			      calxr__ap_show(name, shown2));
		return;
	}
	if (kind > CALXR__TCONS_FOREIGN_KEY) {
		static const char *const known[] = { "unique", "index", "check", "foreign_key", "table_only",
		                                     "polymorphic_on", "polymorphic_identity", "polymorphic_load", "abstract",
		                                     "deferred" };
		const char *near = calxr__suggest(name.p, nl, known, sizeof known / sizeof known[0]);
		calxr__ap_fail(p, "unknown table option '%s'%s%s%s", calxr__ap_show(name, shown),
			      near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return;
	}
	if (calxr__ap_split(p, inner, &args, &n) < 0)
		return;
	memset(&c, 0, sizeof c);
	c.kind = (calxr__tcons_kind)kind;
	for (unsigned i = 0; i < n; i++)
		if (!calxr__span_trim(args[i]).n) {
			calxr__ap_fail(p, "empty argument to option '%s'", words[kind]);
			ok = false;
			goto done;
		}
	for (npos = 0; npos < n; npos++) {
		calxr__span k, v;
		if (calxr__ap_keyword(args[npos], &k, &v))
			break;
	}
	ok = positional(p, &c, args, npos);
	for (unsigned i = npos; i < n; i++)
		ok = keyword(p, &c, args[i], &seen) && ok;
	if (ok && c.kind == CALXR__TCONS_CHECK && !c.name) {
		calxr__ap_fail(p, "option 'check' on a table needs name=\"...\"");
		ok = false;
	}
done:
	free(args);
	if (ok && !p->oom) {
		calxr__tcons *nv = realloc(o->cons, (o->n_cons + 1) * sizeof *nv);
		if (nv) {
			o->cons = nv;
			o->cons[o->n_cons++] = c;
			return;
		}
		p->oom = true;
	}
	calxr__tcons_free(&c);
}

unsigned calxr__annot_parse_table(const char *text, calxr__table_opts *o, calxr__annot_err_fn err,
				 void *payload)
{
	parser p = { err, payload, 0, false };
	calxr__span *args = NULL;
	unsigned n = 0, i = 0;

	if (calxr__ap_annotation_args(&p, text, &args, &n) < 0)
		goto done;
	if (n > 0 && calxr__span_trim(args[0]).n && calxr__span_trim(args[0]).p[0] == '"') {
		char *s = calxr__ap_string_arg(&p, "annotation 'calx:table'", args[0]);
		if (s && calxr__ap_check_table_name(&p, s))
			o->name = s;
		else
			free(s);
		i = 1;
	}
	for (; i < n; i++)
		constraint(&p, o, args[i], i == 0);
done:
	free(args);
	if (p.oom) {
		o->oom = true;
		calxr__ap_fail(&p, "out of memory");
	}
	return p.errors;
}
