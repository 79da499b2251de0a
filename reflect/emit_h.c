/*
 * reflect/emit_h.c - the generated header: declarations, typed column
 * handles, and the dataclass-like wrappers (user_new, user_get, user_repr,
 * user_eq) over the runtime's generic calls.
 */
#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *calxr__handle_name(calxr__ctx *cx, const char *tag, const char *path)
{
	char *s = calxr__printf(cx, "%s_%s", tag, path);
	for (char *c = s; c && *c; c++)
		*c = *c == '.' ? '_' : (char)toupper((unsigned char)*c);
	return s;
}

/* The zero a constructor starts from, so its braces are never empty. */
static const char *zero_of(const calxr__column *c)
{
	if (c->flags & CALX_FIELD_OPTIONAL)
		return "CALX_NULL";
	if (c->ctype == CALX_CTYPE_BYTEARRAY || c->ctype == CALX_CTYPE_BYTES || c->ctype == CALX_CTYPE_DECIMAL ||
	    c->ctype == CALX_CTYPE_USER)
		return "{ 0 }";
	return c->ctype == CALX_CTYPE_CHARARRAY ? "\"\"" : "0";
}

/*
 * The kind a column handle carries (calx/column.h), which decides the C
 * values a comparison with it compiles with.
 */
static const char *handle_kind(const calxr__column *c)
{
	static const struct { const char *type, *kind; } user_kinds[] = {
		{ "calx_uuid_type", "uuid" }, { "calx_opt_uuid_type", "uuid" },
		{ "calx_timestamp_type", "timestamp" }, { "calx_timestamptz_type", "timestamptz" },
		{ "calx_date_type", "date" }, { "calx_time_type", "time" }, { "calx_interval_type", "interval" },
	};
	calx_ctype t = c->ctype;
	for (size_t i = 0; t == CALX_CTYPE_USER && c->user_type && i < sizeof user_kinds / sizeof user_kinds[0]; i++)
		if (!strcmp(c->user_type, user_kinds[i].type))
			return user_kinds[i].kind;
	switch (t) {
	case CALX_CTYPE_FLOAT:
	case CALX_CTYPE_DOUBLE:
		return "real";
	case CALX_CTYPE_BOOL:
		return "bool";
	case CALX_CTYPE_STRING:
	case CALX_CTYPE_CHARARRAY:
	case CALX_CTYPE_CHAR:
		return "text";
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
		return "blob";
	case CALX_CTYPE_DECIMAL:
		return "decimal";
	case CALX_CTYPE_USER:
		return "user";
	default:
		return "int";   /* int8_t..uint64_t, enums, char_as(integer) */
	}
}

/*
 * C++ has no compound literal whose later designators override earlier
 * ones, so there the constructor takes a function that sets the fields:
 * user_new(s) or user_new(s, [](user &o) { o.age = 30; }), the defaults
 * applied first, as in C.
 */
static void cpp_constructor(calxr__buf *b, const calxr__table *t)
{
	const char *tag = t->tag, *sym = t->sym;
	calxr__buf_put(b, "#else\n");
	calxr__buf_printf(b, "static inline struct %s calx__defaults_%s(void)\n{\n\tstruct %s o{};\n", tag, sym, tag);
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		const char *d = c->default_text;
		if (!d)
			continue;
		if (c->ctype == CALX_CTYPE_CHARARRAY && d[0] == '"')
			calxr__buf_printf(b, "\tmemcpy(o.%s, %s, sizeof(%s));\n", c->path, d, d);
		else if (d[0] == '{' || !strncmp(d, "CALX_SOME", 9) || !strncmp(d, "CALX_NULL", 9))
			calxr__buf_printf(b, "\to.%s = decltype(o.%s)%s;\n", c->path, c->path, d);
		else
			calxr__buf_printf(b, "\to.%s = (decltype(o.%s))(%s);\n", c->path, c->path, d);
	}
	calxr__buf_put(b, "\treturn o;\n}\n");
	calxr__buf_printf(b, "static inline struct %s *%s_new(calx_session *s)\n{\n\tstruct %s o = calx__defaults_%s();\n"
			 "\treturn (struct %s *)calx__construct(s, &%s_mapper, &o);\n}\n", tag, sym, tag, sym, tag, sym);
	calxr__buf_printf(b, "template <class F> static inline struct %s *%s_new(calx_session *s, F &&set)\n{\n"
			 "\tstruct %s o = calx__defaults_%s();\n\tset(o);\n"
			 "\treturn (struct %s *)calx__construct(s, &%s_mapper, &o);\n}\n", tag, sym, tag, sym, tag, sym);
}

