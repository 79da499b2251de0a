/*
 * Objects from the application's side: constructors, NULL flags, string
 * setters, repr and eq.
 */
#include <string.h>
#include "calx/calx.h"
#include "base/alloc.h"
#include "session/session.h"
#include "mapping/value.h"
#include "session/related.h"

calx_value calx_value_textn(const char *p, size_t n)
{
	calx_value v = calx__value_empty(CALX_VALUE_TEXT);
	v.u.s.p = p;
	v.u.s.n = n;
	return v;
}

calx_value calx_value_text(const char *s)
{
	return s ? calx_value_textn(s, strlen(s)) : calx_value_null();
}

calx_value calx_value_numericn(const char *p, size_t n)
{
	calx_value v = calx_value_textn(p, n);
	v.kind = CALX_VALUE_NUMERIC;
	return v;
}

calx_value calx_value_numeric(const char *s)
{
	return s ? calx_value_numericn(s, strlen(s)) : calx_value_null();
}

calx_value calx__value_i64(int64_t i)
{
	return calx__int_value(i);
}

calx_value calx__value_bool(_Bool b)
{
	return calx__bool_value(b);
}

calx_value calx__value_same(calx_value v)
{
	return v;
}

calx_value calx__value_u64(uint64_t u)
{
	return calx__uint_value(u);
}

/* calx_v of a wrapper: its value through the plain type's conversion, or NULL. */
#define OPT_VALUE(T, conv)                                                     \
	calx_value calx__value_opt_##T(calx_opt_##T o)                         \
	{                                                                      \
		return o.has_value ? conv(o.value) : calx_value_null();        \
	}
OPT_VALUE(int8, calx_value_int)
OPT_VALUE(int16, calx_value_int)
OPT_VALUE(int32, calx_value_int)
OPT_VALUE(int64, calx_value_int)
OPT_VALUE(uint8, calx_value_int)
OPT_VALUE(uint16, calx_value_int)
OPT_VALUE(uint32, calx_value_int)
OPT_VALUE(uint64, calx__value_u64)
OPT_VALUE(bool, calx__value_bool)
OPT_VALUE(float, calx_value_real)
OPT_VALUE(double, calx_value_real)
#undef OPT_VALUE

static calx__obj *new_object(calx_session *s, const calx_mapper_desc *m)
{
	if (!s)
		return NULL;
	if (calx__check_usable(s) != CALX_OK)
		return NULL;
	const calx__mapper *rm = calx__registry_find(s->reg, m, &s->err);
	if (!rm)
		return NULL;
	calx__obj *h = calx__obj_alloc(s, rm);
	/*
	 * What the program creates has its relationships as it sets them:
	 * loaded. A block comes zeroed, so a row the loader builds has none
	 * loaded, at no cost on the load path.
	 */
	if (h && rm->rel_off)
		*calx__obj_rel_loaded(h) = ~(uint64_t)0;
	return h;
}

/* default_factory(fn): each such field the constructor was given no value for (still zero) gets fn(). */
static void run_factories(const calx__obj *h, const calx_mapper_desc *m, void *obj)
{
	if (!calx__obj_mapper(h)->factories)
		return;
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if (fd->default_factory && calx__field_zero(fd, obj))
			fd->default_factory(obj);
	}
}

void *calx_object_new(calx_session *s, const calx_mapper_desc *m)
{
	calx__obj *h = new_object(s, m);
	if (!h)
		return NULL;
	if (m->defaults)
		memcpy(calx__obj_ptr(h), m->defaults, m->size);
	run_factories(h, m, calx__obj_ptr(h));
	return calx__obj_ptr(h);
}

