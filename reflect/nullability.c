/*
 * reflect/nullability.c - a column's NULL semantics from its C type, and
 * the options that must agree with them (nullable, not_null, primary_key,
 * version, a wrapper's default).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

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
void calxr__nullability(calxr__ctx *cx, calxr__column *c, calxr__field_opts *o, calxr__field_err *e, CXType type,
			bool optional)
{
	const unsigned seen = o->seen;
	/* a calx_bytes says NULL with its pointer, as a char * does */
	bool text = c->ctype == CALX_CTYPE_STRING || c->ctype == CALX_CTYPE_CHARARRAY || c->ctype == CALX_CTYPE_BYTES ||
		    c->ctype == CALX_CTYPE_DECIMAL;     /* its empty text is NULL */
	const char *wrapper = calxr__opt_type_name(c->ctype);
	const char *plain = calxr__ctype_c_name(c->ctype);
	char *msg = NULL;

	if (text)
		return;
	if (c->ctype == CALX_CTYPE_USER) {
		/* a type with a NULL of its own is nullable unless not_null, as text is; else NOT NULL */
		if (!c->user_nullable) {
			c->flags |= CALX_FIELD_NOT_NULL;
			if ((seen & (1u << CALXR__OPT_NULLABLE)) && !(seen & (1u << CALXR__OPT_NOT_NULL)))
				calxr__field_error(e, "option 'nullable' needs a user type with a NULL (CALX_TYPE(T, user_type(var), nullable), calx_opt_uuid)");
		}
		return;
	}
	/* bytes and a char_as(text) char have no calx_opt_*: name the nullable type that holds the same */
	if (c->ctype == CALX_CTYPE_BYTEARRAY)
		wrapper = "calx_bytes";
	else if (c->ctype == CALX_CTYPE_CHAR)
		wrapper = "char[2]";
	else if (!wrapper)
		wrapper = "?";
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
		calxr__field_error(e, msg);
	free(msg);
}
