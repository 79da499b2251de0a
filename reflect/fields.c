/*
 * reflect/fields.c - the columns of one table: each field's options are
 * parsed, its type resolved, embedded mixins flattened in place, and the
 * checks that need the C type made (autoincrement, required strings).
 * Checks across the whole table are in check.c.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct field_err {
	calxr__ctx *cx;
	const calxr__loc *loc;
	const char *field, *owner;
} field_err;

static void on_error(void *payload, const char *msg)
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
	calxr__strlist_free(&c->types);
	free(c->server_default);
	free(c->default_text);
	free(c->check);
	free(c->fk_table);
	free(c->fk_column);
	free(c->ondelete);
	free(c->onupdate);
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
			calxr__annot_parse_field(v[i], o, on_error, e);
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
	calxr__annot_check_field(o, on_error, e);
	if (o->oom)
		calxr__oom(cx);
	calxr__strv_free(v, n);
}

/* The C type of the *_get key parameter, as the user spelled it. */
static char *key_type(calxr__ctx *cx, CXType t, calx_ctype ct)
{
	char *s;
	if (ct == CALX_CTYPE_STRING || ct == CALX_CTYPE_CHARARRAY)
		return calxr__strdup(cx, "const char *");
	s = calxr__cx_take(cx, clang_getTypeSpelling(t));
	/* Anonymous enums spell as "enum (unnamed at ...)": no use in C source. */
	if (s && (!*s || strchr(s, '('))) {
		free(s);
		s = calxr__strdup(cx, calxr__ctype_c_name(ct));
	}
	return s;
}

/* A default(...) on a wrapper gives the value: the wrapper's initializer is made here. */
static bool default_is_wrapper(const char *text)
{
	while (*text == ' ' || *text == '\t' || *text == '(')
		text++;
	return *text == '{' || !strncmp(text, "CALX_SOME", 9) || !strncmp(text, "CALX_NULL", 9);
}

/*
 * NULL semantics follow the C type (SQLAlchemy 2's Mapped[int] against
 * Mapped[Optional[int]]): a plain scalar is NOT NULL, a calx_opt_* wrapper
 * is nullable, text is nullable unless not_null.
 */
static void nullability(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, field_err *e, CXType type,
			bool optional)
{
	const unsigned seen = o->seen;
	bool text = c->ctype == CALX_CTYPE_STRING || c->ctype == CALX_CTYPE_CHARARRAY;
	const char *wrapper = calxr__opt_type_name(c->ctype);
	const char *plain = calxr__ctype_c_name(c->ctype);
	char *msg = NULL;

	if (text)
		return;
	if (!optional) {
		c->flags |= CALX_FIELD_NOT_NULL;
		/* with primary_key or not_null, 'contradictory options' was reported */
		if ((seen & (1u << CALXR__OPT_NULLABLE)) &&
		    !(seen & ((1u << CALXR__OPT_PRIMARY_KEY) | (1u << CALXR__OPT_NOT_NULL)))) {
			char *spelled = calxr__cx_take(cx, clang_getTypeSpelling(type));
			msg = calxr__printf(cx, "option 'nullable' needs a nullable type: '%s' is NOT NULL, declare the field '%s'",
					   spelled ? spelled : plain, wrapper);
			free(spelled);
		}
	} else {
		c->flags |= CALX_FIELD_OPTIONAL;
		if (seen & (1u << CALXR__OPT_PRIMARY_KEY))
			msg = calxr__printf(cx, "option 'primary_key' needs a NOT NULL type: declare the field '%s', not '%s'",
					   plain, wrapper);
		else if (seen & (1u << CALXR__OPT_VERSION))
			msg = calxr__printf(cx, "option 'version' needs a NOT NULL type: declare the field '%s', not '%s'",
					   plain, wrapper);
		else if ((seen & (1u << CALXR__OPT_NOT_NULL)) && !o->server_default)
			msg = calxr__printf(cx, "option 'not_null' on '%s' needs server_default(...), which an unset field leaves to the database; otherwise declare the field '%s'",
					   wrapper, plain);
		else if (o->default_text && default_is_wrapper(o->default_text))
			msg = calxr__printf(cx, "option 'default' on '%s' takes the value itself: default(V), not default(CALX_SOME(V))",
					   wrapper);
		else if (o->default_text) {
			char *some = calxr__printf(cx, "CALX_SOME(%s)", o->default_text);
			free(o->default_text);
			o->default_text = some;
		}
	}
	if (msg)
		on_error(e, msg);
	free(msg);
}