void *calx__construct(calx_session *s, const calx_mapper_desc *m, const void *init)
{
	if (!init) {
		if (s)
			calx__fail(s, CALX_EINVAL, "%s_new: no initializer", m ? m->name : "?");
		return NULL;
	}
	for (unsigned f = 0; m && f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		if ((fd->flags & CALX_FIELD_REQUIRED) && (fd->ctype == CALX_CTYPE_STRING || fd->ctype == CALX_CTYPE_BYTES) &&
		    calx__field_is_null(fd, init, false)) {
			if (s)
				calx__fail(s, CALX_ENOTNULL, "%s_new: field '%s' (column \"%s\".\"%s\") is required",
				           m->name, fd->name, m->table, fd->column);
			return NULL;
		}
		if ((fd->flags & CALX_FIELD_NO_INIT) && m->defaults &&
		    !calx__field_equal(fd, init, m->defaults)) {
			if (s)
				calx__fail(s, CALX_EINVAL, "%s_new: field '%s' is init(false) and cannot be given",
				           m->name, fd->name);
			return NULL;
		}
	}
	calx__obj *h = new_object(s, m);
	if (!h)
		return NULL;
	memcpy(calx__obj_ptr(h), init, m->size);
	/* the constructor's compound literal: every member given leaves wrappers' padding indeterminate */
	for (unsigned f = 0, wrappers = calx__obj_mapper(h)->wrappers; wrappers && f < m->n_fields; f++)
		calx__field_clear_padding(&m->fields[f], calx__obj_ptr(h));
	run_factories(h, m, calx__obj_ptr(h));
	return calx__obj_ptr(h);
}

void *calx_object_copy(calx_session *s, const calx_mapper_desc *m, const void *src)
{
	if (s && (!m || !src)) {
		calx__fail(s, CALX_EINVAL, "calx_object_copy: the struct's mapper and the object are required");
		return NULL;
	}
	calx__obj *h = new_object(s, m);
	if (!h)
		return NULL;
	void *dst = calx__obj_ptr(h);
	for (unsigned f = 0; f < m->n_fields; f++) {
		const calx_field_desc *fd = &m->fields[f];
		calx_value v;
		bool is_null;
		if (fd->flags & CALX_FIELD_AUTOINCREMENT)
			continue;       /* a new row: the database gives it its own key */
		/* through a value: text and bytes are copied into the session, not shared with src */
		if (calx__field_get(fd, src, false, &v, &s->err) != CALX_OK ||
		    calx__field_set(fd, dst, &v, &s->arena, &is_null, &s->err) != CALX_OK) {
			calx__fail_wrap(s, "%s_copy: field '%s': %.400s", m->name, fd->name, s->err.msg);
			return NULL;
		}
	}
	return dst;
}

calx__obj *calx__field_owner(calx_session *s, const void *obj, const calx_field_desc *col)
{
	calx__obj *h = calx__obj_of(s, obj);
	if (!h)
		return NULL;
	if (!col || col->owner != calx__obj_mapper(h)->desc) {
		calx__fail(s, CALX_EINVAL, "column %s is not a column of struct %s",
		           col ? col->name : "NULL", calx__obj_mapper(h)->desc->name);
		return NULL;
	}
	return h;
}

int (calx_field_set_null)(calx_session *s, void *obj, const calx_field_desc *col, bool is_null)
{
	if (!s)
		return CALX_EINVAL;
	calx__obj *h = calx__field_owner(s, obj, col);
	if (!h)
		return s->err.code;
	bool nullable_type = col->ctype == CALX_CTYPE_STRING || col->ctype == CALX_CTYPE_CHARARRAY ||
	                     col->ctype == CALX_CTYPE_BYTES || (col->flags & CALX_FIELD_OPTIONAL);
	if (is_null && !nullable_type)
		return calx__fail(s, CALX_ENOTNULL, "%s.%s: column \"%s\" is NOT NULL (a plain %s; a nullable column is %s)",
		                  calx__obj_mapper(h)->desc->name, col->name, col->column, calx__ctype_name(col->ctype),
		                  col->ctype == CALX_CTYPE_BYTEARRAY ? "a calx_bytes field" : "a calx_opt_* field");
	if (is_null && (col->flags & CALX_FIELD_NOT_NULL))
		return calx__fail(s, CALX_ENOTNULL, "%s.%s: column \"%s\" is NOT NULL",
		                  calx__obj_mapper(h)->desc->name, col->name, col->column);
	int rc = calx__mark(s, h);
	if (rc != CALX_OK)
		return rc;
	/*
	 * The mark matters for char[N], whose bytes cannot say NULL, and at
	 * insert: a column with a server default gets an explicit NULL rather
	 * than the server's value. Wrappers and char * say NULL themselves.
	 */
	if (is_null)
		memset((char *)obj + col->offset, 0, col->size);
	else
		calx__field_mark_present(col, obj);     /* a wrapper keeps its value, 0 after NULL */
	calx__obj_mark_null(h, col->index, is_null);
	return CALX_OK;
}

