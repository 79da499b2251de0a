/*
 * reflect/walk.c - find the annotated structs of the translation unit.
 *
 * CALX_TYPE maps and CALX_MIXIN structs count wherever they are declared
 * (a shared header of types and mixins is the normal case); CALX_TABLE
 * structs get mappers only when they are declared in an input (the header
 * given, or each of several given), so a header that includes another
 * model header does not take its tables unless that one is given too.
 * Calx annotations that would map nothing (on a union, a global, a
 * typedef, an enum, or on fields of an unmapped struct) are reported, and
 * the program's own file-scope names are kept for check.c, which refuses
 * a generated name that clashes with one.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct err_ctx {
	calxr__ctx *cx;
	const calxr__loc *loc;
	const char *what; /* "struct 'user'" or "CALX_TYPE(email_t)" */
} err_ctx;

static void on_error(void *payload, const char *msg)
{
	err_ctx *e = payload;
	calxr__error(e->cx, e->loc, "%s on %s", msg, e->what);
}

bool calxr__is_mixin(calxr__ctx *cx, CXCursor rec)
{
	unsigned n;
	char **v = calxr__annotations(cx, rec, &n);
	bool yes = false;
	for (unsigned i = 0; i < n; i++) {
		size_t len;
		if (calxr__annot_classify(v[i], &len) == CALXR__ANNOT_MIXIN)
			yes = true;
	}
	calxr__strv_free(v, n);
	return yes;
}

/* The one field of a CALX_TYPE struct names the typedef being mapped. */
static void add_typemap(calxr__ctx *cx, CXCursor rec, const calxr__loc *loc, calxr__strlist *types)
{
	unsigned n;
	CXCursor *f = calxr__fields(cx, rec, &n);
	CXType t = n == 1 ? clang_getCursorType(f[0]) : clang_getCursorType(rec);
	calxr__typemap *m;

	while (t.kind == CXType_Elaborated)
		t = clang_Type_getNamedType(t);
	if (n != 1 || t.kind != CXType_Typedef) {
		char *sp = calxr__cx_take(cx, clang_getTypeSpelling(t));
		calxr__error(cx, loc, "CALX_TYPE expects a typedef name, found '%s'", sp ? sp : "?");
		free(sp);
	} else if (calxr__push(cx, &cx->typemaps, &cx->n_typemaps, sizeof *cx->typemaps)) {
		m = &cx->typemaps[cx->n_typemaps - 1];
		m->typedef_name = calxr__cx_take(cx, clang_getTypedefName(t));
		m->user_type = NULL;
		m->nullable = false;
		/* annot.c puts user_type(var) and nullable first, as "@..." entries */
		unsigned k = 0;
		for (; k < types->n && types->v[k][0] == '@'; k++) {
			if (!strncmp(types->v[k], "@user_type=", 11))
				m->user_type = calxr__strdup(cx, types->v[k] + 11);
			else
				m->nullable = true;
			free(types->v[k]);
		}
		if (m->nullable && !m->user_type)
			calxr__error(cx, loc, "CALX_TYPE option 'nullable' needs user_type(...): a SQL type alone has the C type's NULL rule");
		memmove(types->v, types->v + k, (types->n - k) * sizeof *types->v);
		types->n -= k;
		m->types = *types;
		types->v = NULL;
		types->n = 0;
	}
	free(f);
}

