/*
 * reflect/layout_guard.c - the _Static_asserts at the top of the generated
 * source: a descriptor generated for one layout must not compile against
 * another.
 *
 * The application's compiler builds the descriptors with offsetof and
 * sizeof, so they always describe the struct it sees; what can go stale is
 * what libclang saw: the field's kind (calx_ctype), which the runtime uses
 * to read and write the bytes. A header reflected with -DWIDE (an int64_t)
 * and compiled without it (a double of the same size and offset) would
 * otherwise store 2.5 as 4612811918334230528. So for the struct: its size
 * and alignment; for each mapped field, one assertion of its offset, its
 * size and its kind, whose message names the field and what it was.
 */
#include "internal.h"

#include <stdlib.h>

/*
 * How the guard recognises a kind of field: the _Generic associations that
 * yield 1 for it. _Generic sees the field's value after lvalue conversion
 * (qualifiers of the field itself dropped, an array decayed to a pointer),
 * so an array is matched by its address instead: "T (*)[N]" keeps the
 * length. Integers are matched by signedness here and by size through the
 * sizeof in the same assertion, so int64_t matches both long and long long.
 * One row per calx_ctype: a new kind of field adds a row.
 */
typedef struct guard_kind {
	const char *assoc;    /* associations yielding 1, for the field's value; NULL: array_of */
	const char *array_of; /* element type of an array field, matched by address */
	const char *what;     /* the kind, in the message: "signed integer" */
} guard_kind;

#define SIGNED_INTEGERS "signed char: 1, short: 1, int: 1, long: 1, long long: 1"
#define UNSIGNED_INTEGERS \
	"unsigned char: 1, unsigned short: 1, unsigned int: 1, unsigned long: 1, unsigned long long: 1"

static const guard_kind kinds[] = {
	[CALX_CTYPE_INT8] = { SIGNED_INTEGERS, NULL, "signed integer" },
	[CALX_CTYPE_INT16] = { SIGNED_INTEGERS, NULL, "signed integer" },
	[CALX_CTYPE_INT32] = { SIGNED_INTEGERS, NULL, "signed integer" },
	[CALX_CTYPE_INT64] = { SIGNED_INTEGERS, NULL, "signed integer" },
	[CALX_CTYPE_UINT8] = { UNSIGNED_INTEGERS, NULL, "unsigned integer" },
	[CALX_CTYPE_UINT16] = { UNSIGNED_INTEGERS, NULL, "unsigned integer" },
	[CALX_CTYPE_UINT32] = { UNSIGNED_INTEGERS, NULL, "unsigned integer" },
	[CALX_CTYPE_UINT64] = { UNSIGNED_INTEGERS, NULL, "unsigned integer" },
	[CALX_CTYPE_BOOL] = { "_Bool: 1", NULL, "bool" },
	[CALX_CTYPE_FLOAT] = { "float: 1", NULL, "float" },
	[CALX_CTYPE_DOUBLE] = { "double: 1", NULL, "double" },
	[CALX_CTYPE_STRING] = { "char *: 1, const char *: 1", NULL, "char *" },
	[CALX_CTYPE_CHARARRAY] = { NULL, "char", "char array" },
	[CALX_CTYPE_BYTEARRAY] = { NULL, "unsigned char", "byte array" },
	[CALX_CTYPE_BYTES] = { "calx_bytes: 1", NULL, "calx_bytes" },
	[CALX_CTYPE_CHAR] = { "char: 1", NULL, "char" },
	[CALX_CTYPE_DECIMAL] = { "calx_decimal: 1", NULL, "calx_decimal" },
};

static const guard_kind *kind_of(calx_ctype t)
{
	if ((size_t)t >= sizeof kinds / sizeof kinds[0] || !kinds[t].what)
		return NULL;
	return &kinds[t];
}

/*
 * A char with char_as(integer) is int8_t or uint8_t as the reflecting
 * compiler's char was signed or not: the program's char must be the same
 * (-funsigned-char on one side only would store 255 as -1).
 */
static bool char_as_integer(const calxr__column *c)
{
	return c->plain_char && (c->ctype == CALX_CTYPE_INT8 || c->ctype == CALX_CTYPE_UINT8);
}

