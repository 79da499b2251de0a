/*
 * User-type fields (ctype CALX_CTYPE_USER, value.h): a C type of the
 * program's own (or calx/time.h's, calx/uuid.h's) read, written, compared
 * and NULL-tested through its calx_user_type. Apart from value.c and
 * nulls.c, which dispatch here in one line each, so the built-in
 * conversions stay as they were. Every failure names the mapper, the
 * field and the type; a conversion never changes a value silently.
 */
#include <stdio.h>
#include <string.h>
#include "calx/calx.h"
#include "base/buf.h"
#include "mapping/registry.h"
#include "mapping/value.h"

/* "owner.field (column "t"."c", user type name): what (CALX_E...)": the type itself returns a status only. */
static int user_error(calx_error *err, int code, const calx_field_desc *f, const char *what)
{
	const calx_user_type *t = f->user_type;
	return calx_error_set(err, code, "%s.%s (column \"%s\".\"%s\", user type %s): %s (%s)",
	                      f->owner ? f->owner->name : "?", f->name, f->owner ? f->owner->table : "?",
	                      f->column, t && t->name ? t->name : "?", what, calx_status_name(code));
}

bool calx__user_type_valid(const calx_field_desc *f)
{
	const calx_user_type *t = f->user_type;
	return t && t->version == CALX_USER_TYPE_VERSION && t->to_value && t->from_value && t->size == f->size &&
	       !(f->flags & (CALX_FIELD_OPTIONAL | CALX_FIELD_AUTOINCREMENT | CALX_FIELD_VERSION)) &&
	       (!(f->flags & CALX_FIELD_PRIMARY_KEY) || !t->is_null);
}

bool calx__user_is_null(const calx_field_desc *f, const void *field)
{
	return f->user_type->is_null && f->user_type->is_null(f->user_type, field);
}

int calx__user_get(const calx_field_desc *f, const unsigned char *p, calx_value *out, calx_error *err)
{
	const calx_user_type *t = f->user_type;
	if (calx__user_is_null(f, p)) {
		out->kind = CALX_VALUE_NULL;
		return CALX_OK;
	}
	int rc = t->to_value(t, p, out, NULL, 0);
	if (rc > 0)
		rc = CALX_ERROR;
	if (rc != CALX_OK)
		return user_error(err, rc, f, "cannot convert the field to a SQL value");
	if (calx__value_span_bad(out))
		return user_error(err, CALX_EINVAL, f, "the type's to_value gave a value without readable bytes");
	/* the value is kept and bound later: its bytes must be the field's own */
	if ((out->kind == CALX_VALUE_TEXT || out->kind == CALX_VALUE_BLOB || out->kind == CALX_VALUE_NUMERIC) &&
	    out->u.s.n && (out->u.s.p < (const char *)p || out->u.s.p + out->u.s.n > (const char *)p + f->size))
		return user_error(err, CALX_EINVAL, f, "the type's to_value gave bytes outside the field");
	return CALX_OK;
}

int calx__user_set(const calx_field_desc *f, unsigned char *p, const calx_value *v, bool *is_null, calx_error *err)
{
	const calx_user_type *t = f->user_type;
	if (v->kind == CALX_VALUE_NULL) {
		if (!t->is_null)
			return user_error(err, CALX_ENOTNULL, f, "database returned NULL for a type that has no NULL");
		*is_null = true;
		if (t->set_null)
			t->set_null(t, p);
		else
			memset(p, 0, f->size);
		return CALX_OK;
	}
	*is_null = false;
	/* into a copy: a value the type refuses leaves the field as it was */
	unsigned char tmp[256];
	unsigned char *dst = f->size <= sizeof tmp ? tmp : p;
	int rc = t->from_value(t, v, dst);
	if (rc > 0)
		rc = CALX_ERROR;
	if (rc != CALX_OK)
		return user_error(err, rc, f, "cannot convert the database value");
	if (dst != p)
		memcpy(p, dst, f->size);
	return CALX_OK;
}

bool calx__user_equal(const calx_field_desc *f, const void *a, const void *b)
{
	const calx_user_type *t = f->user_type;
	bool na = calx__user_is_null(f, a), nb = calx__user_is_null(f, b);
	if (na || nb)
		return na && nb;
	if (t->equal)
		return t->equal(t, a, b);
	return memcmp(a, b, f->size) == 0;
}

