/*
 * reflect/annot_field.c - the options of calx:field(...), the
 * SQLAlchemy mapped_column() vocabulary. Each option is checked for arity
 * and argument shape here; checks that need the field's C type are made
 * in fields.c.
 */
#include "annot_int.h"
#include "calx/decimal.h"
#include "calx/sys/descriptor.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct opt_spec {
	const char *name;
	unsigned min;
	int max; /* -1: unbounded */
} spec[CALXR__OPT_COUNT] = {
	[CALXR__OPT_PRIMARY_KEY] = { "primary_key", 0, 0 },
	[CALXR__OPT_AUTOINCREMENT] = { "autoincrement", 0, 1 },
	[CALXR__OPT_NULLABLE] = { "nullable", 0, 0 },
	[CALXR__OPT_NOT_NULL] = { "not_null", 0, 0 },
	[CALXR__OPT_UNIQUE] = { "unique", 0, 0 },
	[CALXR__OPT_INDEX] = { "index", 0, 0 },
	[CALXR__OPT_DEFAULT] = { "default", 1, 1 },
	[CALXR__OPT_SERVER_DEFAULT] = { "server_default", 1, -1 },
	[CALXR__OPT_NAME] = { "name", 1, 1 },
	[CALXR__OPT_TYPE] = { "type", 1, -1 },
	[CALXR__OPT_FOREIGN_KEY] = { "foreign_key", 1, 3 },
	[CALXR__OPT_CHECK] = { "check", 1, 1 },
	[CALXR__OPT_INIT] = { "init", 1, 1 },
	[CALXR__OPT_TRANSIENT] = { "transient", 0, 0 },
	[CALXR__OPT_VERSION] = { "version", 0, 0 },
	[CALXR__OPT_PREFIX] = { "prefix", 1, 1 },
	[CALXR__OPT_CHAR_AS] = { "char_as", 1, 1 },
	[CALXR__OPT_BACK_POPULATES] = { "back_populates", 1, 1 },
	[CALXR__OPT_FOREIGN_KEYS] = { "foreign_keys", 1, -1 },
	[CALXR__OPT_CASCADE] = { "cascade", 1, 1 },
	[CALXR__OPT_LAZY] = { "lazy", 1, 1 },
	[CALXR__OPT_PASSIVE_DELETES] = { "passive_deletes", 0, 0 },
	[CALXR__OPT_USELIST] = { "uselist", 1, 1 },
	[CALXR__OPT_POST_UPDATE] = { "post_update", 0, 0 },
	[CALXR__OPT_SECONDARY] = { "secondary", 1, 1 },
	[CALXR__OPT_REPR] = { "repr", 1, 1 },
	[CALXR__OPT_COMPARE] = { "compare", 1, 1 },
	[CALXR__OPT_DEFAULT_FACTORY] = { "default_factory", 1, 1 },
	[CALXR__OPT_NUMERIC] = { "numeric", 1, 2 },
	[CALXR__OPT_JSON] = { "json", 0, 0 },
	[CALXR__OPT_COMPUTED] = { "computed", 1, 1 },
	[CALXR__OPT_ENUM_AS] = { "enum_as", 1, 1 },
	[CALXR__OPT_ONUPDATE] = { "onupdate", 1, -1 },
};

const char *calxr__opt_name(calxr__opt o)
{
	return o < CALXR__OPT_COUNT ? spec[o].name : "?";
}

void calxr__field_opts_free(calxr__field_opts *o)
{
	free(o->default_text);
	free(o->server_default);
	free(o->name);
	free(o->check);
	calxr__strlist_free(&o->types);
	free(o->fk_table);
	free(o->fk_column);
	free(o->ondelete);
	free(o->onupdate);
	free(o->prefix);
	free(o->default_factory);
	free(o->computed);
	calxr__strlist_free(&o->server_default_variants);
	free(o->onupdate_sql);
	calxr__strlist_free(&o->onupdate_variants);
	free(o->onupdate_fn);
	free(o->back_populates);
	calxr__strlist_free(&o->foreign_keys);
	free(o->secondary);
	memset(o, 0, sizeof *o);
	o->init = true;
}

int calxr__ap_bool_arg(parser *p, const char *opt, calxr__span arg)
{
	char shown[SHOW_MAX + 4];
	arg = calxr__span_trim(arg);
	if (arg.n == 4 && !memcmp(arg.p, "true", 4))
		return 1;
	if (arg.n == 5 && !memcmp(arg.p, "false", 5))
		return 0;
	calxr__ap_fail(p, "option '%s' expects true or false, found '%s'", opt, calxr__ap_show(arg, shown));
	return -1;
}