static void constructor(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const char *tag = t->tag, *sym = t->sym;
	(void)cx;
	calxr__buf_printf(b, "/* %s_new(s, .field = value, ...): a transient struct %s with defaults applied; NULL on error (see calx_session_errmsg). */\n",
			 sym, tag);
	calxr__buf_put(b, "#ifndef __cplusplus\n");
	calxr__buf_printf(b, "#define %s_new(...) CALX__NEW_%s(__VA_ARGS__, )\n", sym, sym);
	calxr__buf_printf(b, "#define CALX__NEW_%s(s, ...) ((struct %s *)calx__construct((s), &%s_mapper, &(struct %s){ ",
			 sym, tag, sym, tag);
	/*
	 * One zero keeps the braces non-empty: the first column's, unless it is
	 * a user type, whose nested braces a plain { 0 } does not match
	 * (-Wmissing-braces); then the first column that is not.
	 */
	unsigned anchor = 0;
	while (anchor + 1 < t->n_cols && t->cols[anchor].ctype == CALX_CTYPE_USER)
		anchor++;
	if (t->cols[anchor].ctype == CALX_CTYPE_USER)
		anchor = 0;
	for (unsigned i = 0; i < t->n_cols; i++) {
		const calxr__column *c = &t->cols[i];
		/* a char * from a string literal: cast, so that -Wwrite-strings has nothing to say */
		const char *cast = c->ctype == CALX_CTYPE_STRING && c->default_text && c->default_text[0] == '"' ? "(char *)" : "";
		if (i == anchor || c->default_text)
			calxr__buf_printf(b, ".%s = %s%s, ", c->path, cast, c->default_text ? c->default_text : zero_of(c));
	}
	calxr__buf_put(b, "__VA_ARGS__ }))\n");
	cpp_constructor(b, t);
	calxr__buf_put(b, "#endif\n");
}

static void wrappers(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const char *tag = t->tag, *sym = t->sym;
	const calxr__column *key = NULL;

	(void)cx;
	for (unsigned i = 0; i < t->n_cols; i++)
		if (t->cols[i].flags & CALX_FIELD_PRIMARY_KEY)
			key = &t->cols[i];
	/* Composite keys get no typed get: the runtime's generic call takes a row value. */
	if (t->n_pk == 1 && key && key->user_type)
		/* a user-type key: its value through its type, as the runtime reads the field */
		calxr__buf_printf(b, "static inline int %s_get(calx_session *s, %s key, struct %s **out) { calx_value v; int rc = calx_user_type_value(&%s, &key, &v); return rc ? rc : calx_session_get(s, &%s_mapper, v, (void **)out); }\n",
				 sym, key->key_type, tag, key->user_type, sym);
	else if (t->n_pk == 1 && key && key->ctype == CALX_CTYPE_INT64 && !(key->flags & CALX_FIELD_OPTIONAL))
		/* the usual key: no calx_value made on the way (calx/sys/generated.h says why) */
		calxr__buf_printf(b, "static inline int %s_get(calx_session *s, %s key, struct %s **out) { return calx__session_get_int(s, &%s_mapper, key, (void **)out); }\n",
				 sym, key->key_type, tag, sym);
	else if (t->n_pk == 1 && key)
		calxr__buf_printf(b, "static inline int %s_get(calx_session *s, %s%skey, struct %s **out) { return calx_session_get(s, &%s_mapper, calx_v(key), (void **)out); }\n",
				 sym, key->key_type, key->key_type[strlen(key->key_type) - 1] == '*' ? "" : " ", tag, sym);
	calxr__buf_printf(b, "static inline int %s_repr(const struct %s *o, char *buf, size_t cap) { return calx_object_repr(&%s_mapper, o, buf, cap); }\n",
			 sym, tag, sym);
	calxr__buf_printf(b, "static inline bool %s_eq(const struct %s *a, const struct %s *b) { return calx_object_eq(&%s_mapper, a, b); }\n",
			 sym, tag, tag, sym);
	calxr__buf_printf(b, "static inline struct %s *%s_copy(calx_session *s, const struct %s *src) { return (struct %s *)calx_object_copy(s, &%s_mapper, src); }\n",
			 tag, sym, tag, tag, sym);
}

/*
 * Per relationship: its handle (USER_REL_ADDRESSES, a const
 * calx_relationship_desc *) and typed helpers over calx/related.h. An
 * accessor loads what is not loaded yet (lazy) and hands it back.
 */