/* Takes opts' name, constraints and inheritance options, and inh's identity (inh NULL: a CALX_TABLE). */
static void add_table(calxr__ctx *cx, CXCursor c, const char *tag, calxr__table_opts *opts, calxr__loc *loc,
		      calxr__inherit_opts *inh)
{
	CXType t = clang_getCursorType(c);
	calxr__table *tb;
	char *name = opts->name;
	/* CALX_NAMING's rule, for a name not written (an explicit one always wins) */
	calxr__table_rule rule = calxr__table_rule_for(cx, c);
	bool by_rule = !name && !(inh && inh->table) && rule != CALXR__TABLE_RULE_TAG;

	if (!calxr__in_inputs(cx, c)) {
		if (calxr__push(cx, &cx->other_tables, &cx->n_other_tables, sizeof *cx->other_tables))
			cx->other_tables[cx->n_other_tables - 1] =
				name ? calxr__strdup(cx, name) : calxr__table_name_by_rule(cx, tag, rule);
		return;
	}
	if (!*tag) {
		calxr__error(cx, loc, "CALX_TABLE on an anonymous struct: give the struct a tag");
		return;
	}
	if (!calxr__push(cx, &cx->tables, &cx->n_tables, sizeof *cx->tables))
		return;
	tb = &cx->tables[cx->n_tables - 1];
	tb->parent = tb->root = tb->disc = -1;
	tb->polymorphic_on = opts->polymorphic_on;
	tb->identity = opts->polymorphic_identity;
	tb->polymorphic_load = opts->polymorphic_load;
	opts->polymorphic_on = opts->polymorphic_identity = opts->polymorphic_load = NULL;
	if (inh) {
		tb->inherit = inh->kind;
		tb->identity = inh->identity;
		inh->identity = NULL;
		if (inh->table) {       /* a joined subclass's own table; inherit.c refuses it for the other kinds */
			name = inh->table;
			tb->own_table_named = true;
			inh->table = NULL;
		}
	}
	tb->tag = calxr__strdup(cx, tag);
	tb->sym = calxr__printf(cx, "%s%s", cx->opts->prefix ? cx->opts->prefix : "", tag);
	tb->table = name ? name : calxr__table_name_by_rule(cx, tag, by_rule ? rule : CALXR__TABLE_RULE_TAG);
	tb->table_only = opts->table_only;
	tb->abstract = opts->abstract;
	tb->deferred = opts->deferred;
	opts->name = NULL;
	tb->tcons = opts->cons;
	tb->n_tcons = opts->n_cons;
	opts->cons = NULL;
	opts->n_cons = 0;
	if (!name && (!inh || by_rule) && tb->table && !calxr__is_sql_ident(tb->table))
		calxr__error(cx, loc, "invalid table name '%s' (expected [A-Za-z_][A-Za-z0-9_]*, at most %d bytes) on struct '%s'",
			    tb->table, CALXR__IDENT_MAX, tag);
	tb->loc = *loc;
	loc->file = NULL;
	tb->size = clang_Type_getSizeOf(t);
	tb->align = clang_Type_getAlignOf(t);
	tb->cursor = c;
}

static void struct_decl(calxr__ctx *cx, CXCursor c)
{
	unsigned n, n_table = 0, n_mixin = 0, n_inherit = 0;
	calxr__inherit_opts inh = { CALXR__INHERIT_NONE, NULL, false, NULL };
	char **v = calxr__annotations(cx, c, &n);
	char *tag = calxr__cx_take(cx, clang_getCursorSpelling(c));
	char *what;
	calxr__table_opts opts = CALXR__TABLE_OPTS_INIT;
	calxr__loc loc;
	calxr__strlist types = { NULL, 0 };
	bool is_type = false;

	if (!n || !tag)
		goto out;
	/* Before clang 16 an anonymous struct spells as "" or "(anonymous ...)". */
	if (clang_Cursor_isAnonymous(c) || strchr(tag, '(') || strchr(tag, ' '))
		tag[0] = '\0';
	loc = calxr__cursor_loc(cx, c);
	what = calxr__printf(cx, "struct '%s'", *tag ? tag : "(anonymous)");
	for (unsigned i = 0; i < n; i++) {
		err_ctx e = { cx, &loc, what ? what : "struct" };
		size_t len;
		switch (calxr__annot_classify(v[i], &len)) {
		case CALXR__ANNOT_FOREIGN:
			break;
		case CALXR__ANNOT_TABLE:
			if (n_table++) {
				calxr__error(cx, &loc, "duplicate annotation 'calx:table' on %s", e.what);
				break;
			}
			calxr__annot_parse_table(v[i], &opts, on_error, &e);
			if (opts.oom)
				calxr__oom(cx);
			break;
		case CALXR__ANNOT_INHERIT:
			if (n_inherit++) {
				calxr__error(cx, &loc, "duplicate annotation 'calx:inherit' on %s", e.what);
				break;
			}
			calxr__annot_parse_inherit(v[i], &inh, on_error, &e);
			if (inh.oom)
				calxr__oom(cx);
			break;
		case CALXR__ANNOT_MIXIN:
			n_mixin++;
			calxr__annot_parse_mixin(v[i], on_error, &e);
			break;
		case CALXR__ANNOT_TYPE: {
			/* Name the map as it was written: CALX_TYPE(email_t). */
			const char *mapped = strncmp(tag, "calx__typemap_", 14) ? tag : tag + 14;
			char *tw = calxr__printf(cx, "CALX_TYPE(%s)", mapped);
			e.what = tw ? tw : e.what;
			is_type = true;
			calxr__annot_parse_type(v[i], &types, on_error, &e);
			free(tw);
			break;
		}
		case CALXR__ANNOT_NAMING:
			calxr__naming_decl(cx, c, &loc, v[i]);
			break;
		case CALXR__ANNOT_FIELD:
			calxr__error(cx, &loc, "annotation 'calx:field' does not apply to %s (use CALX_TABLE or CALX_MIXIN)",
				    e.what);
			break;
		case CALXR__ANNOT_UNKNOWN:
			calxr__error(cx, &loc, "unknown annotation '%.*s' on %s", (int)len, v[i], e.what);
			break;
		}
	}
	if (n_table && n_mixin)
		calxr__error(cx, &loc, "contradictory annotations 'calx:table' and 'calx:mixin' on %s",
			    what ? what : "struct");
	else if (n_inherit && (n_table || n_mixin))
		calxr__error(cx, &loc, "contradictory annotations 'calx:inherit' and 'calx:%s' on %s (a subclass maps through its parent)",
			    n_table ? "table" : "mixin", what ? what : "struct");
	else if (n_inherit && inh.kind)
		add_table(cx, c, tag, &opts, &loc, &inh);
	else if (n_table)
		add_table(cx, c, tag, &opts, &loc, NULL);
	else if (n_mixin && calxr__in_inputs(cx, c) &&
		 calxr__push(cx, &cx->mixins, &cx->n_mixins, sizeof *cx->mixins))
		cx->mixins[cx->n_mixins - 1] = c;
	if (is_type && types.n)
		add_typemap(cx, c, &loc, &types);
	calxr__table_opts_free(&opts);
	calxr__inherit_opts_free(&inh);
	free(what);
	calxr__strlist_free(&types);
	calxr__loc_free(&loc);
out:
	calxr__strv_free(v, n);
	free(tag);
}