const char *calx__user_sql_type(const calx_field_desc *f, const char *dialect)
{
	const calx_user_type *t = f->user_type;
	const char *s = t && t->sql_type ? t->sql_type(t, dialect) : NULL;
	return s ? s : "TEXT";
}

int calx_user_type_value(const calx_user_type *t, const void *field, calx_value *out)
{
	if (!t || !field || !out || t->version != CALX_USER_TYPE_VERSION || !t->to_value)
		return CALX_EINVAL;
	if (t->is_null && t->is_null(t, field)) {
		*out = calx_value_null();
		return CALX_OK;
	}
	int rc = t->to_value(t, field, out, NULL, 0);
	return rc > 0 ? CALX_ERROR : rc;
}

int calx__user_check_value(const calx_field_desc *f, const calx_value *v, calx_value *bind, calx_error *err)
{
	const calx_user_type *t = f->user_type;
	unsigned char tmp[256];
	if (f->size > sizeof tmp)
		return user_error(err, CALX_EINVAL, f, "a user type of more than 256 bytes cannot be compared");
	if (calx__value_span_bad(v))
		return user_error(err, CALX_EINVAL, f, "compared with a value without readable bytes");
	memset(tmp, 0, sizeof tmp);
	int rc = t->from_value(t, v, tmp);
	if (rc != CALX_OK)
		return user_error(err, rc > 0 ? CALX_ERROR : rc, f, "compared with a value the type does not take");
	*bind = *v;
	return CALX_OK;
}

int calx__user_canonical(const calx_field_desc *f, const calx_value *v, calx_error *err)
{
	const calx_user_type *t = f->user_type;
	unsigned char tmp[256];
	calx_value c;
	int rc = calx__user_check_value(f, v, &c, err);
	if (rc != CALX_OK)
		return rc;
	memset(tmp, 0, sizeof tmp);
	if (t->from_value(t, v, tmp) != CALX_OK || t->to_value(t, tmp, &c, NULL, 0) != CALX_OK)
		return user_error(err, CALX_ETYPE, f, "the key does not convert back");
	bool same = c.kind == v->kind;
	if (same && c.kind == CALX_VALUE_INT)
		same = c.u.i == v->u.i;
	else if (same && c.kind == CALX_VALUE_REAL)
		same = memcmp(&c.u.d, &v->u.d, sizeof c.u.d) == 0;
	else if (same && c.kind != CALX_VALUE_NULL)
		same = c.u.s.n == v->u.s.n && (!c.u.s.n || memcmp(c.u.s.p, v->u.s.p, c.u.s.n) == 0);
	if (!same)
		return user_error(err, CALX_ETYPE, f,
		                  "a key is given as the value its type binds (calx_user_type_value, the generated *_get)");
	return CALX_OK;
}

/*
 * Room for the keys of one row being looked up: a row key lives from its
 * row's read to its identity-map lookup, before the next row's, so one
 * slot per key column and thread is enough.
 */
static _Thread_local unsigned char row_key_room[CALX__MAX_PK][256];

int calx__user_row_key(const calx_field_desc *f, unsigned slot, calx_value *key)
{
	const calx_user_type *t = f->user_type;
	if (slot >= CALX__MAX_PK || f->size > sizeof row_key_room[0])
		return CALX_EINVAL;
	unsigned char *room = row_key_room[slot];
	memset(room, 0, f->size);
	if (t->from_value(t, key, room) != CALX_OK || t->to_value(t, room, key, NULL, 0) != CALX_OK)
		return CALX_ETYPE;
	return CALX_OK;
}

bool calx__user_repr(const calx_field_desc *f, const void *obj, struct calx__buf *b)
{
	const unsigned char *p = (const unsigned char *)obj + f->offset;
	char text[128];
	if (f->ctype != CALX_CTYPE_USER || !f->user_type->repr || calx__user_is_null(f, p) ||
	    f->user_type->repr(f->user_type, p, text, sizeof text) != CALX_OK || !memchr(text, '\0', sizeof text))
		return false;
	calx__buf_printf(b, "\"%s\"", text);
	return true;
}