static void relation_helpers(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const char *tag = t->tag, *sym = t->sym;
	unsigned k = 0;

	for (unsigned i = 0; i < t->n_rels; i++) {
		const calxr__relation *r = &t->rels[i];
		const calxr__table *tt = &cx->tables[r->target];
		char *h;
		if (!r->ok)
			continue;
		h = calxr__printf(cx, "%s_REL_%s", sym, r->name);
		for (char *c = h; c && *c; c++)
			*c = (char)toupper((unsigned char)*c);
		calxr__buf_printf(b, "#define %s (&%s_mapper.relationships[%u])\n", h ? h : "?", sym, k++);
		if (r->kind == CALX_REL_MANY_TO_ONE || r->kind == CALX_REL_ONE_TO_ONE) {	/* a pointer */
			calxr__buf_printf(b, "/* %s_%s: o->%s, loaded first if it is not (through the identity map, then a get). */\n",
					 sym, r->name, r->name);
			calxr__buf_printf(b, "static inline int %s_%s(calx_session *s, struct %s *o, struct %s **out) { int rc = calx_related_load(s, o, %s); if (out) *out = rc == CALX_OK ? o->%s : NULL; return rc; }\n",
					 sym, r->name, tag, tt->tag, h ? h : "?", r->name);
			calxr__buf_printf(b, "static inline int %s_set_%s(calx_session *s, struct %s *o, struct %s *v) { return calx_related_set(s, o, %s, v); }\n",
					 sym, r->name, tag, tt->tag, h ? h : "?");
		} else {
			calxr__buf_printf(b, "/* %s_%s: o->%s.items[0..n), loaded first if it is not (one SELECT). */\n",
					 sym, r->name, r->name);
			calxr__buf_printf(b, "static inline int %s_%s(calx_session *s, struct %s *o, struct %s ***items_out, size_t *n_out) { int rc = calx_related_load(s, o, %s); if (items_out) *items_out = rc == CALX_OK ? o->%s.items : NULL; if (n_out) *n_out = rc == CALX_OK ? o->%s.n : 0; return rc; }\n",
					 sym, r->name, tag, tt->tag, h ? h : "?", r->name, r->name);
			calxr__buf_printf(b, "static inline int %s_%s_append(calx_session *s, struct %s *o, struct %s *v) { return calx_related_append(s, o, %s, v); }\n",
					 sym, r->name, tag, tt->tag, h ? h : "?");
			calxr__buf_printf(b, "static inline int %s_%s_remove(calx_session *s, struct %s *o, struct %s *v) { return calx_related_remove(s, o, %s, v); }\n",
					 sym, r->name, tag, tt->tag, h ? h : "?");
		}
		free(h);
	}
}

/* Is struct d t itself or one of t's subclasses? */
static bool descends(const calxr__ctx *cx, const calxr__table *d, const calxr__table *t)
{
	for (;;) {
		if (d == t)
			return true;
		if (d->parent < 0)
			return false;
		d = &cx->tables[d->parent];
	}
}

/*
 * A subclass's checked cast from its root: sti_engineer_of(p) is p as a
 * struct sti_engineer * when p's discriminator names that struct or one of
 * its subclasses, else NULL. The pointer converts because the root is the
 * first member of its first member, and so on (C11 6.7.2.1p15).
 */
static void cast_helper(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	const calxr__table *root = &cx->tables[t->root];
	const calxr__column *dc = &root->cols[root->disc];
	bool any = false;
	calxr__buf_printf(b, "/* %s_of(p): p as a struct %s * when its discriminator says it is one (or a subclass of one), else NULL. */\n",
			 t->sym, t->tag);
	calxr__buf_printf(b, "static inline struct %s *%s_of(struct %s *p) { return p && (", t->tag, t->sym, root->tag);
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *d = &cx->tables[i];
		if (d->root != t->root || !d->identity || !descends(cx, d, t))
			continue;
		if (any)
			calxr__buf_put(b, " || ");
		any = true;
		if (dc->ctype == CALX_CTYPE_CHARARRAY || dc->ctype == CALX_CTYPE_STRING) {
			if (dc->ctype == CALX_CTYPE_STRING)
				calxr__buf_printf(b, "(p->%s && strcmp(p->%s, ", dc->path, dc->path);
			else
				calxr__buf_printf(b, "strcmp(p->%s, ", dc->path);
			calxr__buf_cstr(b, d->identity);
			calxr__buf_put(b, dc->ctype == CALX_CTYPE_STRING ? ") == 0)" : ") == 0");
		} else {
			calxr__buf_printf(b, "p->%s == %s", dc->path, d->identity);
		}
	}
	calxr__buf_printf(b, "%s) ? (struct %s *)(void *)p : NULL; }\n", any ? "" : "0", t->tag);
}

