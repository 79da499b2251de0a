/*
 * reflect/annot_inherit.c - the inheritance words of the annotation
 * language:
 *
 *   CALX_TABLE("people", polymorphic_on("kind"), polymorphic_identity("person"))
 *   CALX_INHERIT(single, polymorphic_identity("engineer"))
 *   CALX_INHERIT(joined, table("engineer"), polymorphic_identity("engineer"))
 *
 * polymorphic_on names the discriminator column of a hierarchy's root
 * (SQLAlchemy's mapper argument of that name); polymorphic_identity is the
 * value of that column for the struct's own rows. The kind of a subclass
 * comes first: single, joined or concrete. Whether a kind is supported,
 * and what the names refer to, is decided in inherit.c, at the struct.
 */
#include "annot_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_words[] = {
	[CALXR__INHERIT_SINGLE] = "single",
	[CALXR__INHERIT_JOINED] = "joined",
	[CALXR__INHERIT_CONCRETE] = "concrete",
};

const char *calxr__inherit_word(calxr__inherit_kind k)
{
	return k >= CALXR__INHERIT_SINGLE && k <= CALXR__INHERIT_CONCRETE ? kind_words[k] : "?";
}

static bool is_word(calxr__span s, const char *w)
{
	return s.n == strlen(w) && !memcmp(s.p, w, s.n);
}

/* The one string argument of polymorphic_on / polymorphic_identity into *slot. */
static void one_string(parser *p, const char *opt, calxr__span inner, char **slot)
{
	calxr__span *args = NULL;
	unsigned n = 0;
	char what[64];

	if (*slot) {
		calxr__ap_fail(p, "duplicate option '%s'", opt);
		return;
	}
	if (calxr__ap_split(p, inner, &args, &n) < 0)
		return;
	snprintf(what, sizeof what, "option '%s'", opt);
	if (n != 1 || !calxr__span_trim(args[0]).n)
		calxr__ap_fail(p, "option '%s' expects 1 string literal, got %u", opt, n == 1 ? 0 : n);
	else
		*slot = calxr__ap_nonempty_string(p, what, args[0]);
	if (*slot && !strcmp(opt, "polymorphic_on") && !calxr__ap_check_ident(p, "column name", *slot)) {
		free(*slot);
		*slot = NULL;
	}
	free(args);
}

bool calxr__ap_inherit_table_option(parser *p, calxr__table_opts *o, calxr__span name, calxr__span inner)
{
	if (is_word(name, "polymorphic_on"))
		one_string(p, "polymorphic_on", inner, &o->polymorphic_on);
	else if (is_word(name, "polymorphic_identity"))
		one_string(p, "polymorphic_identity", inner, &o->polymorphic_identity);
	else if (is_word(name, "polymorphic_load"))
		one_string(p, "polymorphic_load", inner, &o->polymorphic_load);
	else
		return false;
	return true;
}

void calxr__inherit_opts_free(calxr__inherit_opts *o)
{
	free(o->identity);
	free(o->table);
	memset(o, 0, sizeof *o);
}

unsigned calxr__annot_parse_inherit(const char *text, calxr__inherit_opts *o, calxr__annot_err_fn err,
				   void *payload)
{
	parser p = { err, payload, 0, false };
	calxr__span *args = NULL;
	unsigned n = 0;
	char shown[SHOW_MAX + 4];

	if (calxr__ap_annotation_args(&p, text, &args, &n) < 0)
		goto done;
	if (!n || !calxr__span_trim(args[0]).n) {
		calxr__ap_fail(&p, "annotation 'calx:inherit' expects the kind first: single, joined or concrete");
		goto done;
	}
	{
		calxr__span k = calxr__span_trim(args[0]);
		for (int i = CALXR__INHERIT_SINGLE; i <= CALXR__INHERIT_CONCRETE; i++)
			if (is_word(k, kind_words[i]))
				o->kind = (calxr__inherit_kind)i;
		if (!o->kind) {
			calxr__ap_fail(&p, "annotation 'calx:inherit' expects the kind first: single, joined or concrete, found '%s'",
				      calxr__ap_show(k, shown));
			goto done;
		}
	}
	for (unsigned i = 1; i < n; i++) {
		calxr__span it = calxr__span_trim(args[i]), name, rest;
		size_t nl = calxr__lex_ident(it);
		name.p = it.p;
		name.n = nl;
		rest.p = it.p + nl;
		rest.n = it.n - nl;
		rest = calxr__span_trim(rest);
		if (nl && is_word(name, "polymorphic_identity") && rest.n >= 2 && rest.p[0] == '(' &&
		    calxr__ap_match_paren(rest) == rest.n - 1) {
			calxr__span inner = { rest.p + 1, rest.n - 2 };
			one_string(&p, "polymorphic_identity", inner, &o->identity);
			continue;
		}
		if (nl && is_word(name, "table") && rest.n >= 2 && rest.p[0] == '(' &&
		    calxr__ap_match_paren(rest) == rest.n - 1) {
			calxr__span inner = { rest.p + 1, rest.n - 2 };
			one_string(&p, "table", inner, &o->table);
			if (o->table && !calxr__ap_check_ident(&p, "table name", o->table)) {
				free(o->table);
				o->table = NULL;
			}
			continue;
		}
		calxr__ap_fail(&p, "unknown option '%s' of annotation 'calx:inherit' (it takes polymorphic_identity(\"...\") and, for joined, table(\"...\"))",
			      calxr__ap_show(it, shown));
	}
done:
	free(args);
	if (p.oom) {
		o->oom = true;
		calxr__ap_fail(&p, "out of memory");
	}
	return p.errors;
}
