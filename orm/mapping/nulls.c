/*
 * The NULL rules of fields (value.h): which bytes say NULL in a calx_opt_*
 * wrapper, a char *, a calx_bytes and a char[N], comparing and zero-testing fields under
 * those rules, and what an insert leaves to the database. Apart from
 * value.c, which converts values, so each stays a file one can read whole.
 */
#include <stddef.h>
#include <string.h>
#include "calx/calx.h"
#include "mapping/generation.h"
#include "mapping/value.h"

/* sizeof the C type itself (not of a wrapper), 0 for text. */
static size_t value_size(calx_ctype t)
{
	switch (t) {
	case CALX_CTYPE_INT8: case CALX_CTYPE_UINT8: case CALX_CTYPE_BOOL: return 1;
	case CALX_CTYPE_INT16: case CALX_CTYPE_UINT16: return 2;
	case CALX_CTYPE_INT32: case CALX_CTYPE_UINT32: case CALX_CTYPE_FLOAT: return 4;
	case CALX_CTYPE_INT64: case CALX_CTYPE_UINT64: case CALX_CTYPE_DOUBLE: return 8;
	default: return 0;
	}
}

/* A calx_bytes is NULL when its data is (a length beside it is refused when the value is read). */
static bool bytes_null(const unsigned char *p)
{
	calx_bytes b;
	memcpy(&b, p, sizeof b);
	return !b.data;
}

size_t calx__opt_size(calx_ctype t)
{
	switch (t) {
	case CALX_CTYPE_INT8: return sizeof(calx_opt_int8);
	case CALX_CTYPE_INT16: return sizeof(calx_opt_int16);
	case CALX_CTYPE_INT32: return sizeof(calx_opt_int32);
	case CALX_CTYPE_INT64: return sizeof(calx_opt_int64);
	case CALX_CTYPE_UINT8: return sizeof(calx_opt_uint8);
	case CALX_CTYPE_UINT16: return sizeof(calx_opt_uint16);
	case CALX_CTYPE_UINT32: return sizeof(calx_opt_uint32);
	case CALX_CTYPE_UINT64: return sizeof(calx_opt_uint64);
	case CALX_CTYPE_BOOL: return sizeof(calx_opt_bool);
	case CALX_CTYPE_FLOAT: return sizeof(calx_opt_float);
	case CALX_CTYPE_DOUBLE: return sizeof(calx_opt_double);
	default: return 0;
	}
}

bool calx__field_layout_valid(const calx_field_desc *f)
{
	switch (f->ctype) {
	case CALX_CTYPE_DECIMAL:
		/* NULL is its empty text: no wrapper, and not a key (compared by value, not by bytes) */
		return !(f->flags & (CALX_FIELD_OPTIONAL | CALX_FIELD_PRIMARY_KEY | CALX_FIELD_AUTOINCREMENT |
		                     CALX_FIELD_VERSION)) &&
		       f->size == sizeof(calx_decimal);
	case CALX_CTYPE_BYTEARRAY:
	case CALX_CTYPE_BYTES:
	case CALX_CTYPE_CHAR:
		/* no wrapper of these; not a key (calx-reflect refuses it: the identity map keys no blobs) */
		if (f->flags & (CALX_FIELD_OPTIONAL | CALX_FIELD_PRIMARY_KEY | CALX_FIELD_AUTOINCREMENT | CALX_FIELD_VERSION))
			return false;
		if (f->ctype == CALX_CTYPE_BYTES)
			return f->size == sizeof(calx_bytes);
		return f->ctype == CALX_CTYPE_CHAR ? f->size == 1 : f->size > 0;
	case CALX_CTYPE_USER:
		return calx__user_type_valid(f);
	default:
		break;
	}
	if (!(f->flags & CALX_FIELD_OPTIONAL))
		return true;
	/* keys and versions are NOT NULL; a wrapper of a text type does not exist */
	return !(f->flags & (CALX_FIELD_PRIMARY_KEY | CALX_FIELD_AUTOINCREMENT | CALX_FIELD_VERSION)) &&
	       calx__opt_size(f->ctype) == f->size;
}