void calxr__emit_header(calxr__ctx *cx, calxr__buf *b)
{
	char *guard = calxr__ident_from_path(cx, cx->h_base, false);

	for (char *c = guard; c && *c; c++)
		*c = (char)toupper((unsigned char)*c);
	calxr__buf_put(b, "/* Generated by calx-reflect " CALX_REFLECT_VERSION " from ");
	for (unsigned i = 0; i < calxr__n_inputs(cx); i++) {
		calxr__buf_put(b, i ? ", " : "");
		calxr__buf_comment(b, calxr__input(cx, i));
	}
	calxr__buf_put(b, ". Do not edit. */\n");
	calxr__buf_printf(b, "#ifndef %s\n#define %s\n", guard, guard);
	calxr__buf_put(b, "#include <calx/calx.h>\n#include <calx/sys/generated.h>\n");
	if (cx->opts->n_more_inputs) /* every input, as a build's -I finds it */
		for (unsigned i = 0; i < calxr__n_inputs(cx); i++)
			calxr__buf_printf(b, "#include \"%s\"\n", calxr__basename(calxr__input(cx, i)));
	else
		calxr__buf_printf(b, "#include \"%s\"\n", cx->include);
	calxr__buf_put(b, "#ifdef __cplusplus\n#include <string.h> /* the C++ constructors copy char[N] defaults */\n#endif\n");
	for (unsigned i = 0; i < cx->n_tables; i++)
		if (calxr__is_subclass(&cx->tables[i])) {
			calxr__buf_put(b, "#include <string.h> /* the subclasses' checked casts compare discriminators */\n");
			break;
		}
	calxr__buf_put(b, "/* The constructors below override defaults with the caller's designated initializers (C11 6.7.9p19). */\n"
			 "#if defined(__clang__)\n"
			 "#pragma clang diagnostic ignored \"-Winitializer-overrides\"\n"
			 "#elif defined(__GNUC__) && !defined(__cplusplus)\n"
			 "#pragma GCC diagnostic ignored \"-Woverride-init\"\n"
			 "#endif\n");
	calxr__buf_put(b, "CALX_STATIC_ASSERT(CALX_DESCRIPTOR_VERSION == 2, ");
	{
		char *msg = calxr__printf(cx, "%s was generated for calx descriptor version 2: re-run calx-reflect",
					 cx->h_base);
		calxr__buf_cstr(b, msg ? msg : "");
		free(msg);
	}
	calxr__buf_put(b, ");\n");
	calxr__buf_printf(b, "extern const calx_schema_desc %s_schema;\n", cx->schema);
	for (unsigned i = 0; i < cx->n_tables; i++) {
		if (!cx->tables[i].table_only)
			calxr__buf_printf(b, "extern const calx_mapper_desc %s_mapper;\n", cx->tables[i].sym);
		if (calxr__has_own_table(&cx->tables[i]))  /* a single-table subclass maps its root's table */
			calxr__buf_printf(b, "extern const calx_table_desc %s_table;\n", cx->tables[i].sym);
	}
	for (unsigned i = 0; i < cx->n_tables; i++) {
		const calxr__table *t = &cx->tables[i];
		if (t->table_only) {
			calxr__buf_printf(b, "\n/* struct %s: table %s, table_only: no mapper, constructor or helpers */\n",
					 t->tag, t->table);
			continue;
		}
		calxr__buf_printf(b, "\n/* struct %s: table %s */\n", t->tag, t->table);
		calxr__buf_put(b, "/* column handles */\n");
		for (unsigned j = 0; j < t->n_cols; j++) {
			char *h = calxr__handle_name(cx, t->sym, t->cols[j].path);
			calxr__buf_printf(b, "#define %s CALX_COLUMN_HANDLE(%s, &%s_mapper.fields[%u])\n", h ? h : "?",
					 handle_kind(&t->cols[j]), t->sym, j);
			free(h);
		}
		constructor(cx, b, t);
		wrappers(cx, b, t);
		relation_helpers(cx, b, t);
		if (calxr__is_subclass(t) && t->root >= 0 && cx->tables[t->root].disc >= 0)
			cast_helper(cx, b, t);
	}
	calxr__buf_printf(b, "\n#endif /* %s */\n", guard);
	free(guard);
}