/* "calx_opt_double", "an enum (unsigned integer)", "char[64]", "a signed integer", "a plain char, signed" */
static char *describe(calxr__ctx *cx, const calxr__column *c, const guard_kind *k)
{
	if (c->flags & CALX_FIELD_OPTIONAL)
		return calxr__strdup(cx, calxr__opt_type_name(c->ctype));
	if (char_as_integer(c))
		return calxr__printf(cx, "a plain char, %s", c->ctype == CALX_CTYPE_INT8 ? "signed" : "unsigned");
	if (c->flags & CALX_FIELD_ENUM)
		return calxr__printf(cx, "an enum (%s)", k->what);
	if (k->array_of)
		return calxr__printf(cx, "%s[%lld]", k->array_of, c->size);
	if (calxr__ctype_is_integer(c->ctype))
		return calxr__printf(cx, "%s %s", k->what[0] == 'u' ? "an" : "a", k->what);
	return calxr__strdup(cx, k->what);
}

/* The _Generic expression that is 1 when the field still has its kind. */
static void kind_test(calxr__buf *b, const calxr__table *t, const calxr__column *c, const guard_kind *k)
{
	const char *wrapper = c->flags & CALX_FIELD_OPTIONAL ? calxr__opt_type_name(c->ctype) : NULL;

	if (wrapper) {
		calxr__buf_printf(b, "_Generic(((struct %s *)0)->%s, %s: 1, default: 0)", t->tag, c->path, wrapper);
	} else if (char_as_integer(c)) {
		calxr__buf_printf(b, "_Generic(((struct %s *)0)->%s, char: 1, default: 0) && ((char)-1 < 0) == %d", t->tag,
				 c->path, c->ctype == CALX_CTYPE_INT8);
	} else if (k->array_of) {
		/* the element count: every array kind so far has 1-byte elements */
		calxr__buf_printf(b, "_Generic(&((struct %s *)0)->%s, %s (*)[%lld]: 1, const %s (*)[%lld]: 1, default: 0)",
				 t->tag, c->path, k->array_of, c->size, k->array_of, c->size);
	} else {
		calxr__buf_printf(b, "_Generic(((struct %s *)0)->%s, %s, default: 0)", t->tag, c->path, k->assoc);
	}
}

static void field_guard(calxr__ctx *cx, calxr__buf *b, const calxr__table *t, const calxr__column *c)
{
	const guard_kind *k = kind_of(c->ctype);
	char *what, *msg;

	calxr__buf_printf(b, "_Static_assert(offsetof(struct %s, %s) == %lld && sizeof(((struct %s *)0)->%s) == %lld",
			 t->tag, c->path, c->offset, t->tag, c->path, c->size);
	if (k) {
		calxr__buf_put(b, " && ");
		kind_test(b, t, c, k);
	}
	/* a kind without a row is still held to its size and offset */
	what = k ? describe(cx, c, k) : calxr__printf(cx, "of calx_ctype %d", (int)c->ctype);
	msg = calxr__printf(cx, "struct %s changed since %s was generated: field '%s' was %s, %lld byte%s at offset %lld: re-run calx-reflect",
			   t->tag, cx->c_base, c->path, what ? what : "?", c->size, c->size == 1 ? "" : "s", c->offset);
	calxr__buf_put(b, ", ");
	calxr__buf_cstr(b, msg ? msg : "");
	calxr__buf_put(b, ");\n");
	free(what);
	free(msg);
}

void calxr__emit_layout_guard(calxr__ctx *cx, calxr__buf *b, const calxr__table *t)
{
	char *msg = calxr__printf(cx, "struct %s changed since %s was generated: re-run calx-reflect", t->tag,
				 cx->c_base);

	calxr__buf_printf(b, "_Static_assert(sizeof(struct %s) == %lld && _Alignof(struct %s) == %lld, ", t->tag,
			 t->size, t->tag, t->align);
	calxr__buf_cstr(b, msg ? msg : "");
	calxr__buf_put(b, ");\n");
	free(msg);
	for (unsigned i = 0; i < t->n_cols; i++)
		field_guard(cx, b, t, &t->cols[i]);
}