/* How a message names an annotation: "CALX_TABLE", "CALX(...)". */
static const char *macro_of(calxr__annot_kind k)
{
	switch (k) {
	case CALXR__ANNOT_TABLE: return "CALX_TABLE";
	case CALXR__ANNOT_MIXIN: return "CALX_MIXIN";
	case CALXR__ANNOT_TYPE: return "CALX_TYPE";
	case CALXR__ANNOT_FIELD: return "CALX(...)";
	case CALXR__ANNOT_INHERIT: return "CALX_INHERIT";
	case CALXR__ANNOT_NAMING: return "CALX_NAMING";
	default: return NULL;
	}
}

/*
 * A calx annotation on a union, a global, a typedef, an enum or a function
 * maps nothing: say so rather than ignore it. Main file only, like tables.
 */
static void misplaced(calxr__ctx *cx, CXCursor c, const char *kind)
{
	unsigned n;
	char **v;

	if (!calxr__in_inputs(cx, c))
		return;
	v = calxr__annotations(cx, c, &n);
	for (unsigned i = 0; i < n; i++) {
		size_t len;
		calxr__annot_kind k = calxr__annot_classify(v[i], &len);
		if (k == CALXR__ANNOT_FOREIGN)
			continue;
		char *name = calxr__cx_take(cx, clang_getCursorSpelling(c));
		calxr__loc loc = calxr__cursor_loc(cx, c);
		const char *macro = macro_of(k);
		const char *shown = name && *name && !strchr(name, '(') ? name : "(anonymous)";
		if (!strcmp(kind, "union"))
			calxr__error(cx, &loc, "%s does not apply to union '%s': map a struct (a union's members share one storage)",
				    macro ? macro : "a calx annotation", shown);
		else if (k == CALXR__ANNOT_FIELD)
			calxr__error(cx, &loc, "CALX(...) does not apply to %s '%s': it annotates the fields of a CALX_TABLE or CALX_MIXIN struct",
				    kind, shown);
		else if (macro)
			calxr__error(cx, &loc, "%s does not apply to %s '%s': it annotates a struct", macro, kind, shown);
		else
			calxr__error(cx, &loc, "unknown annotation '%.*s' on %s '%s'", (int)len, v[i], kind, shown);
		calxr__loc_free(&loc);
		free(name);
		break;
	}
	calxr__strv_free(v, n);
}

/*
 * CALX(...) on the fields of a struct or union that is neither CALX_TABLE
 * nor CALX_MIXIN (nor a CALX_TYPE map) maps nothing: say so.
 */
