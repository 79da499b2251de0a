/*
 * reflect/fields.c - the columns of one table: each field's options are
 * parsed, its type resolved, embedded mixins flattened in place, and the
 * checks that need the C type made (autoincrement, required strings).
 * Checks across the whole table are in check.c.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef calxr__field_err field_err;

void calxr__field_error(void *payload, const char *msg)
{
	field_err *e = payload;
	calxr__error(e->cx, e->loc, "%s on field '%s' of struct '%s'", msg, e->field, e->owner);
}


void calxr__column_free(calxr__column *c)
{
	free(c->path);
	free(c->member);
	free(c->owner);
	free(c->column);
	calxr__loc_free(&c->loc);
	free(c->key_type);
	free(c->user_type);
	calxr__strlist_free(&c->server_default_variants);
	free(c->onupdate_sql);
	calxr__strlist_free(&c->onupdate_variants);
	free(c->onupdate_fn);
	calxr__strlist_free(&c->types);
	free(c->server_default);
	free(c->default_text);
	free(c->default_factory);
	free(c->check);
	free(c->fk_table);
	free(c->fk_column);
	free(c->ondelete);
	free(c->onupdate);
	calxr__enum_names_free(c->enum_names);
	memset(c, 0, sizeof *c);
}

/* Every calx:field annotation of f merged into o; others are misplaced. */
static void read_options(calxr__ctx *cx, CXCursor f, calxr__field_opts *o, field_err *e)
{
	unsigned n;
	char **v = calxr__annotations(cx, f, &n);

	for (unsigned i = 0; i < n; i++) {
		size_t len;
		switch (calxr__annot_classify(v[i], &len)) {
		case CALXR__ANNOT_FOREIGN:
			break;
		case CALXR__ANNOT_FIELD:
			calxr__annot_parse_field(v[i], o, calxr__field_error, e);
			break;
		case CALXR__ANNOT_UNKNOWN:
			calxr__error(cx, e->loc, "unknown annotation '%.*s' on field '%s' of struct '%s'", (int)len,
				    v[i], e->field, e->owner);
			break;
		default:
			calxr__error(cx, e->loc, "annotation '%.*s' does not apply to field '%s' of struct '%s'",
				    (int)len, v[i], e->field, e->owner);
			break;
		}
	}
	calxr__annot_check_field(o, calxr__field_error, e);
	if (o->oom)
		calxr__oom(cx);
	calxr__strv_free(v, n);
}

static bool is_plain_char_type(CXType t)
{
	enum CXTypeKind k = clang_getCanonicalType(t).kind;
	return k == CXType_Char_S || k == CXType_Char_U;
}

/* The C type of the *_get key parameter, as the user spelled it. */
static char *key_type(calxr__ctx *cx, CXType t, calx_ctype ct)
{
	char *s;
	if (ct == CALX_CTYPE_STRING || ct == CALX_CTYPE_CHARARRAY)
		return calxr__strdup(cx, "const char *");
	/* char_as(integer): calx_v takes signed char and unsigned char, not plain char */
	if (is_plain_char_type(t))
		return calxr__strdup(cx, calxr__ctype_c_name(ct));
	s = calxr__cx_take(cx, clang_getTypeSpelling(t));
	/* Anonymous enums spell as "enum (unnamed at ...)": no use in C source. */
	if (s && (!*s || strchr(s, '('))) {
		free(s);
		s = calxr__strdup(cx, calxr__ctype_c_name(ct));
	}
	return s;
}