bool calx__field_equal(const calx_field_desc *f, const void *a, const void *b)
{
	const unsigned char *pa = (const unsigned char *)a + f->offset;
	const unsigned char *pb = (const unsigned char *)b + f->offset;
	if (f->ctype == CALX_CTYPE_USER)
		return calx__user_equal(f, pa, pb);     /* through the type's equality, never its padding */
	size_t hv = calx__has_value_at(f);
	if (hv) {
		/* two NULLs are equal whatever their value bytes; padding never counts */
		if ((pa[hv] != 0) != (pb[hv] != 0))
			return false;
		if (!pa[hv])
			return true;
		if (f->ctype == CALX_CTYPE_BOOL)
			return (*pa != 0) == (*pb != 0);
		return memcmp(pa, pb, value_size(f->ctype)) == 0;
	}
	switch (f->ctype) {
	case CALX_CTYPE_STRING: {
		const char *sa, *sb;
		memcpy(&sa, pa, sizeof sa);
		memcpy(&sb, pb, sizeof sb);
		if (sa == sb)
			return true;
		return sa && sb && strcmp(sa, sb) == 0;
	}
	case CALX_CTYPE_CHARARRAY:
		return strncmp((const char *)pa, (const char *)pb, f->size) == 0;
	case CALX_CTYPE_BYTES: {
		/* by content, as strings: NULL (data NULL) equals only NULL */
		calx_bytes ba, bb;
		memcpy(&ba, pa, sizeof ba);
		memcpy(&bb, pb, sizeof bb);
		if (!ba.data || !bb.data)
			return !ba.data && !bb.data && ba.len == bb.len;
		return ba.len == bb.len && (ba.data == bb.data || memcmp(ba.data, bb.data, ba.len) == 0);
	}
	case CALX_CTYPE_BOOL:
		return (*pa != 0) == (*pb != 0);
	case CALX_CTYPE_DECIMAL:
		return calx__decimal_equal(pa, pb);
	default:
		return memcmp(pa, pb, f->size) == 0;
	}
}

bool calx__field_zero(const calx_field_desc *f, const void *base)
{
	const unsigned char *p = (const unsigned char *)base + f->offset;
	size_t hv = calx__has_value_at(f);
	if (hv)
		return !p[hv];
	if (f->ctype == CALX_CTYPE_USER && f->user_type->is_null)
		return calx__user_is_null(f, p);
	if (f->ctype == CALX_CTYPE_CHARARRAY)
		return p[0] == '\0';
	/* a scalar or a pointer in one load (an autoincrement key is tested at every insert) */
	switch (f->size) {
	case 1: return !p[0];
	case 2: { uint16_t x; memcpy(&x, p, sizeof x); return !x; }
	case 4: { uint32_t x; memcpy(&x, p, sizeof x); return !x; }
	case 8: { uint64_t x; memcpy(&x, p, sizeof x); return !x; }
	default: break;
	}
	for (size_t i = 0; i < f->size; i++)
		if (p[i])
			return false;
	return true;
}

bool calx__field_left_to_db(const calx_field_desc *f, const void *base, bool null_flag)
{
	const unsigned char *p = (const unsigned char *)base + f->offset;
	if (f->flags & CALX_FIELD_AUTOINCREMENT)
		return calx__field_zero(f, base);           /* an integer key: 0 means "generate" */
	if (f->flags & CALX_FIELD_COMPUTED)
		return true;                                /* generated: never sent, always read back */
	if (!calx__has_server_default(f) || null_flag)  /* calx_field_set_null: an explicit NULL */
		return false;
	/* "not given": an unset wrapper or a NULL char *; a plain scalar's 0 or false is a value */
	return calx__wrapper_null(f, p) || (f->ctype == CALX_CTYPE_USER && calx__user_is_null(f, p)) ||
	       (f->ctype == CALX_CTYPE_STRING && calx__field_zero(f, base)) ||
	       (f->ctype == CALX_CTYPE_BYTES && bytes_null(p)) || (f->ctype == CALX_CTYPE_DECIMAL && !p[0]);
}

bool calx__field_is_null(const calx_field_desc *f, const void *base, bool null_flag)
{
	const unsigned char *p = (const unsigned char *)base + f->offset;
	if (f->flags & CALX_FIELD_OPTIONAL)
		return calx__wrapper_null(f, p);
	if (f->ctype == CALX_CTYPE_STRING) {
		/* the pointer itself, read here: a call a text field in every change check */
		const char *text;
		memcpy(&text, p, sizeof text);
		return !text;
	}
	if (f->ctype == CALX_CTYPE_BYTES)
		return bytes_null(p);
	if (f->ctype == CALX_CTYPE_DECIMAL)
		return !p[0];
	if (f->ctype == CALX_CTYPE_USER)
		return calx__user_is_null(f, p);     /* the type's own NULL, never the mark */
	return null_flag && calx__field_zero(f, base);
}

void calx__field_mark_present(const calx_field_desc *f, void *base)
{
	size_t hv = calx__has_value_at(f);
	if (hv)
		((unsigned char *)base + f->offset)[hv] = 1;
}

void calx__field_clear_padding(const calx_field_desc *f, void *base)
{
	size_t hv = calx__has_value_at(f);
	if (hv && hv + 1 < f->size)
		memset((unsigned char *)base + f->offset + hv + 1, 0, f->size - hv - 1);
}