static void stray_field_options(calxr__ctx *cx, CXCursor rec, const char *kind)
{
	unsigned n, nf;
	char **v;
	CXCursor *f;

	if (!calxr__in_inputs(cx, rec))
		return;
	v = calxr__annotations(cx, rec, &n);
	for (unsigned i = 0; i < n; i++) {
		size_t len;
		if (calxr__annot_classify(v[i], &len) != CALXR__ANNOT_FOREIGN) {
			calxr__strv_free(v, n);
			return;
		}
	}
	calxr__strv_free(v, n);
	f = calxr__fields(cx, rec, &nf);
	for (unsigned i = 0; i < nf; i++) {
		char **fv = calxr__annotations(cx, f[i], &n);
		bool calx = false;
		for (unsigned k = 0; k < n && !calx; k++) {
			size_t len;
			calx = calxr__annot_classify(fv[k], &len) != CALXR__ANNOT_FOREIGN;
		}
		calxr__strv_free(fv, n);
		if (!calx)
			continue;
		char *field = calxr__cx_take(cx, clang_getCursorSpelling(f[i]));
		char *owner = calxr__cx_take(cx, clang_getCursorSpelling(rec));
		calxr__loc loc = calxr__cursor_loc(cx, f[i]);
		calxr__error(cx, &loc, "CALX(...) on field '%s' of %s '%s' maps nothing: the %s is not CALX_TABLE or CALX_MIXIN",
			    field ? field : "?", kind, owner && *owner && !strchr(owner, '(') ? owner : "(anonymous)", kind);
		calxr__loc_free(&loc);
		free(field);
		free(owner);
	}
	free(f);
}

/* Names the program declares, to diagnose a clash with a generated one (check.c). */
static void user_name(calxr__ctx *cx, CXCursor c)
{
	if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)) ||
	    !calxr__push(cx, &cx->user_names, &cx->n_user_names, sizeof *cx->user_names))
		return;
	calxr__user_name *u = &cx->user_names[cx->n_user_names - 1];
	u->name = calxr__cx_take(cx, clang_getCursorSpelling(c));
	u->loc = calxr__cursor_loc(cx, c);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
	calxr__ctx *cx = data;
	(void)parent;
	switch (clang_getCursorKind(c)) {
	case CXCursor_StructDecl:
		if (clang_isCursorDefinition(c)) {
			struct_decl(cx, c);
			stray_field_options(cx, c, "struct");
		}
		return CXChildVisit_Recurse; /* nested struct definitions */
	case CXCursor_UnionDecl:
		if (clang_isCursorDefinition(c)) {
			misplaced(cx, c, "union");
			stray_field_options(cx, c, "union");
		}
		return CXChildVisit_Recurse;
	case CXCursor_VarDecl:
		misplaced(cx, c, "global");
		user_name(cx, c);
		return CXChildVisit_Continue;
	case CXCursor_FunctionDecl:
		misplaced(cx, c, "function");
		user_name(cx, c);
		return CXChildVisit_Continue;
	case CXCursor_TypedefDecl:
		misplaced(cx, c, "typedef");
		user_name(cx, c);
		return CXChildVisit_Continue;
	case CXCursor_EnumDecl:
		misplaced(cx, c, "enum");
		return CXChildVisit_Recurse; /* its constants are names too */
	case CXCursor_EnumConstantDecl:
		misplaced(cx, c, "enumerator");
		user_name(cx, c);
		return CXChildVisit_Continue;
	default:
		return CXChildVisit_Continue;
	}
}

void calxr__walk(calxr__ctx *cx)
{
	clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), visit, cx);
	for (unsigned i = 0; i < cx->n_tables; i++) {
		/* a subclass starts with its parent's columns, and the parent comes first (C declares it before) */
		if (calxr__is_subclass(&cx->tables[i])) {
			calxr__inherit_fields(cx, &cx->tables[i]);
			if (cx->tables[i].parent < 0)
				continue;       /* reported: its fields would only repeat the error */
		}
		calxr__table_fields(cx, &cx->tables[i], cx->tables[i].cursor);
	}
	/* Check unused mixins of the main file too; a scratch table is discarded. */
	for (unsigned i = 0; i < cx->n_mixins; i++) {
		calxr__table scratch;
		memset(&scratch, 0, sizeof scratch);
		calxr__table_fields(cx, &scratch, cx->mixins[i]);
		calxr__table_free(&scratch);
	}
}

void calxr__table_free(calxr__table *t)
{
	for (unsigned i = 0; i < t->n_cols; i++)
		calxr__column_free(&t->cols[i]);
	free(t->cols);
	for (unsigned i = 0; i < t->n_tcons; i++)
		calxr__tcons_free(&t->tcons[i]);
	free(t->tcons);
	for (unsigned i = 0; i < t->n_cons; i++)
		calxr__constraint_free(&t->cons[i]);
	free(t->cons);
	for (unsigned i = 0; i < t->n_rels; i++)
		calxr__relation_free(&t->rels[i]);
	free(t->rels);
	free(t->tag);
	free(t->sym);
	free(t->table);
	free(t->identity);
	free(t->polymorphic_on);
	free(t->polymorphic_load);
	calxr__loc_free(&t->loc);
	memset(t, 0, sizeof *t);
}