/* A default(...) on a wrapper gives the value: the wrapper's initializer is made here. */
static void add_column(calxr__ctx *cx, calxr__table *t, CXCursor f, calxr__field_opts *o, field_err *e,
		       const char *path, const char *col_prefix, long long offset, calx_ctype ct, bool is_enum,
		       bool optional)
{
	CXType type = clang_getCursorType(f);
	calxr__column *c;
	const calxr__typemap *tm;
	bool pk = o->seen & (1u << CALXR__OPT_PRIMARY_KEY);

	if (!calxr__push(cx, &t->cols, &t->n_cols, sizeof *t->cols))
		return;
	c = &t->cols[t->n_cols - 1];
	c->path = calxr__strdup(cx, path);
	c->member = calxr__strdup(cx, e->field);
	c->owner = calxr__strdup(cx, e->owner);
	c->column = calxr__printf(cx, "%s%s", col_prefix, o->name ? o->name : e->field);
	c->prefixed = *col_prefix != '\0';
	c->loc.file = calxr__strdup(cx, e->loc->file);
	c->loc.line = e->loc->line;
	c->loc.col = e->loc->col;
	c->ctype = ct;
	c->plain_char = is_plain_char_type(type);
	c->offset = offset;
	c->size = clang_Type_getSizeOf(type);
	c->key_type = key_type(cx, type, ct);
	if (ct == CALX_CTYPE_USER) {
		const char *sym = calxr__user_type_for(cx, type, &c->user_nullable);
		c->user_type = sym ? calxr__strdup(cx, sym) : NULL;
	}
	if (pk) {
		c->flags |= CALX_FIELD_PRIMARY_KEY | CALX_FIELD_NOT_NULL;
		t->n_pk++;
	}
	if (o->seen & (1u << CALXR__OPT_NOT_NULL))
		c->flags |= CALX_FIELD_NOT_NULL;
	if (o->seen & (1u << CALXR__OPT_UNIQUE))
		c->flags |= CALX_FIELD_UNIQUE;
	if (o->seen & (1u << CALXR__OPT_INDEX))
		c->flags |= CALX_FIELD_INDEX;
	if (!o->init)
		c->flags |= CALX_FIELD_NO_INIT;
	if (o->no_repr)
		c->flags |= CALX_FIELD_NO_REPR;
	if (o->no_compare)
		c->flags |= CALX_FIELD_NO_COMPARE;
	if (is_enum)
		c->flags |= CALX_FIELD_ENUM;
	calxr__nullability(cx, c, o, e, type, optional);
	if (o->default_text)
		c->flags |= CALX_FIELD_HAS_DEFAULT;
	if ((o->seen & (1u << CALXR__OPT_VERSION)) && !optional) {
		/* SQLAlchemy's version_id_col: an integer the flush bumps and checks */
		if (pk || is_enum || !calxr__ctype_is_integer(ct))
			calxr__field_error(e, "option 'version' needs an integer field outside the primary key");
		else
			c->flags |= CALX_FIELD_VERSION | CALX_FIELD_NOT_NULL;
	}

	c->autoinc_explicit = o->autoincrement_on_seen;
	c->autoinc_off = o->autoincrement_off_seen;
	if (c->autoinc_explicit && (!pk || optional || is_enum || !calxr__ctype_is_integer(ct)))
		calxr__field_error(e, "option 'autoincrement' needs a single-column integer primary key");

	/* A char * or calx_bytes the constructor must be given: unless the database or a default fills it. */
	/* a user-type key (a UUID) may come from a factory: the object has its key before any flush */
	if (o->default_factory && (o->default_text || (pk && ct != CALX_CTYPE_USER) || ct == CALX_CTYPE_CHARARRAY ||
				   ct == CALX_CTYPE_BYTEARRAY))
		calxr__field_error(e, o->default_text ? "options 'default' and 'default_factory' together: give one"
				   : pk ? "option 'default_factory' on a primary key: the key comes from the database, or give it"
				   : "option 'default_factory' on an array: make the field a char * or calx_bytes, or set it "
				     "after the constructor");
	if ((ct == CALX_CTYPE_STRING || ct == CALX_CTYPE_BYTES) && (c->flags & CALX_FIELD_NOT_NULL) && !pk &&
	    !o->default_text && !o->default_factory && !o->server_default) {
		if (o->init)
			c->flags |= CALX_FIELD_REQUIRED;
		else if (ct == CALX_CTYPE_STRING)
			calxr__field_error(e, "option 'init(false)' on a not-null string needs default(...) or server_default(...)");
		else
			calxr__field_error(e, "option 'init(false)' on a not-null calx_bytes needs default(...) or server_default(...)");
	}
	if (ct == CALX_CTYPE_USER && (optional || c->autoinc_explicit || (o->seen & (1u << CALXR__OPT_VERSION))))
		calxr__field_error(e, "a user type is neither autoincrement nor a version counter");
	if (pk && ct == CALX_CTYPE_USER && c->user_nullable)
		calxr__field_error(e, "option 'primary_key' needs a NOT NULL type: this user type has a NULL of its own (use calx_uuid, not calx_opt_uuid)");
	/* The identity map keys integers and text: bytes and a one-character text are no keys. */
	if (pk && (ct == CALX_CTYPE_BYTEARRAY || ct == CALX_CTYPE_BYTES))
		calxr__field_error(e, "option 'primary_key' on bytes is not supported (the identity map keys integers and text): use an integer key and make this column 'unique'");
	else if (pk && ct == CALX_CTYPE_CHAR)
		calxr__field_error(e, "option 'primary_key' on a char_as(text) char is not supported: declare the key char[2], or use char_as(integer)");

	if (o->types.n) {
		c->types = o->types;
		o->types.v = NULL;
		o->types.n = 0;
	} else if ((tm = calxr__typemap_for(cx, type)) != NULL) {
		for (unsigned i = 0; i < tm->types.n; i++)
			if (calxr__push(cx, &c->types.v, &c->types.n, sizeof *c->types.v))
				c->types.v[c->types.n - 1] = calxr__strdup(cx, tm->types.v[i]);
	}
	calxr__value_type_column(cx, c, o, e, pk, type);     /* valuetypes.c: numeric(p, s), json, calx_decimal */
	c->server_default = o->server_default;
	c->server_default_variants = o->server_default_variants;
	c->onupdate_sql = o->onupdate_sql;
	c->onupdate_variants = o->onupdate_variants;
	c->onupdate_fn = o->onupdate_fn;
	memset(&o->server_default_variants, 0, sizeof o->server_default_variants);
	memset(&o->onupdate_variants, 0, sizeof o->onupdate_variants);
	o->onupdate_sql = o->onupdate_fn = NULL;
	if ((c->onupdate_sql || c->onupdate_variants.n || c->onupdate_fn) && (pk || (c->flags & CALX_FIELD_VERSION)))
		calxr__field_error(e, pk ? "option 'onupdate' on a primary key: a key is not rewritten by every update"
				     : "option 'onupdate' on a version counter: the flush sets it");
	c->default_text = o->default_text;
	c->default_factory = o->default_factory;
	o->default_factory = NULL;
	c->check = o->check;
	c->fk_table = o->fk_table;
	c->fk_column = o->fk_column;
	c->ondelete = o->ondelete;
	c->onupdate = o->onupdate;
	o->server_default = o->default_text = o->check = NULL;
	o->fk_table = o->fk_column = o->ondelete = o->onupdate = NULL;
}

