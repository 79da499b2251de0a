/*
 * reflect/annot_rel.c - the options of calx:field(...) that make a field a
 * relationship (SQLAlchemy's relationship() vocabulary): back_populates,
 * foreign_keys, secondary, cascade, lazy, uselist. Their shape is checked
 * here; whether they fit the tables is relations.c's and secondary.c's.
 */
#include "annot_int.h"
#include "calx/sys/descriptor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * cascade("save-update, merge, delete"): SQLAlchemy's words, comma
 * separated; "all" is every one but delete-orphan. An empty text is no
 * cascade at all.
 */
static void cascade(parser *p, calxr__field_opts *o, calxr__span arg)
{
	static const struct { const char *word; unsigned bits; } words[] = {
		{ "save-update", CALX_CASCADE_SAVE_UPDATE }, { "merge", CALX_CASCADE_MERGE },
		{ "expunge", CALX_CASCADE_EXPUNGE }, { "delete", CALX_CASCADE_DELETE },
		{ "delete-orphan", CALX_CASCADE_DELETE_ORPHAN }, { "refresh-expire", CALX_CASCADE_REFRESH_EXPIRE },
		{ "all", CALX_CASCADE_ALL },
	};
	char shown[SHOW_MAX + 4];
	char *s = calxr__ap_string_arg(p, "option 'cascade'", arg);
	unsigned bits = 0;

	if (!s)
		return;
	for (char *w = s; *w;) {
		size_t n;
		bool found = false;
		while (*w == ' ' || *w == ',')
			w++;
		n = strcspn(w, ", ");
		if (!n)
			break;
		for (size_t i = 0; i < sizeof words / sizeof words[0] && !found; i++)
			if (strlen(words[i].word) == n && !memcmp(words[i].word, w, n)) {
				bits |= words[i].bits;
				found = true;
			}
		if (!found) {
			calxr__span bad = { w, n };
			calxr__ap_fail(p, "unknown cascade '%s' (expected save-update, merge, expunge, delete, delete-orphan, refresh-expire or all)",
				      calxr__ap_show(bad, shown));
			free(s);
			return;
		}
		w += n;
	}
	free(s);
	o->cascade = bits;
	o->seen |= 1u << CALXR__OPT_CASCADE;
}

/*
 * uselist(false): SQLAlchemy's one-to-one, on a pointer field whose
 * target holds the foreign key (relations.c checks the side).
 * uselist(true) is what a pointer is not: a list is a CALX_LIST.
 */
static void uselist(parser *p, calxr__field_opts *o, calxr__span arg)
{
	int v = calxr__ap_bool_arg(p, "uselist", arg);
	if (v < 0)
		return;
	if (v) {
		calxr__ap_fail(p, "uselist(true) is not a pointer's: a collection is a CALX_LIST field (uselist(false) makes a pointer a one-to-one)");
		return;
	}
	o->uselist_off = true;
	o->seen |= 1u << CALXR__OPT_USELIST;
}

/* lazy("select" | "selectin" | "joined" | "raise" | "noload") */
static void lazy(parser *p, calxr__field_opts *o, calxr__span arg)
{
	char shown[SHOW_MAX + 4];
	char *s = calxr__ap_string_arg(p, "option 'lazy'", arg);

	if (!s)
		return;
	if (!strcmp(s, "select"))
		o->lazy = CALX_LOAD_LAZY;
	else if (!strcmp(s, "selectin"))
		o->lazy = CALX_LOAD_SELECTIN;
	else if (!strcmp(s, "joined"))
		o->lazy = CALX_LOAD_JOINED;
	else if (!strcmp(s, "raise"))
		o->lazy = CALX_LOAD_RAISE;
	else if (!strcmp(s, "noload"))
		o->lazy = CALX_LOAD_NOLOAD;
	else
		calxr__ap_fail(p, "option 'lazy' expects \"select\", \"selectin\", \"joined\", \"raise\" or \"noload\", found '%s'",
			      calxr__ap_show(calxr__span_of(s), shown));
	free(s);
	if (o->lazy)
		o->seen |= 1u << CALXR__OPT_LAZY;
}

/* secondary("post_tags"): the association table of a many-to-many, by its SQL name. */
static bool secondary(parser *p, calxr__field_opts *o, const char *what, calxr__span arg)
{
	o->secondary = calxr__ap_nonempty_string(p, what, arg);
	if (o->secondary && !calxr__ap_check_ident(p, "table name", o->secondary)) {
		free(o->secondary);
		o->secondary = NULL;
	}
	return o->secondary != NULL;
}

void calxr__ap_rel_option(parser *p, calxr__field_opts *o, calxr__opt opt, const char *what, calxr__span *args,
			 unsigned n)
{
	switch (opt) {
	case CALXR__OPT_BACK_POPULATES:
		o->back_populates = calxr__ap_nonempty_string(p, what, args[0]);
		if (!o->back_populates)
			return;
		break;
	case CALXR__OPT_FOREIGN_KEYS:
		for (unsigned i = 0; i < n; i++) {
			char *col = calxr__ap_nonempty_string(p, what, args[i]);
			if (!col || !calxr__ap_check_ident(p, "column name", col)) {
				free(col);
				return;
			}
			char **v = realloc(o->foreign_keys.v, (o->foreign_keys.n + 1) * sizeof *v);
			if (!v) {
				free(col);
				p->oom = true;
				return;
			}
			o->foreign_keys.v = v;
			v[o->foreign_keys.n++] = col;
		}
		break;
	case CALXR__OPT_SECONDARY:
		if (!secondary(p, o, what, args[0]))
			return;
		break;
	case CALXR__OPT_CASCADE:
		cascade(p, o, args[0]);
		return;
	case CALXR__OPT_LAZY:
		lazy(p, o, args[0]);
		return;
	case CALXR__OPT_USELIST:
		uselist(p, o, args[0]);
		return;
	default:
		return;
	}
	o->seen |= (uint64_t)1 << opt;
}