static void add_column(calxr__ctx *cx, calxr__table *t, CXCursor f, calxr__field_opts *o, field_err *e,
		       const char *path, long long offset, calx_ctype ct, bool is_enum, bool optional)
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
	c->column = o->name ? o->name : calxr__strdup(cx, e->field);
	o->name = NULL;
	c->loc.file = calxr__strdup(cx, e->loc->file);
	c->loc.line = e->loc->line;
	c->loc.col = e->loc->col;
	c->ctype = ct;
	c->offset = offset;
	c->size = clang_Type_getSizeOf(type);
	c->key_type = key_type(cx, type, ct);
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
	if (is_enum)
		c->flags |= CALX_FIELD_ENUM;
	nullability(cx, c, o, e, type, optional);
	if (o->default_text)
		c->flags |= CALX_FIELD_HAS_DEFAULT;
	if ((o->seen & (1u << CALXR__OPT_VERSION)) && !optional) {
		/* SQLAlchemy's version_id_col: an integer the flush bumps and checks */
		if (pk || is_enum || !calxr__ctype_is_integer(ct))
			on_error(e, "option 'version' needs an integer field outside the primary key");
		else
			c->flags |= CALX_FIELD_VERSION | CALX_FIELD_NOT_NULL;
	}

	c->autoinc_explicit = o->autoincrement_on_seen;
	c->autoinc_off = o->autoincrement_off_seen;
	if (c->autoinc_explicit && (!pk || optional || is_enum || !calxr__ctype_is_integer(ct)))
		on_error(e, "option 'autoincrement' needs a single-column integer primary key");

	/* A char * the constructor must be given: unless the database or a default fills it. */
	if (ct == CALX_CTYPE_STRING && (c->flags & CALX_FIELD_NOT_NULL) && !pk && !o->default_text &&
	    !o->server_default) {
		if (o->init)
			c->flags |= CALX_FIELD_REQUIRED;
		else
			on_error(e, "option 'init(false)' on a not-null string needs default(...) or server_default(...)");
	}

	if (o->types.n) {
		c->types = o->types;
		o->types.v = NULL;
		o->types.n = 0;
	} else if ((tm = calxr__typemap_for(cx, type)) != NULL) {
		for (unsigned i = 0; i < tm->types.n; i++)
			if (calxr__push(cx, &c->types.v, &c->types.n, sizeof *c->types.v))
				c->types.v[c->types.n - 1] = calxr__strdup(cx, tm->types.v[i]);
	}
	c->server_default = o->server_default;
	c->default_text = o->default_text;
	c->check = o->check;
	c->fk_table = o->fk_table;
	c->fk_column = o->fk_column;
	c->ondelete = o->ondelete;
	c->onupdate = o->onupdate;
	o->server_default = o->default_text = o->check = NULL;
	o->fk_table = o->fk_column = o->ondelete = o->onupdate = NULL;
}

static void walk(calxr__ctx *cx, calxr__table *t, CXCursor rec, const char *prefix, long long base)
{
	unsigned n;
	CXCursor *fields = calxr__fields(cx, rec, &n);
	char *owner = calxr__cx_take(cx, clang_getCursorSpelling(rec));

	for (unsigned i = 0; i < n && owner; i++) {
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
			calxr__error(cx, &loc, "cannot map bit-field '%s' of struct '%s'", e.field, owner);
			goto next;
		}
		shape = calxr__resolve_type(cx, clang_getCursorType(f), &ct, &is_enum, &sub);
		switch (shape) {
		case CALXR__SHAPE_SCALAR:
		case CALXR__SHAPE_OPTIONAL:
			add_column(cx, t, f, &o, &e, path, offset, ct, is_enum,
				   shape == CALXR__SHAPE_OPTIONAL);
			break;
		case CALXR__SHAPE_MIXIN: {
			char *sub_prefix = calxr__printf(cx, "%s.", path);
			if (o.seen)
				calxr__error(cx, &loc, "options do not apply to embedded mixin field '%s' of struct '%s' (only 'transient')",
					    e.field, owner);
			if (sub_prefix)
				walk(cx, t, sub, sub_prefix, offset);
			free(sub_prefix);
			break;
		}
		case CALXR__SHAPE_RELATION:
			/*
			 * A pointer to a mapped struct is a many-to-one relationship.
			 * Relationships are not reflected yet: until they are, such a
			 * field must be marked transient, like any unmappable type.
			 */
		case CALXR__SHAPE_NONE:
			spelling = calxr__cx_take(cx, clang_getTypeSpelling(clang_getCursorType(f)));
			if (ct) /* named like a wrapper of calx/nullable.h, but not that struct */
				calxr__error(cx, &loc, "cannot map type '%s' of field '%s' of struct '%s': not the %s of calx/nullable.h ({ %s value; bool has_value; })",
					    spelling ? spelling : "?", e.field, owner, calxr__opt_type_name(ct),
					    calxr__ctype_c_name(ct));
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
	walk(cx, t, rec, "", 0);
}