/*
 * One embedding of a mixin in the table being walked: the same mixin
 * twice needs a column prefix on (at least) one of them, or every column
 * would be mapped twice.
 */
typedef struct embedding {
	CXCursor mixin;
	char *col_prefix;     /* the whole prefix of its columns: outer prefixes first */
	char *path;           /* "opened" */
} embedding;

typedef struct walk_state {
	calxr__table *t;
	embedding *seen;
	unsigned n_seen;
} walk_state;

static void walk(calxr__ctx *cx, walk_state *w, CXCursor rec, const char *prefix, const char *col_prefix,
		 long long base);

/* An embedded mixin field: flattened in place, its columns prefixed by prefix("...") if given. */
static void embed(calxr__ctx *cx, walk_state *w, CXCursor sub, calxr__field_opts *o, field_err *e,
		  const char *path, const char *col_prefix, long long offset)
{
	char *sub_prefix = calxr__printf(cx, "%s.", path);
	char *sub_cols = calxr__printf(cx, "%s%s", col_prefix, o->prefix ? o->prefix : "");
	char *tag = calxr__cx_take(cx, clang_getCursorSpelling(sub));
	unsigned first = w->t->n_cols;

	if (o->seen & ~(((uint64_t)1 << CALXR__OPT_PREFIX) | ((uint64_t)1 << CALXR__OPT_TRANSIENT)))
		calxr__error(cx, e->loc, "options do not apply to embedded mixin field '%s' of struct '%s' (only 'prefix' and 'transient')",
			    e->field, e->owner);
	for (unsigned i = 0; sub_cols && tag && i < w->n_seen; i++)
		if (clang_equalCursors(w->seen[i].mixin, sub) && !strcmp(w->seen[i].col_prefix, sub_cols)) {
			calxr__error(cx, e->loc, "mixin '%s' is embedded twice in struct '%s', as '%s' and '%s', with the same column names: give each its own column prefix, e.g. CALX(prefix(\"%s_\")) on '%s'",
				    tag, w->t->tag ? w->t->tag : e->owner, w->seen[i].path, path, e->field, e->field);
			goto out;   /* its columns would only repeat the collision, once per column */
		}
	if (sub_prefix && sub_cols && calxr__push(cx, &w->seen, &w->n_seen, sizeof *w->seen)) {
		embedding *m = &w->seen[w->n_seen - 1];
		m->mixin = sub;
		m->col_prefix = calxr__strdup(cx, sub_cols);
		m->path = calxr__strdup(cx, path);
		walk(cx, w, sub, sub_prefix, sub_cols, offset);
	}
	/*
	 * The mixin's own checks name its columns unprefixed: rewrite those of
	 * this embedding's direct fields, under the whole prefix (an outer
	 * embedding's too: a nested mixin without a prefix of its own still
	 * has prefixed columns).
	 */
	if (sub_cols && *sub_cols && sub_prefix) {
		size_t sp = strlen(sub_prefix);
		for (unsigned k = first; k < w->t->n_cols; k++) {
			calxr__column *c = &w->t->cols[k];
			/* the direct fields of this mixin; nested mixins rewrote their own */
			if (!c->check || strncmp(c->path, sub_prefix, sp) || strchr(c->path + sp, '.'))
				continue;
			char *sql = calxr__prefix_check(cx, w->t, first, w->t->n_cols, c->check, sub_cols);
			if (sql) {
				free(c->check);
				c->check = sql;
			}
		}
	}
out:
	free(tag);
	free(sub_cols);
	free(sub_prefix);
}