bool (calx_field_is_null)(const calx_session *s, const void *obj, const calx_field_desc *col)
{
	if (!s)
		return false;
	calx__obj *h = calx__field_owner((calx_session *)s, obj, col);
	return h && calx__field_null(h, col);
}

/* A char_as(text) field takes "" or one ASCII character, as a flush would send it. */
static int set_char_text(calx_session *s, calx__obj *h, const calx_field_desc *col, char *p, const char *text)
{
	if (!text)
		return calx__fail(s, CALX_ENOTNULL, "%s.%s: a char holds no NULL", calx__obj_mapper(h)->desc->name, col->name);
	size_t n = strlen(text);
	if (n > 1)
		return calx__fail(s, CALX_ERANGE, "%s.%s: text of %zu bytes does not fit a char (at most one character)",
		                  calx__obj_mapper(h)->desc->name, col->name, n);
	if (n == 1 && (unsigned char)text[0] > 127)
		return calx__fail(s, CALX_ETYPE, "%s.%s: byte 0x%02x is not ASCII", calx__obj_mapper(h)->desc->name, col->name,
		                  (unsigned char)text[0]);
	*p = text[0];
	return CALX_OK;
}

int (calx_field_set_text)(calx_session *s, void *obj, const calx_field_desc *col, const char *text)
{
	if (!s)
		return CALX_EINVAL;
	calx__obj *h = calx__field_owner(s, obj, col);
	if (!h)
		return s->err.code;
	char *p = (char *)obj + col->offset;
	int rc = calx__mark(s, h);
	if (rc != CALX_OK)
		return rc;
	if (col->ctype == CALX_CTYPE_STRING) {
		char *copy = NULL;
		if (text && !(copy = calx__arena_strndup(&s->arena, text, strlen(text))))
			return calx__fail(s, CALX_ENOMEM, "out of memory copying text for %s.%s", calx__obj_mapper(h)->desc->name, col->name);
		memcpy(p, &copy, sizeof copy);
		return CALX_OK;
	}
	if (col->ctype == CALX_CTYPE_CHAR)
		return set_char_text(s, h, col, p, text);
	if (col->ctype != CALX_CTYPE_CHARARRAY)
		return calx__fail(s, CALX_ETYPE, "%s.%s is not a text column", calx__obj_mapper(h)->desc->name, col->name);
	if (!text)
		return calx_field_set_null(s, obj, col, true);
	size_t n = strlen(text);
	if (n >= col->size)
		return calx__fail(s, CALX_ERANGE, "%s.%s: text of %zu bytes does not fit char[%zu] (at most %zu)",
		                  calx__obj_mapper(h)->desc->name, col->name, n, col->size, col->size - 1);
	memcpy(p, text, n);
	memset(p + n, 0, col->size - n);
	calx__obj_mark_null(h, col->index, false);
	return CALX_OK;
}

char *calx_strdup(calx_session *s, const char *str)
{
	if (!s || !str)
		return NULL;
	char *p = calx__arena_strndup(&s->arena, str, strlen(str));
	if (!p)
		calx__fail(s, CALX_ENOMEM, "out of memory in calx_strdup");
	return p;
}

int calx_bytes_dup(calx_session *s, calx_bytes *out, const void *p, size_t n)
{
	if (!s || !out)
		return CALX_EINVAL;
	out->data = NULL;
	out->len = 0;
	if ((!p && n) || n > (size_t)PTRDIFF_MAX - 1)
		return calx__fail(s, CALX_EINVAL, "calx_bytes_dup: %zu bytes at a NULL pointer or beyond any object", n);
	/* one byte more, so the empty blob has a data that is not NULL */
	unsigned char *copy = calx__arena_alloc(&s->arena, n + 1, 1);
	if (!copy)
		return calx__fail(s, CALX_ENOMEM, "out of memory in calx_bytes_dup (%zu bytes)", n);
	if (n)
		memcpy(copy, p, n);
	out->data = copy;
	out->len = n;
	return CALX_OK;
}