char *calxr__ap_nonempty_string(parser *p, const char *what, calxr__span arg)
{
	char *s = calxr__ap_string_arg(p, what, arg);
	if (s && !*s) {
		calxr__ap_fail(p, "%s expects a non-empty string", what);
		free(s);
		return NULL;
	}
	return s;
}

char *calxr__ap_fk_action(parser *p, const char *opt, const char *key, calxr__span arg)
{
	static const char *const actions[] = { "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION" };
	char what[64], shown[SHOW_MAX + 4], *s;

	snprintf(what, sizeof what, "argument '%s' of option '%s'", key, opt);
	s = calxr__ap_string_arg(p, what, arg);
	if (!s)
		return NULL;
	for (char *c = s; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (!strcmp(s, actions[i]))
			return s;
	calxr__ap_fail(p, "invalid %s action '%s' (expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION)",
		      key, calxr__ap_show(calxr__span_of(s), shown));
	free(s);
	return NULL;
}

static void foreign_key(parser *p, calxr__field_opts *o, calxr__span *args, unsigned n)
{
	char shown[SHOW_MAX + 4];
	char *target = calxr__ap_string_arg(p, "option 'foreign_key'", args[0]);
	char *dot;

	if (target) {
		/* the last '.' starts the column: "billing.invoices.id" names a schema-qualified table */
		dot = strrchr(target, '.');
		if (!dot || (strchr(target, '.') != dot && strchr(strchr(target, '.') + 1, '.') != dot)) {
			calxr__ap_fail(p, "invalid foreign key target '%s' (expected \"table.column\")",
				      calxr__ap_show(calxr__span_of(target), shown));
		} else {
			*dot = '\0';
			if (calxr__ap_check_table_name(p, target) &&
			    calxr__ap_check_ident(p, "column name", dot + 1)) {
				o->fk_table = target;
				o->fk_column = strdup(dot + 1);
				if (!o->fk_column)
					p->oom = true;
				target = NULL;
			}
		}
		free(target);
	}
	for (unsigned i = 1; i < n; i++) {
		calxr__span a = calxr__span_trim(args[i]), k, v;
		char key[16], **slot;

		if (!calxr__ap_keyword(a, &k, &v)) {
			calxr__ap_fail(p, "option 'foreign_key' expects ondelete=\"...\" or onupdate=\"...\" after the target, found '%s'",
				      calxr__ap_show(a, shown));
			continue;
		}
		if (k.n == 8 && !memcmp(k.p, "ondelete", 8))
			slot = &o->ondelete;
		else if (k.n == 8 && !memcmp(k.p, "onupdate", 8))
			slot = &o->onupdate;
		else {
			calxr__ap_fail(p, "unknown argument '%s' of option 'foreign_key'", calxr__ap_show(k, shown));
			continue;
		}
		memcpy(key, k.p, 8);
		key[8] = '\0';
		if (*slot) {
			calxr__ap_fail(p, "duplicate argument '%s' of option 'foreign_key'", key);
			continue;
		}
		*slot = calxr__ap_fk_action(p, "foreign_key", key, v);
	}
}

static void apply(parser *p, calxr__field_opts *o, calxr__opt opt, calxr__span *args, unsigned n)
{
	char what[64];
	int b;

	snprintf(what, sizeof what, "option '%s'", spec[opt].name);
	switch (opt) {
	case CALXR__OPT_AUTOINCREMENT:
		b = n ? calxr__ap_bool_arg(p, "autoincrement", args[0]) : 1;
		if (b < 0)
			return;
		if ((b && o->autoincrement_on_seen) || (!b && o->autoincrement_off_seen)) {
			calxr__ap_fail(p, "duplicate option 'autoincrement'");
			return;
		}
		*(b ? &o->autoincrement_on_seen : &o->autoincrement_off_seen) = true;
		o->autoincrement = b;
		break;
	case CALXR__OPT_INIT:
		b = calxr__ap_bool_arg(p, "init", args[0]);
		if (b < 0)
			return;
		o->init = b;
		break;
	case CALXR__OPT_DEFAULT_FACTORY: {
		char shown[SHOW_MAX + 4];
		calxr__span e = calxr__span_trim(args[0]);
		bool ident = e.n > 0 && (isalpha((unsigned char)e.p[0]) || e.p[0] == '_');
		for (size_t i = 0; ident && i < e.n; i++)
			ident = isalnum((unsigned char)e.p[i]) || e.p[i] == '_';
		if (!ident) {
			calxr__ap_fail(p, "option 'default_factory' expects a function's name, found '%s'",
				      calxr__ap_show(e, shown));
			return;
		}
		if (!(o->default_factory = strndup(e.p, e.n)))
			p->oom = true;
		break;
	}
	case CALXR__OPT_REPR:
	case CALXR__OPT_COMPARE:
		b = calxr__ap_bool_arg(p, spec[opt].name, args[0]);
		if (b < 0)
			return;
		*(opt == CALXR__OPT_REPR ? &o->no_repr : &o->no_compare) = !b;
		break;
	case CALXR__OPT_DEFAULT: {
		calxr__span e = calxr__span_trim(args[0]);
		o->default_text = strndup(e.p, e.n);
		if (!o->default_text)
			p->oom = true;
		break;
	}
	case CALXR__OPT_SERVER_DEFAULT:
	case CALXR__OPT_ONUPDATE:
	case CALXR__OPT_COMPUTED:
	case CALXR__OPT_ENUM_AS:
	case CALXR__OPT_NUMERIC:
		if (!calxr__ap_sql_option(p, o, opt, what, args, n))   /* annot_sql.c */
			return;
		break;
	case CALXR__OPT_CHECK:
		if (!(o->check = calxr__ap_nonempty_string(p, what, args[0])))
			return;
		if (!calxr__ap_check_sql_text(p, what, o->check)) {
			free(o->check);
			o->check = NULL;
			return;
		}
		break;
	case CALXR__OPT_NAME:
		o->name = calxr__ap_string_arg(p, what, args[0]);
		if (o->name && !calxr__ap_check_ident(p, "column name", o->name)) {
			free(o->name);
			o->name = NULL;
		}
		if (!o->name)
			return;
		break;
	case CALXR__OPT_TYPE:
		calxr__ap_type_args(p, what, args, n, &o->types);
		break;
	case CALXR__OPT_FOREIGN_KEY:
		foreign_key(p, o, args, n);
		break;
	case CALXR__OPT_PREFIX:
		/* a prefix is the start of a column name: the same characters, and it may end in '_' */
		o->prefix = calxr__ap_nonempty_string(p, what, args[0]);
		if (o->prefix && !calxr__ap_check_ident(p, "column prefix", o->prefix)) {
			free(o->prefix);
			o->prefix = NULL;
		}
		if (!o->prefix)
			return;
		break;
	case CALXR__OPT_CHAR_AS: {
		calxr__span a = calxr__span_trim(args[0]);
		char shown[SHOW_MAX + 4];
		if (a.n == 4 && !memcmp(a.p, "text", 4))
			o->char_as = CALXR__CHAR_AS_TEXT;
		else if (a.n == 7 && !memcmp(a.p, "integer", 7))
			o->char_as = CALXR__CHAR_AS_INTEGER;
		else {
			calxr__ap_fail(p, "option 'char_as' expects text or integer, found '%s'", calxr__ap_show(a, shown));
			return;
		}
		break;
	}
	case CALXR__OPT_BACK_POPULATES:
	case CALXR__OPT_FOREIGN_KEYS:
	case CALXR__OPT_SECONDARY:
	case CALXR__OPT_CASCADE:
	case CALXR__OPT_LAZY:
	case CALXR__OPT_USELIST:
		calxr__ap_rel_option(p, o, opt, what, args, n);   /* annot_rel.c */
		return;
	default: /* the flags: nothing more to read */
		break;
	}
	o->seen |= (uint64_t)1 << opt;
}

static void arity_error(parser *p, calxr__opt opt, unsigned n)
{
	const struct opt_spec *s = &spec[opt];
	if (s->max == 0)
		calxr__ap_fail(p, "option '%s' takes no arguments", s->name);
	else if (s->max < 0)
		calxr__ap_fail(p, "option '%s' expects at least %u argument%s, got %u", s->name, s->min,
			      s->min == 1 ? "" : "s", n);
	else if (s->min == 0)
		calxr__ap_fail(p, "option '%s' expects at most %d argument%s, got %u", s->name, s->max,
			      s->max == 1 ? "" : "s", n);
	else if ((int)s->min == s->max)
		calxr__ap_fail(p, "option '%s' expects %u argument%s, got %u", s->name, s->min,
			      s->min == 1 ? "" : "s", n);
	else
		calxr__ap_fail(p, "option '%s' expects %u to %d arguments, got %u", s->name, s->min, s->max, n);
}

/* One "name" or "name(args)" item of the option list. */
static void option(parser *p, calxr__field_opts *o, calxr__span item)
{
	char shown[SHOW_MAX + 4];
	calxr__span it = calxr__span_trim(item), name, rest, inner = { NULL, 0 }, *args = NULL;
	size_t nl = calxr__lex_ident(it);
	unsigned n = 0, opt;

	if (!it.n) {
		calxr__ap_fail(p, "empty option in list");
		return;
	}
	if (!nl) {
		calxr__ap_fail(p, "expected an option name, found '%s'", calxr__ap_show(it, shown));
		return;
	}
	name.p = it.p;
	name.n = nl;
	rest.p = it.p + nl;
	rest.n = it.n - nl;
	rest = calxr__span_trim(rest);
	if (rest.n && rest.p[0] == '(') {
		size_t close = calxr__ap_match_paren(rest);
		inner.p = rest.p + 1;
		inner.n = close - 1;
		rest.p += close + 1;
		rest.n -= close + 1;
		rest = calxr__span_trim(rest);
	}
	if (rest.n) {
		char shown2[SHOW_MAX + 4];
		calxr__ap_fail(p, "unexpected '%s' after option '%s'", calxr__ap_show(rest, shown),
			      calxr__ap_show(name, shown2));
		return;
	}
	for (opt = 0; opt < CALXR__OPT_COUNT; opt++)
		if (strlen(spec[opt].name) == nl && !memcmp(spec[opt].name, name.p, nl))
			break;
	if (opt == CALXR__OPT_COUNT) {
		const char *names[CALXR__OPT_COUNT];
		for (unsigned k = 0; k < CALXR__OPT_COUNT; k++)
			names[k] = spec[k].name;
		const char *near = calxr__suggest(name.p, nl, names, CALXR__OPT_COUNT);
		calxr__ap_fail(p, "unknown option '%s'%s%s%s", calxr__ap_show(name, shown), near ? " (did you mean '" : "",
			      near ? near : "", near ? "'?)" : "");
		return;
	}
	if (calxr__ap_split(p, inner, &args, &n) < 0)
		return;
	for (unsigned i = 0; i < n; i++)
		if (!calxr__span_trim(args[i]).n) {
			calxr__ap_fail(p, "empty argument to option '%s'", spec[opt].name);
			goto done;
		}
	if (n < spec[opt].min || (spec[opt].max >= 0 && n > (unsigned)spec[opt].max)) {
		arity_error(p, (calxr__opt)opt, n);
		goto done;
	}
	if ((o->seen & ((uint64_t)1 << opt)) && opt != CALXR__OPT_AUTOINCREMENT) {
		calxr__ap_fail(p, "duplicate option '%s'", spec[opt].name);
		goto done;
	}
	apply(p, o, (calxr__opt)opt, args, n);
done:
	free(args);
}

unsigned calxr__annot_parse_field(const char *text, calxr__field_opts *o, calxr__annot_err_fn err,
				 void *payload)
{
	parser p = { err, payload, 0, false };
	calxr__span *items = NULL;
	unsigned n = 0;

	if (calxr__ap_annotation_args(&p, text, &items, &n) == 0)
		for (unsigned i = 0; i < n; i++)
			option(&p, o, items[i]);
	free(items);
	if (p.oom) {
		o->oom = true;
		calxr__ap_fail(&p, "out of memory");
	}
	return p.errors;
}

unsigned calxr__annot_check_field(const calxr__field_opts *o, calxr__annot_err_fn err, void *payload)
{
	parser p = { err, payload, 0, false };
	const unsigned nullable = 1u << CALXR__OPT_NULLABLE;

	if ((o->seen & nullable) && (o->seen & (1u << CALXR__OPT_NOT_NULL)))
		calxr__ap_fail(&p, "contradictory options 'nullable' and 'not_null'");
	if ((o->seen & nullable) && (o->seen & (1u << CALXR__OPT_PRIMARY_KEY)))
		calxr__ap_fail(&p, "contradictory options 'nullable' and 'primary_key'");
	if (o->autoincrement_on_seen && o->autoincrement_off_seen)
		calxr__ap_fail(&p, "contradictory options 'autoincrement' and 'autoincrement(false)'");
	if (o->seen & (1u << CALXR__OPT_TRANSIENT))
		for (unsigned opt = 0; opt < CALXR__OPT_COUNT; opt++)
			if (opt != CALXR__OPT_TRANSIENT && (o->seen & ((uint64_t)1 << opt))) {
				calxr__ap_fail(&p, "contradictory options 'transient' and '%s'", spec[opt].name);
				break;
			}
	return p.errors;
}