/* A plain char by its char_as(...): text or the integer of the compiler's char; 0 when not said. */
static calx_ctype plain_char(calxr__ctx *cx, CXCursor f, const calxr__field_opts *o, const field_err *e)
{
	if (o->char_as == CALXR__CHAR_AS_TEXT)
		return CALX_CTYPE_CHAR;
	if (o->char_as == CALXR__CHAR_AS_INTEGER)
		return clang_getCanonicalType(clang_getCursorType(f)).kind == CXType_Char_S ? CALX_CTYPE_INT8
											: CALX_CTYPE_UINT8;
	calxr__error(cx, e->loc, "cannot map type 'char' of field '%s' of struct '%s' without char_as(...): add CALX(char_as(text)) for a one-character text column (ASCII) or CALX(char_as(integer)) for a small integer; signed char and unsigned char are small integers",
		    e->field, e->owner);
	return (calx_ctype)0;
}

static void walk(calxr__ctx *cx, walk_state *w, CXCursor rec, const char *prefix, const char *col_prefix,
		 long long base)
{
	calxr__table *t = w->t;
	unsigned n;
	CXCursor *fields = calxr__fields(cx, rec, &n);
	char *owner = calxr__cx_take(cx, clang_getCursorSpelling(rec));

	/* a subclass's first member is its parent: inherit.c has copied its columns */
	for (unsigned i = calxr__is_subclass(t) && !*prefix && n ? 1 : 0; i < n && owner; i++) {
		CXCursor f = fields[i], sub = clang_getNullCursor();
		calxr__field_opts o = CALXR__FIELD_OPTS_INIT;
		char *name = calxr__cx_take(cx, clang_getCursorSpelling(f));
		calxr__loc loc = calxr__cursor_loc(cx, f);
		field_err e = { cx, &loc, name && *name ? name : "(anonymous)", owner };
		long long offset = base + clang_Cursor_getOffsetOfField(f) / 8;
		char *path = calxr__printf(cx, "%s%s", prefix, e.field);
		calx_ctype ct;
		bool is_enum;
		char *spelling;
		const char *why;
		calxr__shape shape;

		if (clang_getCursorKind(f) != CXCursor_FieldDecl) {
			calxr__error(cx, &loc, "cannot map an anonymous struct or union member of struct '%s': name it and mark it transient",
				    owner);
			goto next;
		}
		{
			unsigned before = cx->errors;
			read_options(cx, f, &o, &e);
			t->option_errors += cx->errors - before;
		}
		if ((o.seen & (1u << CALXR__OPT_TRANSIENT)) || !path)
			goto next;
		if (clang_Cursor_isBitField(f)) {
			calxr__error(cx, &loc, "cannot map bit-field '%s' of struct '%s': declare it a plain integer or bool, or mark it CALX(transient)",
				    e.field, owner);
			goto next;
		}
		shape = calxr__resolve_type(cx, clang_getCursorType(f), &ct, &is_enum, &sub);
		if (shape != CALXR__SHAPE_MIXIN && (o.seen & (1u << CALXR__OPT_PREFIX)))
			calxr__field_error(&e, "option 'prefix' applies only to an embedded mixin");
		if ((o.seen & (1u << CALXR__OPT_CHAR_AS)) && !(shape == CALXR__SHAPE_SCALAR && ct == CALX_CTYPE_CHAR))
			calxr__field_error(&e, "option 'char_as' applies only to a plain char field");
		if ((o.seen & CALXR__REL_OPTS) && shape != CALXR__SHAPE_RELATION && shape != CALXR__SHAPE_LIST) {
			for (unsigned k = 0; k < CALXR__OPT_COUNT; k++)
				if ((CALXR__REL_OPTS & o.seen) >> k & 1) {
					char *msg = calxr__printf(cx, "option '%s' applies only to a relationship field (a pointer to a mapped struct, or a CALX_LIST)",
								 calxr__opt_name((calxr__opt)k));
					if (msg)
						calxr__field_error(&e, msg);
					free(msg);
					break;
				}
		}
		switch (shape) {
		case CALXR__SHAPE_SCALAR:
		case CALXR__SHAPE_OPTIONAL:
			if (shape == CALXR__SHAPE_SCALAR && ct == CALX_CTYPE_CHAR && !(ct = plain_char(cx, f, &o, &e)))
				break;
			add_column(cx, t, f, &o, &e, path, col_prefix, offset, ct, is_enum,
				   shape == CALXR__SHAPE_OPTIONAL);
			break;
		case CALXR__SHAPE_MIXIN:
			embed(cx, w, sub, &o, &e, path, col_prefix, offset);
			break;
		case CALXR__SHAPE_RELATION:
		case CALXR__SHAPE_LIST:
			calxr__add_relation(cx, w->t, &o, &e, shape, sub, offset, *prefix != '\0' || !t->tag);
			break;
		case CALXR__SHAPE_NONE:
			spelling = calxr__cx_take(cx, clang_getTypeSpelling(clang_getCursorType(f)));
			why = calxr__unmappable_why(clang_getCursorType(f));
			if (ct == CALX_CTYPE_DECIMAL) /* named calx_decimal, but not that struct */
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s': not the calx_decimal of calx/decimal.h ({ char text[48]; })",
					    spelling ? spelling : "?", e.field, owner);
			else if (ct == CALX_CTYPE_BYTES) /* named calx_bytes, but not that struct */
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s': not the calx_bytes of calx/bytes.h ({ unsigned char *data; size_t len; })",
					    spelling ? spelling : "?", e.field, owner);
			else if (ct) /* named like a wrapper of calx/nullable.h, but not that struct */
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s': not the %s of calx/nullable.h ({ %s value; bool has_value; })",
					    spelling ? spelling : "?", e.field, owner, calxr__opt_type_name(ct),
					    calxr__ctype_c_name(ct));
			else if (why)
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s': %s",
					    spelling ? spelling : "?", e.field, owner, why);
			else
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s'",
					    spelling ? spelling : "?", e.field, owner);
			free(spelling);
			break;
		}
next:
		calxr__field_opts_free(&o);
		calxr__loc_free(&loc);
		free(path);
		free(name);
	}
	free(owner);
	free(fields);
}

void calxr__table_fields(calxr__ctx *cx, calxr__table *t, CXCursor rec)
{
	walk_state w = { t, NULL, 0 };
	walk(cx, &w, rec, "", "", 0);
	for (unsigned i = 0; i < w.n_seen; i++) {
		free(w.seen[i].col_prefix);
		free(w.seen[i].path);
	}
	free(w.seen);
}
