/*
 * Enums stored by name (enum_as(text), CALX_FIELD_ENUM_TEXT): the C field
 * holds the enum, the column its constant's name. Names come from the
 * field's enum_names (calx-reflect), static text, so a bound name borrows
 * nothing that can go away. A value that is no constant, or a name that is
 * no constant's, is CALX_ERANGE naming it and the enum.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/value.h"

/* At most this much of a name in a message. */
#define SHOWN 64

int calx__enum_to_name(const calx_field_desc *f, calx_value *v, calx_error *err)
{
	const calx_enum_desc *e = f->enum_names;
	if (v->kind != CALX_VALUE_INT)
		return CALX_OK;         /* NULL stays NULL */
	for (unsigned i = 0; e && i < e->n; i++)
		if (e->values[i] == v->u.i) {
			*v = calx_value_text(e->names[i]);
			return CALX_OK;
		}
	char what[160];
	snprintf(what, sizeof what, "%" PRId64 " is no constant of %s", v->u.i, e ? e->name : "its enum");
	return calx__field_error(err, CALX_ERANGE, f, what);
}

/* The constant named p[0..n), or false. */
static bool value_of(const calx_enum_desc *e, const char *p, size_t n, int64_t *out)
{
	for (unsigned i = 0; e && i < e->n; i++)
		if (strlen(e->names[i]) == n && memcmp(e->names[i], p, n) == 0) {
			*out = e->values[i];
			return true;
		}
	return false;
}

int calx__enum_from_name(const calx_field_desc *f, const calx_value *v, calx_value *out, calx_error *err)
{
	int64_t i;
	if (value_of(f->enum_names, v->u.s.p, v->u.s.n, &i)) {
		*out = calx_value_int(i);
		return CALX_OK;
	}
	char what[200];
	snprintf(what, sizeof what, "database value '%.*s'%s is no name of %s", (int)(v->u.s.n > SHOWN ? SHOWN : v->u.s.n),
	         v->u.s.p, v->u.s.n > SHOWN ? "..." : "", f->enum_names ? f->enum_names->name : "its enum");
	return calx__field_error(err, CALX_ERANGE, f, what);
}

int calx__enum_check_compare(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err)
{
	int64_t i;
	char what[200];
	switch (v->kind) {
	case CALX_VALUE_INT:
		*bind = *v;
		return calx__enum_to_name(f, bind, err);
	case CALX_VALUE_TEXT:
		if (value_of(f->enum_names, v->u.s.p, v->u.s.n, &i)) {
			*bind = *v;
			return CALX_OK;
		}
		snprintf(what, sizeof what, "compared with '%.*s', no name of %s",
		         (int)(v->u.s.n > SHOWN ? SHOWN : v->u.s.n), v->u.s.p,
		         f->enum_names ? f->enum_names->name : "its enum");
		return calx__field_error(err, CALX_ERANGE, f, what);
	default:
		return calx__field_error(err, CALX_ETYPE, f, "compared with a value that is neither a constant nor a name");
	}
}
